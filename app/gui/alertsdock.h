#pragma once
// Alerts in the desktop app: View → Thresholds… edits the rules (kept in the settings), the
// chart gets dashed lines at the thresholds of the metric shown and a lane of alert bands under
// the plot, the Alerts panel lists the intervals (a click zooms to one). Intervals come from the
// recording's own "alert_intervals" (saved by record --alert) and from the rules evaluated over
// what is shown; in live mode they are evaluated again every second and a critical alert that
// opens raises a desktop notification (D-Bus).
#include <QObject>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/alert/evaluator.h"
#include "core/timeline/timeline.h"

class QDockWidget;
class QTimer;
class QTreeWidget;

namespace loadline::widgets {
class AlertLane;
class ThresholdOverlay;
}  // namespace loadline::widgets

namespace loadline::app {

class MainWindow;

inline const char* kAlertRulesSetting = "alerts/rules";

class AlertsController : public QObject {
    Q_OBJECT
public:
    explicit AlertsController(MainWindow* window);

    QStringList ruleTexts() const;
    /** Replaces the rules (already checked), remembers them and evaluates again. */
    void setRules(const QStringList& rules);
    /** Evaluates what is shown now (the live timer calls it every second). */
    void refresh();
    const std::vector<core::alert::AlertInterval>& intervals() const { return m_intervals; }
    widgets::AlertLane* lane() const { return m_lane; }
    widgets::ThresholdOverlay* overlay() const { return m_overlay; }
    QTreeWidget* list() const { return m_list; }
    QDockWidget* dock() const { return m_dock; }
    /** Zooms the chart to an interval (the panel and the lane call it). */
    void zoomTo(int index);
    int notificationsSent() const { return m_notified; }

private:
    void onRecordingChanged();
    void updateLines();
    void thresholdsDialog();

    MainWindow* m_window;
    std::vector<core::alert::AlertRule> m_rules;
    std::vector<core::alert::AlertInterval> m_intervals;
    widgets::AlertLane* m_lane;
    widgets::ThresholdOverlay* m_overlay;
    QTreeWidget* m_list;
    QDockWidget* m_dock;
    QTimer* m_liveTimer;
    std::set<std::tuple<std::string, int, double>> m_notifiedKeys;  // rule, pid, start
    int m_notified = 0;
};

/** Creates the controller, its panel, lane, overlay and menu action (MainWindow calls it once). */
AlertsController* installAlertsPanel(MainWindow* window);

}  // namespace loadline::app
