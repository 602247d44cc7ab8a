#pragma once
// Opens a .llrec store too long to hold in memory from its consolidated levels
// (docs/llrec-format.md): the recording loaded holds only the newest ticks (those after the last
// complete level-1 block), the view draws the whole range from the coarsest level whose blocks
// are narrower than a pixel column, and when the user zooms or pans to a range that needs more
// detail, the finer level's blocks or the raw ticks of just that range are read on a worker
// thread and shown when they arrive (until then the coarser blocks stay drawn). The GUI thread
// never reads the file; a small store (up to kLevelThreshold ticks) is read whole as before.

#include <cstdint>
#include <memory>
#include <string>

#include <QObject>
#include <QPointer>
#include <QString>

#include "core/format/recordingio.h"
#include "core/store/llreclevels.h"

#include "widgets/timelineview.h"

namespace loadline::widgets {
struct ChartLevels;
}

namespace loadline::app {

class LevelLoader : public QObject {
    Q_OBJECT
public:
    /** Stores with more ticks than this open from their levels (core::store::levelThreshold():
     *  LOADLINE_LEVEL_THRESHOLD in the environment overrides it). */
    static constexpr std::int64_t kLevelThreshold = core::store::kLevelThreshold;

    explicit LevelLoader(QObject* parent = nullptr);
    ~LevelLoader() override;

    /** RecordingLoader's load function: a store read from its levels (core::store::opensFromLevels) loads only its
     *  header and newest ticks (attach() then shows the rest); anything else core::loadRecordingFile. */
    static core::LoadResult load(const std::string& path, const core::LoadOptions& options);

    /** Shows the store at path in view from its levels when `recording` (from load()) holds only
     *  part of its ticks; otherwise (and for anything not a store) does nothing. */
    void attach(widgets::TimelineView* view, const QString& path, std::shared_ptr<const core::Recording> recording);
    void detach();
    /** Levels are shown (a long store is open). */
    bool isActive() const { return m_view && m_base != nullptr; }
    /** Reads in flight or wanted: false once the view shows what its range needs. */
    bool isBusy() const { return m_job != nullptr; }
    /** Columns of a plot (device pixels) the levels are chosen for; 0: the view's plot width. */
    void setColumns(int columns) { m_columns = columns; }

signals:
    /** A read arrived and the view shows it (tests, benchmarks). */
    void shown();
    void failed(const QString& message);

private:
    struct Job;
    struct Need;
    void request();
    void start(const std::shared_ptr<Job>& job);
    void onDone(const std::shared_ptr<Job>& job);
    int columns() const;

    QPointer<widgets::TimelineView> m_view;
    QString m_path;
    std::shared_ptr<const core::Recording> m_recording;
    core::store::StoreOutline m_outline;
    std::shared_ptr<const widgets::ChartLevels> m_base;   // whole range, coarsest level that fits
    std::shared_ptr<const widgets::ChartLevels> m_shown;  // what the view shows now
    std::shared_ptr<Job> m_job;                           // the read in flight
    double m_fineFrom = 0, m_fineTo = 0;                  // the range of the finer level shown
    int m_columns = 0;
    unsigned m_generation = 0;  // bumped by attach/detach: late results are dropped
};

}  // namespace loadline::app
