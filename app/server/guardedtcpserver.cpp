#include "app/server/guardedtcpserver.h"

#include <QTcpSocket>

namespace loadline::server {

GuardedTcpServer::GuardedTcpServer(ConnectionLimits limits, Accept accept, QObject* parent)
    : QTcpServer(parent), m_limits(limits), m_accept(std::move(accept)) {
    setListenBacklogSize(m_limits.listenBacklog);  // a burst of connects waits instead of being dropped
}

void GuardedTcpServer::incomingConnection(qintptr socketDescriptor) {
    auto* socket = new QTcpSocket(this);
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
        m_accept(socket, refusal);
        return;
    }
    ++m_open;
    ++m_perPeer[peer];
    connect(socket, &QObject::destroyed, this, [this, peer] {
        --m_open;
        if (--m_perPeer[peer] <= 0) m_perPeer.remove(peer);
    });
    m_accept(socket, {});
}

}  // namespace loadline::server
