#pragma once
// Live → Connect to Agent…: host, port and token of a `loadline-cli serve` agent.

#include <QDialog>

#include "agentclient.h"

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
};

}  // namespace loadline::app
