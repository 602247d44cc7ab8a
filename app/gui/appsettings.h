#pragma once
// QSettings keys and defaults of the desktop app, in one place.

#include <QString>

namespace loadline::app::settings {

inline const QString kGeometry = QStringLiteral("window/geometry");
inline const QString kWindowState = QStringLiteral("window/state");
inline const QString kRecentFiles = QStringLiteral("files/recent");
inline const QString kLastDirectory = QStringLiteral("files/lastDirectory");
inline const QString kInterval = QStringLiteral("live/intervalSeconds");
inline const QString kWindow = QStringLiteral("live/windowSeconds");
inline const QString kMetric = QStringLiteral("view/metric");          // "cpu" | "memory"
inline const QString kMemoryUnit = QStringLiteral("view/memoryUnit");  // "percent" | "bytes"
inline const QString kTimeAxis = QStringLiteral("view/timeAxis");      // "clock" | "relative"
inline const QString kPerCore = QStringLiteral("view/perCoreScale");
inline const QString kShowOthers = QStringLiteral("view/showOtherProcesses");
inline const QString kFootprintLane = QStringLiteral("view/footprintLane");  // the monitor's footprint lane
inline const QString kTheme = QStringLiteral("view/theme");                  // "system" | "light" | "dark"
inline const QString kExportWidth = QStringLiteral("export/width");
inline const QString kExportHeight = QStringLiteral("export/height");
inline const QString kExportScale = QStringLiteral("export/scale");
inline const QString kExportDirectory = QStringLiteral("export/lastDirectory");  // where the last PNG went

inline constexpr double kDefaultInterval = 0.5;  // seconds, as py-perf
inline constexpr double kDefaultWindow = 300.0;  // seconds shown while following live data
inline constexpr int kMaxRecentFiles = 10;

}  // namespace loadline::app::settings
