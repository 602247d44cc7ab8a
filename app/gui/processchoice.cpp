#include "app/gui/processchoice.h"

namespace loadline::app {

int chooseHighlightedPid(const core::Timeline* timeline, int current, const QList<int>& tracked) {
    if (!timeline) return -1;
    const auto& processes = timeline->processes;
    if (current >= 0 && processes.count(current)) return current;
    for (int pid : tracked)
        if (pid >= 0 && processes.count(pid)) return pid;
    int pid = -1;
    std::size_t most = 0;
    for (const auto& [p, series] : processes)  // in PID order: the first of equals wins
        if (pid < 0 || series.samples.size() > most) {
            pid = p;
            most = series.samples.size();
        }
    return pid;
}

QString processChoiceLabel(int pid, const core::ProcessSeries& series) {
    const std::string_view name = series.latestText(core::col::kName);
    if (name.empty()) return QString::number(pid);
    return QStringLiteral("%1  %2").arg(pid).arg(QString::fromUtf8(name.data(), static_cast<int>(name.size())));
}

}  // namespace loadline::app
