#pragma once
// The Warnings panel: what the loader and the chart found about the data shown (a skipped
// sample with its line number, py-perf's never-measured process CPU), one line each, read whole
// on hover. Its title counts the defects, which may be fewer than the lines (a line that only
// sums up others counts none); an empty list says "No warnings" so it is not mistaken for one
// that failed to fill.

#include <cstddef>
#include <string>
#include <vector>

#include <QDockWidget>
#include <QStringList>

class QListWidget;

namespace loadline::core {
struct CpuMeasurement;
struct Recording;
}  // namespace loadline::core

namespace loadline::app {

class WarningsPanel : public QDockWidget {
    Q_OBJECT
public:
    /** Named "warningsPanel" (saved in the window's state); the window keeps it hidden until
     *  warnings come. */
    explicit WarningsPanel(QWidget* parent = nullptr);

    /** Lists warnings, defects of them counted in the title. Any warning shows the panel (as
     *  tall as its lines, up to 6, when it was hidden) and says so through message(). */
    void setWarnings(const std::vector<std::string>& warnings, std::size_t defects);
    /** The loader's warnings about recording and, one defect each, the processes whose CPU the
     *  chart found never measured (py-perf's psutil first-call zeros): they change how the chart
     *  must be read. */
    void showFindings(const core::Recording& recording, const core::CpuMeasurement& measured);
    /** Drops the lines that start with prefix, one defect each (a warning that no longer holds);
     *  returns how many. */
    std::size_t removeStartingWith(const QString& prefix);

    /** The lines listed (without the "No warnings" line). */
    QStringList warnings() const;
    /** What the title counts. */
    std::size_t defectCount() const { return m_defects; }

signals:
    /** A line for the status bar. */
    void message(const QString& text, int timeoutMs);

private:
    /** The "No warnings" line when the list is empty, and the title's defect count. */
    void finish();

    QListWidget* m_list = nullptr;
    std::size_t m_defects = 0;
};

}  // namespace loadline::app
