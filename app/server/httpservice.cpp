#include "app/server/httpservice.h"

#include <QTcpSocket>

#include "app/server/httpconnection.h"
#include "app/server/requestworker.h"

namespace loadline::server {

HttpService::HttpService(core::serve::ApiConfig config, std::shared_ptr<core::serve::LiveData> live,
                         ConnectionLimits limits, QObject* parent)
    : QObject(parent),
      m_api(std::move(config), std::move(live)),
      m_limits(limits),
      m_worker(std::make_unique<RequestWorker>(limits.workerQueue, limits.workerWaitMs)) {}

HttpService::~HttpService() {
    // The worker uses m_api: stop it first. Replies it already posted to this object are
    // dropped with it by Qt.
    m_worker.reset();
    // Connections (children of the listening server) read m_limits and m_api: they go before
    // the members do, not with QObject's children after them.
    delete m_tcp;
    m_tcp = nullptr;
}

quint16 HttpService::start(const QHostAddress& address, quint16 port, QString* error) {
    auto* tcp = new GuardedTcpServer(
        m_limits, [this](QTcpSocket* socket, const QString& refusal) { new HttpConnection(socket, this, refusal); },
        this);
    if (m_tls) tcp->setTlsConfiguration(*m_tls);
    if (!tcp->listen(address, port)) {
        if (error) *error = tcp->errorString();
        delete tcp;
        return 0;
    }
    m_tcp = tcp;
    return tcp->serverPort();
}

void HttpService::setTlsConfiguration(const QSslConfiguration& tls) {
    m_tls = tls;
    if (m_tcp) m_tcp->setTlsConfiguration(tls);
}

bool HttpService::submit(core::serve::HttpRequest request, std::function<void(const core::serve::HttpResponse&)> done) {
    auto shared = std::make_shared<core::serve::HttpRequest>(std::move(request));
    auto reply = [this, done](core::serve::HttpResponse response) {
        QMetaObject::invokeMethod(
            this, [done, response = std::move(response)] { done(response); }, Qt::QueuedConnection);
    };
    return m_worker->submit(
        [this, shared, reply] {
            if (m_hook) m_hook(*shared);
            reply(m_api.handle(*shared));
        },
        [this, reply] {
            auto r = core::serve::jsonError(503, "the server is busy: the request waited more than " +
                                                     std::to_string(m_limits.workerWaitMs) +
                                                     " ms to be served; retry shortly");
            r.headers.emplace_back("Retry-After", "1");
            reply(std::move(r));
        });
}

}  // namespace loadline::server
