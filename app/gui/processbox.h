#pragma once
// The tool bar's Process box: which process of the shown recording the chart draws as the crimson
// line (the user's pick while it is there, else chooseHighlightedPid's), and — with View → Show
// Other Processes — the others as thin lines. Lists the processes again when new ones arrive.

#include <cstddef>
#include <functional>
#include <memory>

#include <QList>
#include <QObject>

#include "core/timeline/timeline.h"

class QAction;
class QComboBox;
class QWidget;

namespace loadline::widgets {
class TimelineView;
}

namespace loadline::app {

class ProcessBox : public QObject {
    Q_OBJECT
public:
    using TrackedPids = std::function<QList<int>()>;

    /** Draws into view; others: the checkable Show Other Processes action (enabled here when
     *  there are others to draw); trackedPids: the processes the user tracks, highlighted first.
     *  parent owns the box. Starts with nothing shown: "(none)". */
    ProcessBox(widgets::TimelineView* view, QAction* others, TrackedPids trackedPids, QWidget* parent);

    /** The combo box for the tool bar, named processCombo. */
    QComboBox* combo() const { return m_combo; }

    /** Lists recording's processes (null: none) and picks the highlighted one afresh. */
    void setRecording(std::shared_ptr<const core::Recording> recording);
    /** Rows were appended: lists the processes again when some came. */
    void dataAppended();

    void setHighlightedPid(int pid);
    int highlightedPid() const { return m_highlightPid; }

private:
    void rebuild();
    void apply();

    widgets::TimelineView* m_view;
    QAction* m_others;
    TrackedPids m_trackedPids;
    QComboBox* m_combo = nullptr;
    std::shared_ptr<const core::Recording> m_recording;
    int m_highlightPid = -1;
    std::size_t m_knownProcessCount = 0;
};

}  // namespace loadline::app
