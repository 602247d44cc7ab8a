#include "app/gui/thresholdsdialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

#include "core/alert/rule.h"

namespace loadline::app {

ThresholdsDialog::ThresholdsDialog(const QStringList& rules, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Thresholds"));
    setObjectName(QStringLiteral("thresholdsDialog"));
    auto* help = new QLabel(tr("One alert rule per line: <tt>METRIC OP VALUE [for DURATION] [critical VALUE] "
                               "[on pid=N|name=NAME]</tt>, e.g. <tt>cpu_percent &gt; 80 for 10s</tt>. "
                               "<tt>#</tt> starts a comment."),
                            this);
    help->setWordWrap(true);
    m_edit = new QPlainTextEdit(this);
    m_edit->setObjectName(QStringLiteral("rulesEdit"));
    m_edit->setPlainText(rules.join(QLatin1Char('\n')));
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("rulesError"));
    m_error->setStyleSheet(QStringLiteral("color: #c03030"));
    m_error->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &ThresholdsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ThresholdsDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(help);
    layout->addWidget(m_edit);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    resize(560, 320);
}

void ThresholdsDialog::setText(const QString& text) { m_edit->setPlainText(text); }
QString ThresholdsDialog::errorText() const { return m_error->text(); }

bool ThresholdsDialog::check() {
    std::string error;
    const std::string text = m_edit->toPlainText().toStdString();
    auto parsed = core::alert::parseRuleLines(text);
    if (!parsed) error = parsed.error().toString();
    if (!parsed) {
        // "LINE:COLUMN: message" -> words
        const QString e = QString::fromStdString(error);
        const QStringList parts = e.split(QLatin1Char(':'));
        m_error->setText(parts.size() >= 3
                             ? tr("Line %1, column %2:%3").arg(parts[0], parts[1], e.section(QLatin1Char(':'), 2))
                             : e);
        return false;
    }
    m_rules.clear();
    for (const auto& r : *parsed) m_rules << QString::fromStdString(r.text);
    m_error->clear();
    return true;
}

void ThresholdsDialog::accept() {
    if (check()) QDialog::accept();
}

}  // namespace loadline::app
