#pragma once
// "Why was my function slow?" beside the chart: the sortable function table, the verdict rule,
// and what was running at a clicked moment (calls, and tracked processes ranked by CPU). It owns
// the FunctionLane that goes under the chart; attachTo() puts it there and wires the two.

#include <QPointer>
#include <QWidget>
#include <memory>
#include <optional>

#include "core/correlate/correlate.h"

QT_BEGIN_NAMESPACE
class QLabel;
class QSortFilterProxyModel;
class QTableView;
class QTreeWidget;
class QTreeWidgetItem;
QT_END_NAMESPACE

namespace loadline::widgets {

class FunctionLane;
class FunctionTableModel;
class TimelineView;

class FunctionPanel : public QWidget {
    Q_OBJECT
public:
    explicit FunctionPanel(QWidget* parent = nullptr);
    ~FunctionPanel() override;

    /** Correlates the recording's timings with its timeline and shows them (null clears). */
    void setRecording(std::shared_ptr<const core::Recording> recording, const core::CorrelateOptions& options = {});
    std::shared_ptr<const core::Correlation> correlation() const { return m_correlation; }
    bool hasCalls() const { return m_correlation && !m_correlation->calls.empty(); }

    FunctionLane* lane() const { return m_lane; }
    FunctionTableModel* model() const { return m_model; }
    QTableView* tableView() const { return m_table; }

    /**
     * Puts the lane under the chart's plot and wires them: the lane follows the chart's range,
     * a click on the chart shows that moment here, selecting a call zooms the chart to it.
     */
    void attachTo(TimelineView* view);

    /** Highlights a function's calls in the lane and selects its table row (-1: none). */
    void selectFunction(int functionIndex);
    /** Selects a call in the lane and asks for a zoom to it (zoomRequested). */
    void selectCall(int callIndex);
    /** Lists the calls running at t and the tracked processes ranked by CPU then. */
    void showMoment(double t);
    /** The moment list as plain text, one line per entry (tests, copy). */
    QString momentText() const;

signals:
    void functionSelected(int functionIndex);
    void zoomRequested(double t0, double t1);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void followView();
    void onTableSelection();
    /** Marks a function's calls on the attached chart (-1: none). */
    void markOnChart(int functionIndex);
    void onMomentItemActivated(QTreeWidgetItem* item);

    std::shared_ptr<const core::Recording> m_recording;
    std::shared_ptr<const core::Correlation> m_correlation;
    std::optional<bool> m_cpuUnmeasured;  // the recording's process CPU was never measured: rank by memory
    FunctionTableModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTableView* m_table = nullptr;
    QLabel* m_rule = nullptr;
    QLabel* m_warnings = nullptr;
    QTreeWidget* m_moment = nullptr;
    FunctionLane* m_lane = nullptr;  // parented to the chart once attached
    QPointer<TimelineView> m_view;
};

}  // namespace loadline::widgets
