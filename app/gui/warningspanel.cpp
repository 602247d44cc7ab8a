#include "app/gui/warningspanel.h"

#include <algorithm>

#include <QListWidget>
#include <QMainWindow>

#include "core/timeline/cpumeasured.h"

namespace loadline::app {

namespace {
const QString kPlaceholder = QStringLiteral("placeholder");  // Qt::UserRole of the "No warnings" line
}

WarningsPanel::WarningsPanel(QWidget* parent) : QDockWidget(tr("Warnings"), parent) {
    setObjectName(QStringLiteral("warningsPanel"));
    m_list = new QListWidget(this);
    m_list->setWordWrap(true);
    setWidget(m_list);
}

void WarningsPanel::setWarnings(const std::vector<std::string>& warnings, std::size_t defects) {
    m_defects = defects;
    m_list->clear();
    for (const std::string& w : warnings) {
        auto* item = new QListWidgetItem(QString::fromStdString(w), m_list);
        item->setToolTip(item->text());  // a long line is read whole on hover
    }
    finish();
    if (warnings.empty()) return;
    const bool wasHidden = isHidden();
    show();
    raise();
    auto* window = qobject_cast<QMainWindow*>(parentWidget());
    if (wasHidden && window) {
        // As tall as its lines (up to 6), not a third of the window for two of them.
        const int rows = static_cast<int>(std::min<std::size_t>(warnings.size(), 6));
        const int height = rows * (m_list->fontMetrics().height() + 4) + 2 * m_list->frameWidth() +
                           fontMetrics().height() + 16;  // + the title bar
        window->resizeDocks({this}, {height}, Qt::Vertical);
    }
    emit message(defects == 1 ? tr("1 warning while reading the file: see the Warnings panel")
                              : tr("%1 warnings while reading the file: see the Warnings panel").arg(defects),
                 10000);
}

void WarningsPanel::showFindings(const core::Recording& recording, const core::CpuMeasurement& measured) {
    std::vector<std::string> warnings = recording.warnings;
    std::size_t defects = recording.defectCount();
    for (auto& w : core::cpuMeasurementWarnings(recording.timeline, measured)) {
        warnings.push_back(std::move(w));
        ++defects;
    }
    setWarnings(warnings, defects);
}

std::size_t WarningsPanel::removeStartingWith(const QString& prefix) {
    std::size_t removed = 0;
    for (int i = m_list->count() - 1; i >= 0; --i)
        if (m_list->item(i)->data(Qt::UserRole).toString() != kPlaceholder &&
            m_list->item(i)->text().startsWith(prefix)) {
            delete m_list->takeItem(i);
            ++removed;
        }
    if (!removed) return 0;
    m_defects -= std::min(removed, m_defects);
    finish();
    return removed;
}

QStringList WarningsPanel::warnings() const {
    QStringList out;
    for (int i = 0; i < m_list->count(); ++i)
        if (m_list->item(i)->data(Qt::UserRole).toString() != kPlaceholder) out << m_list->item(i)->text();
    return out;
}

void WarningsPanel::finish() {
    const bool empty = m_list->count() == 0;
    if (empty) {
        // Said plainly, so an empty panel is not mistaken for one that failed to fill.
        auto* none = new QListWidgetItem(tr("No warnings"), m_list);
        none->setFlags(Qt::NoItemFlags);
        none->setData(Qt::UserRole, kPlaceholder);
    }
    // The title counts defects: a line that only sums up others ("skipped 7 entries ...") is none.
    setWindowTitle(empty ? tr("Warnings") : tr("Warnings (%1)").arg(m_defects));
}

}  // namespace loadline::app
