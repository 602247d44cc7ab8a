// SystemCollector's share of the contention sources: system PSI and the --cgroup cgroup.
#include "core/collect/systemcollector.h"

namespace loadline::core {

void SystemCollector::openContention() {
    if (m_options.pressure) m_pressure.open(m_roots.proc + "/pressure/", "");
    if (!m_options.cgroup.empty()) {
        std::string path;
        const std::string dir = resolveCgroupDir(m_roots, m_options.cgroup, path).value_or(std::string());
        if (!dir.empty()) m_cgroup.open(dir, path);
    }
}

void SystemCollector::collectContention(SystemSample& out, double mono) {
    if (m_pressure.isOpen()) m_pressure.read(out.pressure, mono);
    if (m_cgroup.isOpen()) m_cgroup.read(out.cgroup, mono);
}

}  // namespace loadline::core
