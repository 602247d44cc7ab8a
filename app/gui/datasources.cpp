#include "app/gui/datasources.h"

#include <QFileInfo>
#include <QSysInfo>

#include "app/gui/livesession.h"
#include "app/gui/storefollower.h"
#include "core/format/recordingio.h"

namespace loadline::app {

// ---------------------------------------------------------------------------------------------
// File (and a followed .llrec store)

FileSource::FileSource(const QString& path, std::shared_ptr<core::Recording> recording, StoreFollower* follower,
                       QObject* parent)
    : DataSource(parent), m_path(path), m_follower(follower) {
    setRecording(std::move(recording));
}

FileSource::~FileSource() = default;

QString FileSource::title() const { return QFileInfo(m_path).fileName(); }

QString FileSource::statusLabel() const {
    return isRunning() && m_follower->isFollowing() ? tr("%1 (following)").arg(QFileInfo(m_path).fileName())
                                                    : QFileInfo(m_path).fileName();
}

bool FileSource::isRunning() const { return m_started && m_follower && m_follower->isActive(); }

bool FileSource::isGrowing() const { return isRunning(); }

void FileSource::start() {
    if (!m_follower || m_started) return;
    m_started = true;
    // The follower is the window's (tests set its poll interval); this source has it while shown.
    connect(m_follower, &StoreFollower::ticksAppended, this, &DataSource::dataAppended);
    connect(m_follower, &StoreFollower::followingChanged, this, &DataSource::stateChanged);
    connect(m_follower, &StoreFollower::finished, this, &DataSource::finished);
    connect(m_follower, &StoreFollower::failed, this, [this](const QString& why) {
        emit message(tr("Stopped following: %1").arg(why), 10000);
        emit stateChanged();
    });
    m_follower->follow(m_path, recording());  // only a store still being written keeps it going
}

void FileSource::stop() {
    if (!m_started) return;
    m_started = false;
    disconnect(m_follower, nullptr, this, nullptr);
    m_follower->stop();
}

// ---------------------------------------------------------------------------------------------
// Live

LiveSource::LiveSource(LiveSession* session, double intervalSeconds, QObject* parent)
    : DataSource(parent), m_session(session), m_interval(intervalSeconds) {
    setRecording(m_session->recording());
}

QString LiveSource::title() const { return tr("Live: %1").arg(QSysInfo::machineHostName()); }

QString LiveSource::statusLabel() const {
    return isRunning() ? tr("Live: %1").arg(QSysInfo::machineHostName())
                       : tr("Live (stopped): %1").arg(QSysInfo::machineHostName());
}

bool LiveSource::isRunning() const { return m_started && m_session->isRunning(); }

std::optional<double> LiveSource::sampleInterval() const { return m_session->interval(); }

void LiveSource::start() {
    if (m_started || m_session->isRunning()) return;
    m_started = true;
    m_session->start(m_interval);  // a fresh recording; started() or startFailed() follows
    setRecording(m_session->recording());
    connect(m_session, &LiveSession::samplesAppended, this, &DataSource::dataAppended);
    connect(m_session, &LiveSession::started, this, &DataSource::stateChanged);
    connect(m_session, &LiveSession::stopped, this, &DataSource::stateChanged);
    connect(m_session, &LiveSession::startFailed, this, [this](const QString& why) {
        emit stateChanged();
        emit failed(tr("Could not start sampling"), why);
    });
}

void LiveSource::stop() {
    if (m_started) m_session->stop();
}

// ---------------------------------------------------------------------------------------------
// Agent

AgentSource::AgentSource(AgentClient* client, const AgentEndpoint& endpoint, QObject* parent)
    : DataSource(parent), m_client(client), m_endpoint(endpoint) {}

QString AgentSource::agentName() const { return QStringLiteral("%1:%2").arg(m_endpoint.host).arg(m_endpoint.port); }

QString AgentSource::title() const { return tr("Agent: %1").arg(agentName()); }

QString AgentSource::statusLabel() const {
    return isRunning() ? tr("Agent: %1").arg(agentName()) : tr("Agent (disconnected): %1").arg(agentName());
}

bool AgentSource::isRunning() const { return m_started && m_client->state() != AgentClient::State::Idle; }

void AgentSource::start() {
    if (m_started) return;
    m_started = true;
    m_client->connectTo(m_endpoint);  // polls; never blocks this thread
    setRecording(m_client->recording());
    // Connected after connectTo: what it says while setting up ("Connecting to …") is not shown,
    // the replies' news (live, lost, retrying) are.
    connect(m_client, &AgentClient::timelineUpdated, this, &DataSource::dataAppended);
    connect(m_client, &AgentClient::stateChanged, this, [this](AgentClient::State, const QString& text) {
        emit message(text, 0);
        emit stateChanged();
    });
}

void AgentSource::stop() {
    if (m_started) m_client->disconnectFromAgent();  // the data stays
}

// ---------------------------------------------------------------------------------------------
// Prometheus

PrometheusSource::PrometheusSource(std::shared_ptr<core::Recording> recording, const QString& title, QObject* parent)
    : DataSource(parent), m_title(title) {
    setRecording(std::move(recording));
}

QString PrometheusSource::statusLabel() const { return QFileInfo(path()).fileName(); }

// ---------------------------------------------------------------------------------------------
// Baseline

BaselineSource::BaselineSource(std::shared_ptr<core::Recording> recording, const QString& path, QObject* parent)
    : DataSource(parent), m_path(path) {
    setRecording(std::move(recording));
}

std::unique_ptr<BaselineSource> BaselineSource::open(const QString& path, QString* error) {
    core::LoadResult loaded = core::loadRecordingFile(path.toStdString());
    if (!loaded) {
        if (error) *error = QString::fromStdString(loaded.error().toString());
        return nullptr;
    }
    return std::make_unique<BaselineSource>(std::make_shared<core::Recording>(std::move(*loaded)), path);
}

QString BaselineSource::title() const { return QFileInfo(m_path).fileName(); }

QString BaselineSource::statusLabel() const { return tr("Baseline: %1").arg(QFileInfo(m_path).fileName()); }

}  // namespace loadline::app
