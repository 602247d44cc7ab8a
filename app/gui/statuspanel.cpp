#include "app/gui/statuspanel.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QStatusBar>
#include <QToolButton>

#include "app/gui/datasource.h"
#include "app/gui/recordingloader.h"
#include "core/timeline/timeline.h"

namespace loadline::app {

namespace {

QString formatTime(double t, bool withDate) {
    const QDateTime dt = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(t * 1000.0));
    return dt.toString(withDate ? QStringLiteral("yyyy-MM-dd HH:mm:ss") : QStringLiteral("HH:mm:ss"));
}

QString formatDuration(double seconds) {
    const qint64 s = static_cast<qint64>(seconds + 0.5);
    if (s < 60) return StatusPanel::tr("%1 s").arg(s);
    if (s < 3600) return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600)
        .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
}

}  // namespace

StatusPanel::StatusPanel(QStatusBar* bar, RecordingLoader* loader) : QObject(bar) {
    m_progress = new QProgressBar(bar);
    m_progress->setRange(0, 100);
    m_progress->setMaximumWidth(160);
    m_progress->setFormat(tr("Opening… %p%"));
    m_progress->hide();
    m_cancelButton = new QToolButton(bar);
    m_cancelButton->setText(tr("Cancel"));
    m_cancelButton->setToolTip(tr("Stop opening the file (Esc)"));
    m_cancelButton->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancelButton->hide();
    connect(m_cancelButton, &QToolButton::clicked, loader, &RecordingLoader::cancel);
    connect(loader, &RecordingLoader::progressChanged, m_progress, &QProgressBar::setValue);
    // Connected before the window's own handlers of the loader, which say what came of it.
    connect(loader, &RecordingLoader::loaded, this, &StatusPanel::hideProgress);
    connect(loader, &RecordingLoader::failed, this, &StatusPanel::hideProgress);
    connect(loader, &RecordingLoader::cancelled, this, [this, bar, loader](const QString& path) {
        if (!loader->isRunning()) hideProgress();  // not when a new load replaced the cancelled one
        bar->showMessage(tr("Opening %1 cancelled").arg(QFileInfo(path).fileName()), 5000);
    });

    m_samplesLabel = new QLabel(bar);
    m_intervalLabel = new QLabel(bar);
    m_rangeLabel = new QLabel(bar);
    m_fileLabel = new QLabel(bar);
    m_fileLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar->addPermanentWidget(m_progress);
    bar->addPermanentWidget(m_cancelButton);
    for (QLabel* l : {m_samplesLabel, m_intervalLabel, m_rangeLabel, m_fileLabel}) bar->addPermanentWidget(l);
}

void StatusPanel::showProgress() {
    m_progress->setValue(0);
    m_progress->show();
    m_cancelButton->show();
}

void StatusPanel::hideProgress() {
    m_progress->hide();
    m_cancelButton->hide();
}

void StatusPanel::update(const core::Timeline* t, const DataSource* source) {
    const std::size_t n = t ? t->system.size() : 0;
    m_samplesLabel->setText(n == 1 ? tr("1 sample") : tr("%1 samples").arg(QLocale().toString(qulonglong(n))));
    m_samplesLabel->setVisible(t != nullptr);

    const std::optional<double> interval = source ? source->sampleInterval() : std::nullopt;
    m_intervalLabel->setText(interval ? tr("every %1 s").arg(*interval) : tr("interval unknown"));
    m_intervalLabel->setVisible(t != nullptr);

    if (t && t->firstTime() && t->lastTime()) {
        const double a = *t->firstTime(), b = *t->lastTime();
        const bool sameDay =
            QDateTime::fromSecsSinceEpoch(qint64(a)).date() == QDateTime::fromSecsSinceEpoch(qint64(b)).date();
        m_rangeLabel->setText(
            tr("%1 – %2 (%3)").arg(formatTime(a, true), formatTime(b, !sameDay), formatDuration(b - a)));
        m_rangeLabel->show();
    } else {
        m_rangeLabel->setText(tr("no samples"));
        m_rangeLabel->setVisible(t != nullptr);
    }

    m_fileLabel->setText(source ? source->statusLabel() : tr("No file"));
    m_fileLabel->setToolTip(QDir::toNativeSeparators(source ? source->path() : QString()));
}

QString StatusPanel::text() const {
    QStringList parts;
    for (QLabel* l : {m_samplesLabel, m_intervalLabel, m_rangeLabel, m_fileLabel})
        if (!l->isHidden()) parts << l->text();
    return parts.join(QLatin1String(" | "));
}

}  // namespace loadline::app
