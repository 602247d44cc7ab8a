#pragma once
// The kinds of DataSource the main window shows, one small class each. The workers behind them
// (StoreFollower, LiveSession, AgentClient) belong to the window and outlive the sources, since
// they keep what the user set (a poll interval, tracked processes and patterns, the last agent
// endpoint); a source borrows its worker while it is shown and forwards the worker's signals as
// its own, so deleting the source is what cuts an old worker off from the window.

#include "app/gui/agentclient.h"
#include "app/gui/datasource.h"

namespace loadline::app {

class LiveSession;
class StoreFollower;

/** A recording opened from a file; a .llrec store still being recorded is followed (tail -f). */
class FileSource : public DataSource {
    Q_OBJECT
public:
    /** path: absolute; recording: what was loaded from it; follower: null to never follow. */
    FileSource(const QString& path, std::shared_ptr<core::Recording> recording, StoreFollower* follower,
               QObject* parent = nullptr);
    ~FileSource() override;
    Kind kind() const override { return Kind::File; }
    QString title() const override;
    QString statusLabel() const override;
    QString path() const override { return m_path; }
    bool isGrowing() const override;
    bool isRunning() const override;
    void start() override;  ///< follows the store when a recorder still writes it
    void stop() override;

private:
    QString m_path;
    StoreFollower* m_follower;
    bool m_started = false;
};

/** This machine sampled now (Live → Start). */
class LiveSource : public DataSource {
    Q_OBJECT
public:
    LiveSource(LiveSession* session, double intervalSeconds, QObject* parent = nullptr);
    Kind kind() const override { return Kind::Live; }
    QString title() const override;
    QString statusLabel() const override;
    bool isLive() const override { return true; }
    bool isRunning() const override;
    std::optional<double> sampleInterval() const override;  ///< the session's, as it samples
    void start() override;                                  ///< into a fresh recording; stateChanged or failed follows
    void stop() override;

private:
    LiveSession* m_session;
    double m_interval;
    bool m_started = false;
};

/** A remote `loadline-cli serve` agent followed over HTTP(S) (Live → Connect to Agent…). */
class AgentSource : public DataSource {
    Q_OBJECT
public:
    AgentSource(AgentClient* client, const AgentEndpoint& endpoint, QObject* parent = nullptr);
    Kind kind() const override { return Kind::Agent; }
    QString title() const override;
    QString statusLabel() const override;
    bool isLive() const override { return true; }
    bool isRunning() const override;
    void start() override;  ///< connects (polls; never blocks); the client's state follows
    void stop() override;   ///< disconnects; the data stays
    /** "host:port". */
    QString agentName() const;

private:
    AgentClient* m_client;
    AgentEndpoint m_endpoint;
    bool m_started = false;
};

/** A recording imported from a Prometheus query (File → Open from Prometheus…). */
class PrometheusSource : public DataSource {
    Q_OBJECT
public:
    PrometheusSource(std::shared_ptr<core::Recording> recording, const QString& title, QObject* parent = nullptr);
    Kind kind() const override { return Kind::Prometheus; }
    QString title() const override { return m_title; }
    QString statusLabel() const override;
    /** "prometheus:TITLE": no file, but a name for Save and Export to propose. */
    QString path() const override { return QStringLiteral("prometheus:") + m_title; }

private:
    QString m_title;
};

/** The other run of a comparison (File → Compare With Baseline…), drawn dashed under the shown
 *  one; read whole from a file, never live. */
class BaselineSource : public DataSource {
    Q_OBJECT
public:
    BaselineSource(std::shared_ptr<core::Recording> recording, const QString& path, QObject* parent = nullptr);
    /** Reads path on this thread (a baseline is one run); null and error set when it does not open. */
    static std::unique_ptr<BaselineSource> open(const QString& path, QString* error);
    Kind kind() const override { return Kind::Baseline; }
    QString title() const override;
    QString statusLabel() const override;
    QString path() const override { return m_path; }

private:
    QString m_path;
};

}  // namespace loadline::app
