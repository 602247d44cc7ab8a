#include "app/gui/exportdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QScreen>
#include <QVBoxLayout>
#include <algorithm>

namespace loadline::app {

ExportDialog::ExportDialog(QWidget* parent)
    : QDialog(parent),
      m_path(new QLineEdit(this)),
      m_width(new QSpinBox(this)),
      m_height(new QSpinBox(this)),
      m_scale(new QComboBox(this)),
      m_lanes(new QCheckBox(tr("Include the &lanes under the chart (calls, alerts)"), this)),
      m_summary(new QLabel(this)) {
    setWindowTitle(tr("Export PNG"));
    auto* browseButton = new QPushButton(tr("&Browse…"), this);
    connect(browseButton, &QPushButton::clicked, this, &ExportDialog::browse);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browseButton);

    for (QSpinBox* box : {m_width, m_height}) {
        box->setRange(100, 8000);
        box->setSuffix(tr(" px"));
        connect(box, &QSpinBox::valueChanged, this, &ExportDialog::updateSummary);
    }
    m_scale->addItem(tr("1× (standard)"), 1.0);
    m_scale->addItem(tr("2× (HiDPI)"), 2.0);
    m_scale->addItem(tr("3×"), 3.0);
    connect(m_scale, &QComboBox::currentIndexChanged, this, &ExportDialog::updateSummary);

    // The path row is a layout, which cannot be a buddy: name the line edit, or the label
    // would show a literal "&File:".
    auto* pathLabel = new QLabel(tr("&File:"), this);
    pathLabel->setBuddy(m_path);
    m_path->setObjectName(QStringLiteral("exportPath"));
    m_path->setMinimumWidth(m_path->fontMetrics().averageCharWidth() * 48);  // most of a path
    auto* form = new QFormLayout;
    form->addRow(pathLabel, pathRow);
    form->addRow(tr("&Width:"), m_width);
    form->addRow(tr("&Height:"), m_height);
    form->addRow(tr("&Scale:"), m_scale);
    m_lanes->setChecked(true);
    form->addRow(QString(), m_lanes);
    form->addRow(QString(), m_summary);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_path, &QLineEdit::textChanged, this, [buttons](const QString& t) {
        buttons->button(QDialogButtonBox::Save)->setEnabled(!t.trimmed().isEmpty());
    });

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    setImageSize({1600, 900});
    setScale(1.0);
    buttons->button(QDialogButtonBox::Save)->setEnabled(false);
}

void ExportDialog::setPath(const QString& path) {
    m_path->setText(path);
    // Wide enough for the whole path (its start names the folder), within the screen.
    const int room = screen() ? screen()->availableGeometry().width() * 3 / 4 : 1600;
    const int want = m_path->fontMetrics().horizontalAdvance(path) + 2 * m_path->fontMetrics().averageCharWidth() + 16;
    m_path->setMinimumWidth(std::clamp(want, m_path->fontMetrics().averageCharWidth() * 48, std::max(room, 200)));
    m_path->setToolTip(path);
    adjustSize();
}
QString ExportDialog::path() const { return m_path->text().trimmed(); }

void ExportDialog::setImageSize(QSize size) {
    m_width->setValue(size.width());
    m_height->setValue(size.height());
}
QSize ExportDialog::imageSize() const { return {m_width->value(), m_height->value()}; }

void ExportDialog::setScale(qreal scale) {
    int best = 0;
    for (int i = 1; i < m_scale->count(); ++i)
        if (qAbs(m_scale->itemData(i).toReal() - scale) < qAbs(m_scale->itemData(best).toReal() - scale)) best = i;
    m_scale->setCurrentIndex(best);
    updateSummary();
}
qreal ExportDialog::scale() const { return m_scale->currentData().toReal(); }
void ExportDialog::setWithLanes(bool on) { m_lanes->setChecked(on); }
bool ExportDialog::withLanes() const { return m_lanes->isChecked(); }

void ExportDialog::browse() {
    QString chosen = QFileDialog::getSaveFileName(this, tr("Export PNG"), path(), tr("PNG images (*.png)"));
    if (chosen.isEmpty()) return;
    if (!chosen.endsWith(QLatin1String(".png"), Qt::CaseInsensitive)) chosen += QLatin1String(".png");
    setPath(chosen);
}

void ExportDialog::updateSummary() {
    const QSize px = imageSize() * scale();
    m_summary->setText(tr("The image will be %1 × %2 pixels.").arg(px.width()).arg(px.height()));
}

}  // namespace loadline::app
