#pragma once
// The headless commands that draw with Qt (export-png, report): the offscreen platform unless
// the caller chose one, so they work without any display (ssh, CI).

namespace loadline::cli {

/** Call before constructing the QApplication. Sets QT_QPA_PLATFORM=offscreen when unset and,
 *  without a session, XDG_RUNTIME_DIR to a private /tmp/runtime-UID (Qt would warn on every run
 *  that it is unset, then use that directory anyway). */
void prepareOffscreenQt();

}  // namespace loadline::cli
