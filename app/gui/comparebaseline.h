#pragma once
// File → Compare With Baseline…: another run of the same program drawn dashed over the shown one
// (relative time axis, aligned at the starts, or at a function's first call: File → Align
// Baseline At Function…, `loadline --align-at`), and the Functions table's Before / After /
// Change / Finding columns and baseline-only rows from core::compareRuns. The baseline stays
// while other runs are opened, so each is compared with it; File → Clear Baseline ends it.

#include <QObject>
#include <QString>
#include <memory>

#include "app/gui/datasources.h"
#include "core/compare/compare.h"

class QAction;

namespace loadline::widgets {
class FunctionPanel;
}

namespace loadline::app {

class MainWindow;

class BaselineController : public QObject {
    Q_OBJECT
public:
    BaselineController(MainWindow* window, widgets::FunctionPanel* panel);

    /** Loads a baseline file (on this thread: baselines are recordings of one run). False and
     *  error set when it does not open; the current baseline is then kept. */
    bool setBaselineFile(const QString& path, QString* error = nullptr);
    /** The other run (null: none); the window's source is the run compared with it. */
    void setBaseline(std::unique_ptr<BaselineSource> baseline);
    void clearBaseline();

    const BaselineSource* baselineSource() const { return m_source.get(); }
    std::shared_ptr<const core::Recording> baseline() const { return m_source ? m_source->recording() : nullptr; }
    QString baselinePath() const { return m_source ? m_source->path() : QString(); }
    /** The comparison of the shown run with the baseline (null without either). */
    std::shared_ptr<const core::RunComparison> comparison() const { return m_comparison; }

    void chooseBaseline();  // the file dialog

    /**
     * Aligns the runs at this function's first call (each run's own first call drawn at the same
     * x); empty: at their starts. False and error set when the baseline (if loaded) has no call
     * of it; the alignment is then kept. A shown run without a call of it is drawn aligned at the
     * starts, with a message in the status bar.
     */
    bool setAlignFunction(const QString& function, QString* error = nullptr);
    QString alignFunction() const { return m_alignFunction; }
    /** Whether the shown run and the baseline are aligned at alignFunction() now. */
    bool alignedAtFunction() const { return m_alignedAtFunction; }
    void chooseAlignFunction();  // the list of the functions both runs call

signals:
    void comparisonChanged();

private:
    friend BaselineController* installCompareWithBaseline(MainWindow*, widgets::FunctionPanel*);
    void update();

    MainWindow* m_window;
    widgets::FunctionPanel* m_panel;
    QAction* m_clearAction = nullptr;
    QAction* m_alignAction = nullptr;
    QString m_alignFunction;
    bool m_alignedAtFunction = false;
    std::unique_ptr<BaselineSource> m_source;
    std::shared_ptr<const core::RunComparison> m_comparison;
};

/** Adds the menu entries and the controller (a child of window, objectName "baselineController"). */
BaselineController* installCompareWithBaseline(MainWindow* window, widgets::FunctionPanel* panel);

}  // namespace loadline::app
