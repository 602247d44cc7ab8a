#include "app/gui/functionsdock.h"

#include <QDockWidget>

#include "app/gui/mainwindow.h"
#include "widgets/functionpanel.h"
#include "widgets/functionlane.h"

namespace loadline::app {

widgets::FunctionPanel* installFunctionsPanel(MainWindow* window) {
    auto* panel = new widgets::FunctionPanel;
    auto* dock = new QDockWidget(QObject::tr("Functions"), window);
    dock->setObjectName(QStringLiteral("functionsPanel"));
    dock->setWidget(panel);
    window->addPanel(dock, Qt::RightDockWidgetArea);
    dock->hide();  // shown when a recording with function timings opens
    panel->attachTo(window->timelineView());
    QObject::connect(window, &MainWindow::recordingChanged, panel,
                     [panel, dock](std::shared_ptr<const core::Recording> recording) {
                         const bool calls = recording && !recording->functionTimings.empty();
                         // Live data has no calls: leave the panel empty rather than correlate every tick.
                         panel->setRecording(calls ? recording : nullptr);
                         panel->lane()->setVisible(calls);
                         if (calls) {
                             dock->show();
                             dock->raise();
                         } else {
                             dock->hide();  // nothing to list: give the chart the width
                         }
                     });
    return panel;
}

}  // namespace loadline::app
