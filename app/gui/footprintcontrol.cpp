#include "app/gui/footprintcontrol.h"

#include <QAction>
#include <QMenu>
#include <QSettings>

#include "app/gui/appsettings.h"
#include "app/gui/mainwindow.h"
#include "widgets/footprintlane.h"
#include "widgets/timelineview.h"

namespace loadline::app {

widgets::FootprintLane* installFootprintLane(MainWindow* window) {
    widgets::TimelineView* view = window->timelineView();
    auto* lane = new widgets::FootprintLane;
    view->addLane(lane);
    lane->hide();

    QAction* toggle = new QAction(MainWindow::tr("Monitor &Footprint"), window);
    toggle->setObjectName(QStringLiteral("footprintAction"));
    toggle->setCheckable(true);
    toggle->setChecked(QSettings().value(settings::kFootprintLane, true).toBool());
    toggle->setStatusTip(MainWindow::tr("Show the recorder's own CPU and the gaps in sampling under the chart"));
    window->menu(MainWindow::Menu::View)->addAction(toggle);

    auto sync = [window, view, lane, toggle] {
        const bool show = toggle->isChecked() && window->recording() && lane->hasFootprint();
        if (show != lane->isVisibleTo(view)) lane->setVisible(show);
        toggle->setEnabled(window->recording() && lane->hasFootprint());
        const core::TimeMapping m = view->timeMapping();
        lane->setMapping(m.t0, m.t1, m.x0, m.width);
    };
    QObject::connect(toggle, &QAction::toggled, lane, [sync](bool on) {
        QSettings().setValue(settings::kFootprintLane, on);
        sync();
    });
    QObject::connect(
        window, &MainWindow::recordingChanged, lane, [lane, sync](std::shared_ptr<const core::Recording> recording) {
            lane->setTimeline(recording ? std::shared_ptr<const core::Timeline>(recording, &recording->timeline)
                                        : nullptr);
            sync();
        });
    // Appended rows (live data, a followed store) arrive with a new view range or mapping.
    QObject::connect(view, &widgets::TimelineView::mappingChanged, lane, sync);
    QObject::connect(view, &widgets::TimelineView::viewRangeChanged, lane, sync);
    sync();
    return lane;
}

}  // namespace loadline::app
