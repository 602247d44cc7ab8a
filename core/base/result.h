#pragma once
// core/base: what every core module may use. result.h is core's one way to fail: a function
// that can fail returns Result<T> (tl::expected<T, Error>): the value, or an Error that says
// what went wrong, where, and what kind of failure it was (docs/errors.md).
//
//   Result<Recording> r = loadRecordingFile(path);
//   if (!r) return fail(std::move(r.error()));   // or print r.error().toString()
//   use(*r);
//
// Result<void> (alias Status) is for operations that return nothing on success: `return {};`.

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace loadline::core {

/** What kind of failure an Error is: callers branch on it, never on message text. */
enum class ErrorKind {
    /** Input broke a rule: JSON syntax or shape, a field's value, an argument, a rule line.
     *  path/line/column or field say where when known. */
    Invalid,
    /** The operating system refused (open, read, write, rename, lock, /proc): errnum is errno
     *  (0 when the cause was not a system call, e.g. "not a regular file"). */
    Io,
    /** The caller asked the operation to stop (a cancel flag or a progress callback). */
    Cancelled,
    /** A server refuses a request: httpStatus is the status to answer with (400, 401, 411, 413,
     *  431, 505, ...); field names the part of the request at fault. */
    Refused,
};

/** Why something failed. Only message is always set; the rest is set where it is known. */
struct Error {
    ErrorKind kind = ErrorKind::Invalid;
    /** What went wrong, for a person. Without path/line/column when those are set (toString adds them). */
    std::string message;
    /** The file the error is about, when the location is kept apart from message (loads). */
    std::string path;
    /** 1-based position in path (or in the text parsed); 0 when the error is not about a position. */
    int line = 0;
    int column = 0;
    /** The JSON field, request header or part at fault ("body", "timestamp", "Content-Length"). */
    std::string field;
    /** errno of the failing system call (kind Io), else 0. */
    int errnum = 0;
    /** The HTTP status a server answers with (kind Refused), else 0. */
    int httpStatus = 0;

    /** "PATH:LINE:COLUMN: message", or "PATH: message" without a position. Without a path:
     *  "LINE:COLUMN: message", "column N: message" (column only), or message alone. */
    std::string toString() const;
};

template <class T>
using Result = tl::expected<T, Error>;
/** For operations with no value: `return {};` on success. */
using Status = Result<void>;

/** The failure side of a Result: `return fail(...)`. */
inline tl::unexpected<Error> fail(Error error) { return tl::unexpected<Error>(std::move(error)); }
/** A failure with only a message (kind Invalid unless given). */
inline tl::unexpected<Error> fail(std::string message, ErrorKind kind = ErrorKind::Invalid) {
    Error e;
    e.kind = kind;
    e.message = std::move(message);
    return tl::unexpected<Error>(std::move(e));
}
/** An operating-system failure: message as given (it usually names the path), errno kept. */
inline tl::unexpected<Error> failIo(std::string message, int errnum) {
    Error e;
    e.kind = ErrorKind::Io;
    e.message = std::move(message);
    e.errnum = errnum;
    return tl::unexpected<Error>(std::move(e));
}
/** An operating-system failure about a file: toString() gives "PATH: message"; errno kept. */
inline tl::unexpected<Error> failIoAt(std::string path, std::string message, int errnum) {
    Error e;
    e.kind = ErrorKind::Io;
    e.path = std::move(path);
    e.message = std::move(message);
    e.errnum = errnum;
    return tl::unexpected<Error>(std::move(e));
}
/** A refused request: the HTTP status, the part at fault and why. */
inline tl::unexpected<Error> failRefused(int httpStatus, std::string field, std::string message) {
    Error e;
    e.kind = ErrorKind::Refused;
    e.message = std::move(message);
    e.field = std::move(field);
    e.httpStatus = httpStatus;
    return tl::unexpected<Error>(std::move(e));
}
/** A bad field of a JSON document or request ("name", "timestamp", "body"). */
inline Error fieldError(std::string field, std::string message) {
    Error e;
    e.kind = ErrorKind::Invalid;
    e.message = std::move(message);
    e.field = std::move(field);
    return e;
}
inline tl::unexpected<Error> failField(std::string field, std::string message) {
    return tl::unexpected<Error>(fieldError(std::move(field), std::move(message)));
}

/** Whether r holds a value; if not, and message is given, *message = r.error().toString().
 *  For callers that report errors as text (a command line's stderr, a dialog):
 *  `if (!core::succeeded(core::writeOutput(path, text), &error)) ...`. */
template <class T>
bool succeeded(const Result<T>& r, std::string* message = nullptr) {
    if (r) return true;
    if (message) *message = r.error().toString();
    return false;
}

}  // namespace loadline::core
