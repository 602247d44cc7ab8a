#pragma once
// A number for a JSON document built with nlohmann::json (or ordered_json): JSON has no NaN
// or infinity, so a missing reading (NaN, see core/timeline/seriestable.h kMissing) or an
// infinite one becomes null. The one NaN→null rule of every JSON writer that builds a DOM; the
// streaming writers (core/serve/jsonwriter.h, core/format/jsontextwriter.h) write null the same way.

#include <cmath>

#include <nlohmann/json.hpp>

namespace loadline::core::jsontext {

template <class Json = nlohmann::json>
Json numberOrNull(double v) {
    return std::isfinite(v) ? Json(v) : Json(nullptr);
}

}  // namespace loadline::core::jsontext
