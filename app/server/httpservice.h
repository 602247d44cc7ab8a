#pragma once
// QHttpServer 6.4 front end: hands each complete request to core::serve::Api and writes its
// response. Subclassing QAbstractHttpServer (QHttpServer's own router answers a wrong method with
// 404) gives every request to one place, so 404 and 405 are told apart.

#include <memory>

#include <QAbstractHttpServer>
#include <QHostAddress>

#include "app/server/guardedtcpserver.h"
#include "core/serve/api.h"

namespace loadline::server {

class HttpService : public QAbstractHttpServer {
    Q_OBJECT
public:
    HttpService(core::serve::ApiConfig config, std::shared_ptr<core::serve::LiveData> live,
                ConnectionLimits limits = {}, QObject* parent = nullptr);

    /** Listens on address:port (0 picks a free port) and returns the port, or 0 with *error set. */
    quint16 start(const QHostAddress& address, quint16 port, QString* error);
    core::serve::Api& api() { return m_api; }

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;

private:
    core::serve::Api m_api;
    ConnectionLimits m_limits;
};

}  // namespace loadline::server
