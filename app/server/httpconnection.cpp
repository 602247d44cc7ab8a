#include "app/server/httpconnection.h"

#include <QPointer>
#include <QSslSocket>
#include <QTcpSocket>

#include <sys/socket.h>

#include "app/server/httpservice.h"
#include "core/format/jsonschema.h"

namespace loadline::server {

namespace {

const char* reasonPhrase(int status) {
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Status";
    }
}

// origin-form "/path?query" (or absolute-form "http://host/path?query") to the API's request.
core::serve::HttpRequest toApiRequest(core::serve::FramedRequest&& in) {
    core::serve::HttpRequest r;
    r.method = std::move(in.head.method);
    std::string_view t = in.head.target;
    if (const auto scheme = t.find("://"); scheme != std::string_view::npos && t.front() != '/') {
        const auto slash = t.find('/', scheme + 3);
        t = slash == std::string_view::npos ? std::string_view("/") : t.substr(slash);
    }
    if (const auto hash = t.find('#'); hash != std::string_view::npos) t = t.substr(0, hash);
    const auto q = t.find('?');
    r.path = core::serve::percentDecode(t.substr(0, q), false);
    if (q != std::string_view::npos) r.query = core::serve::parseQuery(t.substr(q + 1));
    r.authorization = std::move(in.head.authorization);
    r.body = std::move(in.body);
    return r;
}

}  // namespace

QByteArray HttpConnection::serialize(const core::serve::HttpResponse& r, bool close, bool head) {
    QByteArray out;
    out.reserve(qsizetype(r.body.size()) + 256);
    out += "HTTP/1.1 " + QByteArray::number(r.status) + ' ' + reasonPhrase(r.status) + "\r\nContent-Type: ";
    out += QByteArray::fromStdString(r.contentType);
    out += "\r\nContent-Length: " + QByteArray::number(qsizetype(r.body.size())) + "\r\n";
    for (const auto& [k, v] : r.headers)
        out += QByteArray::fromStdString(k) + ": " + QByteArray::fromStdString(v) + "\r\n";
    if (r.contentType.rfind("application/json", 0) == 0)  // docs/json.md: which shape the body has
        out += QByteArray(core::kJsonSchemaHeader) + ": " + QByteArray::number(core::kJsonSchemaVersion) + "\r\n";
    if (close) out += "Connection: close\r\n";
    out += "\r\n";
    if (!head) out.append(r.body.data(), qsizetype(r.body.size()));
    return out;
}

HttpConnection::HttpConnection(QTcpSocket* socket, HttpService* service, const QString& refusal)
    : QObject(socket), m_socket(socket), m_service(service), m_framer(service->limits().framing) {
    const ConnectionLimits& limits = service->limits();
    // Qt reads no further than this ahead of us, so a connection we stopped reading (responses
    // not yet sent) holds a bounded buffer and the kernel's flow control does the rest.
    m_socket->setReadBufferSize(256 * 1024);
    m_deadline.setSingleShot(true);
    m_idle.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        const bool headers = m_framer.inHeaders();
        const int ms = headers ? m_service->limits().headerTimeoutMs : m_service->limits().requestTimeoutMs;
        refuse(408,
               std::string(headers ? "request headers" : "request body") + " not complete within " +
                   std::to_string(ms) + " ms",
               headers ? "headers" : "body");
    });
    connect(&m_idle, &QTimer::timeout, this, [this] {
        if (m_socket->bytesToWrite() > 0) m_socket->abort();  // a client that does not read its answers
        else closeGracefully();
    });
    connect(m_socket, &QTcpSocket::disconnected, m_socket, &QObject::deleteLater);
    connect(m_socket, &QTcpSocket::readyRead, this, [this] {
        if (m_closing) drainOrFinish();
        else readMore();
    });
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_closing) drainOrFinish();
        else readMore();  // reading may have paused for output to drain
    });
    if (auto* ssl = qobject_cast<QSslSocket*>(m_socket)) {
        // Over TLS, bytesWritten means "encrypted"; the end of the answer is when the encrypted
        // bytes left for the kernel.
        connect(ssl, &QSslSocket::encryptedBytesWritten, this, [this] {
            if (m_closing) drainOrFinish();
        });
    }
    m_framer.setHeadCheck([this](const core::serve::RequestHead& head) -> core::serve::FramingVerdict {
        // The token is checked on the header block, before any body byte is accepted.
        if (auto refusal = m_service->api().refuseBeforeBody(head.authorization, head.contentLength))
            return core::failRefused(refusal->status, "Authorization",
                                     head.authorization.empty() ? "missing bearer token" : "wrong bearer token");
        return {};
    });
    if (!refusal.isEmpty()) {
        refuse(503, refusal.toStdString(), "connections");
        return;
    }
    m_idle.start(limits.idleTimeoutMs);
    if (m_socket->bytesAvailable() > 0) readMore();
}

void HttpConnection::readMore() {
    if (m_reading || m_closing) return;
    m_reading = true;
    const ConnectionLimits& limits = m_service->limits();
    while (!m_closing && m_socket->bytesAvailable() > 0 && !m_framer.finished() &&
           m_slots.size() < static_cast<std::size_t>(limits.maxPipelined) &&
           m_socket->bytesToWrite() < limits.maxPendingOutput) {
        const QByteArray chunk = m_socket->read(64 * 1024);
        const auto verdict = m_framer.feed(std::string_view(chunk.constData(), std::size_t(chunk.size())));
        // "100 Continue" only when no earlier answer is owed (answers go in order) and the body
        // has not come with the headers anyway.
        if (m_framer.takeContinue() && m_slots.empty() && m_framer.midRequest())
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        // Requests complete before a refusal are still answered, in order, before it.
        while (m_framer.hasRequest()) dispatch(m_framer.takeRequest());
        if (!verdict) {
            refuse(verdict.error().httpStatus, verdict.error().message, verdict.error().field);
            break;
        }
    }
    // After "Connection: close" nothing more is read as requests: drop what follows.
    if (!m_closing && m_framer.finished() && m_socket->bytesAvailable() > 0) m_socket->readAll();
    m_reading = false;
    if (!m_closing) updateTimers();
}

