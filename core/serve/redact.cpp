#include "core/serve/redact.h"

#include <array>

namespace loadline::core::serve {

namespace {

char lowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool containsNoCase(std::string_view hay, std::string_view needle) {
    if (needle.size() > hay.size()) return false;
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
        std::size_t k = 0;
        while (k < needle.size() && lowerAscii(hay[i + k]) == needle[k]) ++k;
        if (k == needle.size()) return true;
    }
    return false;
}

bool nameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
}

// "NAME=" at the start of word (NAME of name characters, not starting with '-'), or "-NAME=" /
// "--NAME=": the position of '=' when NAME looks secret, else npos.
std::size_t secretAssignment(std::string_view word) {
    std::size_t start = 0;
    while (start < word.size() && start < 2 && word[start] == '-') ++start;
    std::size_t i = start;
    while (i < word.size() && nameChar(word[i])) ++i;
    if (i == start || i >= word.size() || word[i] != '=') return std::string_view::npos;
    return isSecretName(word.substr(start, i - start)) ? i : std::string_view::npos;
}

// "-NAME" / "--NAME" without '=' whose NAME looks secret: the next word is its value.
bool secretFlag(std::string_view word) {
    if (word.size() < 2 || word[0] != '-') return false;
    std::size_t start = word[1] == '-' ? 2 : 1;
    if (start >= word.size()) return false;
    for (std::size_t i = start; i < word.size(); ++i)
        if (!nameChar(word[i])) return false;
    return isSecretName(word.substr(start));
}

// Masks URL userinfo passwords ("://user:pass@") and secret query parameters within one word.
void maskUrlParts(std::string& word) {
    std::size_t from = 0;
    while ((from = word.find("://", from)) != std::string::npos) {
        const std::size_t authStart = from + 3;
        std::size_t authEnd = word.find_first_of("/?#", authStart);
        if (authEnd == std::string::npos) authEnd = word.size();
        const std::size_t at = word.rfind('@', authEnd == 0 ? 0 : authEnd - 1);
        if (at != std::string::npos && at >= authStart && at < authEnd) {
            const std::size_t colon = word.find(':', authStart);
            if (colon != std::string::npos && colon < at) {
                word.replace(colon + 1, at - colon - 1, kRedacted);
                authEnd = authEnd - (at - colon - 1) + kRedacted.size();
            } else if (colon == std::string::npos || colon > at) {
                // "scheme://TOKEN@host": a lone userinfo is a credential too (GitHub-style URLs).
                word.replace(authStart, at - authStart, kRedacted);
                authEnd = authEnd - (at - authStart) + kRedacted.size();
            }
        }
        from = authEnd;
    }
    // ?name=value&name=value: secret names lose their values (anywhere a '?' starts a query).
    std::size_t q = word.find('?');
    while (q != std::string::npos && q < word.size()) {
        const std::size_t nameStart = q + 1;
        const std::size_t eq = word.find('=', nameStart);
        const std::size_t amp = word.find_first_of("&#", nameStart);
        if (eq == std::string::npos) break;
        if (amp != std::string::npos && amp < eq) {
            q = amp;
            continue;
        }
        std::size_t valueEnd = word.find_first_of("&#", eq + 1);
        if (valueEnd == std::string::npos) valueEnd = word.size();
        if (isSecretName(std::string_view(word).substr(nameStart, eq - nameStart)) && valueEnd > eq + 1) {
            word.replace(eq + 1, valueEnd - eq - 1, kRedacted);
            valueEnd = eq + 1 + kRedacted.size();
        }
        if (valueEnd >= word.size() || word[valueEnd] == '#') break;
        q = valueEnd;
    }
}

}  // namespace

bool isSecretName(std::string_view name) {
    static constexpr std::array<std::string_view, 8> kWords = {"secret", "token", "password",   "passwd",
                                                               "pwd",    "key",   "credential", "auth"};
    for (auto w : kWords)
        if (containsNoCase(name, w)) return true;
    return false;
}

std::string redactCmdline(std::string_view cmdline) {
    std::string out;
    out.reserve(cmdline.size());
    bool maskNext = false;
    std::size_t pos = 0;
    std::string word;
    while (pos <= cmdline.size()) {
        std::size_t end = cmdline.find(' ', pos);
        if (end == std::string_view::npos) end = cmdline.size();
        const std::string_view w = cmdline.substr(pos, end - pos);
        if (pos > 0) out += ' ';
        if (maskNext && !w.empty() && w[0] != '-') {
            out += kRedacted;
            maskNext = false;
        } else if (w.empty()) {
            // two spaces in a row: an empty argument; keep it and the pending mask
        } else {
            maskNext = false;
            word.assign(w);
            if (const std::size_t eq = secretAssignment(word); eq != std::string::npos) {
                if (eq + 1 < word.size()) word.replace(eq + 1, std::string::npos, kRedacted);
            } else {
                maskNext = secretFlag(word);
                maskUrlParts(word);
            }
            out += word;
        }
        if (end == cmdline.size()) break;
        pos = end + 1;
    }
    return out;
}

std::string_view CmdlineFilter::apply(int pid, std::string_view cmdline) {
    switch (m_mode) {
    case CmdlineMode::Show: return cmdline;
    case CmdlineMode::Omit: return {};
    case CmdlineMode::Redact: break;
    }
    auto it = m_cache.find(pid);
    if (it != m_cache.end() && it->second.raw == cmdline) return it->second.shown;
    if (m_cache.size() > 4096) m_cache.clear();  // processes come and go: bound what is remembered
    Entry& e = m_cache[pid];
    e.raw.assign(cmdline);
    e.shown = redactCmdline(cmdline);
    return e.shown;
}

const char* cmdlineModeName(CmdlineMode mode) {
    switch (mode) {
    case CmdlineMode::Show: return "shown";
    case CmdlineMode::Redact: return "redacted";
    case CmdlineMode::Omit: return "omitted";
    }
    return "?";
}

}  // namespace loadline::core::serve
