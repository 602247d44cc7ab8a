// Writes a synthetic py-perf timeline laid out as py-perf's json.dump(..., indent=2) writes it:
// N system samples and two processes of N samples each (N = 1,000,000 gives about 1 GB).
// Values look like psutil's: epoch timestamps with 7 decimals, one-decimal percentages,
// megabytes from byte counts. Streamed to the file in big chunks: fast, little memory.
//
//   loadline_gen_pyperf [--samples N] FILE
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

std::string out;

void put(std::string_view s) { out.append(s); }

// Python's repr of a float (same rule as core/format's writer).
void number(double v) {
    char sci[64];
    auto r = std::to_chars(sci, sci + sizeof sci, v, std::chars_format::scientific);
    std::string_view text(sci, static_cast<std::size_t>(r.ptr - sci));
    std::size_t e = text.find('e');
    const char* p = sci + e + 1;
    bool neg = *p == '-';
    if (*p == '+' || *p == '-') ++p;
    int exponent = 0;
    std::from_chars(p, r.ptr, exponent);
    if (neg) exponent = -exponent;
    if (exponent < -4 || exponent >= 16) {
        out.append(text);
        return;
    }
    std::string_view mant = text.substr(0, e);
    if (mant.front() == '-') {
        out.push_back('-');
        mant.remove_prefix(1);
    }
    char digits[32];
    std::size_t n = 0;
    for (char c : mant)
        if (c != '.') digits[n++] = c;
    if (exponent < 0) {
        out.append("0.");
        out.append(static_cast<std::size_t>(-exponent - 1), '0');
        out.append(digits, n);
        return;
    }
    std::size_t intDigits = static_cast<std::size_t>(exponent) + 1;
    if (n <= intDigits) {
        out.append(digits, n);
        out.append(intDigits - n, '0');
        out.append(".0");
    } else {
        out.append(digits, intDigits);
        out.push_back('.');
        out.append(digits + intDigits, n - intDigits);
    }
}

void integer(long long v) {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

void field(const char* indent, const char* key, double v, bool last = false) {
    put(indent);
    put("\"");
    put(key);
    put("\": ");
    number(v);
    put(last ? "\n" : ",\n");
}

// A cheap deterministic pseudo-random stream (xorshift).
std::uint64_t state = 88172645463325252ull;
double rnd() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
}
double oneDecimal(double v) { return std::round(v * 10) / 10; }
double timestampOf(long i) {
    // time.time() at 0.5 s intervals with jitter, rounded to 7 decimals like a real repr.
    return std::round((1700000000.0 + i * 0.5 + rnd() * 0.01) * 1e7) / 1e7;
}

void flush(std::FILE* f) {
    if (std::fwrite(out.data(), 1, out.size(), f) != out.size()) {
        std::perror("write");
        std::exit(1);
    }
    out.clear();
}

}  // namespace

int main(int argc, char** argv) {
    long samples = 1000000;
    const char* path = nullptr;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--samples") == 0 && i + 1 < argc) samples = std::atol(argv[++i]);
        else if (std::strcmp(argv[i], "--help") == 0) {
            std::printf("Usage: %s [--samples N] FILE\n", argv[0]);
            return 0;
        } else path = argv[i];
    }
    if (!path || samples < 0) {
        std::fprintf(stderr, "Usage: %s [--samples N] FILE\n", argv[0]);
        return 2;
    }
    std::FILE* f = std::fopen(path, "wb");
    if (!f) {
        std::perror(path);
        return 1;
    }
    out.reserve(8 << 20);
    const char* in = "      ";
    put("{\n  \"system\": [");
    for (long i = 0; i < samples; ++i) {
        put(i ? ",\n    {\n" : "\n    {\n");
        field(in, "timestamp", timestampOf(i));
        field(in, "cpu_percent", oneDecimal(rnd() * 100));
        field(in, "memory_percent", oneDecimal(40 + rnd() * 20));
        field(in, "memory_available_mb", std::floor(rnd() * 16e9) / 1048576.0);
        field(in, "memory_used_mb", std::floor(rnd() * 16e9) / 1048576.0);
        field(in, "load_avg_1m", std::round(rnd() * 800) / 100);
        field(in, "load_avg_5m", std::round(rnd() * 800) / 100);
        field(in, "load_avg_15m", std::round(rnd() * 800) / 100, true);
        put("    }");
        if (out.size() > (4u << 20)) flush(f);
    }
    put(samples ? "\n  ],\n  \"processes\": {" : "],\n  \"processes\": {");
    const char* pin = "        ";
    const int pids[] = {4242, 31337};
    for (int p = 0; p < 2; ++p) {
        put(p ? ",\n    \"" : "\n    \"");
        integer(pids[p]);
        put("\": [");
        const char* name = p ? "worker" : "python";
        for (long i = 0; i < samples; ++i) {
            put(i ? ",\n      {\n" : "\n      {\n");
            field(pin, "timestamp", timestampOf(i));
            put(pin);
            put("\"pid\": ");
            integer(pids[p]);
            put(",\n");
            put(pin);
            put("\"name\": \"");
            put(name);
            put("\",\n");
            field(pin, "cpu_percent", oneDecimal(rnd() * 400));
            field(pin, "memory_rss_mb", std::floor(rnd() * 4e9) / 1048576.0);
            field(pin, "memory_vms_mb", std::floor(rnd() * 8e9) / 1048576.0);
            put(pin);
            put("\"num_threads\": ");
            integer(1 + static_cast<int>(rnd() * 16));
            put(",\n");
            put(pin);
            put(i % 10 ? "\"status\": \"running\",\n" : "\"status\": \"sleeping\",\n");
            field(pin, "create_time", 1699999000.1234567);
            put(pin);
            put(p ? "\"cmdline\": \"python -m worker --jobs 4\"\n" : "\"cmdline\": \"python my_script.py\"\n");
            put("      }");
            if (out.size() > (4u << 20)) flush(f);
        }
        put(samples ? "\n    ]" : "]");
    }
    put("\n  },\n  \"metadata\": {\n    \"platform\": \"Linux\",\n    \"sample_interval\": 0.5,\n");
    put("    \"start_time\": ");
    number(1700000000.0);
    put(",\n    \"end_time\": ");
    number(1700000000.0 + samples * 0.5);
    put("\n  }\n}");
    flush(f);
    if (std::fclose(f) != 0) {
        std::perror(path);
        return 1;
    }
    return 0;
}
