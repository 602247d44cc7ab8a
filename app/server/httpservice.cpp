#include "app/server/httpservice.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QTcpSocket>
#include <QUrl>

namespace loadline::server {

namespace {

const char* methodName(QHttpServerRequest::Method m) {
    using M = QHttpServerRequest::Method;
    switch (m) {
    case M::Get: return "GET";
    case M::Put: return "PUT";
    case M::Delete: return "DELETE";
    case M::Post: return "POST";
    case M::Head: return "HEAD";
    case M::Options: return "OPTIONS";
    case M::Patch: return "PATCH";
    case M::Connect: return "CONNECT";
    case M::Trace: return "TRACE";
    default: return "UNKNOWN";
    }
}

}  // namespace

HttpService::HttpService(core::serve::ApiConfig config, std::shared_ptr<core::serve::LiveData> live,
                         ConnectionLimits limits, QObject* parent)
    : QAbstractHttpServer(parent), m_api(std::move(config), std::move(live)), m_limits(limits) {}

quint16 HttpService::start(const QHostAddress& address, quint16 port, QString* error) {
    auto* tcp = new GuardedTcpServer(m_limits, this);
    if (!tcp->listen(address, port)) {
        if (error) *error = tcp->errorString();
        delete tcp;
        return 0;
    }
    bind(tcp);  // QAbstractHttpServer::bind(QTcpServer*): 6.4 API, kept in 6.8
    return tcp->serverPort();
}

bool HttpService::handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) {
    core::serve::HttpRequest r;
    r.method = methodName(request.method());
    const QUrl url = request.url();
    r.path = url.path(QUrl::FullyDecoded).toStdString();
    r.query = core::serve::parseQuery(url.query(QUrl::FullyEncoded).toStdString());
    r.authorization = request.value("authorization").toStdString();
    const QByteArray body = request.body();
    r.body.assign(body.constData(), std::size_t(body.size()));

    const core::serve::HttpResponse resp = m_api.handle(r);

    auto responder = makeResponder(request, socket);
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(resp.status));
    responder.writeHeader("Content-Type", QByteArray::fromStdString(resp.contentType));
    responder.writeHeader("Content-Length", QByteArray::number(qsizetype(resp.body.size())));
    for (const auto& [k, v] : resp.headers) responder.writeHeader(QByteArray::fromStdString(k), QByteArray::fromStdString(v));
    responder.writeBody(resp.body.data(), qint64(resp.body.size()));
    return true;
}

void HttpService::missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) {
    // Not reached (handleRequest answers everything), but must answer if it ever is.
    auto responder = makeResponder(request, socket);
    responder.write(QHttpServerResponder::StatusCode::NotFound);
}

}  // namespace loadline::server
