// Atomic saves: the old file survives every failure, and no temp file is left behind.
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <thread>
#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "core/format/outputlock.h"
#include "core/format/recordingio.h"
#include "formattestutil.h"

using namespace loadline;
using namespace loadline::test;
namespace fs = std::filesystem;

namespace {
std::size_t entriesIn(const std::string& dir) {
    std::size_t n = 0;
    for (auto it = fs::directory_iterator(dir); it != fs::directory_iterator(); ++it) ++n;
    return n;
}
}  // namespace

TEST(AtomicFile, WritesAndReplaces) {
    TempDir dir;
    const std::string path = dir.path + "/a.json";
    std::string error;
    ASSERT_TRUE(succeeded(core::writeFileAtomically(path, "first"), &error)) << error;
    EXPECT_EQ(readText(path), "first");
    ::chmod(path.c_str(), 0640);
    ASSERT_TRUE(succeeded(core::writeFileAtomically(path, "second"), &error)) << error;
    EXPECT_EQ(readText(path), "second");
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0640u);  // replacing keeps the permissions
    EXPECT_EQ(entriesIn(dir.path), 1u);   // no temp file left
}

TEST(AtomicFile, SavingThroughASymlinkUpdatesItsTarget) {
    TempDir dir;
    fs::create_directory(dir.path + "/data");
    const std::string target = dir.path + "/data/run.json", link = dir.path + "/latest.json";
    std::string error;
    ASSERT_TRUE(succeeded(core::writeFileAtomically(target, "old"), &error)) << error;
    fs::create_symlink("data/run.json", link);
    ASSERT_TRUE(succeeded(core::writeFileAtomically(link, "new"), &error)) << error;
    EXPECT_TRUE(fs::is_symlink(link));  // still the user's link, not a plain file in its place
    EXPECT_EQ(readText(target), "new");
    EXPECT_EQ(entriesIn(dir.path + "/data"), 1u);  // the temp file was beside the target
}

TEST(AtomicFile, MissingDirectoryFailsWithReason) {
    TempDir dir;
    const std::string path = dir.path + "/no/such/dir/a.json";
    std::string error;
    EXPECT_FALSE(succeeded(core::writeFileAtomically(path, "x"), &error));
    EXPECT_EQ(error, path + ": cannot create a temporary file to save: No such file or directory");
}

TEST(AtomicFile, DirectoryTargetFails) {
    TempDir dir;
    std::string error;
    EXPECT_FALSE(succeeded(core::writeFileAtomically(dir.path, "x"), &error));
    EXPECT_NE(error.find("Is a directory"), std::string::npos) << error;
}

// A full disk in the middle of the write (simulated with RLIMIT_FSIZE, which works as root too):
// the old file stays whole and the temp file is removed.
TEST(AtomicFile, FailedWriteLeavesOldFileUntouched) {
    TempDir dir;
    const std::string path = dir.path + "/keep.json";
    ASSERT_TRUE(core::writeFileAtomically(path, "old good content"));
    pid_t pid = ::fork();
    if (pid == 0) {
        ::signal(SIGXFSZ, SIG_IGN);
        struct rlimit lim {
            64, 64
        };
        ::setrlimit(RLIMIT_FSIZE, &lim);
        std::string error;
        bool ok = succeeded(core::writeFileAtomically(path, std::string(100000, 'x')), &error);
        ::_exit(!ok && error.find("cannot write: File too large") != std::string::npos ? 0 : 1);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "the save should fail with EFBIG";
    EXPECT_EQ(readText(path), "old good content");
    EXPECT_EQ(entriesIn(dir.path), 1u);
}

TEST(AtomicFile, ReadOnlyDirectoryFails) {
    TempDir dir;
    const std::string path = dir.path + "/a.json";
    ASSERT_TRUE(core::writeFileAtomically(path, "old"));
    ::chmod(dir.path.c_str(), 0555);
    const std::string error = asUnprivileged([&] {  // root would write into it anyway
        std::string e;
        return succeeded(core::writeFileAtomically(path, "new"), &e) ? std::string("written") : e;
    });
    EXPECT_NE(error.find("Permission denied"), std::string::npos) << error;
    EXPECT_EQ(readText(path), "old");
}

TEST(AtomicFile, ChunkedProducerWritesAllAndGivingUpKeepsOldFile) {
    TempDir dir;
    const std::string path = dir.path + "/c.json";
    std::string error;
    ASSERT_TRUE(succeeded(core::writeFileAtomically(path,
                                                    [](const std::function<bool(std::string_view)>& write) {
                                                        return write("ab") && write("") && write("cd");
                                                    }),
                          &error))
        << error;
    EXPECT_EQ(readText(path), "abcd");
    EXPECT_FALSE(succeeded(
        core::writeFileAtomically(
            path, [](const std::function<bool(std::string_view)>& write) { return write("partial") && false; }),
        &error));
    EXPECT_NE(error.find("cannot write"), std::string::npos) << error;
    EXPECT_EQ(readText(path), "abcd");
    EXPECT_EQ(entriesIn(dir.path), 1u);
}

// A FIFO (or a symlink to one, as /dev/stdout is in a pipeline) is written to, never replaced by
// a regular file; one without a reader is a clear error, not a hang.
TEST(AtomicFile, AFifoTargetIsWrittenDirectlyNotReplaced) {
    TempDir dir;
    const std::string fifo = dir.path + "/pipe";
    const std::string link = dir.path + "/out";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    ASSERT_EQ(::symlink(fifo.c_str(), link.c_str()), 0);
    std::string error;
    EXPECT_FALSE(succeeded(core::writeFileAtomically(link, "nobody reads"), &error));
    EXPECT_NE(error.find("no reader"), std::string::npos) << error;

    std::string got;
    std::thread reader([&] {
        const int fd = ::open(fifo.c_str(), O_RDONLY);
        char buf[256];
        for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) got.append(buf, static_cast<std::size_t>(n));
        ::close(fd);
    });
    bool ok = false;
    for (int i = 0; i < 200 && !ok; ++i) {  // until the reader has opened its end
        ok = succeeded(core::writeFileAtomically(link, "through the pipe"), &error);
        if (!ok) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!ok) {  // release the reader's open() so the test fails instead of hanging
        const int w = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
        if (w >= 0) ::close(w);
    }
    reader.join();
    EXPECT_TRUE(ok) << error;
    EXPECT_EQ(got, "through the pipe");
    struct stat st {};
    ASSERT_EQ(::stat(fifo.c_str(), &st), 0);
    EXPECT_TRUE(S_ISFIFO(st.st_mode));
    ASSERT_EQ(::lstat(link.c_str(), &st), 0);
    EXPECT_TRUE(S_ISLNK(st.st_mode));
    EXPECT_EQ(entriesIn(dir.path), 2u);
}

