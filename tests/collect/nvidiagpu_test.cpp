// The NVIDIA collector's real path (dlopen, symbols, init, per-device reads, shutdown) against
// a stand-in library with NVML's ABI (fakenvml.cpp): no GPU is needed to test it. What a real
// driver returns is checked on a GPU machine with bench/collect/gpu_check.sh.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <dlfcn.h>

#include "core/collect/gpu.h"
#include "core/collect/systemcollector.h"

using namespace loadline::core;

namespace {
const char* kFake = LOADLINE_FAKE_NVML;
}

TEST(NvidiaGpus, LoadsTheLibraryAndReadsEveryDevice) {
    NvidiaGpus gpus(kFake);
    ASSERT_TRUE(gpus.available()) << gpus.status();
    EXPECT_EQ(gpus.count(), 2);
    EXPECT_EQ(gpus.status(), "ok");
    std::vector<GpuSample> s(3);
    gpus.sample(s, 1);  // after one other GPU
    EXPECT_EQ(s[1].index, 1);
    EXPECT_EQ(s[1].vendor, "nvidia");
    EXPECT_EQ(s[1].name, "Fake H200");
    EXPECT_EQ(s[2].name, "Fake L4");
    EXPECT_EQ(s[1].memoryTotalBytes, double(150ull << 30));
    EXPECT_EQ(s[1].memoryUsedBytes, double(3ull << 30));
    EXPECT_EQ(s[2].memoryTotalBytes, double(24ull << 30));
    EXPECT_EQ(s[1].temperatureC, 41);
    EXPECT_TRUE(std::isnan(s[2].temperatureC));  // no sensor: missing, not 0
    const double first = s[1].utilizationPercent;
    gpus.sample(s, 1);
    EXPECT_EQ(s[1].utilizationPercent, first + 2);  // live values, one read per device per sample
    EXPECT_EQ(s[0].vendor, "");                     // the slot before is not touched
}

TEST(NvidiaGpus, ShutsNvmlDownWhenDestroyed) {
    void* lib = ::dlopen(kFake, RTLD_NOW | RTLD_LOCAL);  // the same instance the collector loads
    ASSERT_TRUE(lib);
    auto count = reinterpret_cast<int (*)()>(::dlsym(lib, "fakeNvmlShutdownCount"));
    ASSERT_TRUE(count);
    const int before = count();
    { NvidiaGpus gpus(kFake); }
    EXPECT_EQ(count(), before + 1);
    ::dlclose(lib);
}

TEST(NvidiaGpus, AbsentCleanlyWithoutDriverLibraryOrSymbols) {
    ::setenv("FAKE_NVML_INIT_FAIL", "1", 1);
    NvidiaGpus noDriver(kFake);
    ::unsetenv("FAKE_NVML_INIT_FAIL");
    EXPECT_EQ(noDriver.count(), 0);
    EXPECT_NE(noDriver.status().find("nvmlInit_v2 failed"), std::string::npos) << noDriver.status();

    NvidiaGpus noLibrary("libnvidia-ml-that-does-not-exist.so.1");
    EXPECT_EQ(noLibrary.count(), 0);
    EXPECT_NE(noLibrary.status().find("cannot open"), std::string::npos) << noLibrary.status();

    NvidiaGpus wrongLibrary("libm.so.6");
    EXPECT_EQ(wrongLibrary.count(), 0);
    EXPECT_NE(wrongLibrary.status().find("missing NVML symbols"), std::string::npos) << wrongLibrary.status();
}

TEST(NvidiaGpus, SystemSamplesCarryTheGpus) {
    SystemCollectorOptions o;
    o.disk = o.network = o.sensors = false;
    o.nvmlLibrary = kFake;
    SystemCollector c({}, o);
    SystemSample s;
    Status collected = c.collect(s);
    ASSERT_TRUE(collected) << collected.error().toString();
    ASSERT_GE(s.gpus.size(), 2u);  // and any AMD card of this machine after them
    EXPECT_EQ(s.gpus[0].name, "Fake H200");
    EXPECT_EQ(s.gpus[1].index, 1);
}
