#pragma once
// What `loadline-cli serve` reveals of the command lines it samples: shown as read, with the
// values of secret-looking arguments masked (--redact-cmdline), or left out (--no-cmdline).
// Command lines are py-perf's: /proc/PID/cmdline joined by single spaces, so arguments are
// split on spaces here (an argument that itself holds a space is seen as two words; masking
// then errs towards hiding more, never less, for the forms below).

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

namespace loadline::core::serve {

enum class CmdlineMode {
    Show,    // as read from /proc
    Redact,  // values of secret-looking arguments replaced by kRedacted
    Omit,    // no command line at all (JSON leaves the field out, /metrics the label)
};

inline constexpr std::string_view kRedacted = "***";

/** True when an option or variable name looks like it names a secret: it contains (ignoring
 *  case) secret, token, password, passwd, pwd, key, credential or auth. */
bool isSecretName(std::string_view name);

/**
 * The command line with secret-looking values replaced by kRedacted:
 *   --password=VALUE, -token=VALUE          (option=value, name per isSecretName)
 *   --token VALUE                           (the word after such an option, unless it is an option)
 *   API_KEY=VALUE, db.password=VALUE        (env-like NAME=VALUE words)
 *   scheme://user:PASS@host                 (userinfo of URLs, anywhere in a word)
 *   ...?token=VALUE&...                     (secret-looking query parameters of URLs)
 * Everything else is kept byte for byte.
 */
std::string redactCmdline(std::string_view cmdline);

/** Applies a CmdlineMode to command lines, remembering the last result per process so that a
 *  process's unchanged command line is redacted once, not on every tick (no per-tick allocation).
 *  Not thread-safe: one per sampler thread. */
class CmdlineFilter {
public:
    explicit CmdlineFilter(CmdlineMode mode = CmdlineMode::Show) : m_mode(mode) {}
    CmdlineMode mode() const { return m_mode; }
    /** The command line to publish for pid (empty for Omit); valid until the next call for pid. */
    std::string_view apply(int pid, std::string_view cmdline);

private:
    struct Entry {
        std::string raw, shown;
    };
    CmdlineMode m_mode;
    std::unordered_map<int, Entry> m_cache;
};

/** "shown", "redacted" or "omitted", for messages. */
const char* cmdlineModeName(CmdlineMode mode);

}  // namespace loadline::core::serve
