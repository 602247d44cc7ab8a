#include "app/server/guardedtcpserver.h"

#include <QTcpSocket>
#include <QTimer>

#include <nlohmann/json.hpp>

namespace loadline::server {

namespace {

const char* reason(int status) {
    switch (status) {
    case 400: return "Bad Request";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}

QByteArray errorResponse(int status, const std::string& message, const std::string& field = {}) {
    nlohmann::json j{{"error", message}, {"status", status}};
    if (!field.empty()) j["field"] = field;
    const std::string body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason(status) +
                     "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                     QByteArray::number(qsizetype(body.size())) + "\r\n\r\n";
    out.append(body.data(), qsizetype(body.size()));
    return out;
}

// Per-connection state, a child of its socket (so it dies with it).
class ConnectionGuard : public QObject {
public:
    ConnectionGuard(QTcpSocket* socket, const ConnectionLimits& limits)
        : QObject(socket), framer(limits.framing), idle(this) {
        idle.setSingleShot(true);
        idle.setInterval(limits.idleTimeoutMs);
        connect(&idle, &QTimer::timeout, socket, &QTcpSocket::disconnectFromHost);
        idle.start();
    }
    core::serve::RequestFramer framer;
    QTimer idle;
    bool refused = false;
    bool closeAfterReply = false;
    qint64 drained = 0;
};

void refuse(QTcpSocket* socket, ConnectionGuard* guard, const core::serve::FramingVerdict& verdict,
            const ConnectionLimits& limits) {
    guard->refused = true;
    // Take the socket away from QHttpServer: its slot (connected after ours) is skipped in this
    // emission too. Then drop its half-read request and answer ourselves.
    QObject::disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
    if (socket->isTransactionStarted()) socket->commitTransaction();
    socket->readAll();
    socket->write(errorResponse(verdict.status, verdict.message, verdict.field));
    socket->flush();
    // Keep reading (and dropping) for a moment so a client still sending its body gets the
    // answer instead of a reset; then close.
    const qint64 maxDrain = limits.maxDrainBytes;
    QObject::connect(socket, &QTcpSocket::readyRead, guard, [socket, guard, maxDrain] {
        guard->drained += socket->readAll().size();
        if (guard->drained > maxDrain) socket->abort();
    });
    QTimer::singleShot(limits.drainTimeoutMs, socket, [socket] { socket->disconnectFromHost(); });
}

}  // namespace

GuardedTcpServer::GuardedTcpServer(ConnectionLimits limits, QObject* parent)
    : QTcpServer(parent), m_limits(limits) {}

void GuardedTcpServer::incomingConnection(qintptr socketDescriptor) {
    auto* socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        return;
    }
    if (m_open >= m_limits.maxConnections) {
        // Over the cap: say so and close, without handing the socket to the HTTP server.
        socket->write(errorResponse(503, "too many open connections (limit " +
                                             std::to_string(m_limits.maxConnections) + ")"));
        socket->disconnectFromHost();
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        return;
    }
    ++m_open;
    connect(socket, &QObject::destroyed, this, [this] { --m_open; });
    auto* guard = new ConnectionGuard(socket, m_limits);
    // Connected before QHttpServer's own readyRead slot, so this runs first on every chunk and
    // sees exactly the bytes QHttpServer is about to read.
    connect(socket, &QTcpSocket::readyRead, guard, [this, socket, guard] {
        guard->idle.start();
        const QByteArray fresh = socket->peek(socket->bytesAvailable());
        auto verdict = guard->framer.feed(std::string_view(fresh.constData(), std::size_t(fresh.size())));
        if (!verdict) {
            ++m_refused;
            refuse(socket, guard, verdict, m_limits);
        }
        guard->closeAfterReply = guard->framer.wantsClose();
    });
    // QHttpServer 6.4 keeps every connection open, even when the client said "Connection:
    // close" or spoke HTTP/1.0: such a client waits for EOF until the idle timeout, holding one
    // of the maxConnections slots. Close once the reply is flushed.
    connect(socket, &QTcpSocket::bytesWritten, guard, [socket, guard] {
        if (guard->closeAfterReply && !guard->refused && socket->bytesToWrite() == 0) socket->disconnectFromHost();
    });
    addPendingConnection(socket);
}

}  // namespace loadline::server
