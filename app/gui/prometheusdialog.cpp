#include "app/gui/prometheusdialog.h"

#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "app/prom/promhttp.h"

namespace loadline::app {

namespace {
const QString kUrlKey = QStringLiteral("prometheus/url");
const QString kAuthKindKey = QStringLiteral("prometheus/credentialsKind");  // 0 none, 1 bearer, 2 basic
const QString kAuthFileKey = QStringLiteral("prometheus/credentialsFile");  // a path, never the secret
const QString kRangeKey = QStringLiteral("prometheus/rangePreset");
constexpr double kPresetSeconds[] = {15 * 60, 3600, 24 * 3600, 7 * 24 * 3600};

PromCredentials credentialsFrom(int kind, const QString& file) {
    PromCredentials c;
    if (kind == 1) c.bearerTokenFile = file;
    if (kind == 2) c.basicAuthFile = file;
    return c;
}
}  // namespace

PrometheusDialog::PrometheusDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Open from Prometheus"));
    QSettings s;
    m_url = new QLineEdit(s.value(kUrlKey, QStringLiteral("http://127.0.0.1:9090")).toString(), this);
    auto* listButton = new QPushButton(tr("&List Instances"), this);
    auto* urlRow = new QHBoxLayout;
    urlRow->addWidget(m_url, 1);
    urlRow->addWidget(listButton);

    m_authKind = new QComboBox(this);
    m_authKind->addItems({tr("None"), tr("Bearer token file"), tr("Basic auth file (user:password)")});
    m_authKind->setCurrentIndex(s.value(kAuthKindKey, 0).toInt());
    m_authFile = new QLineEdit(s.value(kAuthFileKey).toString(), this);
    m_authFile->setPlaceholderText(tr("file holding the secret (only its path is remembered)"));
    auto* browse = new QPushButton(tr("…"), this);
    auto* authRow = new QHBoxLayout;
    authRow->addWidget(m_authKind);
    authRow->addWidget(m_authFile, 1);
    authRow->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Credentials File"), m_authFile->text());
        if (!f.isEmpty()) m_authFile->setText(f);
    });

    m_list = new QTreeWidget(this);
    m_list->setHeaderLabels({tr("Instance"), tr("Job"), tr("Up"), tr("Exporter")});
    m_list->setRootIsDecorated(false);
    m_list->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);

    m_range = new QComboBox(this);
    m_range->addItems({tr("Last 15 minutes"), tr("Last hour"), tr("Last 24 hours"), tr("Last 7 days"), tr("Custom")});
    const QDateTime now = QDateTime::currentDateTime();
    m_from = new QDateTimeEdit(now.addSecs(-3600), this);
    m_to = new QDateTimeEdit(now, this);
    for (auto* e : {m_from, m_to}) {
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        e->setCalendarPopup(true);
    }
    auto* rangeRow = new QHBoxLayout;
    rangeRow->addWidget(m_range);
    rangeRow->addWidget(m_from);
    rangeRow->addWidget(new QLabel(tr("to"), this));
    rangeRow->addWidget(m_to);
    connect(m_range, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_from->setEnabled(i == 4);
        m_to->setEnabled(i == 4);
    });
    m_range->setCurrentIndex(s.value(kRangeKey, 1).toInt());
    m_from->setEnabled(m_range->currentIndex() == 4);
    m_to->setEnabled(m_range->currentIndex() == 4);

    auto* form = new QFormLayout;
    form->addRow(tr("Server:"), urlRow);
    form->addRow(tr("Credentials:"), authRow);
    form->addRow(tr("Range:"), rangeRow);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &PrometheusDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Instances (check one, or several to compare their CPU):"), this));
    layout->addWidget(m_list, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(640, 460);

    connect(listButton, &QPushButton::clicked, this, &PrometheusDialog::refresh);
    connect(&m_watcher, &QFutureWatcherBase::finished, this, [this] {
        const auto [list, error] = m_watcher.result();
        m_list->clear();
        if (!error.isEmpty()) {
            m_status->setText(error);
        } else {
            for (const auto& i : list) {
                auto* item = new QTreeWidgetItem(m_list);
                item->setText(0, QString::fromStdString(i.instance));
                item->setText(1, QString::fromStdString(i.job));
                item->setText(2, i.up ? tr("yes") : tr("no"));
                item->setText(3, i.source ? (*i.source == core::fleet::NodeSource::Loadline ? tr("loadline agent")
                                                                                            : tr("node_exporter"))
                                          : tr("—"));
                item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
                item->setCheckState(0, Qt::Unchecked);
                if (!i.source) item->setDisabled(true);  // neither exporter: nothing to chart
            }
            m_status->setText(tr("%n instance(s)", nullptr, static_cast<int>(list.size())));
        }
        emit instancesListed();
    });
}

