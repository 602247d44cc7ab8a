#include "app/gui/comparebaseline.h"

#include <QAction>
#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <algorithm>
#include <optional>

#include "app/gui/appsettings.h"
#include "app/gui/mainwindow.h"
#include "core/format/recordingio.h"
#include "widgets/functionlane.h"
#include "widgets/functionpanel.h"
#include "widgets/functiontablemodel.h"
#include "widgets/timelineview.h"

namespace loadline::app {

BaselineController::BaselineController(MainWindow* window, widgets::FunctionPanel* panel)
    : QObject(window), m_window(window), m_panel(panel) {
    setObjectName(QStringLiteral("baselineController"));
    connect(window, &MainWindow::recordingChanged, this, [this] { update(); });
}

bool BaselineController::setBaselineFile(const QString& path, QString* error) {
    QApplication::setOverrideCursor(Qt::WaitCursor);
    std::unique_ptr<BaselineSource> baseline = BaselineSource::open(path, error);
    QApplication::restoreOverrideCursor();
    if (!baseline) return false;
    setBaseline(std::move(baseline));
    return true;
}

void BaselineController::setBaseline(std::unique_ptr<BaselineSource> baseline) {
    m_source = std::move(baseline);
    update();
}

void BaselineController::clearBaseline() { setBaseline(nullptr); }

void BaselineController::chooseBaseline() {
    const QString dir = QSettings().value(settings::kLastDirectory).toString();
    const QString path = QFileDialog::getOpenFileName(m_window, tr("Compare With Baseline"), dir,
                                                      tr("Recordings (*.json *.llrec);;All files (*)"));
    if (path.isEmpty()) return;
    QString error;
    if (!setBaselineFile(path, &error)) QMessageBox::warning(m_window, tr("Could not open the baseline"), error);
}

bool BaselineController::setAlignFunction(const QString& function, QString* error) {
    if (!function.isEmpty() && m_source && !core::firstCallStart(*m_source->recording(), function.toStdString())) {
        if (error) *error = tr("the baseline %1 has no call of '%2'").arg(baselinePath(), function);
        return false;
    }
    m_alignFunction = function;
    update();
    return true;
}

void BaselineController::chooseAlignFunction() {
    if (!m_source) return;
    const QString starts = tr("(the runs' starts)");
    QStringList items{starts};
    if (m_comparison)
        for (const auto& f : m_comparison->functions)
            if (f.status == core::FunctionComparison::Status::Both) items << QString::fromStdString(f.name);
    bool ok = false;
    const QString chosen = QInputDialog::getItem(m_window, tr("Align Baseline At Function"),
                                                 tr("Draw each run's first call of this function at the same time:"),
                                                 items, std::max(0, int(items.indexOf(m_alignFunction))), false, &ok);
    if (!ok) return;
    QString error;
    if (!setAlignFunction(chosen == starts ? QString() : chosen, &error))
        QMessageBox::warning(m_window, tr("Could not align the baseline"), error);
}

void BaselineController::update() {
    widgets::TimelineView* view = m_window->timelineView();
    const auto run = m_window->recording();
    const auto baseline = this->baseline();
    if (m_clearAction) m_clearAction->setEnabled(baseline != nullptr);
    if (m_alignAction) m_alignAction->setEnabled(baseline != nullptr);
    m_alignedAtFunction = false;
    if (!baseline) {
        m_comparison.reset();
        view->setBaseline(nullptr);
        if (m_panel) {
            m_panel->model()->setComparison(nullptr);
            m_panel->lane()->setBaselineCalls(nullptr, 0);
        }
        emit comparisonChanged();
        return;
    }
    // At a function's first call in each run, else at their first samples.
    std::optional<std::pair<double, double>> anchors;
    if (!m_alignFunction.isEmpty() && run) {
        const auto a = core::firstCallStart(*run, m_alignFunction.toStdString());
        const auto b = core::firstCallStart(*baseline, m_alignFunction.toStdString());
        if (a && b) anchors = std::pair{*a, *b};
        else
            m_window->statusBar()->showMessage(
                tr("This run has no call of '%1': the runs are aligned at their starts").arg(m_alignFunction), 10000);
    }
    m_alignedAtFunction = anchors.has_value();
    view->setBaseline(std::make_shared<core::Timeline>(baseline->timeline), anchors);
    view->setTimeAxisMode(widgets::TimeAxisMode::Relative);  // two clocks: only time since each start compares
    m_comparison = run ? std::make_shared<core::RunComparison>(core::compareRuns(*baseline, *run)) : nullptr;
    if (m_panel) {
        m_panel->model()->setComparison(m_comparison);
        // The baseline's calls of the selected function in the lane, on this run's clock.
        m_panel->lane()->setBaselineCalls(
            m_comparison ? std::shared_ptr<const core::Correlation>(m_comparison, &m_comparison->correlations[0])
                         : nullptr,
            view->baselineOffset());
    }
    if (m_comparison && (m_alignFunction.isEmpty() || m_alignedAtFunction)) {
        int slower = 0, faster = 0;
        for (const auto& f : m_comparison->functions)
            if (f.wallChanged) (f.changePercent > 0 ? slower : faster)++;
        m_window->statusBar()->showMessage(tr("Compared with the baseline %1: %2 function(s) slower, %3 faster")
                                               .arg(m_source->title())
                                               .arg(slower)
                                               .arg(faster),
                                           10000);
    }
    emit comparisonChanged();
}

BaselineController* installCompareWithBaseline(MainWindow* window, widgets::FunctionPanel* panel) {
    auto* controller = new BaselineController(window, panel);
    QMenu* file = window->menu(MainWindow::Menu::File);
    // After Open and the recent files: the first separator in the File menu.
    QAction* before = nullptr;
    for (QAction* a : file->actions())
        if (a->isSeparator()) {
            before = a;
            break;
        }
    auto* compare = new QAction(QObject::tr("Compare With &Baseline…"), file);
    compare->setObjectName(QStringLiteral("compareBaselineAction"));
    compare->setStatusTip(QObject::tr("Draw another run of the same program over this one and compare its functions"));
    QObject::connect(compare, &QAction::triggered, controller, &BaselineController::chooseBaseline);
    auto* clear = new QAction(QObject::tr("C&lear Baseline"), file);
    clear->setObjectName(QStringLiteral("clearBaselineAction"));
    clear->setEnabled(false);
    QObject::connect(clear, &QAction::triggered, controller, &BaselineController::clearBaseline);
    auto* align = new QAction(QObject::tr("&Align Baseline At Function…"), file);
    align->setObjectName(QStringLiteral("alignBaselineAction"));
    align->setStatusTip(QObject::tr("Draw both runs' first call of a function at the same time"));
    align->setEnabled(false);
    QObject::connect(align, &QAction::triggered, controller, &BaselineController::chooseAlignFunction);
    file->insertActions(before, {compare, align, clear});
    controller->m_clearAction = clear;
    controller->m_alignAction = align;
    return controller;
}

}  // namespace loadline::app
