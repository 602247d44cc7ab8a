#include "app/gui/processbox.h"

#include <algorithm>

#include <QAction>
#include <QComboBox>

#include "app/gui/processchoice.h"
#include "widgets/timelineview.h"

namespace loadline::app {

ProcessBox::ProcessBox(widgets::TimelineView* view, QAction* others, TrackedPids trackedPids, QWidget* parent)
    : QObject(parent), m_view(view), m_others(others), m_trackedPids(std::move(trackedPids)) {
    m_combo = new QComboBox(parent);
    m_combo->setObjectName(QStringLiteral("processCombo"));
    m_combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_combo->setMinimumContentsLength(14);
    m_combo->setToolTip(tr("The process drawn as the crimson line"));
    connect(m_combo, &QComboBox::activated, this, [this] { setHighlightedPid(m_combo->currentData().toInt()); });
    connect(m_others, &QAction::toggled, this, &ProcessBox::apply);
    rebuild();  // nothing shown: "(none)", and no Others to draw
}

void ProcessBox::setRecording(std::shared_ptr<const core::Recording> recording) {
    m_recording = std::move(recording);
    m_highlightPid = -1;
    rebuild();
}

void ProcessBox::dataAppended() {
    if (m_recording && m_recording->timeline.processes.size() != m_knownProcessCount) rebuild();
}

void ProcessBox::rebuild() {
    const QSignalBlocker block(m_combo);
    m_combo->clear();
    m_knownProcessCount = m_recording ? m_recording->timeline.processes.size() : 0;
    if (m_recording)
        for (const auto& [pid, series] : m_recording->timeline.processes)
            m_combo->addItem(processChoiceLabel(pid, series), pid);
    if (m_combo->count() == 0) m_combo->addItem(tr("(none)"), -1);
    m_combo->setEnabled(m_knownProcessCount > 0);
    // Others draws the processes besides the crimson one: none to draw, nothing to toggle.
    m_others->setEnabled(m_knownProcessCount > 1);
    m_highlightPid = chooseHighlightedPid(m_recording ? &m_recording->timeline : nullptr, m_highlightPid,
                                          m_recording ? m_trackedPids() : QList<int>());
    m_combo->setCurrentIndex(std::max(0, m_combo->findData(m_highlightPid)));
    apply();
}

void ProcessBox::setHighlightedPid(int pid) {
    m_highlightPid = pid;
    const int i = m_combo->findData(pid);
    if (i >= 0 && i != m_combo->currentIndex()) {
        const QSignalBlocker block(m_combo);
        m_combo->setCurrentIndex(i);
    }
    apply();
}

void ProcessBox::apply() {
    m_view->setHighlightedPid(m_highlightPid);
    QList<int> others;
    if (m_others->isChecked() && m_recording)
        for (const auto& entry : m_recording->timeline.processes)
            if (entry.first != m_highlightPid) others << entry.first;
    m_view->setExtraPids(others);
}

}  // namespace loadline::app
