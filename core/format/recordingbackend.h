#pragma once
// A second on-disk recording format behind loadRecordingFile() and saveRecordingFile(): the
// .llrec store (core/store) registers itself here. The store sits above this module (it keeps
// the py-perf header as JSON, written and parsed by core/format), so core/format cannot call it
// directly. Without a registered backend both functions read and write py-perf JSON only.
// Linking loadline_core (or loadline_store) registers the store before main() runs.

#include <string>
#include <string_view>

#include "core/format/recordingio.h"

namespace loadline::core {

struct RecordingFileBackend {
    /** Whether the file at path is in this format (by its content; asked before the JSON parser). */
    bool (*recognises)(const std::string& path) = nullptr;
    LoadResult (*load)(const std::string& path, const LoadOptions& options) = nullptr;
    /** Whether a recording saved under this name gets this format (by the name: NAME.llrec). */
    bool (*claimsName)(std::string_view path) = nullptr;
    Status (*save)(const std::string& path, const Recording& recording) = nullptr;
};

/** Installs the backend (the last call wins; nullptr removes it). The backend must outlive every
 *  load and save; set it before loading from other threads. */
void setRecordingFileBackend(const RecordingFileBackend* backend);
/** The installed backend, nullptr when there is none. */
const RecordingFileBackend* recordingFileBackend();

}  // namespace loadline::core
