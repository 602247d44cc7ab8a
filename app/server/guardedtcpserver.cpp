#include "app/server/guardedtcpserver.h"

#include <QSslSocket>
#include <QVariant>
#include <QTimer>

namespace loadline::server {

GuardedTcpServer::GuardedTcpServer(ConnectionLimits limits, Accept accept, QObject* parent)
    : QTcpServer(parent), m_limits(limits), m_accept(std::move(accept)) {
    setListenBacklogSize(m_limits.listenBacklog);  // a burst of connects waits instead of being dropped
}

void GuardedTcpServer::incomingConnection(qintptr socketDescriptor) {
    QTcpSocket* socket = nullptr;
    if (usesTls()) {
        auto* ssl = new QSslSocket(this);
        ssl->setSslConfiguration(*m_tls);
        socket = ssl;
    } else {
        socket = new QTcpSocket(this);
    }
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        return;
    }
    // IPv4-mapped IPv6 peers count as their IPv4 address.
    QHostAddress peer = socket->peerAddress();
    bool ok = false;
    if (const quint32 v4 = peer.toIPv4Address(&ok); ok) peer = QHostAddress(v4);
    QString refusal;
    if (m_open >= m_limits.maxConnections)
        refusal = QStringLiteral("too many open connections (limit %1); retry shortly").arg(m_limits.maxConnections);
    else if (m_perPeer.value(peer) >= m_limits.maxPerPeer)
        refusal = QStringLiteral("too many open connections from %1 (limit %2 per address); retry shortly")
                      .arg(peer.toString())
                      .arg(m_limits.maxPerPeer);
    if (!refusal.isEmpty()) {
        if (m_perPeer.value(peer) == 0) m_perPeer.remove(peer);
        ++m_refused;
        if (!usesTls()) {
            m_accept(socket, refusal);
            return;
        }
        // The 503 needs a handshake to be readable; a few refusals get one (under the same
        // deadline), beyond that the connection is closed at once: a flood costs no handshakes.
        if (m_refusing >= m_limits.maxRefusingHandshakes) {
            socket->abort();
            socket->deleteLater();
            return;
        }
        ++m_refusing;
        connect(socket, &QObject::destroyed, this, [this] { --m_refusing; });
        startHandshake(socket, refusal);
        return;
    }
    ++m_open;
    ++m_perPeer[peer];
    connect(socket, &QObject::destroyed, this, [this, peer] {
        --m_open;
        if (--m_perPeer[peer] <= 0) m_perPeer.remove(peer);
    });
    if (usesTls()) startHandshake(socket, {});
    else m_accept(socket, {});
}

void GuardedTcpServer::startHandshake(QTcpSocket* plain, const QString& refusal) {
    auto* socket = static_cast<QSslSocket*>(plain);
    // The slot is held from the TCP connect: the deadline covers the whole handshake, however
    // slowly (or never) the client sends its part.
    auto* deadline = new QTimer(socket);
    deadline->setSingleShot(true);
    auto fail = [this, socket] {
        if (socket->property("loadline.failed").toBool()) return;  // abort() reports errors again
        socket->setProperty("loadline.failed", true);
        ++m_failedHandshakes;
        socket->abort();
        socket->deleteLater();
    };
    connect(deadline, &QTimer::timeout, socket, fail);
    // Any socket error before the handshake ends (plain HTTP, an untrusted or missing client
    // certificate, a reset) ends the connection; nothing was read as a request.
    auto onError = connect(socket, &QAbstractSocket::errorOccurred, socket, fail);
    auto onDisconnect = connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    connect(socket, &QSslSocket::encrypted, socket, [this, socket, deadline, onError, onDisconnect, refusal] {
        deadline->stop();
        deadline->deleteLater();
        disconnect(onError);
        disconnect(onDisconnect);
        m_accept(socket, refusal);
    });
    deadline->start(m_limits.handshakeTimeoutMs);
    socket->startServerEncryption();
}

}  // namespace loadline::server
