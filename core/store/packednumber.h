#pragma once
// One number of a .llrec packed JSON array (a tick's values, a level block's summary): a JSON
// number or null (a missing value, kMissing), read with std::from_chars. Shared by the tick
// reader (llrecreader.cpp) and the level reader (llreclevels.cpp).

#include <charconv>
#include <cstring>

#include "core/timeline/seriestable.h"

namespace loadline::core::store {

/** Reads the number (or null) at p, after any spaces, and moves p past it; on anything else
 *  clears ok and returns kMissing. */
inline double readPackedNumber(const char*& p, const char* end, bool& ok) {
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')) ++p;
    if (end - p >= 4 && std::memcmp(p, "null", 4) == 0) {
        p += 4;
        return kMissing;
    }
    double v = 0;
    auto r = std::from_chars(p, end, v);
    if (r.ec != std::errc()) {
        ok = false;
        return kMissing;
    }
    p = r.ptr;
    return v;
}

}  // namespace loadline::core::store
