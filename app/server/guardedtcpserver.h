#pragma once
// The listening side of `loadline-cli serve`: accepts connections within a global cap and a cap
// per peer address, and answers a proper 503 (read, answered, closed without a reset) beyond
// them, so that many connections from a few addresses cannot lock everyone else out.
// With a TLS configuration it runs the TLS handshake itself (QSslServer's handshake timeout is
// bypassed by a custom incomingConnection): the caps are decided on the TCP connect, before any
// handshake work, and a connection that has not finished its handshake within the deadline is
// dropped, so a client that opens TCP and never speaks TLS cannot hold a slot.

#include <functional>
#include <optional>
#include <QHash>
#include <QHostAddress>
#include <QSslConfiguration>
#include <QTcpServer>

#include "core/serve/requestframer.h"

class QTcpSocket;

namespace loadline::server {

/** Every limit the HTTP layer enforces per connection (README: Security / Limits). */
struct ConnectionLimits {
    core::serve::FramingLimits framing;         // header block 64 KiB, body 1 MiB
    int maxConnections = 512;                   // open at once, all peers
    int maxPerPeer = 64;                        // open at once from one peer address (wrk -c32 fits)
    int headerTimeoutMs = 5000;                 // first byte of a request to the end of its header block
    int requestTimeoutMs = 30000;               // first byte of a request to its last body byte
    int idleTimeoutMs = 5000;                   // a kept-alive connection with nothing under way
    int handshakeTimeoutMs = 5000;              // TCP connect to the end of the TLS handshake
    int maxRefusingHandshakes = 16;             // TLS connections refused (503) still in their handshake
    int maxPipelined = 16;                      // requests read ahead of their responses
    qint64 maxPendingOutput = 4 * 1024 * 1024;  // stop reading while this much waits to be sent
    qint64 maxDrainBytes = 8 * 1024 * 1024;     // read and dropped before closing, so the client sees the reply
    int drainTimeoutMs = 2000;
    int listenBacklog = 1024;
    int workerQueue = 64;      // requests waiting for the worker thread; 503 beyond
    int workerWaitMs = 10000;  // a request that waited longer for the worker gets 503
};

class GuardedTcpServer : public QTcpServer {
    Q_OBJECT
public:
    /** accept(socket, refusal): take over an accepted socket; refusal is empty, or the 503 reason. */
    using Accept = std::function<void(QTcpSocket*, const QString& refusal)>;
    GuardedTcpServer(ConnectionLimits limits, Accept accept, QObject* parent = nullptr);
    int openConnections() const { return m_open; }
    quint64 refusedConnections() const { return m_refused; }
    /** TLS for connections accepted from now on (a null configuration: plain TCP). Connections
     *  already open keep the one they started with, so a reload drops nothing. */
    void setTlsConfiguration(const QSslConfiguration& tls) {
        if (tls.isNull()) m_tls.reset();
        else m_tls = tls;
    }
    bool usesTls() const { return m_tls.has_value(); }
    /** Handshakes that failed or ran past the deadline. */
    quint64 failedHandshakes() const { return m_failedHandshakes; }

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    void startHandshake(QTcpSocket* plainOrSsl, const QString& refusal);

    ConnectionLimits m_limits;
    // Held only with TLS: even a default QSslConfiguration loads Qt's TLS backend (OpenSSL).
    std::optional<QSslConfiguration> m_tls;
    int m_refusing = 0;  // refused TLS connections still in their handshake
    quint64 m_failedHandshakes = 0;
    Accept m_accept;
    int m_open = 0;
    quint64 m_refused = 0;
    QHash<QHostAddress, int> m_perPeer;
};

}  // namespace loadline::server
