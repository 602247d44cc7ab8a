#pragma once
// File → Export PNG…: where to, the size in logical pixels and the scale (2× for HiDPI).

#include <QDialog>
#include <QSize>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace loadline::app {

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    explicit ExportDialog(QWidget* parent = nullptr);

    void setPath(const QString& path);
    QString path() const;
    void setImageSize(QSize size);
    QSize imageSize() const;
    void setScale(qreal scale);
    qreal scale() const;
    /** Draw the lanes under the chart (calls, alerts) as the window shows them. */
    void setWithLanes(bool on);
    bool withLanes() const;

private:
    void browse();
    void updateSummary();

    QLineEdit* m_path;
    QSpinBox* m_width;
    QSpinBox* m_height;
    QComboBox* m_scale;
    QCheckBox* m_lanes;
    QLabel* m_summary;
};

}  // namespace loadline::app
