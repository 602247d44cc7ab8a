#pragma once
// The dialog of File → Open from Prometheus…: server URL (remembered), an optional credentials
// file (bearer token or user:password; only its path is remembered, never the secret), the
// instances from `up` with their job and exporter (loadline agent or node_exporter), a time range.

#include <QDialog>
#include <QFutureWatcher>

#include <vector>

#include "app/gui/prometheusbrowser.h"

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QTreeWidget;

namespace loadline::app {

class PrometheusDialog : public QDialog {
    Q_OBJECT
public:
    explicit PrometheusDialog(QWidget* parent = nullptr);

    void setUrl(const QString& url);
    /** Lists the server's instances on a worker thread; instancesListed() follows. */
    void refresh();
    /** Checks the instances listed with these names (tests and scripts). */
    void checkInstances(const QStringList& instances);
    QStringList instancesShown() const;
    /** Preset index: 0 = last 15 min, 1 = 1 h, 2 = 24 h, 3 = 7 d, 4 = custom. */
    void setRangePreset(int index);
    /** The query to run, or nullopt with a reason (no instance checked, unreadable file, …). */
    std::optional<PrometheusQuery> query(QString* error) const;
    QString errorText() const;

signals:
    void instancesListed();

private:
    void accept() override;

    QLineEdit* m_url = nullptr;
    QComboBox* m_authKind = nullptr;
    QLineEdit* m_authFile = nullptr;
    QTreeWidget* m_list = nullptr;
    QLabel* m_status = nullptr;
    QComboBox* m_range = nullptr;
    QDateTimeEdit* m_from = nullptr;
    QDateTimeEdit* m_to = nullptr;
    QFutureWatcher<std::pair<std::vector<core::fleet::PromInstance>, QString>> m_watcher;
};

}  // namespace loadline::app
