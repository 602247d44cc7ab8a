#pragma once
// The QChartView inside TimelineView (private to widgets/): turns mouse, wheel and keys into
// zoom, pan, selection and hover on the view. No drawing of its own.

#include <QChartView>
#include <optional>

namespace loadline::widgets {

class TimelineView;
class TimelineChart;

class ChartCanvas : public QChartView {
public:
    ChartCanvas(TimelineChart* chart, TimelineView* view);

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    enum class Drag { None, Select, Zoom, Pan };
    double timeAt(double viewX) const;
    TimelineChart* m_chart;
    TimelineView* m_view;
    Drag m_drag = Drag::None;
    double m_pressX = 0;
    double m_lastX = 0;
    double m_pressTime = 0;
    bool m_moved = false;
};

}  // namespace loadline::widgets
