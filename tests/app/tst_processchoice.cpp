// The process the chart highlights by default (the tool bar's Process box): kept while it is
// there, else the first tracked one there, else the one sampled longest; and its label.
#include <QTest>

#include "app/gui/processchoice.h"

using loadline::app::chooseHighlightedPid;
using loadline::app::processChoiceLabel;
namespace core = loadline::core;

namespace {
/** A process with rows samples (and a name when given). */
void addProcess(core::Timeline& t, int pid, int rows, const char* name = nullptr) {
    core::ProcessSeries& s = t.process(pid);
    const int nameCol = s.samples.ensureColumn(core::col::kName, true);
    for (int i = 0; i < rows; ++i) {
        s.samples.appendRow(1000.0 + i);
        if (name) s.samples.setLastText(nameCol, name);
    }
}
}  // namespace

class TestProcessChoice : public QObject {
    Q_OBJECT
private slots:
    void nothingShownOrNoProcessIsMinusOne() {
        QCOMPARE(chooseHighlightedPid(nullptr, 42, {42}), -1);
        core::Timeline empty;
        QCOMPARE(chooseHighlightedPid(&empty, -1, {}), -1);
        QCOMPARE(chooseHighlightedPid(&empty, 42, {42}), -1);  // neither is in the data
    }

    void theLongestSampledByDefault() {
        core::Timeline t;
        addProcess(t, 10, 3);
        addProcess(t, 20, 9);  // the script, sampled throughout
        addProcess(t, 30, 5);
        QCOMPARE(chooseHighlightedPid(&t, -1, {}), 20);
        // A pick that is no longer in the data is replaced the same way.
        QCOMPARE(chooseHighlightedPid(&t, 99, {}), 20);
    }

    void equalLengthsGoToTheLowestPid() {
        core::Timeline t;
        addProcess(t, 30, 4);
        addProcess(t, 7, 4);
        addProcess(t, 12, 4);
        QCOMPARE(chooseHighlightedPid(&t, -1, {}), 7);
    }

    void theUsersPickIsKept() {
        core::Timeline t;
        addProcess(t, 10, 3);
        addProcess(t, 20, 9);
        QCOMPARE(chooseHighlightedPid(&t, 10, {20}), 10);
    }

    void theFirstTrackedProcessPresentBeatsTheLongest() {
        core::Timeline t;
        addProcess(t, 10, 3);
        addProcess(t, 20, 9);
        addProcess(t, 30, 1);
        QCOMPARE(chooseHighlightedPid(&t, -1, {55, 30, 10}), 30);  // 55 is not sampled
        QCOMPARE(chooseHighlightedPid(&t, -1, {55}), 20);
    }

    void labelsNameTheProcess() {
        core::Timeline t;
        addProcess(t, 4242, 2, "python3");
        addProcess(t, 17, 2);
        QCOMPARE(processChoiceLabel(4242, t.processes.at(4242)), QStringLiteral("4242  python3"));
        QCOMPARE(processChoiceLabel(17, t.processes.at(17)), QStringLiteral("17"));
    }
};

QTEST_GUILESS_MAIN(TestProcessChoice)
#include "tst_processchoice.moc"
