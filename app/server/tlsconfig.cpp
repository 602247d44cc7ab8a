#include "app/server/tlsconfig.h"

#include <optional>

#include <QDateTime>
#include <QFile>
#include <QSslCipher>
#include <QSslKey>

#include <dlfcn.h>
// Declarations only: libcrypto is loaded when a certificate is checked (below), not linked.
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

// The OpenSSL calls the check needs, from libcrypto loaded at run time, as Qt's own TLS backend
// loads it (libqopensslbackend links no OpenSSL; libqt6network6 depends on libssl3). Linking it
// would map libcrypto into every loadline-cli command, a plain-HTTP `serve` included: ~1.4 MB
// more resident for a library only TLS uses.
struct LibCrypto {
    decltype(&BIO_new_mem_buf) bioNewMemBuf = nullptr;
    decltype(&BIO_free) bioFree = nullptr;
    decltype(&PEM_read_bio_X509) readX509 = nullptr;
    decltype(&PEM_read_bio_PrivateKey) readPrivateKey = nullptr;
    decltype(&X509_check_private_key) checkPrivateKey = nullptr;
    decltype(&X509_free) x509Free = nullptr;
    decltype(&EVP_PKEY_free) pkeyFree = nullptr;
};

template <typename F>
bool resolve(void* lib, const char* name, F& out) {
    out = reinterpret_cast<F>(::dlsym(lib, name));
    return out != nullptr;
}

/** libcrypto's functions, or nullptr when OpenSSL 3 is not installed. Loaded once, kept. */
const LibCrypto* libCrypto() {
    static const std::optional<LibCrypto> crypto = []() -> std::optional<LibCrypto> {
        void* lib = ::dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
        if (!lib) return std::nullopt;
        LibCrypto c;
        if (resolve(lib, "BIO_new_mem_buf", c.bioNewMemBuf) && resolve(lib, "BIO_free", c.bioFree) &&
            resolve(lib, "PEM_read_bio_X509", c.readX509) &&
            resolve(lib, "PEM_read_bio_PrivateKey", c.readPrivateKey) &&
            resolve(lib, "X509_check_private_key", c.checkPrivateKey) && resolve(lib, "X509_free", c.x509Free) &&
            resolve(lib, "EVP_PKEY_free", c.pkeyFree))
            return c;
        return std::nullopt;
    }();
    return crypto ? &*crypto : nullptr;
}

// Qt has no "does this key belong to this certificate": ask OpenSSL (Qt's own backend here).
bool keyMatchesCertificate(const LibCrypto& c, const QByteArray& certPem, const QByteArray& keyPem) {
    BIO* cb = c.bioNewMemBuf(certPem.constData(), static_cast<int>(certPem.size()));
    BIO* kb = c.bioNewMemBuf(keyPem.constData(), static_cast<int>(keyPem.size()));
    X509* cert = cb ? c.readX509(cb, nullptr, nullptr, nullptr) : nullptr;
    EVP_PKEY* key = kb ? c.readPrivateKey(kb, nullptr, nullptr, nullptr) : nullptr;
    const bool ok = cert && key && c.checkPrivateKey(cert, key) == 1;
    c.pkeyFree(key);
    c.x509Free(cert);
    c.bioFree(kb);
    c.bioFree(cb);
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
    const LibCrypto* crypto = libCrypto();
    if (!crypto) {
        *error = QStringLiteral("TLS needs OpenSSL 3 (libcrypto.so.3, Debian's libssl3), which could not be loaded");
        return std::nullopt;
    }
    if (!keyMatchesCertificate(*crypto, certPem, keyPem)) {
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
