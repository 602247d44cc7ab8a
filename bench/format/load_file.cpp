// Times loadline's loader on one file and reports what it read and the peak memory of this
// process (getrusage), for compare_python.sh.
//
//   loadline_load_file FILE
#include <sys/resource.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>

#include "core/format/recordingio.h"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "Usage: %s FILE\n", argv[0]);
        return 2;
    }
    const auto start = std::chrono::steady_clock::now();
    auto result = loadline::core::loadRecordingFile(argv[1]);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!result) {
        std::fprintf(stderr, "%s\n", result.error().toString().c_str());
        return 2;
    }
    const auto& tl = result->timeline;
    std::size_t processSamples = 0;
    for (const auto& [pid, series] : tl.processes) processSamples += series.samples.size();
    struct rusage ru {};
    ::getrusage(RUSAGE_SELF, &ru);
    struct stat st {};
    ::stat(argv[1], &st);
    std::printf("loaded %zu system samples, %zu processes (%zu samples) in %.3f s; %.0f MB/s; peak RSS %.0f MB\n",
                tl.system.size(), tl.processes.size(), processSamples, seconds,
                static_cast<double>(st.st_size) / 1e6 / seconds, static_cast<double>(ru.ru_maxrss) / 1024.0);
    return 0;
}
