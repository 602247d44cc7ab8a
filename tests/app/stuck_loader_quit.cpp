// A desktop process that quits while its recording loader's worker is stuck (blocked for ever,
// as a read from a hung network file system would be, deaf to its cancellation flag). Run by
// tst_mainwindow, which expects it to print "quit" and exit 0 rather than hang.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include <QApplication>
#include <QTimer>

#include "app/gui/recordingloader.h"

namespace {
std::atomic_bool g_entered{false};
}

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    loadline::app::RecordingLoader loader(nullptr, [](const std::string&, const loadline::core::LoadOptions&) {
        g_entered = true;
        for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
        return loadline::core::LoadResult{};
    });
    loader.load(QStringLiteral("stuck.json"));
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &app, [&] {
        if (g_entered) QApplication::quit();  // File → Quit once the worker is stuck
    });
    poll.start(10);
    const int code = app.exec();
    std::puts("quit");
    std::fflush(stdout);
    return code;
}
