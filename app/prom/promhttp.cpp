#include "app/prom/promhttp.h"

#include <QEventLoop>

#include <memory>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslError>

#include "app/prom/tlsclient.h"

namespace loadline::app {

namespace {

std::optional<QByteArray> readSecret(const QString& path, const char* what, QString* error) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error =
                QStringLiteral("%1: cannot read the %2 file: %3").arg(path, QString::fromLatin1(what), f.errorString());
        return std::nullopt;
    }
    QByteArray text = f.read(64 * 1024);
    const int nl = text.indexOf('\n');
    if (nl >= 0) text.truncate(nl);  // the first line; a trailing newline is not part of the secret
    if (text.endsWith('\r')) text.chop(1);
    if (text.trimmed().isEmpty()) {
        if (error) *error = QStringLiteral("%1: the %2 file is empty").arg(path, QString::fromLatin1(what));
        return std::nullopt;
    }
    return text;
}

}  // namespace

std::optional<QByteArray> authorizationHeader(const PromCredentials& c, QString* error) {
    if (!c.bearerTokenFile.isEmpty() && !c.basicAuthFile.isEmpty()) {
        if (error) *error = QStringLiteral("give either a bearer token file or a basic auth file, not both");
        return std::nullopt;
    }
    if (!c.bearerTokenFile.isEmpty()) {
        auto token = readSecret(c.bearerTokenFile, "bearer token", error);
        if (!token) return std::nullopt;
        return "Bearer " + token->trimmed();
    }
    if (!c.basicAuthFile.isEmpty()) {
        auto pair = readSecret(c.basicAuthFile, "basic auth", error);
        if (!pair) return std::nullopt;
        if (pair->indexOf(':') <= 0) {
            if (error) *error = QStringLiteral("%1: expected one line user:password").arg(c.basicAuthFile);
            return std::nullopt;
        }
        return "Basic " + pair->toBase64();
    }
    return QByteArray();
}

std::optional<QUrl> prometheusBaseUrl(const QString& text, QString* error) {
    QUrl url = QUrl::fromUserInput(text.trimmed());
    if (!text.contains(QStringLiteral("://"))) url = QUrl(QStringLiteral("http://") + text.trimmed());
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
        url.host().isEmpty()) {
        if (error) *error = QStringLiteral("'%1' is not an http:// or https:// URL").arg(text);
        return std::nullopt;
    }
    if (url.hasQuery() || url.hasFragment()) {
        if (error) *error = QStringLiteral("'%1': give the server's base URL, without a query").arg(text);
        return std::nullopt;
    }
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/'))) path.chop(1);
    url.setPath(path);
    return url;
}

PrometheusHttpClient::PrometheusHttpClient(QUrl baseUrl, QByteArray authorization, int timeoutMs)
    : m_base(std::move(baseUrl)), m_authorization(std::move(authorization)), m_timeoutMs(timeoutMs) {}

std::vector<core::fleet::PromHttpReply> PrometheusHttpClient::fetch(const std::vector<std::string>& targets) const {
    std::vector<core::fleet::PromHttpReply> out(targets.size());
    if (targets.empty()) return out;
    QNetworkAccessManager nam;
    QEventLoop loop;
    std::size_t pending = targets.size();
    const QByteArray base = m_base.toEncoded();
    for (std::size_t i = 0; i < targets.size(); ++i) {
        QNetworkRequest req(QUrl::fromEncoded(base + QByteArray::fromStdString(targets[i])));
        req.setTransferTimeout(m_timeoutMs);
        req.setRawHeader("Accept", "application/json");
        if (!m_authorization.isEmpty()) req.setRawHeader("Authorization", m_authorization);
        if (!m_tls.isNull()) req.setSslConfiguration(m_tls);
        QNetworkReply* reply = nam.get(req);
        auto tlsWhy = std::make_shared<QString>();
        QObject::connect(
            reply, &QNetworkReply::sslErrors, reply,
            [tlsWhy, host = m_base.host()](const QList<QSslError>& e) { *tlsWhy = describeTlsErrors(e, host); });
        QObject::connect(reply, &QNetworkReply::finished, &loop, [&, reply, i, tlsWhy] {
            auto& r = out[i];
            r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            r.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString().toStdString();
            r.body = reply->readAll().toStdString();
            if (r.status == 0) {
                if (!tlsWhy->isEmpty()) r.transportError = tlsWhy->toStdString();
                else if (reply->error() == QNetworkReply::SslHandshakeFailedError ||
                         (m_base.scheme() == QLatin1String("https") &&
                          reply->error() == QNetworkReply::RemoteHostClosedError))
                    r.transportError = describeHandshakeRefused(reply->errorString(),
                                                                !m_tls.isNull() && !m_tls.localCertificate().isNull())
                                           .toStdString();
                else r.transportError = reply->errorString().toStdString();
            }
            reply->deleteLater();
            if (--pending == 0) loop.quit();
        });
    }
    loop.exec();
    return out;
}

}  // namespace loadline::app
