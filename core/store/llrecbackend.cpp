// Registers the .llrec store with core/format, so loadRecordingFile() opens a store (recognised
// by its SQLite header, whatever its name) and saveRecordingFile() writes NAME.llrec as a store.
// core/format cannot call core/store itself: the store is built on it (recordingbackend.h).
// loadline_core links this library whole (WHOLE_ARCHIVE), so the registration below is in every
// program that links loadline_core, even one that names no store function.

#include "core/format/recordingbackend.h"
#include "core/store/llrec.h"

namespace loadline::core::store {

namespace {

LoadResult loadAsStore(const std::string& path, const LoadOptions& options) {
    ReadOptions read;
    read.maxSamples = options.maxSamples;
    read.progress = options.progress;
    return loadStore(path, read);
}

const RecordingFileBackend kStoreBackend{&looksLikeStore, &loadAsStore, &hasStoreExtension, &saveStore};

[[maybe_unused]] const bool kRegistered = (setRecordingFileBackend(&kStoreBackend), true);

}  // namespace

}  // namespace loadline::core::store
