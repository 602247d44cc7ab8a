#pragma once
// Live → Connect to Agent…: host, port and token of a `loadline-cli serve` agent, and for an
// agent serving HTTPS the CA file to trust and an optional client certificate and key.

#include <QDialog>

#include "agentclient.h"

class QCheckBox;
class QLineEdit;
class QSpinBox;

namespace loadline::app {

class AgentDialog : public QDialog {
    Q_OBJECT
public:
    explicit AgentDialog(QWidget* parent = nullptr);
    void setEndpoint(const AgentEndpoint& endpoint);
    AgentEndpoint endpoint() const;

private:
    QLineEdit* m_host = nullptr;
    QSpinBox* m_port = nullptr;
    QLineEdit* m_token = nullptr;
    QCheckBox* m_https = nullptr;
    QLineEdit* m_caFile = nullptr;
    QLineEdit* m_certFile = nullptr;
    QLineEdit* m_keyFile = nullptr;
};

}  // namespace loadline::app
