// The .llrec writer's cost as a recording grows: per-tick CPU and bytes written around the
// 1,000th and the 1,000,000th tick, at 0.5 s with N processes, staging and committing every 2
// ticks (once a second) as `loadline-cli record` does. Synthetic samples shaped like a real
// record (28 system columns; per process 14 numbers and name/status/cmdline), from a random walk.
//
//   loadline_store_bench DIR [TICKS=1000000] [PROCESSES=10]
//
// CPU is the thread's CPU time inside stage() and commit() (fsync included). Run DIR on tmpfs
// (/dev/shm) for a million ticks in minutes rather than a disk's fsync latency.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <time.h>
#include <unistd.h>

#include "core/store/llrec.h"

using namespace loadline::core;

namespace {

double threadCpu() {
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// wchar of /proc/self/io: bytes this process handed to write(2) and friends (the WAL, the
// database pages of checkpoints).
long long writtenBytes() {
    std::ifstream f("/proc/self/io");
    std::string k;
    long long v = 0;
    while (f >> k >> v)
        if (k == "wchar:") return v;
    return -1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s DIR [TICKS] [PROCESSES]\n", argv[0]);
        return 2;
    }
    const std::string path = std::string(argv[1]) + "/bench-" + std::to_string(::getpid()) + ".llrec";
    const std::uint64_t ticks = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1000000;
    const int procs = argc > 3 ? std::atoi(argv[3]) : 10;
    store::StoreWriter w;
    std::string error;
    if (!succeeded(w.create(path, {0.5, true}), &error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    Timeline ring(256);
    ring.metadata.platform = "Linux";
    ring.metadata.sampleInterval = 0.5;
    std::mt19937_64 rng(1);
    std::normal_distribution<double> step(0, 1);
    std::vector<double> sys(28, 50.0), proc(procs * 14, 100.0);
    const std::uint64_t windows[] = {1000, 1000000, 10000000};
    std::printf("# %s, %d processes, commit every 2 ticks (1 s at 0.5 s)\n", path.c_str(), procs);
    std::printf("%-12s %14s %14s %16s\n", "tick", "cpu_us/tick", "bytes/tick", "MB/hour@0.5s");
    double cpu0 = 0, storeCpu = 0;
    long long bytes0 = 0;
    const std::uint64_t W = 1000;
    for (std::uint64_t i = 0; i < ticks; ++i) {
        for (std::uint64_t wdw : windows)
            if (i == wdw - W / 2) {
                cpu0 = storeCpu;
                bytes0 = writtenBytes();
            }
        const double t = 1.7e9 + double(i) * 0.5;
        ring.system.appendRow(t);
        for (int c = 0; c < 28; ++c) {
            sys[c] = std::round(std::clamp(sys[c] + step(rng), 0.0, 100.0) * 10) / 10;
            ring.system.setLast(ring.system.ensureColumn("sys_" + std::to_string(c)), sys[c]);
        }
        for (int p = 0; p < procs; ++p) {
            SeriesTable& s = ring.process(20000 + p).samples;
            s.appendRow(t);
            s.setLast(s.ensureColumn("pid"), 20000 + p);
            s.setLastText(s.ensureColumn("name", true), "python3");
            s.setLastText(s.ensureColumn("status", true), i % 11 ? "sleeping" : "running");
            s.setLastText(s.ensureColumn("cmdline", true),
                          "python3 train.py --epochs 100 --worker " + std::to_string(p));
            for (int c = 0; c < 13; ++c) {
                double& v = proc[p * 14 + c];
                v = std::round(std::max(0.0, v + step(rng)) * 100) / 100;
                s.setLast(s.ensureColumn("p_" + std::to_string(c)), v);
            }
            s.setLast(s.ensureColumn("create_time"), 1.7e9 - 1000.25 * p);
        }
        if (i % 2 == 1) {
            const double c0 = threadCpu();
            w.stage(ring);
            if (!succeeded(w.commit(), &error)) {
                std::fprintf(stderr, "%s\n", error.c_str());
                return 1;
            }
            storeCpu += threadCpu() - c0;  // the writer's work only, not making up the samples
        }
        for (std::uint64_t wdw : windows)
            if (i + 1 == wdw + W / 2) {
                const double cpu = (storeCpu - cpu0) / double(W);
                const double bytes = double(writtenBytes() - bytes0) / double(W);
                std::printf("%-12llu %14.1f %14.0f %16.1f\n", static_cast<unsigned long long>(wdw), cpu * 1e6, bytes,
                            bytes * 7200 / 1e6);
                std::fflush(stdout);
            }
    }
    succeeded(w.finish(), &error);
    std::ifstream f(path, std::ios::ate | std::ios::binary);
    std::printf("file: %lld bytes for %llu ticks = %.0f bytes/tick\n", static_cast<long long>(f.tellg()),
                static_cast<unsigned long long>(ticks), double(f.tellg()) / double(ticks));
    ::unlink(path.c_str());
    return 0;
}
