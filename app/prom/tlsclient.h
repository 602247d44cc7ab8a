#pragma once
// The client side of HTTPS for loadline's network clients (Connect to Agent…, import prometheus):
// a TLS configuration that trusts a given CA file (instead of the system's CAs) and optionally
// presents a client certificate, and sentences that say why a handshake failed.

#include <optional>

#include <QList>
#include <QSslConfiguration>
#include <QSslError>
#include <QString>

namespace loadline::app {

struct TlsClientFiles {
    QString caFile;    // PEM CAs to trust; empty: the system's CAs
    QString certFile;  // PEM client certificate (mutual TLS); needs keyFile
    QString keyFile;   // its PEM private key (RSA or EC, unencrypted)
    bool any() const { return !caFile.isEmpty() || !certFile.isEmpty() || !keyFile.isEmpty(); }
};

/** TLS 1.2+ with host name verification, the CAs and client certificate of files; nullopt with
 *  *error naming the file and the problem. */
std::optional<QSslConfiguration> clientTlsConfiguration(const TlsClientFiles& files, QString* error);

/** One sentence for the errors of a failed handshake: the certificate expired (when), is signed by
 *  an unknown CA, or names other hosts than the one asked for (which ones). */
QString describeTlsErrors(const QList<QSslError>& errors, const QString& host);

/** A handshake that failed without certificate errors of ours (the server refused us): the likely
 *  reason, e.g. a client certificate the server wants. */
QString describeHandshakeRefused(const QString& qtError, bool sentClientCertificate);

}  // namespace loadline::app
