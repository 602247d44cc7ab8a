#include "core/serve/servesampler.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <fcntl.h>
#include <mutex>
#include <unistd.h>

#include "core/collect/systemparse.h"
#include "core/sampler/sampler.h"
#include "core/serve/alertrender.h"
#include "core/serve/prometheus.h"
#include "core/serve/snapshotrender.h"

namespace loadline::core::serve {

namespace {

double steadySeconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Strings handed to readers as shared_ptr<const string>; one is reused once only the pool holds it.
class BufferPool {
public:
    std::shared_ptr<std::string> acquire(const std::shared_ptr<std::string>& current) {
        for (auto& b : m_buffers) {
            if (b != current && b.use_count() == 1) {
                std::atomic_thread_fence(std::memory_order_acquire);  // the last reader is done with it
                b->clear();
                return b;
            }
        }
        auto b = std::make_shared<std::string>();
        if (m_buffers.size() < 8) m_buffers.push_back(b);
        return b;
    }

private:
    std::vector<std::shared_ptr<std::string>> m_buffers;
};

// Reads a whole /proc file through a kept-open descriptor into a reused buffer.
class KeptOpenFile {
public:
    explicit KeptOpenFile(const char* path) : m_fd(::open(path, O_RDONLY | O_CLOEXEC)) { m_buf.resize(16384); }
    ~KeptOpenFile() {
        if (m_fd >= 0) ::close(m_fd);
    }
    std::string_view read() {
        if (m_fd < 0) return {};
        for (;;) {
            ssize_t n = ::pread(m_fd, m_buf.data(), m_buf.size(), 0);
            if (n < 0) return {};
            if (static_cast<std::size_t>(n) < m_buf.size())
                return std::string_view(m_buf.data(), static_cast<std::size_t>(n));
            m_buf.resize(m_buf.size() * 2);  // grows only until it fits /proc/stat once
        }
    }

private:
    int m_fd;
    std::vector<char> m_buf;
};

}  // namespace

struct ServeSampler::Impl {
    SamplerSetup setup;
    std::shared_ptr<LiveData> live;
    std::unique_ptr<Sampler> sampler;

    // Sampler-thread state.
    BufferPool jsonPool, promPool;
    std::shared_ptr<std::string> currentJson, currentProm;
    PrometheusWriter prom;
    CmdlineFilter cmdline;
    KeptOpenFile procStat{"/proc/stat"};
    ProcStat cpuTimes;
    double ticksPerSecond = static_cast<double>(::sysconf(_SC_CLK_TCK));
    double anchor = 0;  // steady-clock time of grid point 0
    bool anchored = false;
    bool infoDone = false;
    bool alertsPublished = false;

    mutable std::mutex timingMutex;
    TickTiming timing;

    void onTick(const SamplerTick& tick) {
        const double now = steadySeconds();
        // The sampler's deadlines lie on a grid (absolute deadlines; periods a tick overran are
        // skipped). Estimate the grid from the ticks themselves: its phase is that of the
        // earliest-running tick seen (the first tick is often slower: cold caches). Lateness is
        // how far past its grid point a tick ran; missed ticks are grid points that got none.
        const double period = setup.interval;
        if (!anchored) {
            anchor = now - static_cast<double>(tick.index) * period;
            anchored = true;
        }
        double k = std::round((now - anchor) / period);
        double lateness = (now - anchor) - k * period;
        if (lateness < -0.1 * period) {  // far before the nearest point: late for the one before
            k -= 1;
            lateness += period;
        } else if (lateness < 0) {  // slightly early: the grid is earlier than estimated
            anchor += lateness;
            lateness = 0;
        }
        const std::uint64_t missed =
            k > static_cast<double>(tick.index) ? static_cast<std::uint64_t>(k) - tick.index : 0;
        TickContext ctx;
        ctx.nodeId = setup.nodeId;
        ctx.tick = tick.index;
        ctx.interval = setup.interval;
        ctx.cmdline = &cmdline;
        ctx.latenessSeconds = lateness;
        ctx.missedTicks = missed;
        {
            std::lock_guard lock(timingMutex);
            ctx.maxLatenessSeconds = std::max(timing.maxLateness, lateness);
        }

        if (!infoDone) {
            KeptOpenFile cpuinfo("/proc/cpuinfo");
            live->setInfoJson(renderSystemInfoJson(*tick.system, setup.nodeId, cpuinfo.read()));
            infoDone = true;
        }

        auto json = jsonPool.acquire(currentJson);
        renderSnapshotJson(*json, *tick.system, tick.processes, ctx);

        const bool haveCpu = parseProcStat(procStat.read(), cpuTimes);
        auto text = promPool.acquire(currentProm);
        prom.text().swap(*text);
        prom.clear();
        renderPrometheus(prom, *tick.system, haveCpu ? &cpuTimes : nullptr, ticksPerSecond, tick.processes, ctx);
        if (tick.alerts) {
            renderAlertsPrometheus(prom, *tick.alerts);
            if (tick.alerts->changed() || !alertsPublished) {
                live->publishAlerts(std::make_shared<const std::string>(renderAlertsJson(*tick.alerts)));
                alertsPublished = true;
            }
        }
        prom.text().swap(*text);

        currentJson = json;
        currentProm = text;
        live->publish(std::move(json), std::move(text));

        std::lock_guard lock(timingMutex);
        timing.ticks = tick.index + 1;
        timing.lastLateness = lateness;
        timing.maxLateness = std::max(timing.maxLateness, lateness);
        timing.missedTicks = missed;
        timing.lastRenderSeconds = steadySeconds() - now;
    }
};

Result<std::unique_ptr<ServeSampler>> ServeSampler::create(const SamplerSetup& setup, std::shared_ptr<LiveData> live) {
    if (!live) return fail("no live data");
    std::unique_ptr<ServeSampler> s(new ServeSampler);
    s->d = std::make_unique<Impl>();
    s->d->setup = setup;
    s->d->cmdline = CmdlineFilter(setup.cmdline);
    s->d->live = std::move(live);
    SamplerOptions o;
    o.interval = setup.interval;
    o.maxSamples = setup.history;
    o.pids = setup.pids;
    o.namePatterns = setup.namePatterns;
    o.cmdlinePatterns = setup.cmdlinePatterns;
    s->d->sampler = std::make_unique<Sampler>(o);
    if (!setup.alerts.empty()) s->d->sampler->setAlerts(setup.alerts);
    Impl* impl = s->d.get();
    s->d->sampler->setSink([impl](const SamplerTick& t) { impl->onTick(t); });
    // History reads go straight to the sampler's timeline, under its lock.
    Sampler* sampler = s->d->sampler.get();
    s->d->live->setHistoryAccess(
        [sampler](const std::function<void(const Timeline&)>& f) { sampler->withTimeline(f); });
    return s;
}

ServeSampler::~ServeSampler() {
    if (d && d->live) d->live->setHistoryAccess(nullptr);
    stop();
}

Status ServeSampler::start() { return d->sampler->start(); }

void ServeSampler::stop() {
    if (d && d->sampler) d->sampler->stop();
}

TickTiming ServeSampler::timing() const {
    std::lock_guard lock(d->timingMutex);
    return d->timing;
}

}  // namespace loadline::core::serve
