#pragma once
// One HTTP/1.1 connection of `loadline-cli serve`: bytes in through core/serve's RequestFramer
// (the parser: framing and parsing are one thing), responses out in request order, pipelining
// and keep-alive included. It enforces the per-connection limits (ConnectionLimits): a request
// must arrive whole within its deadlines (else 408), an idle connection is closed, a refusal is
// answered and the connection drained before closing (so the client reads the answer instead of
// a reset). Slow requests go to the service's worker; later requests of the same connection
// follow them there, so a connection's requests are still served in order.

#include <cstdint>
#include <deque>

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include "core/serve/api.h"
#include "core/serve/requestframer.h"

class QTcpSocket;

namespace loadline::server {

class HttpService;

class HttpConnection : public QObject {
    Q_OBJECT
public:
    /** Takes over socket (and deletes itself when done). A non-empty refusal is answered with
     *  503 at once and nothing is read. */
    HttpConnection(QTcpSocket* socket, HttpService* service, const QString& refusal = {});

    /** Serialises a response; HEAD gets the headers only. */
    static QByteArray serialize(const core::serve::HttpResponse& r, bool close, bool head);

private:
    struct Slot {
        std::uint64_t id = 0;
        bool ready = false;
        bool close = false;
        bool head = false;  // a HEAD request: headers only
        QByteArray bytes;
    };
    void readMore();
    void dispatch(core::serve::FramedRequest request);
    void complete(std::uint64_t id, const core::serve::HttpResponse& response);
    void flush();
    void updateTimers();
    void refuse(int status, const std::string& message, const std::string& field);
    void closeGracefully();
    void drainOrFinish();

    QTcpSocket* m_socket;
    HttpService* m_service;
    core::serve::RequestFramer m_framer;
    std::deque<Slot> m_slots;
    std::uint64_t m_nextId = 1;
    int m_onWorker = 0;      // requests of this connection queued on or running in the worker
    bool m_reading = false;  // re-entrancy guard for readMore()
    bool m_closing = false;  // answered what it will answer; draining, then closing
    bool m_shutdownSent = false;
    qint64 m_drained = 0;
    std::uint64_t m_deadlineFor = 0;  // which request the deadline clock is running for
    QElapsedTimer m_requestClock;
    QTimer m_deadline;
    QTimer m_idle;
};

}  // namespace loadline::server
