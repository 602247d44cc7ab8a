// A stand-in for libnvidia-ml.so.1 with NVML's C ABI (the entry points loadline dlopens), so
// the NVIDIA collector's real loading and sampling path runs on machines without a GPU.
// Two devices; utilisation counts up on every read (the collector must read live values);
// device 1 has no temperature sensor (NVML_ERROR_NOT_SUPPORTED). FAKE_NVML_INIT_FAIL=1 makes
// nvmlInit_v2 fail as it does without a driver.
#include <cstdlib>
#include <cstring>

extern "C" {

struct FakeUtilization {
    unsigned int gpu, memory;
};
struct FakeMemory {
    unsigned long long total, free, used;
};

static int g_devices[2] = {0, 1};
static unsigned int g_utilizationReads = 0;
static int g_shutdowns = 0;

int nvmlInit_v2() {
    const char* fail = std::getenv("FAKE_NVML_INIT_FAIL");
    return fail && *fail == '1' ? 9 /* NVML_ERROR_DRIVER_NOT_LOADED */ : 0;
}
int nvmlShutdown() {
    ++g_shutdowns;
    return 0;
}
int nvmlDeviceGetCount_v2(unsigned int* count) {
    *count = 2;
    return 0;
}
int nvmlDeviceGetHandleByIndex_v2(unsigned int index, void** device) {
    if (index > 1) return 2;  // NVML_ERROR_INVALID_ARGUMENT
    *device = &g_devices[index];
    return 0;
}
int nvmlDeviceGetName(void* device, char* name, unsigned int length) {
    const char* n = device == &g_devices[0] ? "Fake H200" : "Fake L4";
    std::strncpy(name, n, length);
    name[length - 1] = 0;
    return 0;
}
int nvmlDeviceGetUtilizationRates(void* device, FakeUtilization* u) {
    ++g_utilizationReads;
    u->gpu = (device == &g_devices[0] ? 10 : 50) + g_utilizationReads;
    u->memory = 5;
    return 0;
}
int nvmlDeviceGetMemoryInfo(void* device, FakeMemory* m) {
    m->total = device == &g_devices[0] ? 150ull << 30 : 24ull << 30;
    m->used = device == &g_devices[0] ? 3ull << 30 : 1ull << 30;
    m->free = m->total - m->used;
    return 0;
}
int nvmlDeviceGetTemperature(void* device, int sensor, unsigned int* t) {
    if (device != &g_devices[0] || sensor != 0) return 3;  // NVML_ERROR_NOT_SUPPORTED
    *t = 41;
    return 0;
}
/** Test hook: how often nvmlShutdown ran. */
int fakeNvmlShutdownCount() { return g_shutdowns; }
}
