#include "core/sampler/timelinewriter.h"

#include <algorithm>
#include <cmath>

namespace loadline::core {

namespace {
constexpr int kUnranked = 1 << 20;
int rankOf(int rank) { return rank > 0 ? rank : kUnranked; }
}  // namespace

std::string indexedColumn(const char* key, std::size_t i) { return std::string(key) + "[" + std::to_string(i) + "]"; }

TimelineWriter::TimelineWriter(std::span<const metrics::Metric> system, std::span<const metrics::Metric> process,
                               bool perCpu, bool extras)
    : m_perCpu(perCpu), m_extras(extras) {
    for (const auto& m : system) {
        if (!m.column || !m.readSystem) continue;
        if (m.index == metrics::Index::None) m_sysMetrics.push_back(&m);
        else if (m.index == metrics::Index::Cpu) m_perCoreMetrics.push_back(&m);
        else if (m.index == metrics::Index::Gpu) m_gpuMetrics.push_back(&m);
    }
    std::stable_sort(m_sysMetrics.begin(), m_sysMetrics.end(),
                     [](const auto* a, const auto* b) { return rankOf(a->columnRank) < rankOf(b->columnRank); });
    // py-perf's identity columns of a process sit between its metrics (pid, name, ..., status,
    // create_time, cmdline): their ranks keep that order.
    struct Ranked {
        int rank;
        ProcColumn c;
    };
    std::vector<Ranked> cols = {{1, {col::kPid, nullptr, ProcColumn::kPid, true}},
                                {2, {col::kName, nullptr, ProcColumn::kName, true}},
                                {7, {col::kStatus, nullptr, ProcColumn::kStatus, true}},
                                {9, {col::kCmdline, nullptr, ProcColumn::kCmdline, true}}};
    for (const auto& m : process)
        if (m.column && m.readProcess)
            cols.push_back({rankOf(m.columnRank), {m.column, &m, ProcColumn::kMetric, m.has(metrics::kAlwaysColumn)}});
    std::stable_sort(cols.begin(), cols.end(), [](const Ranked& a, const Ranked& b) { return a.rank < b.rank; });
    for (const auto& r : cols) m_procColumns.push_back(r.c);
    m_sys.assign(m_sysMetrics.size(), -1);
    m_perCore.resize(m_perCoreMetrics.size());
}

void TimelineWriter::reset() {
    m_sysTable = nullptr;
    for (auto& v : m_perCore) v.clear();
    m_gpu.clear();
    m_procs.clear();
    m_contention.reset();
}

void TimelineWriter::setCol(SeriesTable& t, int& c, const char* name, double v) {
    if (c < 0) {
        if (std::isnan(v)) return;  // optional column: created at its first real value
        c = t.ensureColumn(name);
    }
    t.setLast(c, v);
}

void TimelineWriter::appendSystem(Timeline& tl, const SystemSample& s) {
    SeriesTable& t = tl.system;
    if (m_sysTable != &t) {
        m_sysTable = &t;
        for (std::size_t i = 0; i < m_sysMetrics.size(); ++i) {
            const auto* m = m_sysMetrics[i];
            m_sys[i] = m->has(metrics::kAlwaysColumn) ? t.ensureColumn(m->column) : t.columnIndex(m->column);
        }
        for (auto& v : m_perCore) v.clear();
        m_gpu.clear();
    }
    t.appendRow(s.timestamp);
    for (std::size_t i = 0; i < m_sysMetrics.size(); ++i) {
        const auto* m = m_sysMetrics[i];
        if (m->extra && !m_extras) continue;
        setCol(t, m_sys[i], m->column, m->read(s) * m->columnScale);
    }
    if (!m_extras) return;
    if (m_perCpu) {
        const std::size_t n = s.cpuPercentPerCore.size();
        for (std::size_t k = 0; k < m_perCoreMetrics.size(); ++k) {
            const auto* m = m_perCoreMetrics[k];
            auto& cols = m_perCore[k];
            for (std::size_t i = 0; i < n; ++i) {
                if (i >= cols.size()) cols.push_back(t.ensureColumn(indexedColumn(m->column, i)));
                t.setLast(cols[i], m->read(s, i) * m->columnScale);
            }
        }
    }
    for (std::size_t i = 0; i < s.gpus.size(); ++i) {
        if (i >= m_gpu.size()) {
            std::vector<int> cols;
            for (const auto* m : m_gpuMetrics) cols.push_back(t.ensureColumn(indexedColumn(m->column, i)));
            m_gpu.push_back(std::move(cols));
        }
        for (std::size_t k = 0; k < m_gpuMetrics.size(); ++k)
            t.setLast(m_gpu[i][k], m_gpuMetrics[k]->read(s, i) * m_gpuMetrics[k]->columnScale);
    }
    m_contention.appendSystem(t, s);
}

void TimelineWriter::appendProcess(Timeline& tl, const ProcessSample& p) {
    auto found = tl.processes.find(p.pid);
    if (found == tl.processes.end()) {
        found = tl.processes.emplace(p.pid, ProcessSeries(tl.maxSamples())).first;
        found->second.samples.reserve(tl.maxSamples() ? std::min<std::size_t>(tl.maxSamples(), 4096) : 64);
    }
    SeriesTable& t = found->second.samples;
    ProcCols& pc = m_procs[p.pid];
    if (pc.table != &t) {
        pc.table = &t;
        pc.idx.resize(m_procColumns.size());
        for (std::size_t i = 0; i < m_procColumns.size(); ++i) {
            const ProcColumn& c = m_procColumns[i];
            const bool text = c.identity == ProcColumn::kName || c.identity == ProcColumn::kStatus ||
                              c.identity == ProcColumn::kCmdline;
            pc.idx[i] = c.always ? t.ensureColumn(c.name, text) : t.columnIndex(c.name);
        }
    }
    t.appendRow(p.timestamp);
    for (std::size_t i = 0; i < m_procColumns.size(); ++i) {
        const ProcColumn& c = m_procColumns[i];
        switch (c.identity) {
        case ProcColumn::kPid: setCol(t, pc.idx[i], c.name, p.pid); break;
        case ProcColumn::kName: t.setLastText(pc.idx[i], p.name); break;
        case ProcColumn::kStatus: t.setLastText(pc.idx[i], p.status); break;
        case ProcColumn::kCmdline: t.setLastText(pc.idx[i], p.cmdline); break;
        case ProcColumn::kMetric:
            if (c.metric->extra && !m_extras) break;
            setCol(t, pc.idx[i], c.name, c.metric->read(p) * c.metric->columnScale);
            break;
        }
    }
    if (!m_extras) return;
    m_contention.appendProcess(t, p);
}

}  // namespace loadline::core
