#include "app/gui/levelloader.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <thread>

#include <QMetaObject>

#include "core/store/llrec.h"
#include "widgets/chartdata.h"
#include "widgets/storelevels.h"
#include "widgets/timelineview.h"

namespace loadline::app {

namespace {

// The plot is this many columns when the view cannot say yet (not laid out).
constexpr int kDefaultColumns = 1600;

}  // namespace

// One read on a worker thread; shared with it (the worker may outlive the loader).
struct LevelLoader::Job {
    enum Kind { Base, Finer, Raw } kind = Base;
    unsigned generation = 0;
    std::string path;
    std::int64_t recordingRows = 0;  // Base: ticks the loaded recording holds
    int columns = kDefaultColumns;
    int level = 0;
    double from = core::kMissing, to = core::kMissing;
    std::vector<std::pair<int, std::string>> series;
    std::shared_ptr<const widgets::ChartLevels> base;  // Finer: merged into a copy of it
    // Results.
    bool useLevels = false;
    core::store::StoreOutline outline;
    std::shared_ptr<widgets::ChartLevels> levels;
    std::shared_ptr<core::Recording> ticks;
    std::string error;

    std::mutex mutex;
    LevelLoader* receiver = nullptr;

    void run();
};

void LevelLoader::Job::run() {
    using namespace core::store;
    if (kind == Raw) {
        ReadOptions options;
        options.from = from;
        options.to = to;
        core::LoadResult r = loadStore(path, options);
        if (!r) error = r.error().toString();
        else ticks = std::make_shared<core::Recording>(std::move(*r));
        return;
    }
    if (kind == Base) {
        if (!looksLikeStore(path)) return;  // py-perf JSON: read whole
        auto read = readStoreOutline(path);
        if (!core::succeeded(read, &error)) return;
        outline = std::move(*read);
        if (!opensFromLevels(outline) || recordingRows >= outline.ticks) return;
        // The coarsest level whose blocks are narrower than a pixel column over the whole range.
        level = wholeRangeLevel(outline, columns);
        auto base = widgets::readBaseLevels(path, outline, level, series);
        if (!core::succeeded(base, &error)) return;
        useLevels = true;
        levels = std::move(*base);
        return;
    }
    // Finer blocks over [from, to], the base level's outside it.
    auto finer = widgets::readFinerLevels(path, *base, level, from, to, series);
    if (!core::succeeded(finer, &error)) return;
    levels = std::move(*finer);
}

LevelLoader::LevelLoader(QObject* parent) : QObject(parent) {}

LevelLoader::~LevelLoader() { detach(); }

core::LoadResult LevelLoader::load(const std::string& path, const core::LoadOptions& options) {
    using namespace core::store;
    if (looksLikeStore(path)) {
        const auto found = readStoreOutline(path);
        // The header (processes, metadata) and the ticks after the last complete level-1
        // block: attach() draws the rest from the levels.
        if (found && opensFromLevels(*found)) return loadStoreTail(path, *found, options.progress);
    }
    return core::loadRecordingFile(path, options);
}

void LevelLoader::detach() {
    ++m_generation;
    if (m_job) {
        std::lock_guard lock(m_job->mutex);
        m_job->receiver = nullptr;
    }
    m_job.reset();
    if (m_view) disconnect(m_view, nullptr, this, nullptr);
    m_view = nullptr;
    m_base.reset();
    m_shown.reset();
    m_recording.reset();
}

int LevelLoader::columns() const {
    if (m_columns > 0) return m_columns;
    const int w = m_view ? static_cast<int>(m_view->timeMapping().width) : 0;
    return w >= 100 ? w : kDefaultColumns;
}

void LevelLoader::attach(widgets::TimelineView* view, const QString& path,
                         std::shared_ptr<const core::Recording> recording) {
    detach();
    if (!view || !recording) return;
    m_view = view;
    m_path = path;
    m_recording = std::move(recording);
    auto job = std::make_shared<Job>();
    job->kind = Job::Base;
    job->path = path.toStdString();
    job->recordingRows = static_cast<std::int64_t>(m_recording->timeline.system.size());
    job->columns = columns();
    job->series = widgets::levelColumns(view->settings());
    start(job);
}

void LevelLoader::start(const std::shared_ptr<Job>& job) {
    job->generation = m_generation;
    job->receiver = this;
    m_job = job;
    std::thread([job] {
        job->run();
        std::lock_guard lock(job->mutex);
        if (job->receiver)
            QMetaObject::invokeMethod(
                job->receiver,
                [job] {
                    LevelLoader* receiver = nullptr;
                    {
                        std::lock_guard lock(job->mutex);
                        receiver = job->receiver;
                    }
                    if (receiver) receiver->onDone(job);
                },
                Qt::QueuedConnection);
    }).detach();
}

void LevelLoader::onDone(const std::shared_ptr<Job>& job) {
    if (job != m_job || job->generation != m_generation || !m_view) return;
    m_job.reset();
    if (!job->error.empty()) {
        emit failed(QString::fromStdString(job->error));
        return;
    }
    // The view shows the recording's own ticks (the newest) with the base level, or a range's.
    std::shared_ptr<const core::Timeline> tail(m_recording, &m_recording->timeline);
    // The ticks shown so far (a range's: up to ~100 MB) are freed off the GUI thread.
    struct FreeLater {
        std::shared_ptr<const core::Timeline> old;
        ~FreeLater() {
            std::thread([o = std::move(old)]() mutable { o.reset(); }).detach();
        }
    } freeLater{m_view->timeline()};
    switch (job->kind) {
    case Job::Base:
        if (!job->useLevels) return;  // a small store: every tick is loaded
        m_outline = job->outline;
        m_base = job->levels;
        m_shown = m_base;
        connect(m_view, &widgets::TimelineView::viewRangeChanged, this, &LevelLoader::request, Qt::UniqueConnection);
        connect(m_view, &widgets::TimelineView::dataRebuilt, this, &LevelLoader::request, Qt::UniqueConnection);
        m_view->setLevels(m_shown, tail);
        break;
    case Job::Finer:
        m_shown = job->levels;
        m_fineFrom = job->from;
        m_fineTo = job->to;
        m_view->setLevels(m_shown, tail);
        break;
    case Job::Raw: {
        auto levels = std::make_shared<widgets::ChartLevels>(*m_shown);
        levels->rawFrom = job->from;
        levels->rawTo = job->to;
        m_shown = levels;
        m_view->setLevels(m_shown, std::shared_ptr<const core::Timeline>(job->ticks, &job->ticks->timeline));
        break;
    }
    }
    emit shown();
    request();  // the range may have moved while reading
}

void LevelLoader::request() {
    if (!m_view || !m_base || m_job) return;
    const auto [v0, v1] = m_view->viewRange();
    if (!(v1 > v0)) return;
    const int cols = columns();
    auto job = std::make_shared<Job>();
    job->path = m_path.toStdString();
    job->columns = cols;
    // Series the chart now draws (another process picked, another metric) that the base lacks.
    job->series = widgets::levelColumns(m_view->settings());
    bool missing = false;
    for (const auto& key : job->series) missing |= m_base->series.find(key) == m_base->series.end();
    if (missing) {
        for (const auto& [key, blocks] : m_base->series)
            if (std::find(job->series.begin(), job->series.end(), key) == job->series.end()) job->series.push_back(key);
        job->kind = Job::Base;
        job->recordingRows = 0;
        start(job);
        return;
    }
    for (const auto& [key, blocks] : m_base->series)
        if (std::find(job->series.begin(), job->series.end(), key) == job->series.end()) job->series.push_back(key);
    const double span = v1 - v0, margin = core::store::rangeMargin(span);
    const int level = core::store::rangeLevel(m_outline, m_base->level, span, cols);
    auto showBase = [&] {
        if (m_shown != m_base) {
            m_shown = m_base;
            std::shared_ptr<const core::Timeline> old = m_view->timeline();
            m_view->setLevels(m_shown, std::shared_ptr<const core::Timeline>(m_recording, &m_recording->timeline));
            // A range's ticks (up to ~100 MB) are freed off the GUI thread.
            std::thread([old = std::move(old)]() mutable { old.reset(); }).detach();
        }
    };
    if (level >= m_base->level) return showBase();
    if (level == 0) {
        // Blocks of 32 ticks are wider than a column: the ticks of the range (about 32 per column).
        if (m_shown->rawFrom <= v0 && m_shown->rawTo >= v1) return;
        job->kind = Job::Raw;
        job->from = v0 - margin;
        job->to = v1 + margin;
        start(job);
        return;
    }
    if (m_shown->level == level && m_fineFrom <= v0 && m_fineTo >= v1) return;
    job->kind = Job::Finer;
    job->level = level;
    job->from = v0 - margin;
    job->to = v1 + margin;
    job->base = m_base;
    start(job);
}

}  // namespace loadline::app
