// The contention columns end to end: `loadline-cli record` writes them (where this kernel has the
// sources), `snapshot --json` reports them, and a bad --cgroup is a usage error that leaves the
// output file alone.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/collect/contention.h"
#include "core/format/recordingio.h"
#include "core/sampler/contentioncolumns.h"

using namespace loadline::core;
namespace fs = std::filesystem;

namespace {

const std::string kCli = std::string(LOADLINE_BIN_DIR) + "/loadline-cli";

std::string tempPath(const std::string& name) {
    return (fs::temp_directory_path() / ("loadline-contention-" + std::to_string(::getpid()) + "-" + name)).string();
}

std::string run(const std::string& cmd, int* rc = nullptr) {
    std::string out;
    FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    const int status = ::pclose(p);
    if (rc) *rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

bool exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

}  // namespace

TEST(ContentionRecord, RecordWritesTheColumnsThisKernelHas) {
    const std::string out = tempPath("rec.json");
    const bool cgroup2 = !cgroup2MountPoint({}).empty();
    int rc = 0;
    const std::string log =
        run(kCli + " record -o " + out + " --samples 4 --interval 0.4 --self" + (cgroup2 ? " --cgroup /" : ""), &rc);
    ASSERT_EQ(rc, 0) << log;
    auto loaded = loadRecordingFile(out);
    ASSERT_TRUE(loaded) << loaded.error().toString();
    const Timeline& t = loaded->timeline;
    ASSERT_EQ(t.system.size(), 4u);
    const int psi = t.system.columnIndex(col::kPressureCpuSomePercent);
    if (exists("/proc/pressure/cpu")) {
        ASSERT_GE(psi, 0) << "PSI is readable here but not recorded";
        for (std::size_t r = 0; r < 4; ++r) {
            EXPECT_GE(t.system.value(psi, r), 0.0);
            EXPECT_LE(t.system.value(psi, r), 100.0);
        }
        EXPECT_GE(t.system.columnIndex(col::kPressureIoSomePercent), 0);
    } else {
        EXPECT_LT(psi, 0) << "no /proc/pressure here: the column must be absent, not zeros";
    }
    EXPECT_EQ(t.system.columnIndex(col::kCgroupCpuPercent) >= 0, cgroup2);
    ASSERT_EQ(t.processes.size(), 1u);
    const SeriesTable& self = t.processes.begin()->second.samples;
    const int wait = self.columnIndex(col::kRunQueueWaitPercent);
    if (exists("/proc/self/schedstat")) {
        ASSERT_GE(wait, 0);
        EXPECT_GE(self.value(wait, self.size() - 1), 0.0);
    } else {
        EXPECT_LT(wait, 0);
    }
    EXPECT_GE(self.columnIndex(col::kNonvoluntarySwitchesPerS), 0);  // status is read once a second: 1.6 s
    fs::remove(out);
}

TEST(ContentionRecord, BadCgroupIsAUsageErrorAndWritesNothing) {
    const std::string out = tempPath("bad.json");
    fs::remove(out);
    int rc = 0;
    const std::string log = run(kCli + " record -o " + out + " --samples 2 --cgroup /no-such-loadline.slice", &rc);
    EXPECT_EQ(rc, 2) << log;
    EXPECT_NE(log.find("no-such-loadline.slice"), std::string::npos) << log;
    EXPECT_FALSE(exists(out));
}

TEST(ContentionRecord, SnapshotJsonHasPressureWhereTheKernelHasIt) {
    int rc = 0;
    const std::string text = run(kCli + " snapshot --json --top 0 --window 0.05", &rc);
    ASSERT_EQ(rc, 0) << text;
    const auto j = nlohmann::json::parse(text, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << text;
    EXPECT_EQ(j["schema_version"], 1);  // docs/json.md
    if (exists("/proc/pressure/cpu")) {
        ASSERT_TRUE(j.contains("pressure")) << text;
        EXPECT_TRUE(j["pressure"]["cpu"]["some_total_seconds"].is_number());
        EXPECT_FALSE(j["pressure"]["cpu"].contains("full_percent"));  // undefined system-wide
        EXPECT_TRUE(j["pressure"]["memory"]["full_percent"].is_number());
    } else {
        EXPECT_FALSE(j.contains("pressure"));
    }
}
