#include "app/prom/tlsclient.h"

#include <QDateTime>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QStringList>

namespace loadline::app {

namespace {

std::optional<QByteArray> readPem(const QString& path, const char* what, QString* error) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1 %2: %3").arg(QLatin1String(what), path, f.errorString());
        return std::nullopt;
    }
    return f.readAll();
}

QString certificateNames(const QSslCertificate& c) {
    QStringList names;
    const auto alt = c.subjectAlternativeNames();
    for (auto it = alt.begin(); it != alt.end(); ++it)
        if (!names.contains(it.value())) names << it.value();
    if (names.isEmpty()) names = c.subjectInfo(QSslCertificate::CommonName);
    return names.isEmpty() ? QStringLiteral("no host name") : names.join(QStringLiteral(", "));
}

}  // namespace

std::optional<QSslConfiguration> clientTlsConfiguration(const TlsClientFiles& files, QString* error) {
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    tls.setPeerVerifyMode(QSslSocket::VerifyPeer);  // certificate chain and host name
    if (!files.caFile.isEmpty()) {
        auto pem = readPem(files.caFile, "CA file", error);
        if (!pem) return std::nullopt;
        const auto cas = QSslCertificate::fromData(*pem, QSsl::Pem);
        if (cas.isEmpty()) {
            *error = QStringLiteral("CA file %1: no PEM certificate in it").arg(files.caFile);
            return std::nullopt;
        }
        tls.setCaCertificates(cas);
    }
    if (files.certFile.isEmpty() != files.keyFile.isEmpty()) {
        *error = QStringLiteral("a client certificate needs its key and the key its certificate");
        return std::nullopt;
    }
    if (!files.certFile.isEmpty()) {
        auto certPem = readPem(files.certFile, "client certificate", error);
        if (!certPem) return std::nullopt;
        auto keyPem = readPem(files.keyFile, "client key", error);
        if (!keyPem) return std::nullopt;
        const auto chain = QSslCertificate::fromData(*certPem, QSsl::Pem);
        if (chain.isEmpty()) {
            *error = QStringLiteral("client certificate %1: no PEM certificate in it").arg(files.certFile);
            return std::nullopt;
        }
        QSslKey key;
        for (QSsl::KeyAlgorithm alg : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
            key = QSslKey(*keyPem, alg, QSsl::Pem, QSsl::PrivateKey);
            if (!key.isNull()) break;
        }
        if (key.isNull()) {
            *error = QStringLiteral("client key %1: no unencrypted PEM private key in it").arg(files.keyFile);
            return std::nullopt;
        }
        tls.setLocalCertificateChain(chain);
        tls.setPrivateKey(key);
    }
    return tls;
}

QString describeTlsErrors(const QList<QSslError>& errors, const QString& host) {
    QStringList why;
    for (const QSslError& e : errors) {
        const QSslCertificate c = e.certificate();
        switch (e.error()) {
        case QSslError::CertificateExpired:
            why << QStringLiteral("the server's certificate expired on %1").arg(c.expiryDate().toString(Qt::ISODate));
            break;
        case QSslError::CertificateNotYetValid:
            why << QStringLiteral("the server's certificate is not valid before %1")
                       .arg(c.effectiveDate().toString(Qt::ISODate));
            break;
        case QSslError::HostNameMismatch:
            why << QStringLiteral("the server's certificate is for %1, not for %2").arg(certificateNames(c), host);
            break;
        case QSslError::UnableToGetLocalIssuerCertificate:
        case QSslError::UnableToGetIssuerCertificate:
        case QSslError::UnableToVerifyFirstCertificate:
        case QSslError::SelfSignedCertificate:
        case QSslError::SelfSignedCertificateInChain:
        case QSslError::CertificateUntrusted:
            why << QStringLiteral(
                "the server's certificate is signed by an unknown CA (give the CA file that signed it)");
            break;
        default: why << e.errorString();
        }
    }
    why.removeDuplicates();
    return QStringLiteral("TLS handshake failed: ") + why.join(QStringLiteral("; "));
}

QString describeHandshakeRefused(const QString& qtError, bool sentClientCertificate) {
    return sentClientCertificate ? QStringLiteral(
                                       "TLS handshake failed: the server refused the connection (%1); is the client "
                                       "certificate signed by a CA it trusts?")
                                       .arg(qtError)
                                 : QStringLiteral(
                                       "TLS handshake failed: the server refused the connection (%1); it may require a "
                                       "client certificate")
                                       .arg(qtError);
}

}  // namespace loadline::app
