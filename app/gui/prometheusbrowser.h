#pragma once
// File → Open from Prometheus…: shows nodes of a fleet from a Prometheus server in the window.
// Imports run on a worker thread (core/fleet over app/prom's Qt Network client), never on the
// GUI thread. One instance is shown as its own timeline; several are overlaid as lines, the
// system CPU of each (named by instance), on a 0-100 % axis. Zooming in re-queries the visible
// range at a finer step (as Grafana does) and splices it into the coarse data, so zooming out
// still shows the whole range; Follow re-queries the newest range every few seconds.

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUrl>

#include <memory>

#include "core/fleet/promimport.h"
#include "core/timeline/timeline.h"

class QAction;

namespace loadline::app {

class MainWindow;

struct PrometheusQuery {
    QUrl url;
    QByteArray authorization;  // the header value, read from a file; never stored in settings
    QStringList instances;     // one or more
    double from = 0;
    double to = 0;
    bool follow = false;  // keep the range's length, ending now, and poll
};

class PrometheusBrowser : public QObject {
    Q_OBJECT
public:
    explicit PrometheusBrowser(MainWindow* window);

    /** Imports and shows (asynchronously: shown() or failed() follows). */
    void open(const PrometheusQuery& query);
    const PrometheusQuery& query() const { return m_query; }
    /** The step of the data shown (the finest one after a zoom). */
    double step() const { return m_step; }
    int imports() const { return m_imports; }
    QAction* openAction() const { return m_openAction; }
    QAction* followAction() const { return m_followAction; }
    void setFollow(bool on);

    /** Builds what the window shows for several instances: the first one's system as the area, each
     *  instance's system CPU as a line (a process series named after the instance). */
    static std::shared_ptr<core::Recording> overlay(const std::vector<std::shared_ptr<core::Recording>>& nodes,
                                                    const QStringList& instances);

signals:
    void shown();
    void failed(const QString& message);

private:
    void dialog();
    void start(double from, double to, bool zoom);
    void onViewRange(double t0, double t1);
    void requery();

    MainWindow* m_window;
    QAction* m_openAction = nullptr;
    QAction* m_followAction = nullptr;
    PrometheusQuery m_query;
    std::shared_ptr<core::Recording> m_coarse;  // the whole range at its default step (one node)
    std::vector<std::shared_ptr<core::Recording>> m_nodes;
    double m_step = 0;
    double m_coarseStep = 0;
    double m_scrape = 0;
    quint64 m_generation = 0;
    bool m_busy = false;
    int m_imports = 0;
    QTimer m_zoomTimer;
    QTimer m_followTimer;
    std::pair<double, double> m_pendingZoom{0, 0};
    std::shared_ptr<const core::Recording> m_lastShown;
    bool m_showing = false;
};

/** Adds File → Open from Prometheus… to a window (called by MainWindow's constructor). */
PrometheusBrowser* installPrometheusBrowser(MainWindow* window);

}  // namespace loadline::app
