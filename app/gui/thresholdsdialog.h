#pragma once
// View → Thresholds…: the alert rules, one per line (the rule language of core/alert/rule.h),
// checked before they are accepted: a bad line keeps the dialog open with "line L, column C:
// what was expected".
#include <QDialog>
#include <QStringList>

class QLabel;
class QPlainTextEdit;

namespace loadline::app {

class ThresholdsDialog : public QDialog {
    Q_OBJECT
public:
    explicit ThresholdsDialog(const QStringList& rules, QWidget* parent = nullptr);
    void setText(const QString& text);
    /** The rules (comments and blank lines dropped) once accepted. */
    QStringList rules() const { return m_rules; }
    /** Checks the text; false (and the error shown) when a line is bad. */
    bool check();
    QString errorText() const;

public slots:
    void accept() override;

private:
    QPlainTextEdit* m_edit;
    QLabel* m_error;
    QStringList m_rules;
};

}  // namespace loadline::app
