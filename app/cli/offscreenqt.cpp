#include "offscreenqt.h"

#ifdef LOADLINE_WITH_GUI
#include <QByteArray>
#include <QtGlobal>
#include <cerrno>

#include <sys/stat.h>
#include <unistd.h>

namespace loadline::cli {

void prepareOffscreenQt() {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
        const QByteArray dir = "/tmp/runtime-" + QByteArray::number(::getuid());
        if (::mkdir(dir.constData(), 0700) == 0 || errno == EEXIST) {
            struct stat st {};
            // Only a directory this user owns and nobody else may enter.
            if (::stat(dir.constData(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::getuid() &&
                (st.st_mode & 0077) == 0)
                qputenv("XDG_RUNTIME_DIR", dir);
        }
    }
}

}  // namespace loadline::cli
#endif
