#pragma once
// Which process the chart draws as the crimson line (the tool bar's Process box) when the user
// has not picked one that is still there: the first process they track, else the one sampled
// longest (in a py-perf file, the tracked script rather than a helper that came and went).

#include <QList>
#include <QString>

#include "core/timeline/timeline.h"

namespace loadline::app {

/**
 * The process to highlight in timeline (null: nothing shown). current is kept when timeline has
 * it; else the first of tracked that timeline has; else the process with the most samples (the
 * lowest PID of those with as many); -1 when timeline has no process.
 */
int chooseHighlightedPid(const core::Timeline* timeline, int current, const QList<int>& tracked);

/** The Process box's line for a process: "PID  name", or the PID alone when no name was sampled. */
QString processChoiceLabel(int pid, const core::ProcessSeries& series);

}  // namespace loadline::app
