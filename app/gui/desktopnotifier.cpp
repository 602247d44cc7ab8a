#include "app/gui/desktopnotifier.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QStringList>
#include <QVariantMap>

namespace loadline::app {

bool DesktopNotifier::notify(const QString& summary, const QString& body, bool critical) {
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) return false;
    QDBusMessage call = QDBusMessage::createMethodCall(
        QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("/org/freedesktop/Notifications"),
        QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("Notify"));
    QVariantMap hints;
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue<uchar>(critical ? 2 : 1));
    call << QStringLiteral("loadline") << 0u << QStringLiteral("io.github.loadline") << summary << body << QStringList()
         << hints << -1;
    return bus.send(call);  // queued, never waited for: a slow daemon costs the GUI nothing
}

}  // namespace loadline::app
