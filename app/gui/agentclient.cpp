#include "agentclient.h"

#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrlQuery>

#include <cmath>
#include <string_view>

#include "app/prom/tlsclient.h"
#include "core/format/recordingio.h"
#include "core/serve/timelineslice.h"

namespace loadline::app {

namespace {
constexpr int kMinBackoffMs = 1000;
constexpr int kRequestTimeoutMs = 5000;
constexpr qint64 kMaxReplyBytes = 64 * 1024 * 1024;
}  // namespace

AgentClient::AgentClient(QObject* parent, std::size_t maxSamples)
    : QObject(parent), m_recording(std::make_shared<core::Recording>()), m_maxSamples(maxSamples) {
    m_recording->timeline = core::Timeline(maxSamples);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &AgentClient::poll);
}

void AgentClient::connectTo(const AgentEndpoint& endpoint) {
    disconnectFromAgent();
    m_endpoint = endpoint;
    m_recording = std::make_shared<core::Recording>();
    m_recording->timeline = core::Timeline(m_maxSamples);
    m_haveTimestamp = false;
    m_backoffMs = kMinBackoffMs;
    m_tls = QSslConfiguration();
    // Kept-alive connections were made with the old settings (CA, client certificate): a new
    // endpoint starts with fresh connections and a fresh handshake.
    m_nam.clearConnectionCache();
    if (endpoint.https) {
        QString why;
        auto tls = clientTlsConfiguration({endpoint.caFile, endpoint.certFile, endpoint.keyFile}, &why);
        if (!tls) {
            fail(why, false);
            return;
        }
        m_tls = *tls;
    }
    setState(State::Connecting, tr("Connecting to %1:%2 …").arg(endpoint.host).arg(endpoint.port));
    poll();
}

void AgentClient::disconnectFromAgent() {
    ++m_generation;
    m_timer.stop();
    if (m_inFlight) m_inFlight->abort();
    m_inFlight = nullptr;
    if (m_state != State::Idle) setState(State::Idle, tr("Disconnected"));
}

QUrl AgentClient::timelineUrl() const {
    QUrl url;
    url.setScheme(m_endpoint.https ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(m_endpoint.host);
    url.setPort(m_endpoint.port);
    url.setPath(QStringLiteral("/api/system-timeline/"));
    if (m_haveTimestamp) {
        // Only what is newer than what we hold: the start bound is inclusive, the duplicate
        // row at m_lastTimestamp is skipped when appending.
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("start"), QString::number(m_lastTimestamp, 'g', 17));
        url.setQuery(q);
    }
    return url;
}

void AgentClient::poll() {
    if (m_inFlight) return;
    m_lastUrl = timelineUrl();
    QNetworkRequest req(m_lastUrl);
    req.setTransferTimeout(kRequestTimeoutMs);
    if (!m_endpoint.token.isEmpty()) req.setRawHeader("Authorization", "Bearer " + m_endpoint.token.toUtf8());
    if (m_endpoint.https) req.setSslConfiguration(m_tls);
    ++m_requests;
    m_tlsWhy.clear();
    QNetworkReply* reply = m_nam.get(req);
    m_inFlight = reply;
    const quint64 gen = m_generation;
    connect(reply, &QNetworkReply::sslErrors, this, [this, gen](const QList<QSslError>& errors) {
        if (gen == m_generation) m_tlsWhy = describeTlsErrors(errors, m_endpoint.host);
    });
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
        if (received > kMaxReplyBytes) reply->abort();  // a misbehaving peer cannot fill our memory
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, gen] {
        reply->deleteLater();
        if (gen != m_generation) return;  // from a previous connection
        m_inFlight = nullptr;
        onReply(reply);
    });
}

void AgentClient::onReply(QNetworkReply* reply) {
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() != QNetworkReply::NoError && status == 0) {
        // A certificate we do not trust stays untrusted: say why and stop instead of retrying.
        if (!m_tlsWhy.isEmpty()) fail(m_tlsWhy, false);
        else if (m_endpoint.https && (reply->error() == QNetworkReply::SslHandshakeFailedError ||
                                      reply->error() == QNetworkReply::RemoteHostClosedError))
            fail(describeHandshakeRefused(reply->errorString(), !m_endpoint.certFile.isEmpty()), true);
        else fail(reply->errorString(), true);
        return;
    }
    if (status == 401) {
        fail(tr("the agent refused the token (HTTP 401)"), false);
        return;
    }
    if (status != 200) {
        fail(tr("HTTP %1 from the agent").arg(status), true);
        return;
    }
    const QByteArray bytes = reply->readAll();
    core::LoadResult loaded =
        core::loadRecordingFromString(std::string_view(bytes.constData(), std::size_t(bytes.size())), "agent reply");
    if (!loaded) {
        fail(tr("unreadable reply: %1")
                 .arg(QString::fromStdString(!loaded.has_value() ? loaded.error().toString()
                                                                 : std::string("not a timeline"))),
             true);
        return;
    }
    const core::Timeline& in = loaded->timeline;
    core::Timeline& out = m_recording->timeline;
    int added = 0;
    for (std::size_t r = 0; r < in.system.size(); ++r) {
        if (m_haveTimestamp && in.system.timestamp(r) <= m_lastTimestamp) continue;
        core::serve::appendRowFrom(out.system, in.system, r);
        ++added;
    }
    for (const auto& [pid, series] : in.processes) {
        auto& mine = out.process(pid).samples;
        const double last = mine.empty() ? -INFINITY : mine.timestamp(mine.size() - 1);
        for (std::size_t r = 0; r < series.samples.size(); ++r)
            if (series.samples.timestamp(r) > last) core::serve::appendRowFrom(mine, series.samples, r);
    }
    if (!out.metadata.platform) out.metadata.platform = in.metadata.platform;
    if (in.metadata.sampleInterval) {
        out.metadata.sampleInterval = in.metadata.sampleInterval;
        m_pollMs = std::clamp(int(*in.metadata.sampleInterval * 1000), 250, 5000);
    }
    out.metadata.startTime = out.firstTime();
    out.metadata.endTime = out.lastTime();
    if (auto last = out.lastTime()) {
        m_lastTimestamp = *last;
        m_haveTimestamp = true;
    }
    m_lastReplyRows = static_cast<int>(in.system.size());
    m_backoffMs = kMinBackoffMs;
    if (m_state != State::Live) setState(State::Live, tr("Live from %1:%2").arg(m_endpoint.host).arg(m_endpoint.port));
    if (added) emit timelineUpdated(added);
    m_timer.start(m_pollMs);
}

void AgentClient::fail(const QString& why, bool retry) {
    if (!retry) {
        setState(State::Failed, tr("Agent %1:%2: %3").arg(m_endpoint.host).arg(m_endpoint.port).arg(why));
        return;
    }
    const int delay = m_backoffMs;
    m_backoffMs = std::min(m_backoffMs * 2, m_maxBackoffMs);
    setState(State::Retrying, tr("Connection to %1:%2 lost: %3; retrying in %4 s")
                                  .arg(m_endpoint.host)
                                  .arg(m_endpoint.port)
                                  .arg(why)
                                  .arg(delay / 1000.0, 0, 'g', 2));
    m_timer.start(delay);
}

void AgentClient::setState(State s, const QString& message) {
    m_state = s;
    emit stateChanged(s, message);
}

}  // namespace loadline::app
