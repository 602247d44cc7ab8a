#pragma once
// Function calls drawn as spans in a lane of the timeline chart (chartlane.h): one colour per function,
// overlapping (nested) calls on rows below each other. Hover shows a call's name, wall and CPU
// time, the load during it and its verdict; a click selects the call (callClicked).
// The lane is told the chart's time <-> x mapping (setMapping) and never reads the chart itself.

#include <QColor>
#include <QWidget>
#include <memory>
#include <vector>

#include "core/correlate/correlate.h"
#include "widgets/chartlane.h"

namespace loadline::widgets {

class FunctionLane : public ChartLane {
    Q_OBJECT
public:
    explicit FunctionLane(QWidget* parent = nullptr);

    void setCorrelation(std::shared_ptr<const core::Correlation> correlation);
    std::shared_ptr<const core::Correlation> correlation() const { return m_correlation; }

    /** The visible time range [t0, t1] shown on pixels [x0, x0 + width) of this widget. */
    QString laneLabel() const override { return tr("Calls"); }
    /** The calls (the highlighted function's strongly) and, in compare mode, the baseline's
     *  outlines: the window and exports draw the same. */
    void paintContent(QPainter& painter, const QRectF& rect, double t0, double t1) const override;
    int contentHeight() const override { return heightForRows(m_rows); }
    /** The functions' colours, the longest-running first (as the correlation orders them). */
    std::vector<std::pair<QString, QColor>> legendEntries() const override;
    /** x (this widget's coordinates) of a time under the current mapping. */
    double xForTime(double t) const;

    /** Draws this function's calls strongly and the others faded; -1: all normal. */
    void setHighlightedFunction(int functionIndex);
    int highlightedFunction() const { return m_highlighted; }
    /** Outlines one call; -1: none. */
    void setSelectedCall(int callIndex);
    int selectedCall() const { return m_selectedCall; }

    /**
     * Compare mode: the baseline run's calls. While a function is highlighted, its baseline
     * calls are drawn as outlines (at time + offset, on this run's clock) over the run's spans,
     * so both runs' calls of it show in the lane (functionlanebaseline.cpp). Null: none.
     */
    void setBaselineCalls(std::shared_ptr<const core::Correlation> baseline, double offset);
    /** Compare mode: outlines the calls of a function only the baseline has (its index in the
     *  baseline's correlation; -1: none), in baselineCallColor(functions of this run + index). */
    void setHighlightedBaselineFunction(int baselineIndex);
    int highlightedBaselineFunction() const { return m_baselineHighlighted; }
    /** The outline colour of a function's baseline calls. */
    static QColor baselineCallColor(int functionIndex);

    /** The call under a point of this widget (the innermost when nested), or -1. */
    int callAt(QPointF pos) const;
    /** The hover text of a call. */
    QString describeCall(int callIndex) const;
    int rowCount() const { return m_rows; }

    /** The colour of a function (the function table uses the same). */
    static QColor functionColor(int functionIndex);

    /** Everything paint needs, so export-png draws the same lane without a widget. */
    struct Layout {
        const core::Correlation* correlation = nullptr;
        const std::vector<int>* lanes = nullptr;            // row per call (core::assignLanes)
        const std::vector<std::size_t>* byStart = nullptr;  // call indices by start time (optional)
        int rows = 0;
        double t0 = 0, t1 = 1;
        int highlighted = -1;
        int selectedCall = -1;
    };
    /** Paints the spans into rect (x = rect's left at t0, right at t1). */
    static void paintLane(QPainter& painter, const QRectF& rect, const Layout& layout);
    /** Height for a number of rows. */
    static int heightForRows(int rows);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void callClicked(int callIndex);

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    QRectF plotRect() const;
    void paintBaselineCalls(QPainter& painter, const QRectF& rect, double t0, double t1) const;
    Layout layout() const;

    std::shared_ptr<const core::Correlation> m_correlation;
    std::vector<int> m_lanes;
    std::vector<std::size_t> m_byStart;
    int m_rows = 0;
    int m_highlighted = -1;
    int m_selectedCall = -1;
    std::shared_ptr<const core::Correlation> m_baseline;
    double m_baselineOffset = 0;
    int m_baselineHighlighted = -1;
    int m_legendShown = 0;  // legend entries that fit the row when last painted
};

}  // namespace loadline::widgets
