#include "app/gui/livecontrol.h"

#include <QDoubleSpinBox>
#include <QInputDialog>
#include <QLineEdit>
#include <QSettings>

#include "app/gui/agentclient.h"
#include "app/gui/agentdialog.h"
#include "app/gui/appsettings.h"
#include "app/gui/datasources.h"
#include "app/gui/livesession.h"
#include "widgets/processpicker.h"

namespace loadline::app {

LiveControl::LiveControl(LiveSession* session, AgentClient* agent, ShowSource show, QWidget* window)
    : QObject(window), m_session(session), m_agent(agent), m_show(std::move(show)), m_window(window) {
    m_intervalBox = new QDoubleSpinBox(window);
    m_intervalBox->setObjectName(QStringLiteral("intervalBox"));
    m_intervalBox->setRange(0.05, 60.0);
    m_intervalBox->setDecimals(2);
    m_intervalBox->setSingleStep(0.1);
    m_intervalBox->setSuffix(tr(" s"));
    m_intervalBox->setToolTip(tr("Sampling interval"));

    m_windowBox = new QDoubleSpinBox(window);
    m_windowBox->setObjectName(QStringLiteral("windowBox"));
    m_windowBox->setRange(0.5, 24 * 60.0);
    m_windowBox->setDecimals(1);
    m_windowBox->setSuffix(tr(" min"));
    m_windowBox->setToolTip(tr("How much of the newest data is in view while following live data"));

    const QSettings s;
    m_intervalBox->setValue(s.value(settings::kInterval, settings::kDefaultInterval).toDouble());
    m_windowBox->setValue(s.value(settings::kWindow, settings::kDefaultWindow).toDouble() / 60.0);
    connect(m_intervalBox, &QDoubleSpinBox::valueChanged, this, &LiveControl::setInterval);
    connect(m_windowBox, &QDoubleSpinBox::valueChanged, this, [this](double minutes) { setWindow(minutes * 60.0); });
}

double LiveControl::windowSeconds() const { return m_windowBox->value() * 60.0; }

void LiveControl::show(std::unique_ptr<DataSource> source) {
    m_started = source.get();
    m_show(std::move(source));
}

void LiveControl::setPicker(widgets::ProcessPicker* picker) {
    m_picker = picker;
    connect(m_session, &LiveSession::processesChanged, picker, [this] {
        // Processes matched by a pattern show as tracked in the picker too (unchecking untracks).
        QList<int> pids;
        for (const auto& entry : m_session->recording()->timeline.processes) pids << entry.first;
        m_session->adoptTrackedPids(pids);
        m_picker->setTrackedPids(m_session->trackedPids());
    });
    connect(picker, &widgets::ProcessPicker::trackedPidsChanged, m_session, &LiveSession::setTrackedPids);
}

void LiveControl::start() {
    if (m_session->isRunning()) return;
    if (m_picker) m_session->setTrackedPids(m_picker->trackedPids());
    show(std::make_unique<LiveSource>(m_session, m_intervalBox->value()));  // started() or startFailed() follows
}

void LiveControl::connectToAgent(const AgentEndpoint& endpoint) {
    show(std::make_unique<AgentSource>(m_agent, endpoint));  // polls; never blocks this thread
}

void LiveControl::stop() {
    if (!m_started || !m_started->isRunning()) return;
    m_started->stop();  // the data stays
    if (m_started->kind() == DataSource::Kind::Agent) emit message(tr("Disconnected from the agent"), 5000);
}

void LiveControl::setInterval(double seconds) {
    if (!qFuzzyCompare(m_intervalBox->value(), seconds)) {
        const QSignalBlocker block(m_intervalBox);
        m_intervalBox->setValue(seconds);
    }
    QSettings().setValue(settings::kInterval, seconds);
    m_session->setInterval(seconds);
    emit intervalChanged(seconds);
}

void LiveControl::setWindow(double seconds) {
    if (!qFuzzyCompare(m_windowBox->value(), seconds / 60.0)) {
        const QSignalBlocker block(m_windowBox);
        m_windowBox->setValue(seconds / 60.0);
    }
    QSettings().setValue(settings::kWindow, seconds);
    emit windowChanged(seconds);
}

void LiveControl::writeSettings() const {
    QSettings s;
    s.setValue(settings::kInterval, m_intervalBox->value());
    s.setValue(settings::kWindow, windowSeconds());
}

void LiveControl::trackPatternDialog() {
    bool ok = false;
    QStringList tracked = m_session->trackPatterns();
    for (const QString& p : m_session->trackCmdlinePatterns()) tracked << QLatin1String("cmdline:") + p;
    const QString current = tracked.join(QLatin1String(", "));
    QString pattern =
        QInputDialog::getText(m_window, tr("Track Processes Matching"),
                              tr("Track every process whose name matches this regular expression (like pgrep;\n"
                                 "e.g. ^python3$|node), including processes that start or exec later.\n"
                                 "Begin with cmdline: to match the command line instead (like pgrep -f).%1")
                                  .arg(current.isEmpty() ? QString() : tr("\nTracked so far: %1").arg(current)),
                              QLineEdit::Normal, QString(), &ok);
    pattern = pattern.trimmed();
    if (!ok || pattern.isEmpty()) return;
    LiveSession::Match match = LiveSession::Match::Name;
    if (pattern.startsWith(QLatin1String("cmdline:"))) {
        match = LiveSession::Match::Cmdline;
        pattern = pattern.mid(8).trimmed();
        if (pattern.isEmpty()) return;
    }
    QString error;
    if (!m_session->addTrackPattern(pattern, &error, match)) emit failed(tr("Could not track the pattern"), error);
    else
        emit message(m_session->isRunning() ? tr("Tracking processes matching %1").arg(pattern)
                                            : tr("Processes matching %1 are tracked from the next Start").arg(pattern),
                     5000);
}

void LiveControl::agentDialog() {
    AgentDialog dialog(m_window);
    dialog.setEndpoint(m_agent->endpoint());
    if (dialog.exec() != QDialog::Accepted) return;
    connectToAgent(dialog.endpoint());
}

}  // namespace loadline::app
