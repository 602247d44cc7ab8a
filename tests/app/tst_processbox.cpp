// The tool bar's Process box on its own, over a bare TimelineView: it lists the shown recording's
// processes, highlights the one sampled longest unless the user tracks one or picked one that is
// still there, draws the others while Show Other Processes is on (and disables it when there are
// none), and lists again when processes arrive.
#include <QAction>
#include <QComboBox>
#include <QTest>

#include "app/gui/processbox.h"
#include "core/format/recordingio.h"
#include "widgets/timelineview.h"

using loadline::app::ProcessBox;
namespace core = loadline::core;

namespace {
std::shared_ptr<core::Recording> fixture() {
    core::LoadResult r = core::loadRecordingFile(LOADLINE_TEST_DATA "/app/timeline.json");  // PIDs 777, 4242
    return r ? std::make_shared<core::Recording>(std::move(*r)) : nullptr;
}
}  // namespace

class TestProcessBox : public QObject {
    Q_OBJECT
private slots:
    void listsAndHighlights() {
        QWidget window;
        loadline::widgets::TimelineView view;
        QAction others;
        others.setCheckable(true);
        others.setChecked(true);
        QList<int> tracked;
        ProcessBox box(
            &view, &others, [&] { return tracked; }, &window);
        QCOMPARE(box.combo()->objectName(), QStringLiteral("processCombo"));
        // Nothing shown.
        QCOMPARE(box.combo()->count(), 1);
        QCOMPARE(box.combo()->itemText(0), QStringLiteral("(none)"));
        QVERIFY(!box.combo()->isEnabled());
        QVERIFY(!others.isEnabled());
        QCOMPARE(box.highlightedPid(), -1);

        auto recording = fixture();
        QVERIFY(recording);
        box.setRecording(recording);
        QCOMPARE(box.combo()->count(), 2);
        QVERIFY(box.combo()->isEnabled());
        QVERIFY(others.isEnabled());
        QCOMPARE(box.highlightedPid(), 4242);  // sampled longest
        QCOMPARE(box.combo()->currentData().toInt(), 4242);
        QCOMPARE(view.highlightedPid(), 4242);
        QCOMPARE(view.extraPids(), QList<int>{777});
        others.setChecked(false);
        QVERIFY(view.extraPids().isEmpty());
        others.setChecked(true);
        QCOMPARE(view.extraPids(), QList<int>{777});

        // The user's pick stays while it is there; the combo box follows.
        box.setHighlightedPid(777);
        QCOMPARE(box.combo()->currentData().toInt(), 777);
        QCOMPARE(view.highlightedPid(), 777);
        QCOMPARE(view.extraPids(), QList<int>{4242});
        box.combo()->setCurrentIndex(box.combo()->findData(4242));
        emit box.combo()->activated(box.combo()->currentIndex());  // as a click does
        QCOMPARE(box.highlightedPid(), 4242);

        // Another recording picks afresh, the tracked process first.
        tracked = {777};
        box.setRecording(fixture());
        QCOMPARE(box.highlightedPid(), 777);
    }

    void listsAgainWhenProcessesArrive() {
        QWidget window;
        loadline::widgets::TimelineView view;
        QAction others;
        others.setCheckable(true);
        ProcessBox box(
            &view, &others, [] { return QList<int>(); }, &window);
        auto recording = fixture();
        QVERIFY(recording);
        auto only = std::make_shared<core::Recording>(*recording);
        only->timeline.processes.erase(777);
        box.setRecording(only);
        QCOMPARE(box.combo()->count(), 1);
        QVERIFY(!others.isEnabled());  // no other process to draw
        box.dataAppended();            // no new process: nothing listed again
        QCOMPARE(box.combo()->count(), 1);
        only->timeline.processes.emplace(777, recording->timeline.processes.at(777));
        box.dataAppended();
        QCOMPARE(box.combo()->count(), 2);
        QVERIFY(others.isEnabled());
        QCOMPARE(box.highlightedPid(), 4242);  // kept
    }
};

QTEST_MAIN(TestProcessBox)
#include "tst_processbox.moc"