// Two recorders writing one file: the second is refused, naming the first's PID.
TEST(OutputLock, ASecondWriterIsRefusedClearly) {
    TempDir dir;
    const std::string out = dir.path + "/rec.json";
    core::OutputLock first, second;
    std::string error;
    ASSERT_TRUE(succeeded(first.acquire(out), &error)) << error;
    EXPECT_FALSE(succeeded(second.acquire(out), &error));
    EXPECT_NE(error.find("another loadline recorder (PID " + std::to_string(::getpid()) + ")"), std::string::npos)
        << error;
    first.release();
    EXPECT_TRUE(succeeded(second.acquire(out), &error)) << error;
    second.release();
    EXPECT_EQ(entriesIn(dir.path), 0u);  // the lock file goes with the lock
}

// The lock is on the file really written: a symbolic link (also one to a file not written yet)
// and its target, or two spellings of one directory, take the same lock.
TEST(OutputLock, ASymlinkAndItsTargetShareOneLock) {
    TempDir dir;
    const std::string real = dir.path + "/rj.json", link = dir.path + "/lj.json";
    ASSERT_EQ(::symlink("rj.json", link.c_str()), 0);  // dangling: rj.json is written at the end
    std::string error;
    core::Result<core::OutputTarget> resolved = core::resolveOutput(link);
    ASSERT_TRUE(succeeded(resolved, &error)) << error;
    core::OutputTarget target = *resolved;
    EXPECT_FALSE(target.special);
    EXPECT_EQ(fs::path(target.path).filename(), "rj.json");
    core::OutputLock first, second, third;
    ASSERT_TRUE(succeeded(first.acquire(real), &error)) << error;
    EXPECT_EQ(core::OutputLock::holder(link), static_cast<long>(::getpid()));
    EXPECT_FALSE(succeeded(second.acquire(link), &error));
    EXPECT_NE(error.find("another loadline recorder (PID " + std::to_string(::getpid()) + ")"), std::string::npos)
        << error;
    EXPECT_FALSE(succeeded(third.acquire(dir.path + "/./rj.json"), &error));
    first.release();
    EXPECT_EQ(core::OutputLock::holder(link), 0);
    EXPECT_TRUE(succeeded(second.acquire(link), &error)) << error;
    second.release();
    // A device (and a link to one) is written directly: nothing is created beside it.
    resolved = core::resolveOutput("/dev/null");
    ASSERT_TRUE(succeeded(resolved, &error)) << error;
    target = *resolved;
    EXPECT_TRUE(target.special);
}

TEST(OutputLock, AMissingDirectoryIsNamed) {
    std::string error;
    EXPECT_FALSE(succeeded(core::resolveOutput("/nonexistent-dir-loadline/x.json"), &error));
    EXPECT_EQ(error,
              "/nonexistent-dir-loadline/x.json: cannot write: its directory /nonexistent-dir-loadline does not exist");
    core::OutputLock lock;
    EXPECT_FALSE(succeeded(lock.acquire("/nonexistent-dir-loadline/x.json"), &error));
    EXPECT_NE(error.find("its directory /nonexistent-dir-loadline does not exist"), std::string::npos) << error;
}
