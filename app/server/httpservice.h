#pragma once
// The HTTP server of `loadline-cli serve`: a QTcpServer with connection caps (GuardedTcpServer),
// one HttpConnection per client (parsing, ordering, deadlines), core::serve::Api for everything
// the requests mean, and a worker thread for the requests whose cost grows with what was sent.
// It is the project's own layer on QtNetwork: QHttpServer 6.4 buffers bodies without a limit,
// accepts framing a guard in front of it cannot follow exactly, loses pipelined requests, and its
// QFuture handlers keep references that dangle when a client leaves early.

#include <functional>
#include <optional>
#include <memory>

#include <QHostAddress>
#include <QObject>

#include "app/server/guardedtcpserver.h"
#include "core/serve/api.h"

namespace loadline::server {

class RequestWorker;

class HttpService : public QObject {
    Q_OBJECT
public:
    HttpService(core::serve::ApiConfig config, std::shared_ptr<core::serve::LiveData> live,
                ConnectionLimits limits = {}, QObject* parent = nullptr);
    ~HttpService() override;

    /** Listens on address:port (0 picks a free port) and returns the port, or 0 with *error set. */
    quint16 start(const QHostAddress& address, quint16 port, QString* error);
    core::serve::Api& api() { return m_api; }
    const ConnectionLimits& limits() const { return m_limits; }
    GuardedTcpServer* tcpServer() const { return m_tcp; }
    /** Serves HTTPS with tls from now on (before start(), or on a reload); null: plain HTTP. */
    void setTlsConfiguration(const QSslConfiguration& tls);

    /** Serves request on the worker thread; done runs on this object's thread with the response
     *  (a 503 when the request waited too long). False when the worker's queue is full. */
    bool submit(core::serve::HttpRequest request, std::function<void(const core::serve::HttpResponse&)> done);

    /** Runs on the worker before each request served there (tests hold one with it). Set before start. */
    using WorkerHook = std::function<void(const core::serve::HttpRequest&)>;
    void setWorkerHook(WorkerHook hook) { m_hook = std::move(hook); }

private:
    core::serve::Api m_api;
    ConnectionLimits m_limits;
    GuardedTcpServer* m_tcp = nullptr;
    std::optional<QSslConfiguration> m_tls;  // only with TLS (guardedtcpserver.h says why)
    WorkerHook m_hook;
    std::unique_ptr<RequestWorker> m_worker;
};

}  // namespace loadline::server