void HttpConnection::dispatch(core::serve::FramedRequest framed) {
    Slot slot;
    slot.id = m_nextId++;
    slot.close = framed.head.wantsClose;
    slot.head = framed.head.method == "HEAD";
    const std::uint64_t id = slot.id;
    m_slots.push_back(std::move(slot));
    core::serve::HttpRequest request = toApiRequest(std::move(framed));
    // Once one request of this connection is on the worker, later ones follow it there, so that
    // a GET after a POST sees what the POST stored.
    if (m_onWorker == 0 && !core::serve::Api::isSlow(request.method, request.path)) {
        complete(id, m_service->api().handle(request));
        return;
    }
    ++m_onWorker;
    QPointer<HttpConnection> self(this);
    const bool accepted = m_service->submit(std::move(request), [self, id](const core::serve::HttpResponse& r) {
        if (!self) return;  // the client left; what it sent was served, the answer has nowhere to go
        --self->m_onWorker;
        self->complete(id, r);
    });
    if (!accepted) {
        --m_onWorker;
        auto busy = core::serve::jsonError(503, "the server is busy (too many requests waiting); retry shortly");
        busy.headers.emplace_back("Retry-After", "1");
        complete(id, busy);
    }
}

void HttpConnection::complete(std::uint64_t id, const core::serve::HttpResponse& response) {
    for (auto& s : m_slots)
        if (s.id == id) {
            s.bytes = serialize(response, s.close, s.head);
            s.ready = true;
            break;
        }
    flush();
}

void HttpConnection::flush() {
    bool closeNow = false;
    while (!m_slots.empty() && m_slots.front().ready) {
        m_socket->write(m_slots.front().bytes);
        closeNow = m_slots.front().close;
        m_slots.pop_front();
        if (closeNow) break;
    }
    if (closeNow) {
        m_slots.clear();
        closeGracefully();
        return;
    }
    if (!m_closing) {
        updateTimers();
        readMore();  // reading may have paused at the pipelining bound
    }
}

void HttpConnection::updateTimers() {
    const ConnectionLimits& limits = m_service->limits();
    if (m_framer.midRequest()) {
        // The request whose bytes are arriving: the next one while in headers, the current in a body.
        const std::uint64_t which = m_framer.inHeaders() ? m_framer.requestsSeen() + 1 : m_framer.requestsSeen();
        if (which != m_deadlineFor) {
            m_deadlineFor = which;
            m_requestClock.start();
        }
        const int limit = m_framer.inHeaders() ? limits.headerTimeoutMs : limits.requestTimeoutMs;
        const qint64 left = std::max<qint64>(0, limit - m_requestClock.elapsed());
        m_deadline.start(static_cast<int>(left));
        m_idle.stop();
        return;
    }
    m_deadline.stop();
    if (m_slots.empty()) {
        m_idle.start(limits.idleTimeoutMs);  // from the last answer (or the connect)
    } else {
        m_idle.stop();  // the server owes answers: not idle
    }
}

void HttpConnection::refuse(int status, const std::string& message, const std::string& field) {
    auto response = core::serve::jsonError(status, message, field);
    if (status == 401) response.headers.emplace_back("WWW-Authenticate", "Bearer");
    if (status == 503) response.headers.emplace_back("Retry-After", "1");
    // Answers already owed go first, in order; requests still on the worker are abandoned (their
    // pushes may still be stored, as a client that left would find them).
    while (!m_slots.empty() && m_slots.front().ready) {
        m_socket->write(m_slots.front().bytes);
        m_slots.pop_front();
    }
    m_slots.clear();
    m_socket->write(serialize(response, true, false));
    closeGracefully();
}

void HttpConnection::closeGracefully() {
    if (m_closing) return;
    m_closing = true;
    m_deadline.stop();
    m_idle.stop();
    // Whatever happens, the connection is gone after the drain time.
    QTimer::singleShot(m_service->limits().drainTimeoutMs, m_socket, [s = m_socket] {
        s->abort();
        s->deleteLater();
    });
    drainOrFinish();
}

void HttpConnection::drainOrFinish() {
    // Read and drop what the client still sends: closing with unread bytes would make the
    // kernel send a reset, which can destroy our answer before the client reads it.
    m_drained += m_socket->readAll().size();
    if (m_drained > m_service->limits().maxDrainBytes) {
        m_socket->abort();
        return;
    }
    auto* ssl = qobject_cast<QSslSocket*>(m_socket);
    if (ssl) ssl->flush();  // encrypts what is queued and hands it to the kernel
    if (!m_shutdownSent && m_socket->bytesToWrite() == 0 && (!ssl || ssl->encryptedBytesToWrite() == 0) &&
        m_socket->state() == QAbstractSocket::ConnectedState) {
        // Our half is done: FIN after the answer; the client's close (EOF) then ends it.
        m_socket->flush();
        ::shutdown(static_cast<int>(m_socket->socketDescriptor()), SHUT_WR);
        m_shutdownSent = true;
    }
}

}  // namespace loadline::server
