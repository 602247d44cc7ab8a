// `loadline-cli record` / `convert` never lose a recording: two writers of one store (a .llrec
// output and the journal of a JSON one, a symbolic link and its target, convert over a live store)
// exclude each other; the journal of a killed run is never replaced; a pipe or FIFO gets one JSON
// document; convert never overwrites a file that is not a store; a full disk says how to recover.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "core/format/recordingio.h"

namespace fs = std::filesystem;
using namespace loadline::core;

namespace {

const std::string kCli = std::string(LOADLINE_BIN_DIR) + "/loadline-cli";

/** A fresh directory for one test, removed at the end. */
struct Dir {
    std::string path;
    Dir() {
        path = (fs::temp_directory_path() / ("loadline-recsafe-" + std::to_string(::getpid()) + "-" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                   .string();
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~Dir() { fs::remove_all(path); }
    std::string operator/(const std::string& name) const { return path + "/" + name; }
};

std::string run(const std::string& cmd, int* rc = nullptr) {
    std::string out;
    FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    const int status = ::pclose(p);
    if (rc) *rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

/** `loadline-cli record -o OUT --interval 0.05` in the background (until SIGTERM). */
pid_t spawnRecord(const std::string& out) {
    std::vector<std::string> args = {kCli, "record", "-o", out, "--interval", "0.05", "--checkpoint", "0.1", "--self"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        std::freopen("/dev/null", "w", stderr);
        ::execv(kCli.c_str(), argv.data());
        ::_exit(127);
    }
    return pid;
}

/** Samples committed in a store (0 while it cannot be read). */
std::size_t committed(const std::string& store) {
    if (!fs::exists(store)) return 0;
    LoadResult r = loadRecordingFile(store);
    return r ? r->timeline.system.size() : 0;
}

/** Waits until the store holds at least n samples (the bound only keeps a broken build from hanging). */
std::size_t waitForSamples(const std::string& store, std::size_t n) {
    std::size_t have = 0;
    for (int i = 0; i < 1200 && (have = committed(store)) < n; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return have;
}

int stop(pid_t pid, int sig = SIGTERM) {
    ::kill(pid, sig);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeText(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

const char* kEarlier = "{\"system\": [], \"processes\": {}, \"metadata\": {\"earlier\": true}}\n";

}  // namespace

// `-o k.llrec` and `-o k` (journal k.llrec), `-o k.json` and `-o k.json.llrec`: one store, one
// writer. convert over a live store is refused too. The first recording survives whole.
TEST(StoreRecordSafety, AStoreAndAJournalOfTheSameNameExcludeEachOther) {
    Dir d;
    const pid_t first = spawnRecord(d / "k.llrec");
    ASSERT_GE(waitForSamples(d / "k.llrec", 2), 2u);
    const std::string pid = "PID " + std::to_string(first) + ")";
    int rc = -1;
    std::string log = run(kCli + " record -o " + (d / "k") + " --samples 3 --interval 0.05", &rc);
    EXPECT_EQ(rc, 1) << log;
    EXPECT_NE(log.find(pid), std::string::npos) << log;
    log = run(
        kCli + " convert " + std::string(LOADLINE_TEST_DATA) + "/pyperf/timeline_trainer.json -o " + (d / "k.llrec"),
        &rc);
    EXPECT_NE(rc, 0) << log;
    EXPECT_NE(log.find(pid), std::string::npos) << log;
    EXPECT_EQ(stop(first), 0);
    LoadResult store = loadRecordingFile(d / "k.llrec");
    ASSERT_TRUE(store) << "the first recorder's store was lost";
    EXPECT_GE(store->timeline.system.size(), 2u);
    EXPECT_TRUE(store->warnings.empty()) << store->warnings.front();
    EXPECT_FALSE(fs::exists(d / "k")) << "the refused recorder wrote its JSON";

    const pid_t json = spawnRecord(d / "k.json");
    ASSERT_GE(waitForSamples(d / "k.json.llrec", 2), 2u);
    log = run(kCli + " record -o " + (d / "k.json.llrec") + " --samples 3 --interval 0.05", &rc);
    EXPECT_EQ(rc, 1) << log;
    EXPECT_NE(log.find("PID " + std::to_string(json) + ")"), std::string::npos) << log;
    log = run(kCli + " convert " + (d / "k.llrec") + " -o " + (d / "k.json.llrec"), &rc);
    EXPECT_NE(rc, 0) << log;
    const std::size_t before = committed(d / "k.json.llrec");
    EXPECT_EQ(stop(json), 0);
    LoadResult saved = loadRecordingFile(d / "k.json");
    ASSERT_TRUE(saved);
    EXPECT_GE(saved->timeline.system.size(), before);
}

// A symbolic link to the output (here to a file not written yet) is the same output; the JSON
// being recorded keeps its earlier version until the end, and reading it says where the samples are.
TEST(StoreRecordSafety, ASymlinkToARecordedFileIsRefusedAndReadersAreTold) {
    Dir d;
    writeText(d / "rj.json", kEarlier);
    ASSERT_EQ(::symlink("rj.json", (d / "lj.json").c_str()), 0);
    const pid_t first = spawnRecord(d / "rj.json");
    ASSERT_GE(waitForSamples(d / "rj.json.llrec", 2), 2u);
    EXPECT_EQ(readText(d / "rj.json"), kEarlier) << "the earlier file was replaced at the start";
    int rc = -1;
    std::string log = run(kCli + " record -o " + (d / "lj.json") + " --samples 3 --interval 0.05", &rc);
    EXPECT_EQ(rc, 1) << log;
    EXPECT_NE(log.find("PID " + std::to_string(first) + ")"), std::string::npos) << log;
    log = run(kCli + " inspect " + (d / "lj.json"), &rc);
    EXPECT_EQ(rc, 0) << log;
    EXPECT_NE(log.find("being recorded"), std::string::npos) << log;
    EXPECT_NE(log.find("rj.json.llrec"), std::string::npos) << log;
    EXPECT_EQ(stop(first), 0);
    struct stat st {};
    ASSERT_EQ(::lstat((d / "lj.json").c_str(), &st), 0);
    EXPECT_TRUE(S_ISLNK(st.st_mode));
    LoadResult saved = loadRecordingFile(d / "lj.json");
    ASSERT_TRUE(saved);
    EXPECT_GE(saved->timeline.system.size(), 2u);
    EXPECT_TRUE(saved->warnings.empty()) << saved->warnings.front();
}

// After kill -9 the journal is the only copy of the run: the next `record -o` the same file
// refuses to start and says how to recover it.
TEST(StoreRecordSafety, TheJournalOfAKilledRunIsNeverReplaced) {
    Dir d;
    writeText(d / "j.json", kEarlier);
    const pid_t first = spawnRecord(d / "j.json");
    ASSERT_GE(waitForSamples(d / "j.json.llrec", 3), 3u);
    stop(first, SIGKILL);
    const std::size_t kept = committed(d / "j.json.llrec");
    ASSERT_GE(kept, 3u);
    EXPECT_EQ(readText(d / "j.json"), kEarlier);
    int rc = -1;
    const std::string log = run(kCli + " record -o " + (d / "j.json") + " --samples 2 --interval 0.05", &rc);
    EXPECT_EQ(rc, 2) << log;
    EXPECT_NE(log.find("a journal from an earlier recording"), std::string::npos) << log;
    EXPECT_NE(log.find("loadline-cli convert " + (d / "j.json.llrec") + " -o " + (d / "j.json")), std::string::npos)
        << log;
    EXPECT_EQ(committed(d / "j.json.llrec"), kept);
    EXPECT_EQ(readText(d / "j.json"), kEarlier);
}

// `record -o k` journals in k.llrec: a finished recording of that name (the user's own
// `record -o k.llrec`) or a file that is no store is left alone, and the message says which it is
// (not "a journal from an earlier recording").
TEST(StoreRecordSafety, AFinishedStoreOrAnotherFileInTheJournalsNameIsNamedForWhatItIs) {
    Dir d;
    int rc = -1;
    std::string log = run(kCli + " record -o " + (d / "k.llrec") + " --samples 3 --interval 0.05", &rc);
    ASSERT_EQ(rc, 0) << log;
    const std::size_t kept = committed(d / "k.llrec");
    ASSERT_EQ(kept, 3u);
    log = run(kCli + " record -o " + (d / "k") + " --samples 2 --interval 0.05", &rc);
    EXPECT_EQ(rc, 2) << log;
    EXPECT_NE(log.find("a finished recording is there"), std::string::npos) << log;
    EXPECT_EQ(log.find("a journal from an earlier recording"), std::string::npos) << log;
    EXPECT_EQ(committed(d / "k.llrec"), kept);
    EXPECT_FALSE(fs::exists(d / "k"));
    writeText(d / "m.llrec", "notes, not a store\n");
    log = run(kCli + " record -o " + (d / "m") + " --samples 2 --interval 0.05", &rc);
    EXPECT_EQ(rc, 2) << log;
    EXPECT_NE(log.find("is not a loadline store"), std::string::npos) << log;
    EXPECT_EQ(readText(d / "m.llrec"), "notes, not a store\n");
}

// A recording to standard output killed before it finished leaves its journal in
// $XDG_STATE_HOME/loadline/: the next such recording names it and the command that recovers it;
// a journal whose recorder still runs (its lock held) is not named.
TEST(StoreRecordSafety, AJournalLeftByAKilledPipeRecordingIsMentionedNextTime) {
    Dir d;
    const std::string state = d / "state";
    ::setenv("XDG_STATE_HOME", state.c_str(), 1);
    std::vector<std::string> args = {kCli, "record", "-o", "-", "--interval", "0.05"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t first = ::fork();
    if (first == 0) {
        std::freopen("/dev/null", "w", stdout);
        std::freopen("/dev/null", "w", stderr);
        ::execv(kCli.c_str(), argv.data());
        ::_exit(127);
    }
    ::unsetenv("XDG_STATE_HOME");
    std::string left;
    for (int i = 0; i < 600 && left.empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (fs::exists(state + "/loadline"))
            for (const auto& e : fs::directory_iterator(state + "/loadline"))
                if (e.path().extension() == ".llrec" && committed(e.path().string()) >= 2) left = e.path().string();
    }
    ASSERT_FALSE(left.empty());
    const std::string env = "XDG_STATE_HOME=" + state + " ";
    int rc = -1;
    std::string log = run("{ " + env + kCli + " record -o - --samples 1 --interval 0.05 >/dev/null; }", &rc);
    EXPECT_EQ(rc, 0) << log;
    EXPECT_EQ(log.find(left), std::string::npos) << "a running recorder's journal is not left over: " << log;
    stop(first, SIGKILL);
    log = run("{ " + env + kCli + " record -o - --samples 1 --interval 0.05 >/dev/null; }", &rc);
    EXPECT_EQ(rc, 0) << log;
    EXPECT_NE(log.find(left + " is the journal of an earlier recording"), std::string::npos) << log;
    EXPECT_NE(log.find("loadline-cli convert " + left + " -o FILE.json"), std::string::npos) << log;
}

// Standard output through /dev/stdout, a FIFO and a symlink to /dev/stdout: one JSON document,
// the link stays a link, and the journal goes to $XDG_STATE_HOME/loadline/ (removed at the end).
TEST(StoreRecordSafety, PipesAndFifosGetOneDocument) {
    Dir d;
    const std::string env = "XDG_STATE_HOME=" + (d / "state") + " ";
    const std::string check = std::string(" | ") + LOADLINE_SYSTEM_PYTHON +
                              " -c 'import json,sys; print(\"samples\", len(json.load(sys.stdin)[\"system\"]))'";
    int rc = -1;
    std::string log = run(env + kCli + " record -o /dev/stdout --samples 2 --interval 0.05" + check, &rc);
    EXPECT_EQ(rc, 0) << log;
    EXPECT_NE(log.find("samples 2"), std::string::npos) << log;
    ASSERT_EQ(::symlink("/dev/stdout", (d / "so.json").c_str()), 0);
    log = run(env + kCli + " record -o " + (d / "so.json") + " --samples 2 --interval 0.05" + check, &rc);
    EXPECT_EQ(rc, 0) << log;
    EXPECT_NE(log.find("samples 2"), std::string::npos) << log;
    struct stat st {};
    ASSERT_EQ(::lstat((d / "so.json").c_str(), &st), 0);
    EXPECT_TRUE(S_ISLNK(st.st_mode)) << "the link to /dev/stdout was replaced";
    ASSERT_EQ(::mkfifo((d / "ff").c_str(), 0600), 0);
    log = run("cat " + (d / "ff") + check + " & " + env + kCli + " record -o " + (d / "ff") +
                  " --samples 3 --interval 0.05; wait",
              &rc);
    EXPECT_EQ(rc, 0) << log;
    EXPECT_NE(log.find("samples 3"), std::string::npos) << log;
    for (const char* name : {"/dev/stdout.llrec", "/dev/stdout.llrec-wal"}) EXPECT_FALSE(fs::exists(name)) << name;
    EXPECT_FALSE(fs::exists(d / "ff.llrec"));
    EXPECT_FALSE(fs::exists(d / "so.json.llrec"));
    EXPECT_TRUE(fs::is_empty(d / "state/loadline")) << "a journal was left behind";
}

// convert -o NAME.llrec refuses a file that is not a store, as record does; --keep-store with a
// store output is a usage error; a symlinked .llrec output is followed (the link stays).
TEST(StoreRecordSafety, ConvertNeverOverwritesAFileThatIsNotAStore) {
    Dir d;
    writeText(d / "notes.llrec", "important\n");
    int rc = -1;
    std::string log = run(kCli + " convert " + std::string(LOADLINE_TEST_DATA) + "/pyperf/timeline_trainer.json -o " +
                              (d / "notes.llrec"),
                          &rc);
    EXPECT_EQ(rc, 1) << log;
    EXPECT_NE(log.find("exists and is not a .llrec store (refusing to overwrite it)"), std::string::npos) << log;
    EXPECT_EQ(readText(d / "notes.llrec"), "important\n");

    log = run(kCli + " record -o " + (d / "s.llrec") + " --keep-store --samples 1", &rc);
    EXPECT_EQ(rc, 2) << log;
    EXPECT_NE(log.find("--keep-store"), std::string::npos) << log;
    EXPECT_FALSE(fs::exists(d / "s.llrec"));

    ASSERT_EQ(::symlink("real.llrec", (d / "link.llrec").c_str()), 0);
    log = run(kCli + " record -o " + (d / "link.llrec") + " --samples 2 --interval 0.05", &rc);
    EXPECT_EQ(rc, 0) << log;
    struct stat st {};
    ASSERT_EQ(::lstat((d / "link.llrec").c_str(), &st), 0);
    EXPECT_TRUE(S_ISLNK(st.st_mode)) << "the link was replaced by a regular file";
    EXPECT_EQ(committed(d / "real.llrec"), 2u);
}

// A file size limit (as a full disk would) stops the journal and the JSON: the messages say how
// many samples the journal holds and the command that turns it into the JSON, which works.
TEST(StoreRecordSafety, AFullDiskSaysWhatTheJournalHolds) {
    Dir d;
    int rc = -1;
    // Full before the first commit: the empty journal goes, so it does not block the next run.
    std::string first = run("bash -c \"trap '' XFSZ; ulimit -f 24; " + kCli + " record -o " + (d / "f.json") +
                                " --samples 5 --interval 0.01 --self\"",
                            &rc);
    EXPECT_EQ(rc, 1) << first;
    EXPECT_FALSE(fs::exists(d / "f.json.llrec")) << first;
    EXPECT_FALSE(fs::exists(d / "f.json"));
    const std::string log = run("bash -c \"trap '' XFSZ; ulimit -f 44; " + kCli + " record -o " + (d / "f.json") +
                                    " --samples 100 --interval 0.01 --checkpoint 0.05 --self\"",
                                &rc);
    EXPECT_EQ(rc, 1) << log;
    std::smatch m;
    const std::string convert = "`loadline-cli convert " + (d / "f.json.llrec") + " -o " + (d / "f.json") + "`";
    ASSERT_TRUE(std::regex_search(log, m, std::regex("holds ([0-9]+) samples|: ([0-9]+) samples; "))) << log;
    EXPECT_NE(log.find(convert), std::string::npos) << log;
    const std::size_t n = std::stoul(m[1].matched ? m[1].str() : m[2].str());
    EXPECT_GT(n, 0u) << log;
    EXPECT_EQ(committed(d / "f.json.llrec"), n);
}
