#pragma once
// A blocking batch GET client for Prometheus's HTTP API over Qt Network: the requests of one
// batch run concurrently on a QNetworkAccessManager inside a local event loop, so it works on any
// thread that has no event loop of its own (loadline-cli, or a worker thread of the window).
// Credentials: "Authorization: Bearer <token>" from a token file, or Basic from a "user:password"
// file; they are read from the files when the client is made and never stored elsewhere.

#include <QByteArray>
#include <QSslConfiguration>
#include <QString>
#include <QUrl>

#include <optional>
#include <string>
#include <vector>

#include "core/fleet/promimport.h"

namespace loadline::app {

struct PromCredentials {
    QString bearerTokenFile;
    QString basicAuthFile;
};

/** The Authorization header value from the files (empty when none given); error names the file. */
std::optional<QByteArray> authorizationHeader(const PromCredentials& credentials, QString* error);

/** Checks and normalises a server URL (http or https, a host; no query). error says what is wrong. */
std::optional<QUrl> prometheusBaseUrl(const QString& text, QString* error);

class PrometheusHttpClient {
public:
    PrometheusHttpClient(QUrl baseUrl, QByteArray authorization, int timeoutMs = 60000);

    /** GETs each target ("/api/v1/...", relative to the base URL), all at once; replies in order. */
    std::vector<core::fleet::PromHttpReply> fetch(const std::vector<std::string>& targets) const;
    core::fleet::PromFetch fetcher() const {
        return [this](const std::vector<std::string>& t) { return fetch(t); };
    }
    const QUrl& baseUrl() const { return m_base; }
    /** For https:// URLs: the CAs to trust and the client certificate (tlsclient.h). */
    void setTlsConfiguration(const QSslConfiguration& tls) { m_tls = tls; }

private:
    QUrl m_base;
    QByteArray m_authorization;
    int m_timeoutMs;
    QSslConfiguration m_tls;
};

}  // namespace loadline::app
