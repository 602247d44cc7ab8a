#pragma once
// Follows a remote `loadline-cli serve` agent: polls GET /api/system-timeline/?start=<last ts>
// so each refresh carries only the new samples, appends them to a bounded local timeline, and
// on a lost connection reports it and retries with exponential backoff. Everything is
// asynchronous (QNetworkAccessManager): the GUI thread never waits on the network.

#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <memory>

#include "core/timeline/timeline.h"

class QNetworkReply;

namespace loadline::app {

struct AgentEndpoint {
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 8080;
    QString token;              // sent as "Authorization: Bearer <token>" when not empty
    bool https = false;         // serve --tls-cert: TLS with the certificate checked (chain and host name)
    QString caFile;             // PEM CAs to trust for https (empty: the system's CAs)
    QString certFile, keyFile;  // client certificate and key (serve --tls-client-ca)
};

class AgentClient : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Connecting, Live, Retrying, Failed };
    Q_ENUM(State)

    explicit AgentClient(QObject* parent = nullptr, std::size_t maxSamples = 3600);

    void connectTo(const AgentEndpoint& endpoint);
    void disconnectFromAgent();

    State state() const { return m_state; }
    const AgentEndpoint& endpoint() const { return m_endpoint; }
    /** What has been received (a fresh recording per connectTo()), bounded to maxSamples per
     *  table; owned and modified on the GUI thread, like LiveSession's recording. */
    std::shared_ptr<core::Recording> recording() const { return m_recording; }
    const core::Timeline& timeline() const { return m_recording->timeline; }
    /** The wait before the next retry, in ms (grows 1 s, 2 s, 4 s ... up to 30 s). */
    int retryDelayMs() const { return m_backoffMs; }
    /** Requests sent so far and how many system rows the last reply carried (incremental fetch). */
    int requestCount() const { return m_requests; }
    int lastReplyRows() const { return m_lastReplyRows; }
    QUrl lastRequestUrl() const { return m_lastUrl; }

    /** Poll period while live, ms (the agent's sample interval, 250 ms - 5 s). */
    void setPollIntervalMs(int ms) { m_pollMs = ms; }
    void setMaxBackoffMs(int ms) { m_maxBackoffMs = ms; }

signals:
    /** State changes, with a sentence for the status bar ("connection lost: ...; retrying in 4 s"). */
    void stateChanged(loadline::app::AgentClient::State state, const QString& message);
    /** New samples were appended to timeline(). */
    void timelineUpdated(int newSystemRows);

private:
    void poll();
    void onReply(QNetworkReply* reply);
    void fail(const QString& why, bool retry);
    void setState(State s, const QString& message);
    QUrl timelineUrl() const;

    QNetworkAccessManager m_nam;
    QTimer m_timer;
    QPointer<QNetworkReply> m_inFlight;
    AgentEndpoint m_endpoint;
    std::shared_ptr<core::Recording> m_recording;
    std::size_t m_maxSamples;
    State m_state = State::Idle;
    double m_lastTimestamp = 0;
    bool m_haveTimestamp = false;
    int m_pollMs = 1000;
    int m_backoffMs = 1000;
    int m_maxBackoffMs = 30000;
    int m_requests = 0;
    int m_lastReplyRows = 0;
    QUrl m_lastUrl;
    QSslConfiguration m_tls;   // for https endpoints
    QString m_tlsWhy;          // why the last handshake failed (certificate errors), for the message
    quint64 m_generation = 0;  // replies from before a reconnect are ignored
};

}  // namespace loadline::app
