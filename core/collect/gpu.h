#pragma once
// GPU metrics: NVIDIA through dlopen("libnvidia-ml.so.1") with our own minimal declarations
// (no NVML header in Debian main; btop does the same), AMD through /sys/class/drm.
// With no GPU (or no driver) the collector is simply empty: count() == 0, never an error.

#include <memory>
#include <string>
#include <vector>

#include "core/collect/procfile.h"
#include "core/collect/samples.h"

namespace loadline::core {

/** NVML loaded at run time. available() is false when the library or a device is missing. */
class NvidiaGpus {
public:
    /** library: the soname to dlopen (nullptr: do not try; tests pass a missing name). */
    explicit NvidiaGpus(const char* library = "libnvidia-ml.so.1");
    ~NvidiaGpus();
    NvidiaGpus(const NvidiaGpus&) = delete;
    NvidiaGpus& operator=(const NvidiaGpus&) = delete;

    bool available() const { return m_count > 0; }
    int count() const { return m_count; }
    /** Why it is unavailable ("libnvidia-ml.so.1: cannot open shared object file", ...). */
    const std::string& status() const { return m_status; }
    /** Appends one sample per device (index numbering starts at firstIndex). */
    void sample(std::vector<GpuSample>& out, int firstIndex);

private:
    struct Api;
    std::unique_ptr<Api> m_api;
    void* m_lib = nullptr;
    int m_count = 0;
    std::string m_status;
    std::vector<void*> m_devices;
    std::vector<std::string> m_names;
};

/** AMD GPUs of /sys/class/drm/cardN/device (gpu_busy_percent, mem_info_vram_*, hwmon temp). */
class AmdGpus {
public:
    explicit AmdGpus(const ProcRoots& roots = {});
    int count() const { return static_cast<int>(m_cards.size()); }
    void sample(std::vector<GpuSample>& out, int firstIndex);

private:
    struct Card {
        std::string name;
        ProcFile busy, vramUsed, vramTotal, temp;
    };
    std::vector<Card> m_cards;
};

/** Every GPU of the machine: NVIDIA first, then AMD. */
class GpuCollector {
public:
    explicit GpuCollector(const ProcRoots& roots = {}, const char* nvmlLibrary = "libnvidia-ml.so.1");
    int count() const { return m_nvidia.count() + m_amd.count(); }
    /** Fills out with one sample per GPU (reusing its elements). */
    void sample(std::vector<GpuSample>& out);
    const std::string& nvidiaStatus() const { return m_nvidia.status(); }

private:
    NvidiaGpus m_nvidia;
    AmdGpus m_amd;
};

}  // namespace loadline::core