void PrometheusDialog::setUrl(const QString& url) { m_url->setText(url); }

void PrometheusDialog::refresh() {
    QString error;
    auto base = prometheusBaseUrl(m_url->text(), &error);
    auto auth = base ? authorizationHeader(credentialsFrom(m_authKind->currentIndex(), m_authFile->text()), &error)
                     : std::nullopt;
    if (!base || !auth) {
        m_status->setText(error);
        emit instancesListed();
        return;
    }
    m_status->setText(tr("Asking %1…").arg(base->toString()));
    const QUrl url = *base;
    const QByteArray header = *auth;
    m_watcher.setFuture(QtConcurrent::run([url, header] {
        PrometheusHttpClient client(url, header, 30000);
        std::string err;
        auto parsed = core::fleet::parseInstanceList(url.toString().toStdString(),
                                                     client.fetch(core::fleet::instanceListTargets()));
        auto list = parsed.value_or(std::vector<core::fleet::PromInstance>{});
        if (!parsed) err = parsed.error().toString();
        return std::make_pair(list, QString::fromStdString(err));
    }));
}

void PrometheusDialog::checkInstances(const QStringList& instances) {
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        auto* item = m_list->topLevelItem(i);
        item->setCheckState(0, instances.contains(item->text(0)) ? Qt::Checked : Qt::Unchecked);
    }
}

QStringList PrometheusDialog::instancesShown() const {
    QStringList out;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i)
        out << m_list->topLevelItem(i)->text(0) + QLatin1Char('|') + m_list->topLevelItem(i)->text(1) +
                   QLatin1Char('|') + m_list->topLevelItem(i)->text(3);
    return out;
}

void PrometheusDialog::setRangePreset(int index) { m_range->setCurrentIndex(index); }

QString PrometheusDialog::errorText() const { return m_status->text(); }

std::optional<PrometheusQuery> PrometheusDialog::query(QString* error) const {
    PrometheusQuery q;
    auto base = prometheusBaseUrl(m_url->text(), error);
    if (!base) return std::nullopt;
    auto auth = authorizationHeader(credentialsFrom(m_authKind->currentIndex(), m_authFile->text()), error);
    if (!auth) return std::nullopt;
    q.url = *base;
    q.authorization = *auth;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i)
        if (m_list->topLevelItem(i)->checkState(0) == Qt::Checked) q.instances << m_list->topLevelItem(i)->text(0);
    if (q.instances.isEmpty()) {
        if (error) *error = tr("Check at least one instance (List Instances fills the list).");
        return std::nullopt;
    }
    const int preset = m_range->currentIndex();
    if (preset < 4) {
        q.to = static_cast<double>(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
        q.from = q.to - kPresetSeconds[preset];
    } else {
        q.from = static_cast<double>(m_from->dateTime().toMSecsSinceEpoch()) / 1000.0;
        q.to = static_cast<double>(m_to->dateTime().toMSecsSinceEpoch()) / 1000.0;
        if (!(q.to > q.from)) {
            if (error) *error = tr("The range is empty: 'from' must be before 'to'.");
            return std::nullopt;
        }
    }
    return q;
}

void PrometheusDialog::accept() {
    QString error;
    if (!query(&error)) {
        m_status->setText(error);
        return;
    }
    QSettings s;
    s.setValue(kUrlKey, m_url->text().trimmed());
    s.setValue(kAuthKindKey, m_authKind->currentIndex());
    s.setValue(kAuthFileKey, m_authFile->text());
    s.setValue(kRangeKey, m_range->currentIndex());
    QDialog::accept();
}

}  // namespace loadline::app
