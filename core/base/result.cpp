#include "core/base/result.h"

namespace loadline::core {

std::string Error::toString() const {
    if (path.empty()) {
        // A position in text that has no file name: a rule line, a command-line argument.
        if (line > 0) return std::to_string(line) + ":" + std::to_string(column) + ": " + message;
        if (column > 0) return "column " + std::to_string(column) + ": " + message;
        return message;
    }
    if (line > 0) return path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
    return path + ": " + message;
}

}  // namespace loadline::core
