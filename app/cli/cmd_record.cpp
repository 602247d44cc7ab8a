// loadline-cli record -o FILE: records a py-perf timeline of this machine (and tracked
// processes) until a duration, a sample count, Ctrl-C or SIGTERM; checkpoints atomically.
// Qt-free: the sampler thread does the collecting, this thread waits for signals with
// sigtimedwait (no async signal handler), prints the status line and saves.
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>
#include <dirent.h>
#include <pthread.h>
#include <unistd.h>

#include "alertdispatch.h"
#include "alertoptions.h"
#include "cmdline.h"
#include "commands.h"
#include "core/collect/pidparse.h"
#include "core/collect/contention.h"
#include "core/collect/processreader.h"
#include "core/format/outputlock.h"
#include "core/format/recordingio.h"
#include "core/sampler/sampler.h"
#include "core/store/llrec.h"
#include <sys/stat.h>

namespace loadline::cli {

namespace {

// Readers look for the journal under the name the store layer gives it.
static_assert(std::string_view(core::store::kJournalSuffix) == core::kRecordJournalSuffix);

// Seconds between commits to the store: at most this much is lost to a kill -9 or a power cut.
constexpr double kDefaultCheckpointSeconds = 1.0;

/** utime + stime of this process (all threads) from /proc/self/stat, in seconds. */
double ownCpuSeconds() {
    std::string text;
    core::PidStat st;
    if (!core::readWholeFile("/proc/self/stat", text) || !core::parsePidStat(text, st)) return 0;
    return static_cast<double>(st.utime + st.stime) / static_cast<double>(core::HostConstants::fromSystem().clockTicks);
}

/** CPU time of this process (all threads) from the scheduler's nanosecond runtime counters. */
double ownCpuSecondsPrecise() {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::string fmtSeconds(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g s", s);
    return buf;
}

/** Where the journal of a JSON recording to standard output or to a FIFO, socket or device
 *  goes (nothing can be created beside those): a file under $XDG_STATE_HOME/loadline/ (default
 *  ~/.local/state/loadline/), created as needed. */
std::string stateJournalPath(std::string& error) {
    std::string dir;
    if (const char* x = std::getenv("XDG_STATE_HOME"); x && *x == '/') dir = x;
    else if (const char* h = std::getenv("HOME"); h && *h) dir = std::string(h) + "/.local/state";
    else {
        error = "standard output needs a journal directory: set XDG_STATE_HOME or HOME";
        return {};
    }
    std::string path;
    for (std::size_t i = 1; i <= dir.size(); ++i)
        if (i == dir.size() || dir[i] == '/') ::mkdir(dir.substr(0, i).c_str(), 0700);
    dir += "/loadline";
    ::mkdir(dir.c_str(), 0700);
    return dir + "/record-" + std::to_string(::getpid()) + "-" +
           std::to_string(static_cast<long long>(::time(nullptr))) + core::store::kExtension;
}

/** Journals of earlier recordings to standard output or a FIFO left in the journal directory
 *  of `journal` (their recorder was killed: nobody holds their lock), so the user hears of them. */
void mentionLeftJournals(const char* argv0, const std::string& journal) {
    const auto slash = journal.rfind('/');
    if (slash == std::string::npos) return;
    const std::string dir = journal.substr(0, slash);
    DIR* d = ::opendir(dir.c_str());
    if (!d) return;
    const std::string ext = core::store::kExtension;
    while (const dirent* e = ::readdir(d)) {
        const std::string name = e->d_name;
        if (name.rfind("record-", 0) != 0 || name.size() <= ext.size() ||
            name.compare(name.size() - ext.size(), ext.size(), ext) != 0)
            continue;
        const std::string path = dir + "/" + name;
        if (path == journal || core::OutputLock::holder(path) != 0) continue;
        std::fprintf(stderr,
                     "%s: %s is the journal of an earlier recording to standard output or a FIFO whose "
                     "recorder did not finish; recover its samples with `loadline-cli convert %s -o FILE.json`, "
                     "then remove it (with its -wal and -shm files)\n",
                     argv0, path.c_str(), path.c_str());
    }
    ::closedir(d);
}

}  // namespace

int runRecord(int argc, char** argv) {
    const char* argv0 = argv[0];
    std::string output;
    double interval = 0.5, duration = 0, checkpoint = kDefaultCheckpointSeconds;
    long long samples = 0, maxSamples = -1, top = 0;
    core::SamplerOptions opts;
    opts.system.perCpu = false;
    bool reportCpu = false;
    AlertOptions alertOptions;
    std::string onAlert;
    bool noContention = false;
    bool keepStore = false;
    char checkpointDefault[32];
    std::snprintf(checkpointDefault, sizeof checkpointDefault, "%.0f", kDefaultCheckpointSeconds);
    CmdLine args(argv0,
                 "Records system samples and tracked processes into FILE until --duration, --samples, "
                 "Ctrl-C, SIGTERM or SIGHUP.\n"
                 "  FILE.llrec: a store (SQLite, docs/llrec-format.md) that keeps EVERY sample, committed\n"
                 "    every " +
                     std::string(checkpointDefault) +
                     " s (a kill -9 loses at most that); readable while it is written.\n"
                     "  any other FILE: py-perf JSON (the newest --max-samples), written once when the recording\n"
                     "    ends (until then an earlier FILE stays as it was); meanwhile the run is journaled in\n"
                     "    FILE.llrec (for '-o -' and a FIFO or device, in $XDG_STATE_HOME/loadline/), removed at\n"
                     "    the end unless --keep-store. After a crash the journal stays, and a new recording to\n"
                     "    FILE refuses to start until it is gone: `loadline-cli convert FILE.llrec -o FILE`\n"
                     "    gives the JSON.\n"
                     "A second recorder (or convert) writing FILE or its journal is refused, naming the first "
                     "one's PID; a symbolic link is followed (the file it points to is written and locked).",
                 "Alerts are printed as they open and close, and saved under \"alert_intervals\".");
    constexpr double kForever = 1e9;
    args.text({"-o", "--output"}, output, "FILE", "a file name",
              "where to write (required; '-': py-perf JSON to standard output)")
        .needed()
        .flag({"--keep-store"}, keepStore, "keep the journal store of a JSON recording (not with a .llrec FILE)")
        .number({"--interval"}, interval, 0.01, kForever, "S", "seconds >= 0.01",
                "seconds between samples (default 0.5, at least 0.01)")
        .option(
            {"--duration"}, "S", "a positive number of seconds",
            [&](const std::string& v) { return parseNumber(v, duration) && duration > 0 && duration <= kForever; },
            "stop after S seconds (not with --samples)")
        .count({"--samples"}, samples, 1, std::numeric_limits<long long>::max(), "N", "a count >= 1",
               "stop after N samples (not with --duration)")
        .option(
            {"--pid"}, "PID", "a process ID",
            [&](const std::string& v) {
                long long pid = 0;
                if (!parseWhole(v, pid) || pid < 1 || pid > 0x3fffffff) return false;
                opts.pids.push_back(static_cast<int>(pid));
                return true;
            },
            "track a process (repeatable; it must exist)")
        .repeatable()
        .flag({"--self"}, opts.trackSelf, "track the recorder itself")
        .option(
            {"--match"}, "REGEX", "a regular expression (ECMAScript) over the process name",
            [&](const std::string& v) {
                if (!core::ProcessMatcher::check(v)) return false;
                opts.namePatterns.push_back(v);
                return true;
            },
            "track processes whose NAME matches (psutil's name(): the executable's base name as "
            "/proc/PID/stat's comm gives it; searched like pgrep, so '^python3$' for an exact name), "
            "including ones started or exec'd later (repeatable; ECMAScript regex)")
        .repeatable()
        .option(
            {"--match-cmdline"}, "REGEX", "a regular expression (ECMAScript) over the command line",
            [&](const std::string& v) {
                if (!core::ProcessMatcher::check(v)) return false;
                opts.cmdlinePatterns.push_back(v);
                return true;
            },
            "track processes whose COMMAND LINE matches (arguments joined by spaces, like pgrep -f; "
            "repeatable)")
        .repeatable()
        .count({"--max-samples"}, maxSamples, 1, std::numeric_limits<long long>::max(), "N", "a count >= 1",
               "samples in the JSON file (default 3600, raised to fit --duration/--samples); for FILE.llrec the "
               "samples held in memory (all are stored)")
        .flag({"--per-cpu"}, opts.system.perCpu, "also record per-core CPU percent (cpu_percent_per_core[i])")
        .count({"--top"}, top, 0, 100000, "N", "a count", "also record the N busiest processes at each sample")
        .text({"--cgroup"}, opts.system.cgroup, "PATH", "a cgroup path",
              "also record a cgroup v2 (cgroup_* columns: CPU, throttling, memory, pressure); PATH as in "
              "/proc/PID/cgroup or a directory under the mount")
        .flag({"--no-contention"}, noContention,
              "skip pressure stall information, run-queue waits and cgroups (pressure_*, run_queue_wait_percent, "
              "cgroup_* columns)")
        .number({"--checkpoint"}, checkpoint, 0.05, 10, "S", "seconds between 0.05 and 10",
                "seconds between commits to the store (default " + std::string(checkpointDefault) + ")")
        .flag({"--report-cpu"}, reportCpu,
              "at the end, print the recorder's own CPU use (/proc/self/stat and the scheduler's nanosecond clock)");
    addAlertOptions(args, alertOptions);
    args.text({"--on-alert"}, onAlert, "CMD", "a shell command",
              "run CMD (/bin/sh -c) when an alert opens, escalates or closes, with LOADLINE_ALERT_* variables; "
              "never waited for (at most 4 at once: one more is skipped and counted)");
    if (auto status = args.parse(argc, argv)) return *status;
    auto bad = [&](const std::string& msg) { return args.fail(msg); };
    if (output.empty()) return bad("no output file (-o FILE)");
    if (keepStore && core::store::hasStoreExtension(output))
        return bad("--keep-store is for JSON outputs: a .llrec output is the store itself (always kept)");
    if (duration > 0 && samples > 0) return bad("--duration and --samples exclude each other");
    // CPU percentages need a baseline, so the first sample comes one interval after the start.
    if (duration > 0 && duration < interval)
        return bad("--duration " + fmtSeconds(duration) + " is shorter than --interval " + fmtSeconds(interval) +
                   ": the first sample is taken one interval after the start");
    for (int pid : opts.pids)
        if (!core::processExists(pid)) return bad("no process with PID " + std::to_string(pid));
    if (noContention) {
        if (!opts.system.cgroup.empty()) return bad("--cgroup and --no-contention exclude each other");
        opts.system.pressure = opts.process.sched = opts.process.cgroup = false;
    }
    if (!opts.system.cgroup.empty()) {
        std::string cgroupPath, cgroupError;
        if (!core::succeeded(core::resolveCgroupDir({}, opts.system.cgroup, cgroupPath), &cgroupError))
            return bad(cgroupError);
    }
    std::vector<core::alert::AlertRule> alertRules;
    std::string problem;
    if (!resolveAlertRules(alertOptions, alertRules, problem)) return bad(problem);
    if (!onAlert.empty() && alertRules.empty()) return bad("--on-alert needs alert rules (--alert RULE)");

    opts.interval = interval;
    opts.topN = static_cast<std::size_t>(top);
    opts.maxTicks = static_cast<std::uint64_t>(samples);
    std::size_t bound = 3600;
    if (maxSamples > 0) {
        bound = static_cast<std::size_t>(maxSamples);
        // Asked for explicitly, so kept; but say that the file will not hold the whole run.
        const double planned = samples > 0 ? double(samples) : duration > 0 ? std::floor(duration / interval) : 0;
        if (planned > double(bound) && !core::store::hasStoreExtension(output))  // a store keeps all
            std::fprintf(stderr, "%s: note: --max-samples %zu keeps only the newest %zu of about %.0f samples\n", argv0,
                         bound, bound, planned);
    } else {
        if (samples > 0) bound = std::max<std::size_t>(bound, static_cast<std::size_t>(samples));
        if (duration > 0)
            bound = std::max<std::size_t>(bound, static_cast<std::size_t>(std::ceil(duration / interval)) + 1);
    }
    const bool storeOutput = core::store::hasStoreExtension(output);
    const std::size_t jsonBound = bound;  // samples a JSON output holds (the newest)
    if (storeOutput && maxSamples <= 0) {
        // Every sample goes to the store; memory holds only what the next commits need (and
        // what alert rules look back over): a bound that does not grow with the run.
        bound = std::max<std::size_t>(256, static_cast<std::size_t>(std::ceil(60.0 / interval)));
    }
    // The ring must hold what comes between two commits (with room for a slow one), or the
    // store would miss samples the ring dropped before they were staged.
    bound = std::max<std::size_t>(bound, static_cast<std::size_t>(std::ceil(4 * checkpoint / interval)) + 16);
    opts.maxSamples = bound;

    // Block the stop signals before the sampler thread starts (it inherits the mask), then
    // wait for them here with sigtimedwait.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGHUP);
    sigaddset(&stopSignals, SIGUSR1);  // from the sampler thread: --samples reached
    sigaddset(&stopSignals, SIGUSR2);  // from the sampler thread: a checkpoint's ticks are taken
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    const pthread_t mainThread = pthread_self();

    // Declared before the sampler: it outlives the sampler thread that submits to it.
    std::unique_ptr<AlertDispatcher> alerts;
    if (!alertRules.empty()) alerts = std::make_unique<AlertDispatcher>(alertRules, onAlert, stderr);
    core::Sampler sampler(opts);
    if (alerts) sampler.setAlerts(alertRules, [d = alerts.get()](const core::alert::AlertEvent& e) { d->submit(e); });
    std::string error;
    core::store::StoreWriter store;  // the recording (FILE.llrec) or the journal of a JSON one
    // The sink runs on the sampler thread under the sampler's lock, as stage() does below.
    const auto last = static_cast<std::uint64_t>(samples);
    // The commit follows the tick that completes a checkpoint's worth of samples (SIGUSR2 from the
    // sink): the main thread wakes just after the sampler, while its CPU is awake and the new rows
    // are fresh in cache, rather than at an unrelated moment, and a sample waits at most the
    // checkpoint for its commit.
    const auto ticksPerCommit = static_cast<std::uint64_t>(std::max(1.0, std::floor(checkpoint / interval + 1e-9)));
    sampler.setSink([mainThread, last, ticksPerCommit, &store](const core::SamplerTick& t) {
        timespec cpu{};
        ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
        store.noteFootprint(
            {t.system ? t.system->timestamp : 0, double(cpu.tv_sec) + double(cpu.tv_nsec) * 1e-9, t.late, t.missed});
        // Wake the main thread the moment the last sample is taken (no polling).
        if (last && t.index + 1 >= last) pthread_kill(mainThread, SIGUSR1);
        else if ((t.index + 1) % ticksPerCommit == 0) pthread_kill(mainThread, SIGUSR2);
    });
    const double cpuAtStart = ownCpuSeconds();
    const double preciseAtStart = ownCpuSecondsPrecise();
    // Start first: a bad --match or a process that cannot be read must leave the output as it
    // was (it may be an earlier recording). Then the store (or journal) is created and committed
    // once, which proves the directory writable before we record for an hour.
    if (!core::succeeded(sampler.start(), &error)) return bad(error);
    auto failStart = [&](const std::string& message, int status) {
        sampler.stop();
        std::fprintf(stderr, "%s: %s\n", argv0, message.c_str());
        return status;
    };
    // The file really written: symbolic links followed, the directory resolved (two names for
    // one file take one lock). A FIFO, socket or device is written to directly at the end.
    core::OutputTarget target;
    if (output != "-") {
        core::Result<core::OutputTarget> resolved = core::resolveOutput(output);
        if (!resolved) return failStart(resolved.error().toString(), 1);
        target = *resolved;
    }
    const bool special = target.special;
    if (special && storeOutput) return failStart(output + ": exists and is not a regular file", 1);
    if (special && ::access(output.c_str(), W_OK) != 0)
        return failStart(output + ": cannot write: " + std::strerror(errno), 1);
    const bool journalBeside = !storeOutput && output != "-" && !special;
    const std::string journal = storeOutput     ? target.path
                                : journalBeside ? target.path + core::store::kJournalSuffix
                                                : stateJournalPath(error);
    if (journal.empty()) return failStart(error, 1);
    if (!storeOutput && !journalBeside) mentionLeftJournals(argv0, journal);
    // A second writer of the same file is refused, not raced: the JSON output and its journal
    // store are both locked, so `-o k.llrec` and `-o k` (whose journal is k.llrec), or `-o k.json`
    // and `-o k.json.llrec`, exclude each other (the locks are on companion files, FILE.lock;
    // the kernel drops them however this process ends).
    core::OutputLock outputLock, journalLock;
    if (journalBeside && !core::succeeded(outputLock.acquire(output), &error)) return failStart(error, 1);
    if (!core::succeeded(journalLock.acquire(journal), &error))
        return failStart(journalBeside ? output + ": its journal " + error : error, 1);
    // A journal left by an earlier run (killed, or kept by --keep-store) may be the only copy
    // of that run: never replaced by this one.
    struct stat old {};
    if (journalBeside && ::lstat(journal.c_str(), &old) == 0) {
        // Say what is there: a finished store (a `record -o NAME.llrec` of the user's, or a
        // journal kept by --keep-store) is not a crash's leftover, and not a store at all is
        // neither; all three stay untouched.
        core::store::StoreCursor probe;
        const bool isStore = S_ISREG(old.st_mode) && core::store::looksLikeStore(journal);
        if (isStore) (void)core::store::loadStoreTicksAfter(journal, probe, 1e300);
        if (!isStore)
            return failStart(journal + ": is there and is not a loadline store; a JSON recording to " + output +
                                 " journals in that name: move it away or choose another output name",
                             2);
        if (probe.closed)
            return failStart(journal + ": a finished recording is there (a `record -o " + journal +
                                 "`, or a journal kept by --keep-store); a JSON recording to " + output +
                                 " journals in that name: move it away or choose another output name",
                             2);
    }
    if (journalBeside && ::lstat(journal.c_str(), &old) == 0)
        return failStart(journal + ": a journal from an earlier recording of " + output +
                             " is there (its recorder was killed, or --keep-store kept it); recover its samples with "
                             "`loadline-cli convert " +
                             journal + " -o " + output +
                             "`, then remove it (with its -wal and -shm files) and record again",
                         2);
    core::store::WriterOptions storeOptions;
    storeOptions.sampleInterval = interval;
    if (!core::succeeded(store.create(journal, storeOptions), &error)) return failStart("cannot write " + error, 1);
    // The rows since the last commit are copied under the sampler's lock (brief), then written
    // in one transaction outside it: the cost of a commit is the new samples only.
    bool storeFailed = false;
    auto commit = [&] {
        sampler.withTimeline([&](const core::Timeline& t) { store.stage(t); });
        if (core::succeeded(store.commit(), &error)) {
            if (storeFailed) std::fprintf(stderr, "\n%s: writing %s again\n", argv0, journal.c_str());
            storeFailed = false;
            return true;
        }
        if (!storeFailed)  // once, not every second (a full disk): what was committed stays
            std::fprintf(stderr, "\n%s: cannot write %s (what was written before is kept): %s\n", argv0,
                         journal.c_str(), error.c_str());
        storeFailed = true;
        return false;
    };
    if (!commit()) {
        sampler.stop();
        if (!storeOutput)  // an empty journal: it must not block the next recording to FILE
            for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((journal + suffix).c_str());
        return 1;
    }
    // The JSON output is written once, at the end (atomically, or directly to a FIFO or device):
    // nothing is written to it now, so an earlier file stays as it was until the new one is
    // complete, and a pipe gets one document. Its directory is writable: the journal was just
    // created in it.

    const bool tty = ::isatty(STDERR_FILENO) == 1;
    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    auto lastCheckpoint = t0;
    auto lastStatus = t0 - std::chrono::hours(1);
    int stopSignal = 0;
    bool commitDue = false;
    // Past the checkpoint by this much without the sampler's SIGUSR2 (ticks late or missed, a
    // stalled machine): commit what there is anyway.
    const double slack = std::min(interval, checkpoint) * 0.5;
    for (;;) {
        const double elapsed = std::chrono::duration<double>(clock::now() - t0).count();
        if (duration > 0 && elapsed >= duration) break;
        if (sampler.finished()) break;
        if (tty && clock::now() - lastStatus >= std::chrono::milliseconds(500)) {
            lastStatus = clock::now();
            std::size_t alive = 0;
            for (const auto& p : sampler.trackedProcesses()) alive += p.alive ? 1 : 0;
            std::fprintf(stderr, "\rrecording %s: %.1f s, %llu samples, %zu tracked processes   ",
                         output == "-" ? journal.c_str() : output.c_str(), elapsed,
                         static_cast<unsigned long long>(sampler.tickCount()), alive);
            std::fflush(stderr);
        }
        if (commitDue || std::chrono::duration<double>(clock::now() - lastCheckpoint).count() >= checkpoint + slack) {
            commitDue = false;
            lastCheckpoint = clock::now();
            commit();
        }
        // Sleep until the next thing to do: the sampler's SIGUSR2 after the ticks of a checkpoint
        // (or, should ticks stall, the checkpoint plus slack), a status refresh (terminal only),
        // the end of --duration; a stop signal, or SIGUSR1 when --samples is reached, wakes us.
        // Few wake-ups keep the recorder's own CPU use low.
        double wait = checkpoint + slack - std::chrono::duration<double>(clock::now() - lastCheckpoint).count();
        if (tty) wait = std::min(wait, 0.5);
        if (duration > 0) wait = std::min(wait, duration - elapsed);
        wait = std::max(wait, 0.001);
        timespec ts{static_cast<time_t>(wait), static_cast<long>((wait - std::floor(wait)) * 1e9)};
        int sig = sigtimedwait(&stopSignals, nullptr, &ts);
        // SIGUSR1 from the sink: finished() is already true (set before the sink runs), so
        // the loop's check ends it; a stray SIGUSR1 from elsewhere changes nothing.
        if (sig == SIGUSR2) commitDue = true;
        if (sig > 0 && sig != SIGUSR1 && sig != SIGUSR2) {
            stopSignal = sig;
            break;
        }
    }
    sampler.stop();
    if (alerts) alerts->finish();  // the last opened/closed lines before the summary
    const double cpuUsed = ownCpuSeconds() - cpuAtStart;
    const double preciseUsed = ownCpuSecondsPrecise() - preciseAtStart;
    const double wall = std::chrono::duration<double>(clock::now() - t0).count();
    if (tty) std::fprintf(stderr, "\n");
    sampler.withTimeline([&](const core::Timeline& t) { store.stage(t, /*header=*/true); });
    // What a reader of the journal gets (the samples committed): for the messages below.
    auto recoverHint = [&] {
        return std::to_string(store.ticksCommitted()) + " samples; `loadline-cli convert " + journal + " -o " +
               (output == "-" ? std::string("FILE") : output) + "` gives the JSON";
    };
    bool journalFinished = core::succeeded(store.finish(), &error);
    if (!journalFinished) {
        if (storeOutput) {
            std::fprintf(stderr, "%s: cannot finish %s: %s; it holds the %llu samples committed before\n", argv0,
                         journal.c_str(), error.c_str(), static_cast<unsigned long long>(store.ticksCommitted()));
            return 1;
        }
        // The JSON may still fit (it comes from memory); the journal is kept either way.
        std::fprintf(stderr, "%s: cannot finish the journal %s: %s; it is kept and holds %s\n", argv0, journal.c_str(),
                     error.c_str(), recoverHint().c_str());
    }
    std::size_t saved = 0;
    const char* why = "";
    std::string stopped = stopSignal ? std::string(" (stopped by ") + strsignal(stopSignal) + ")" : std::string();
    if (storeOutput) {
        std::fprintf(stderr, "%s: stored %llu samples%s in %s\n", argv0,
                     static_cast<unsigned long long>(store.ticksWritten()), stopped.c_str(), output.c_str());
    } else {
        std::string text;
        sampler.withTimeline([&](const core::Timeline& t) {
            saved = t.system.size();
            if (saved <= jsonBound) text = core::timelineToText(t);
        });
        if (saved > jsonBound) {
            // The ring holds more than --max-samples (room for the journal's commits): the
            // newest jsonBound ticks come from the journal, which has every one of them.
            core::store::ReadOptions newest;
            newest.maxSamples = jsonBound;
            core::LoadResult loaded = core::store::loadStore(journal, newest);
            if (!loaded) {
                std::fprintf(stderr, "%s: cannot read back %s: %s\n", argv0, journal.c_str(),
                             !loaded.has_value() ? loaded.error().toString().c_str() : "unknown error");
                return 1;
            }
            saved = loaded->timeline.system.size();
            text = core::timelineToText(loaded->timeline);
        }
        bool ok = true;
        if (output == "-") {
            ok = std::fwrite(text.data(), 1, text.size(), stdout) == text.size() && std::fflush(stdout) == 0;
            if (!ok) error = "standard output: write failed";
        } else {
            ok = core::succeeded(core::writeFileAtomically(special ? output : target.path, text), &error);
        }
        if (!ok) {
            std::fprintf(stderr, "%s: cannot save: %s; the recording is kept in %s: %s\n", argv0, error.c_str(),
                         journal.c_str(), recoverHint().c_str());
            return 1;
        }
        if (!journalFinished) {
            std::fprintf(stderr, "%s: saved %zu samples%s to %s; the journal %s is kept\n", argv0, saved,
                         stopped.c_str(), output == "-" ? "standard output" : output.c_str(), journal.c_str());
            return 1;
        }
        if (!keepStore) {
            ::unlink(journal.c_str());
            ::unlink((journal + "-wal").c_str());
            ::unlink((journal + "-shm").c_str());
            why = "";
        } else {
            why = " (store kept)";
        }
        std::fprintf(stderr, "%s: saved %zu samples%s to %s%s%s\n", argv0, saved, stopped.c_str(),
                     output == "-" ? "standard output" : output.c_str(), why,
                     keepStore ? (": " + journal).c_str() : "");
        if (output == "-" || keepStore) {
        }
    }
    if (storeOutput) saved = store.ticksWritten();
    if (alerts) {
        const auto intervals = sampler.alertIntervals();
        std::size_t open = 0;
        for (const auto& a : intervals) open += a.end ? 0 : 1;
        std::fprintf(stderr, "%s: %zu alert interval%s saved (%zu still open)", argv0, intervals.size(),
                     intervals.size() == 1 ? "" : "s", open);
        if (!onAlert.empty())
            std::fprintf(stderr, "; --on-alert ran %llu, skipped %llu (earlier commands still running)",
                         static_cast<unsigned long long>(alerts->commandsRun()),
                         static_cast<unsigned long long>(alerts->commandsSkipped()));
        if (alerts->eventsDropped())
            std::fprintf(stderr, "; %llu alert changes not printed (output too slow)",
                         static_cast<unsigned long long>(alerts->eventsDropped()));
        std::fprintf(stderr, "\n");
    }
    if (reportCpu)
        std::fprintf(stderr,
                     "%s: recorder CPU %.3f s over %.1f s = %.4f %% of one core (/proc/self/stat utime+stime, 10 ms "
                     "ticks); CLOCK_PROCESS_CPUTIME_ID: %.4f s = %.4f %%; %zu samples\n",
                     argv0, cpuUsed, wall, wall > 0 ? cpuUsed / wall * 100.0 : 0.0, preciseUsed,
                     wall > 0 ? preciseUsed / wall * 100.0 : 0.0, saved);
    return 0;
}

}  // namespace loadline::cli
