// A recording opened while another program rewrites it in place (py-perf does: open(path, "w"))
// must fail with a clear error, never kill the app with SIGBUS, and never pass off a mix of two
// versions as the recording.
#include <atomic>
#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/format/filebytes.h"
#include "core/format/recordingio.h"
#include "formattestutil.h"

using namespace loadline;
using core::detail::FileBytes;

namespace {

void writeFile(const std::string& path, const std::string& text) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(std::fwrite(text.data(), 1, text.size(), f), text.size());
    std::fclose(f);
}

/** A valid timeline of about 16 MB: the loader reports progress every 8 MB. */
std::string bigTimeline() {
    std::string s = "{\n  \"system\": [\n";
    const int n = 150000;
    char row[200];
    for (int i = 0; i < n; ++i) {
        std::snprintf(row, sizeof row,
                      "    {\"timestamp\": %d.5, \"cpu_percent\": 12.5, \"memory_percent\": 40.25, "
                      "\"memory_available_mb\": 2048.0}%s\n",
                      1700000000 + i, i + 1 < n ? "," : "");
        s += row;
    }
    s += "  ],\n  \"processes\": {},\n  \"metadata\": {\"sample_interval\": 1.0}\n}\n";
    return s;
}

}  // namespace

TEST(FileBytes, AFileShrunkUnderTheMappingReadsZerosAndIsReportedChanged) {
    test::TempDir dir;
    const std::string path = dir.path + "/shrinks.json";
    writeFile(path, std::string(256 * 1024, 'x'));
    FileBytes file;
    std::string what;
    ASSERT_TRUE(core::succeeded(file.open(path), &what)) << what;
    EXPECT_FALSE(file.changedSinceOpen());
    ASSERT_EQ(::truncate(path.c_str(), 4096), 0);
    // Without the guard, reading past the new end is a SIGBUS that ends this test binary.
    const std::string_view bytes = file.bytes();
    ASSERT_EQ(bytes.size(), 256u * 1024);
    std::size_t xs = 0, zeros = 0;
    for (char c : bytes) (c == 'x' ? xs : zeros) += (c == 'x' || c == '\0') ? 1 : 0;
    EXPECT_EQ(xs, 4096u);
    EXPECT_EQ(zeros, 256u * 1024 - 4096);
    EXPECT_TRUE(file.changedSinceOpen());
}

TEST(FileBytes, AnAppendIsSeenAndAReplaceByRenameIsNot) {
    test::TempDir dir;
    const std::string path = dir.path + "/grows.json";
    writeFile(path, std::string(10000, 'a'));
    {
        FileBytes file;
        std::string what;
        ASSERT_TRUE(core::succeeded(file.open(path), &what)) << what;
        std::FILE* f = std::fopen(path.c_str(), "ab");
        ASSERT_NE(f, nullptr);
        std::fputs("more", f);
        std::fclose(f);
        EXPECT_TRUE(file.changedSinceOpen());
    }
    {
        FileBytes file;
        std::string what;
        ASSERT_TRUE(core::succeeded(file.open(path), &what)) << what;
        writeFile(path + ".tmp", "{}");
        std::filesystem::rename(path + ".tmp", path);  // as our atomic saves do
        EXPECT_FALSE(file.changedSinceOpen());
        EXPECT_EQ(file.bytes().substr(0, 3), "aaa");  // still the opened version
    }
}

TEST(FileBytes, ASigbusOutsideTheGuardedMappingsStillEndsTheProcess) {
    test::TempDir dir;
    const std::string guarded = dir.path + "/guarded.json", other = dir.path + "/other.bin";
    writeFile(guarded, std::string(8192, 'g'));
    writeFile(other, std::string(65536, 'o'));
    EXPECT_EXIT(
        {
            FileBytes file;  // installs the handler and guards its own mapping only
            if (!file.open(guarded)) ::_exit(3);
            const int fd = ::open(other.c_str(), O_RDONLY);
            auto* p = static_cast<const volatile char*>(::mmap(nullptr, 65536, PROT_READ, MAP_PRIVATE, fd, 0));
            if (p == MAP_FAILED || ::truncate(other.c_str(), 0) != 0) ::_exit(4);
            (void)p[32768];
            ::_exit(0);
        },
        ::testing::KilledBySignal(SIGBUS), "");
}

TEST(FileBytes, ARecordingRewrittenInPlaceWhileLoadingIsAClearError) {
    test::TempDir dir;
    const std::string path = dir.path + "/rewritten.json";
    const std::string text = bigTimeline();
    ASSERT_GT(text.size(), 12u << 20);
    writeFile(path, text);
    ASSERT_TRUE(core::loadRecordingFile(path)) << "the untouched file loads";

    // At the first progress report (8 MB in), truncate the file as open(path, "w") does.
    core::LoadOptions options;
    bool truncated = false;
    options.progress = [&](double fraction) {
        if (!truncated && fraction < 1.0) truncated = ::truncate(path.c_str(), 0) == 0;
        return true;
    };
    const core::LoadResult r = core::loadRecordingFile(path, options);
    ASSERT_TRUE(truncated);
    EXPECT_FALSE(r);
    ASSERT_TRUE(!r.has_value());
    EXPECT_EQ(r.error().path, path);
    EXPECT_NE(r.error().message.find("changed while it was being read"), std::string::npos) << r.error().message;

    // Rewritten to the same length in place (new bytes past the truncation): still refused,
    // not loaded as a mix of the two versions.
    writeFile(path, text);
    bool rewritten = false;
    options.progress = [&](double fraction) {
        if (!rewritten && fraction < 1.0) {
            std::string other = text;
            for (std::size_t i = other.find("12.5"); i != std::string::npos; i = other.find("12.5", i + 1))
                other[i] = '9';
            std::FILE* f = std::fopen(path.c_str(), "r+b");
            rewritten = f && std::fwrite(other.data(), 1, other.size(), f) == other.size();
            if (f) std::fclose(f);
        }
        return true;
    };
    const core::LoadResult r2 = core::loadRecordingFile(path, options);
    ASSERT_TRUE(rewritten);
    EXPECT_FALSE(r2);
    ASSERT_TRUE(!r2.has_value());
    EXPECT_NE(r2.error().message.find("changed while it was being read"), std::string::npos) << r2.error().message;
}

