#pragma once
// Desktop notifications through the freedesktop Notifications service on the session bus
// (org.freedesktop.Notifications, method Notify; https://specifications.freedesktop.org/
// notification-spec/). Calls are asynchronous: the GUI never waits for the notification daemon.
#include <QString>

namespace loadline::app {

class DesktopNotifier {
public:
    /** Sends a notification; critical sets the "urgency" hint to 2 (critical). False when no
     *  session bus is reachable. */
    static bool notify(const QString& summary, const QString& body, bool critical);
};

}  // namespace loadline::app
