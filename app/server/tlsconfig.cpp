#include "app/server/tlsconfig.h"

#include <QDateTime>
#include <QFile>
#include <QSslCipher>
#include <QSslKey>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace loadline::server {

namespace {

bool readFile(const QString& path, const char* what, QByteArray& out, QString* error) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1 %2: %3").arg(QLatin1String(what), path, f.errorString());
        return false;
    }
    out = f.readAll();
    return true;
}

// Qt has no "does this key belong to this certificate": ask OpenSSL (Qt's own backend here).
bool keyMatchesCertificate(const QByteArray& certPem, const QByteArray& keyPem) {
    BIO* cb = BIO_new_mem_buf(certPem.constData(), static_cast<int>(certPem.size()));
    BIO* kb = BIO_new_mem_buf(keyPem.constData(), static_cast<int>(keyPem.size()));
    X509* cert = cb ? PEM_read_bio_X509(cb, nullptr, nullptr, nullptr) : nullptr;
    EVP_PKEY* key = kb ? PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr) : nullptr;
    const bool ok = cert && key && X509_check_private_key(cert, key) == 1;
    EVP_PKEY_free(key);
    X509_free(cert);
    BIO_free(kb);
    BIO_free(cb);
    return ok;
}

}  // namespace

QList<QSslCipher> modernCiphers() {
    QList<QSslCipher> out;
    for (const QSslCipher& c : QSslConfiguration::supportedCiphers()) {
        const QString name = c.name();
        if (c.protocol() == QSsl::TlsV1_3 ||
            (c.protocol() == QSsl::TlsV1_2 && name.startsWith(QLatin1String("ECDHE-")) &&
             (name.contains(QLatin1String("GCM")) || name.contains(QLatin1String("CHACHA20")))))
            out.push_back(c);
    }
    return out;
}

std::optional<QSslConfiguration> loadServerTls(const TlsFiles& files, QString* error) {
    QByteArray certPem, keyPem;
    if (!readFile(files.certFile, "--tls-cert", certPem, error) || !readFile(files.keyFile, "--tls-key", keyPem, error))
        return std::nullopt;
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certPem, QSsl::Pem);
    if (chain.isEmpty() || chain.first().isNull()) {
        *error = QStringLiteral("--tls-cert %1: no PEM certificate in it").arg(files.certFile);
        return std::nullopt;
    }
    const QSslCertificate& leaf = chain.first();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (leaf.expiryDate() < now) {
        *error = QStringLiteral("--tls-cert %1: the certificate expired on %2")
                     .arg(files.certFile, leaf.expiryDate().toString(Qt::ISODate));
        return std::nullopt;
    }
    QSslKey key;
    for (QSsl::KeyAlgorithm alg : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        key = QSslKey(keyPem, alg, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull()) break;
    }
    if (key.isNull()) {
        *error = QStringLiteral("--tls-key %1: no unencrypted PEM private key (RSA or EC) in it").arg(files.keyFile);
        return std::nullopt;
    }
    if (!keyMatchesCertificate(certPem, keyPem)) {
        *error = QStringLiteral("--tls-key %1 is not the private key of the certificate in %2")
                     .arg(files.keyFile, files.certFile);
        return std::nullopt;
    }
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    tls.setCiphers(modernCiphers());
    tls.setLocalCertificateChain(chain);
    tls.setPrivateKey(key);
    tls.setSslOption(QSsl::SslOptionDisableCompression, true);
    tls.setSslOption(QSsl::SslOptionDisableSessionTickets, false);
    if (!files.clientCaFile.isEmpty()) {
        QByteArray caPem;
        if (!readFile(files.clientCaFile, "--tls-client-ca", caPem, error)) return std::nullopt;
        const QList<QSslCertificate> cas = QSslCertificate::fromData(caPem, QSsl::Pem);
        if (cas.isEmpty()) {
            *error = QStringLiteral("--tls-client-ca %1: no PEM certificate in it").arg(files.clientCaFile);
            return std::nullopt;
        }
        tls.setCaCertificates(cas);  // only these: the system's CAs do not vouch for clients
        tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    } else {
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    }
    return tls;
}

QString describeCertificate(const QSslConfiguration& tls) {
    const QSslCertificate c = tls.localCertificate();
    const QStringList cn = c.subjectInfo(QSslCertificate::CommonName);
    return QStringLiteral("%1, expires %2")
        .arg(cn.isEmpty() ? QStringLiteral("no CN") : QStringLiteral("CN=") + cn.first(),
             c.expiryDate().toString(Qt::ISODate));
}

}  // namespace loadline::server