// A stream without end (/dev/zero) used to be read whole before parsing: memory until the
// process died. Devices, FIFOs and sockets are refused up front (a FIFO without a writer blocked
// open() for ever). Run in a child with a memory cap and an alarm, so that a regression fails
// this test instead of the machine.
TEST(FileBytes, SpecialFilesAreRefusedUpFront) {
    EXPECT_EXIT(
        {
            rlimit cap{};
            cap.rlim_cur = cap.rlim_max = rlim_t(1) << 31;
            ::setrlimit(RLIMIT_AS, &cap);
            ::alarm(30);
            char dir[] = "/tmp/loadline-fifo-XXXXXX";
            if (!::mkdtemp(dir)) ::_exit(3);
            const std::string fifo = std::string(dir) + "/pipe";
            if (::mkfifo(fifo.c_str(), 0600) != 0) ::_exit(4);
            bool ok = true;
            for (const std::string& path : {std::string("/dev/zero"), fifo}) {
                const core::LoadResult r = core::loadRecordingFile(path);  // never blocks
                ok = ok && !r && !r.has_value() && r.error().message.find("not a regular file") != std::string::npos;
                if (!r.has_value()) std::fprintf(stderr, "%s\n", r.error().toString().c_str());
            }
            ::unlink(fifo.c_str());
            ::rmdir(dir);
            ::_exit(ok ? 0 : 1);
        },
        ::testing::ExitedWithCode(0), "");
}

namespace loadline::test {

// {"timestamp":1,"x":[0,...100000 times]} took 28 s of CPU (a linear column lookup per element);
// a 209 KB file of 10,000 keys each in its own sample took 1.07 GB (800 MB of missing values).
// The first loads at once; the second holds its 10,000 values, not 100 million NaNs.
TEST(FileBytes, ManyColumnsLoadInLinearTimeAndMemoryFollowsTheValuesPresent) {
    std::string wide = R"({"system": [{"timestamp": 1, "x": [)";
    for (int i = 0; i < 100000; ++i) wide += i ? ",0" : "0";
    wide += "]}], \"processes\": {}, \"metadata\": {}}";
    const core::LoadResult r = core::loadRecordingFromString(wide, "wide.json");
    ASSERT_TRUE(r) << (!r.has_value() ? r.error().toString() : "");
    EXPECT_EQ(r->timeline.system.columnCount(), 100000);  // x[0] … x[99999]

    std::string sparse = R"({"system": [)";
    for (int i = 0; i < 10000; ++i)
        sparse += (i ? "," : "") + std::string(R"({"timestamp": )") + std::to_string(i) + R"(, "k)" +
                  std::to_string(i) + R"(": 1})";
    sparse += R"(], "processes": {}, "metadata": {}})";
    const core::LoadResult s = core::loadRecordingFromString(sparse, "sparse.json");
    ASSERT_TRUE(s) << (!s.has_value() ? s.error().toString() : "");
    const core::SeriesTable& sys = s->timeline.system;
    ASSERT_EQ(sys.size(), 10000u);
    ASSERT_EQ(sys.columnCount(), 10000);
    // Storage: a few doubles per value present, not one per column and sample.
    EXPECT_LE(sys.storedCells(), 4u * 10000u);
    EXPECT_EQ(sys.value("k1234", 1234), 1.0);
    EXPECT_TRUE(core::isMissing(sys.value("k1234", 1235)));
    EXPECT_TRUE(core::isMissing(sys.value("k1234", 9999)));
}

// LoadOptions::cancel stops the parser at the next sample, however small the file (the progress
// callback alone is called only every 8 MB).
TEST(FileBytes, TheCancelFlagStopsTheLoad) {
    std::string json = R"({"system": [)";
    for (int i = 0; i < 1000; ++i) json += (i ? "," : "") + std::string(R"({"timestamp": )") + std::to_string(i) + "}";
    json += R"(], "processes": {}, "metadata": {}})";
    std::atomic_bool cancel{true};
    core::LoadOptions options;
    options.cancel = &cancel;
    const core::LoadResult r = core::loadRecordingFromString(json, "small.json", options);
    EXPECT_FALSE(r);
    EXPECT_TRUE((!r && r.error().kind == loadline::core::ErrorKind::Cancelled));
    cancel = false;
    EXPECT_TRUE(core::loadRecordingFromString(json, "small.json", options));
}

}  // namespace loadline::test
