// recorder_floor: the least CPU any recorder can spend on this machine for the work
// `loadline-cli record` does, measured by doing only the system calls that work needs and
// nothing else (no parsing, no storing, no formatting). Run beside the real recorder
// (bench/collect/recorder_cpu.sh --floor), it says how much of the recorder's figure is the
// machine's price for waking up, reading /proc and syncing a file, and how much is loadline's.
//
//   wake    a thread that sleeps to absolute deadlines every --interval (clock_nanosleep)
//   read    + at each wake-up, one pread of each /proc file the recorder reads every tick with
//           the contention sources on (stat, meminfo, diskstats, net/dev, pressure/cpu|io|memory,
//           sysinfo for the load average) and of each PID's schedstat
//   commit  + a second thread that wakes every --checkpoint seconds, appends --commit-bytes to a
//           file and fdatasyncs it (what one durable commit of the store costs the kernel)
//
// Usage: recorder_floor --mode wake|read|commit [--interval S] [--duration S] [--checkpoint S]
//                       [--commit-bytes N] [--dir DIR] [PID...]
// Prints: "floor MODE: P % of one core (CLOCK_PROCESS_CPUTIME_ID over D s), T ticks, C commits".
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <thread>
#include <vector>
#include <fcntl.h>
#include <sys/sysinfo.h>
#include <unistd.h>

namespace {

double processCpuSeconds() {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

timespec monotonicNow() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts;
}

void advance(timespec& t, double seconds) {
    const auto ns = static_cast<long long>(seconds * 1e9);
    t.tv_sec += static_cast<time_t>(ns / 1000000000LL);
    t.tv_nsec += static_cast<long>(ns % 1000000000LL);
    if (t.tv_nsec >= 1000000000L) {
        t.tv_nsec -= 1000000000L;
        ++t.tv_sec;
    }
}

bool before(const timespec& a, const timespec& b) {
    return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

[[noreturn]] void usage(const char* argv0) {
    std::fprintf(stderr,
                 "usage: %s --mode wake|read|commit [--interval S] [--duration S] [--checkpoint S] "
                 "[--commit-bytes N] [--dir DIR] [PID...]\n",
                 argv0);
    std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    std::string mode;
    double interval = 0.5, duration = 120, checkpoint = 1;
    long commitBytes = 6144;
    std::string dir = "/tmp";
    std::vector<std::string> pids;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&] {
            if (i + 1 >= argc) usage(argv[0]);
            return std::string(argv[++i]);
        };
        if (a == "--mode") mode = value();
        else if (a == "--interval") interval = std::atof(value().c_str());
        else if (a == "--duration") duration = std::atof(value().c_str());
        else if (a == "--checkpoint") checkpoint = std::atof(value().c_str());
        else if (a == "--commit-bytes") commitBytes = std::atol(value().c_str());
        else if (a == "--dir") dir = value();
        else if (!a.empty() && a[0] != '-') pids.push_back(a);
        else usage(argv[0]);
    }
    if ((mode != "wake" && mode != "read" && mode != "commit") || interval <= 0 || duration <= 0 || checkpoint <= 0 ||
        commitBytes <= 0)
        usage(argv[0]);

    // Opened once, as the recorder does (it reuses its descriptors and buffers every tick).
    std::vector<int> fds;
    if (mode != "wake") {
        for (const char* f : {"/proc/stat", "/proc/meminfo", "/proc/diskstats", "/proc/net/dev", "/proc/pressure/cpu",
                              "/proc/pressure/io", "/proc/pressure/memory"})
            if (int fd = ::open(f, O_RDONLY | O_CLOEXEC); fd >= 0) fds.push_back(fd);
        for (const auto& p : pids) {
            const std::string path = "/proc/" + p + "/schedstat";
            int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                std::fprintf(stderr, "%s: %s: %s\n", argv[0], path.c_str(), std::strerror(errno));
                return 1;
            }
            fds.push_back(fd);
        }
    }

    std::atomic<bool> done{false};
    std::atomic<long> commits{0};
    std::thread committer;
    std::string file;
    if (mode == "commit") {
        file = dir + "/recorder-floor-" + std::to_string(::getpid()) + ".dat";
        const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0) {
            std::fprintf(stderr, "%s: %s: %s\n", argv[0], file.c_str(), std::strerror(errno));
            return 1;
        }
        committer = std::thread([&, fd] {
            std::vector<char> block(static_cast<std::size_t>(commitBytes), '\1');
            off_t offset = 0;
            timespec next = monotonicNow();
            for (;;) {
                advance(next, checkpoint);
                while (::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, nullptr) == EINTR) {
                }
                if (done.load()) break;
                if (::pwrite(fd, block.data(), block.size(), offset) != static_cast<ssize_t>(block.size()) ||
                    ::fdatasync(fd) != 0) {
                    std::fprintf(stderr, "%s: %s: %s\n", argv[0], file.c_str(), std::strerror(errno));
                    break;
                }
                offset += static_cast<off_t>(block.size());
                commits.fetch_add(1);
            }
            ::close(fd);
        });
    }

    static char buffer[64 * 1024];
    const double cpu0 = processCpuSeconds();
    timespec next = monotonicNow(), end = next;
    advance(end, duration);
    long ticks = 0;
    for (;;) {
        advance(next, interval);
        if (before(end, next)) break;  // the last tick falls on the end, as the recorder's does
        while (::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, nullptr) == EINTR) {
        }
        for (int fd : fds) (void)!::pread(fd, buffer, sizeof buffer, 0);
        if (mode != "wake") {
            struct sysinfo si {};
            (void)::sysinfo(&si);
        }
        ++ticks;
    }
    done.store(true);
    if (committer.joinable()) committer.join();
    const double used = processCpuSeconds() - cpu0;
    if (!file.empty()) ::unlink(file.c_str());
    std::printf("floor %s: %.4f %% of one core (CLOCK_PROCESS_CPUTIME_ID over %g s), %ld ticks, %ld commits\n",
                mode.c_str(), used / duration * 100.0, duration, ticks, commits.load());
    return 0;
}
