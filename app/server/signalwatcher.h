#pragma once
// Turns SIGTERM/SIGINT/SIGHUP into a Qt signal: the handler only write()s to a socket pair
// (async-signal safe); a QSocketNotifier reads it in the event loop, where shutting down (or, for
// serve with TLS, reloading the certificate on SIGHUP) is safe.

#include <QObject>

class QSocketNotifier;

namespace loadline::server {

class SignalWatcher : public QObject {
    Q_OBJECT
public:
    /** Installs handlers for SIGTERM, SIGINT and SIGHUP. One instance per process. */
    explicit SignalWatcher(QObject* parent = nullptr);
    ~SignalWatcher() override;

signals:
    void terminationRequested(int signalNumber);

private:
    QSocketNotifier* m_notifier = nullptr;
};

}  // namespace loadline::server
