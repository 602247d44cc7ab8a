#pragma once
// Dashed horizontal lines at alert thresholds over a timeline view's plot: a transparent child
// of the view (mouse events pass through) that maps values with the view's valueMapping() and
// spans its timeMapping(); it repaints when the view's mapping changes. No chart code is touched.
#include <QColor>
#include <QString>
#include <QWidget>
#include <vector>

namespace loadline::widgets {

class TimelineView;

struct ThresholdLine {
    double value = 0;
    QColor color;
    QString label;
};

class ThresholdOverlay : public QWidget {
    Q_OBJECT
public:
    explicit ThresholdOverlay(TimelineView* view);
    void setLines(std::vector<ThresholdLine> lines);
    const std::vector<ThresholdLine>& lines() const { return m_lines; }
    /** y (the view's coordinates) of a value, as drawn. */
    double yForValue(double value) const;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    TimelineView* m_view;
    std::vector<ThresholdLine> m_lines;
};

}  // namespace loadline::widgets
