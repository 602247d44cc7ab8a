// Renders the chart in several states to PNGs (for looking at, and for the README).
// Usage: chart_shots OUTDIR
#include <QApplication>
#include <QAbstractScrollArea>
#include <QDir>
#include <QMouseEvent>
#include <QPalette>
#include <QStyleFactory>
#include <QTest>

#include "synthetic.h"
#include "widgets/timelineview.h"

using namespace loadline;

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QString dir = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral(".");
    QDir().mkpath(dir);
    auto big = bench::syntheticTimeline(argc > 2 ? std::stoul(argv[2]) : 20000);
    widgets::TimelineView view;
    view.resize(1200, 600);
    view.setTitle("synthetic.json — host");
    view.setTimeline(big);
    view.setHighlightedPid(4242);
    view.show();
    (void)QTest::qWaitForWindowExposed(&view);
    view.renderImage({1200, 600}).save(dir + "/full.png");
    view.grab().save(dir + "/grab_full.png");
    auto [t0, t1] = view.viewRange();
    view.zoomToRange(t0 + 1000, t0 + 1060);
    view.setSelection(t0 + 1020, t0 + 1035);
    view.grab().save(dir + "/zoom_selection.png");
    // Hover in the middle of the plot (a synthetic move event on the chart's viewport).
    const auto m = view.timeMapping();
    if (auto* canvas = view.findChild<QAbstractScrollArea*>()) {
        QWidget* w = canvas->viewport();
        const QPointF pos = QPointF(w->mapFrom(&view, QPoint(int(m.x0 + m.width * 0.45), 250)));
        QMouseEvent move(QEvent::MouseMove, pos, w->mapToGlobal(pos), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(w, &move);
    }
    view.grab().save(dir + "/hover.png");
    view.setTimeAxisMode(widgets::TimeAxisMode::Relative);
    view.setMetric(widgets::Metric::Memory);
    view.grab().save(dir + "/memory_relative.png");
    view.setMetric(widgets::Metric::Cpu);
    view.setPerCoreScale(true);
    view.resetZoom();
    view.grab().save(dir + "/percore.png");
    // Dark palette.
    view.setPerCoreScale(false);
    app.setStyle(QStyleFactory::create("Fusion"));
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xc9));
    app.setPalette(dark);
    QCoreApplication::processEvents();
    view.zoomToRange(t0 + 1000, t0 + 1300);
    view.setSelection(t0 + 1100, t0 + 1200);
    view.grab().save(dir + "/dark.png");
    view.renderImage({800, 400}, 2.0).save(dir + "/dark_2x.png");
    return 0;
}
