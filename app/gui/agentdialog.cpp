#include "agentdialog.h"

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
    form->addRow(buttons);
}

void AgentDialog::setEndpoint(const AgentEndpoint& e) {
    m_host->setText(e.host);
    m_port->setValue(e.port);
    m_token->setText(e.token);
}

AgentEndpoint AgentDialog::endpoint() const {
    return AgentEndpoint{m_host->text().trimmed(), quint16(m_port->value()), m_token->text().trimmed()};
}

}  // namespace loadline::app
