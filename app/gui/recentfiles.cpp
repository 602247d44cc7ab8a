#include "app/gui/recentfiles.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

#include "app/gui/appsettings.h"

namespace loadline::app {

namespace {
QString normalized(const QString& path) {
    QFileInfo info(path);
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? QDir::cleanPath(info.absoluteFilePath()) : canonical;
}
}  // namespace

RecentFiles::RecentFiles(QObject* parent) : QObject(parent) {}

QStringList RecentFiles::files() const { return QSettings().value(settings::kRecentFiles).toStringList(); }

void RecentFiles::add(const QString& path) {
    QStringList list = files();
    const QString p = normalized(path);
    list.removeAll(p);
    list.prepend(p);
    while (list.size() > settings::kMaxRecentFiles) list.removeLast();
    store(list);
}

void RecentFiles::remove(const QString& path) {
    QStringList list = files();
    if (list.removeAll(normalized(path)) + list.removeAll(path) > 0) store(list);
}

void RecentFiles::clear() { store({}); }

void RecentFiles::store(const QStringList& list) {
    QSettings().setValue(settings::kRecentFiles, list);
    emit changed();
}

void RecentFiles::populate(QMenu* menu) {
    menu->clear();
    const QStringList list = files();
    int n = 0;
    for (const QString& path : list) {
        ++n;
        const QString name = QFileInfo(path).fileName().replace(QLatin1Char('&'), QLatin1String("&&"));
        const QString text = n < 10 ? QStringLiteral("&%1 %2").arg(n).arg(name) : name;
        QAction* a = menu->addAction(text);
        a->setToolTip(path);
        a->setStatusTip(path);
        a->setEnabled(QFileInfo::exists(path));
        connect(a, &QAction::triggered, this, [this, path] { emit openRequested(path); });
    }
    if (list.isEmpty()) menu->addAction(tr("No recent files"))->setEnabled(false);
    menu->addSeparator();
    QAction* clearAction = menu->addAction(tr("&Clear Menu"));
    clearAction->setEnabled(!list.isEmpty());
    connect(clearAction, &QAction::triggered, this, &RecentFiles::clear);
}

}  // namespace loadline::app
