#pragma once
// The version of loadline's own JSON documents (docs/json.md): the "schema_version" key of every
// `loadline-cli … --json` object, and the X-Loadline-Schema-Version header of every JSON answer
// of `serve` (whose bodies keep the shapes of the services they answer for: TrackLab's
// /api/system/*, Climate System Monitor's pushes, py-perf's summaries; some are arrays).
// Adding a key keeps the version; removing or renaming a key, or changing what a value means or
// its unit, raises it.
namespace loadline::core {

inline constexpr int kJsonSchemaVersion = 1;
inline constexpr const char* kJsonSchemaKey = "schema_version";
inline constexpr const char* kJsonSchemaHeader = "X-Loadline-Schema-Version";

}  // namespace loadline::core
