#include "agentdialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace loadline::app {

AgentDialog::AgentDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Connect to Agent"));
    setObjectName(QStringLiteral("agentDialog"));
    m_host = new QLineEdit(QStringLiteral("127.0.0.1"), this);
    m_host->setObjectName(QStringLiteral("agentHost"));
    m_port = new QSpinBox(this);
    m_port->setObjectName(QStringLiteral("agentPort"));
    m_port->setRange(1, 65535);
    m_port->setValue(8080);
    m_token = new QLineEdit(this);
    m_token->setObjectName(QStringLiteral("agentToken"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("only if the agent was started with --token-file"));

    m_https = new QCheckBox(tr("HTTPS (the agent was started with --tls-cert)"), this);
    m_https->setObjectName(QStringLiteral("agentHttps"));
    auto fileEdit = [this](const char* name, const QString& placeholder) {
        auto* e = new QLineEdit(this);
        e->setObjectName(QLatin1String(name));
        e->setPlaceholderText(placeholder);
        e->setEnabled(false);
        connect(m_https, &QCheckBox::toggled, e, &QWidget::setEnabled);
        return e;
    };
    m_caFile = fileEdit("agentCaFile", tr("PEM file of the CA that signed the agent's certificate"));
    m_certFile = fileEdit("agentCertFile", tr("only if the agent wants client certificates"));
    m_keyFile = fileEdit("agentKeyFile", tr("the client certificate's key"));

    auto* hint = new QLabel(tr("An agent is a machine running <tt>loadline-cli serve</tt>."), this);
    hint->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_host, &QLineEdit::textChanged, this, [this, buttons] {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_host->text().trimmed().isEmpty());
    });

    // Wide enough for the hint on one line and the token field's placeholder.
    m_token->setMinimumWidth(m_token->fontMetrics().horizontalAdvance(m_token->placeholderText()) + 24);
    auto* form = new QFormLayout(this);
    form->addRow(hint);
    form->addRow(tr("&Host:"), m_host);
    form->addRow(tr("&Port:"), m_port);
    form->addRow(tr("&Token:"), m_token);
    form->addRow(m_https);
    form->addRow(tr("&CA file:"), m_caFile);
    form->addRow(tr("Client c&ertificate:"), m_certFile);
    form->addRow(tr("Client &key:"), m_keyFile);
    form->addRow(buttons);
}

void AgentDialog::setEndpoint(const AgentEndpoint& e) {
    m_host->setText(e.host);
    m_port->setValue(e.port);
    m_token->setText(e.token);
    m_https->setChecked(e.https);
    m_caFile->setText(e.caFile);
    m_certFile->setText(e.certFile);
    m_keyFile->setText(e.keyFile);
}

AgentEndpoint AgentDialog::endpoint() const {
    AgentEndpoint e;
    e.host = m_host->text().trimmed();
    e.port = quint16(m_port->value());
    e.token = m_token->text().trimmed();
    // "https://host" typed as the host means HTTPS too.
    for (const char* scheme : {"https://", "http://"}) {
        if (e.host.startsWith(QLatin1String(scheme), Qt::CaseInsensitive)) {
            e.https = QLatin1String(scheme) == QLatin1String("https://");
            e.host = e.host.mid(int(qstrlen(scheme)));
            while (e.host.endsWith(QLatin1Char('/'))) e.host.chop(1);
        }
    }
    e.https = e.https || m_https->isChecked();
    if (e.https) {
        e.caFile = m_caFile->text().trimmed();
        e.certFile = m_certFile->text().trimmed();
        e.keyFile = m_keyFile->text().trimmed();
    }
    return e;
}

}  // namespace loadline::app
