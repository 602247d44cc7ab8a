#include "core/collect/gpu.h"

#include <dirent.h>
#include <dlfcn.h>
#include <algorithm>

#include "core/collect/textscan.h"

namespace loadline::core {

// ---- NVIDIA (NVML) ----
// Minimal declarations of the NVML C API (stable ABI; the _v2 entry points exist since 2013).
namespace nvml {
using Return = int;  // nvmlReturn_t, NVML_SUCCESS == 0
using Device = void*;
struct Utilization {
    unsigned int gpu;
    unsigned int memory;
};
struct Memory {
    unsigned long long total;
    unsigned long long free;
    unsigned long long used;
};
constexpr int kTemperatureGpu = 0;  // NVML_TEMPERATURE_GPU
constexpr int kSuccess = 0;
}  // namespace nvml

struct NvidiaGpus::Api {
    nvml::Return (*init)() = nullptr;
    nvml::Return (*shutdown)() = nullptr;
    nvml::Return (*getCount)(unsigned int*) = nullptr;
    nvml::Return (*getHandle)(unsigned int, nvml::Device*) = nullptr;
    nvml::Return (*getName)(nvml::Device, char*, unsigned int) = nullptr;
    nvml::Return (*getUtilization)(nvml::Device, nvml::Utilization*) = nullptr;
    nvml::Return (*getMemory)(nvml::Device, nvml::Memory*) = nullptr;
    nvml::Return (*getTemperature)(nvml::Device, int, unsigned int*) = nullptr;
};

template <class Fn>
static bool loadSymbol(void* lib, const char* name, Fn& fn) {
    fn = reinterpret_cast<Fn>(::dlsym(lib, name));
    return fn != nullptr;
}

NvidiaGpus::NvidiaGpus(const char* library) : m_api(std::make_unique<Api>()) {
    if (!library) {
        m_status = "NVML disabled";
        return;
    }
    m_lib = ::dlopen(library, RTLD_LAZY | RTLD_LOCAL);
    if (!m_lib) {
        const char* e = ::dlerror();
        m_status = e ? e : "cannot load NVML";
        return;
    }
    Api& a = *m_api;
    if (!loadSymbol(m_lib, "nvmlInit_v2", a.init) || !loadSymbol(m_lib, "nvmlShutdown", a.shutdown) ||
        !loadSymbol(m_lib, "nvmlDeviceGetCount_v2", a.getCount) ||
        !loadSymbol(m_lib, "nvmlDeviceGetHandleByIndex_v2", a.getHandle) ||
        !loadSymbol(m_lib, "nvmlDeviceGetName", a.getName) ||
        !loadSymbol(m_lib, "nvmlDeviceGetUtilizationRates", a.getUtilization) ||
        !loadSymbol(m_lib, "nvmlDeviceGetMemoryInfo", a.getMemory) ||
        !loadSymbol(m_lib, "nvmlDeviceGetTemperature", a.getTemperature)) {
        m_status = std::string(library) + ": missing NVML symbols";
        ::dlclose(m_lib);
        m_lib = nullptr;
        return;
    }
    if (a.init() != nvml::kSuccess) {
        m_status = "nvmlInit_v2 failed (no NVIDIA driver?)";
        ::dlclose(m_lib);
        m_lib = nullptr;
        return;
    }
    unsigned int n = 0;
    if (a.getCount(&n) != nvml::kSuccess) n = 0;
    for (unsigned int i = 0; i < n; ++i) {
        nvml::Device d = nullptr;
        if (a.getHandle(i, &d) != nvml::kSuccess) continue;
        char name[96] = {};
        if (a.getName(d, name, sizeof name) != nvml::kSuccess) name[0] = 0;
        m_devices.push_back(d);
        m_names.emplace_back(name[0] ? name : "NVIDIA GPU");
    }
    m_count = static_cast<int>(m_devices.size());
    m_status = m_count ? "ok" : "no NVIDIA device";
}

NvidiaGpus::~NvidiaGpus() {
    if (m_lib) {
        m_api->shutdown();
        ::dlclose(m_lib);
    }
}

void NvidiaGpus::sample(std::vector<GpuSample>& out, int firstIndex) {
    for (int i = 0; i < m_count; ++i) {
        GpuSample& s = out[static_cast<std::size_t>(firstIndex + i)];
        s.index = firstIndex + i;
        if (s.vendor != "nvidia") s.vendor = "nvidia";
        if (s.name != m_names[i]) s.name = m_names[i];
        nvml::Device d = m_devices[i];
        nvml::Utilization u{};
        s.utilizationPercent = m_api->getUtilization(d, &u) == nvml::kSuccess ? u.gpu : kMissing;
        nvml::Memory m{};
        if (m_api->getMemory(d, &m) == nvml::kSuccess) {
            s.memoryUsedBytes = static_cast<double>(m.used);
            s.memoryTotalBytes = static_cast<double>(m.total);
        } else {
            s.memoryUsedBytes = s.memoryTotalBytes = kMissing;
        }
        unsigned int t = 0;
        s.temperatureC = m_api->getTemperature(d, nvml::kTemperatureGpu, &t) == nvml::kSuccess ? t : kMissing;
    }
}

// ---- AMD (amdgpu sysfs) ----

AmdGpus::AmdGpus(const ProcRoots& roots) {
    const std::string drm = roots.sys + "/class/drm";
    std::vector<std::string> cards;
    if (DIR* d = ::opendir(drm.c_str())) {
        while (dirent* e = ::readdir(d)) {
            std::string_view n = e->d_name;
            // cardN only (not cardN-DP-1 connectors)
            if (n.size() > 4 && n.substr(0, 4) == "card" &&
                std::all_of(n.begin() + 4, n.end(), [](char c) { return c >= '0' && c <= '9'; }))
                cards.emplace_back(n);
        }
        ::closedir(d);
    }
    std::sort(cards.begin(), cards.end(), [](const std::string& a, const std::string& b) {
        return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
    for (const auto& c : cards) {
        const std::string dev = drm + "/" + c + "/device";
        Card card;
        if (!card.busy.open(dev + "/gpu_busy_percent")) continue;  // not an amdgpu device
        card.vramUsed.open(dev + "/mem_info_vram_used");
        card.vramTotal.open(dev + "/mem_info_vram_total");
        std::string text;
        if (readWholeFile(dev + "/product_name", text)) {
            while (!text.empty() && scan::isSpace(text.back())) text.pop_back();
            card.name = text;
        }
        if (card.name.empty()) card.name = "AMD GPU (" + c + ")";
        // Temperature: the first hwmon of the device (edge temperature, temp1_input).
        const std::string hwmon = dev + "/hwmon";
        if (DIR* d = ::opendir(hwmon.c_str())) {
            while (dirent* e = ::readdir(d)) {
                std::string_view n = e->d_name;
                if (n.substr(0, 5) != "hwmon") continue;
                if (card.temp.open(hwmon + "/" + std::string(n) + "/temp1_input")) break;
            }
            ::closedir(d);
        }
        m_cards.push_back(std::move(card));
    }
}

static double readNumber(ProcFile& f, double scale) {
    if (!f.isOpen()) return kMissing;
    auto text = f.read();
    if (!text) return kMissing;
    std::size_t p = 0;
    std::int64_t v = 0;
    if (!scan::toI64(scan::nextToken(*text, p), v)) return kMissing;
    return static_cast<double>(v) * scale;
}

void AmdGpus::sample(std::vector<GpuSample>& out, int firstIndex) {
    for (std::size_t i = 0; i < m_cards.size(); ++i) {
        Card& c = m_cards[i];
        GpuSample& s = out[static_cast<std::size_t>(firstIndex) + i];
        s.index = firstIndex + static_cast<int>(i);
        if (s.vendor != "amd") s.vendor = "amd";
        if (s.name != c.name) s.name = c.name;
        s.utilizationPercent = readNumber(c.busy, 1.0);
        s.memoryUsedBytes = readNumber(c.vramUsed, 1.0);
        s.memoryTotalBytes = readNumber(c.vramTotal, 1.0);
        s.temperatureC = readNumber(c.temp, 0.001);
    }
}

GpuCollector::GpuCollector(const ProcRoots& roots, const char* nvmlLibrary) : m_nvidia(nvmlLibrary), m_amd(roots) {}

void GpuCollector::sample(std::vector<GpuSample>& out) {
    out.resize(static_cast<std::size_t>(count()));
    m_nvidia.sample(out, 0);
    m_amd.sample(out, m_nvidia.count());
}

}  // namespace loadline::core
