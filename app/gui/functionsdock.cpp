#include "app/gui/functionsdock.h"

#include <QDockWidget>
#include <QHeaderView>
#include <QScrollBar>
#include <QTableView>
#include <algorithm>

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
    QObject::connect(
        window, &MainWindow::recordingChanged, panel,
        [panel, dock, window](std::shared_ptr<const core::Recording> recording) {
            const bool calls = recording && !recording->functionTimings.empty();
            // Live data has no calls: leave the panel empty rather than correlate every tick.
            panel->setRecording(calls ? recording : nullptr);
            panel->lane()->setVisible(calls);
            if (calls) {
                const bool wasHidden = dock->isHidden();
                dock->show();
                dock->raise();
                if (wasHidden) {
                    // Wide enough for the figures that answer "why was it slow" next
                    // to a short name, within 60 % of the window (the chart keeps the rest).
                    if (auto* table = panel->findChild<QTableView*>()) {
                        int width = 150 + 2 * table->frameWidth() + table->verticalScrollBar()->sizeHint().width() + 24;
                        const QHeaderView* header = table->horizontalHeader();
                        for (int c = 1; c < header->count(); ++c)
                            if (!header->isSectionHidden(c))
                                width += std::max(static_cast<const QAbstractItemView*>(table)->sizeHintForColumn(c),
                                                  header->sectionSizeHint(c));
                        window->resizeDocks({dock}, {std::min(width, window->width() * 3 / 5)}, Qt::Horizontal);
                    }
                }
            } else {
                dock->hide();  // nothing to list: give the chart the width
            }
        });
    return panel;
}

}  // namespace loadline::app
