#pragma once
// TLS of `loadline-cli serve`: the server configuration read from PEM files (certificate chain,
// private key, optional client CA for mutual TLS), restricted to TLS 1.2 and later with
// forward-secret AEAD cipher suites. Read again on SIGHUP; a file that fails to load leaves the
// configuration in use unchanged.

#include <optional>

#include <QSslConfiguration>
#include <QString>

namespace loadline::server {

struct TlsFiles {
    QString certFile;      // PEM: the server certificate, then any intermediates
    QString keyFile;       // PEM: its private key (RSA or EC, unencrypted)
    QString clientCaFile;  // PEM: CAs whose client certificates are accepted; empty: no client certificates
};

/** The configuration, or nullopt with *error naming the file and what is wrong with it (missing,
 *  not PEM, expired, the key not matching the certificate). */
std::optional<QSslConfiguration> loadServerTls(const TlsFiles& files, QString* error);

/** "CN=host, expires 2027-01-01" for the startup and reload messages. */
QString describeCertificate(const QSslConfiguration& tls);

/** The cipher suites serve offers: TLS 1.3's, and TLS 1.2's with ECDHE key exchange and an AEAD cipher. */
QList<QSslCipher> modernCiphers();

}  // namespace loadline::server
