#pragma once
// A QTcpServer that sees every connection's bytes before QHttpServer does. Qt HttpServer 6.4
// buffers a whole request, body included, with no limit; this guard follows the request framing
// (core/serve/requestframer.h) and answers 413/431/411/400 itself as soon as the headers show a
// request is too big, so at most the header limit plus one 1 MiB body is ever buffered per
// connection. It also caps the number of open connections and closes idle ones.

#include <QTcpServer>

#include "core/serve/requestframer.h"

class QTcpSocket;

namespace loadline::server {

struct ConnectionLimits {
    core::serve::FramingLimits framing;
    int maxConnections = 128;
    int idleTimeoutMs = 60000;
    qint64 maxDrainBytes = 8 * 1024 * 1024;  // read and dropped after a refusal, so the client sees it
    int drainTimeoutMs = 2000;
};

class GuardedTcpServer : public QTcpServer {
    Q_OBJECT
public:
    explicit GuardedTcpServer(ConnectionLimits limits, QObject* parent = nullptr);
    int openConnections() const { return m_open; }
    quint64 refusedRequests() const { return m_refused; }

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    ConnectionLimits m_limits;
    int m_open = 0;
    quint64 m_refused = 0;
};

}  // namespace loadline::server
