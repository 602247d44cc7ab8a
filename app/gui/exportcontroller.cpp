#include "app/gui/exportcontroller.h"

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QSettings>
#include <QStandardPaths>

#include "app/gui/appsettings.h"
#include "app/gui/exportdialog.h"
#include "core/format/recordingio.h"
#include "widgets/timelineview.h"

namespace loadline::app {

ExportController::ExportController(widgets::TimelineView* view, QObject* parent) : QObject(parent), m_view(view) {}

QString ExportController::defaultPath(const QString& shownFile) const {
    const QString base = shownFile.isEmpty() ? QStringLiteral("loadline.png")
                                             : QFileInfo(shownFile).completeBaseName() + QLatin1String(".png");
    QString dir = QSettings().value(settings::kExportDirectory).toString();
    if (dir.isEmpty() || !QFileInfo(dir).isDir()) {
        dir = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
        if (dir.isEmpty() || !QFileInfo(dir).isDir()) dir = QDir::homePath();
    }
    return QDir(dir).filePath(base);
}

bool ExportController::exportPng(const QString& path, QSize size, qreal scale, QString* error, bool withLanes) {
    // What the window shows: the chart in its theme, its processes, and (withLanes) its lanes.
    const QImage image = m_view->renderImage(size, scale, nullptr, withLanes);
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (image.isNull() || !image.save(&buffer, "PNG")) {
        if (error) *error = tr("%1: %2").arg(QDir::toNativeSeparators(path), tr("nothing to render"));
        return false;
    }
    std::string written;
    if (!core::succeeded(core::writeFileAtomically(QFile::encodeName(path).toStdString(),
                                                   std::string_view(png.constData(), std::size_t(png.size()))),
                         &written)) {
        if (error) *error = QString::fromStdString(written);  // "PATH: why"
        return false;
    }
    QSettings().setValue(settings::kExportDirectory, QFileInfo(path).absolutePath());  // proposed next time
    return true;
}

void ExportController::exportDialog(QWidget* parent, const QString& shownFile) {
    QSettings s;
    ExportDialog dialog(parent);
    dialog.setPath(defaultPath(shownFile));
    dialog.setImageSize({s.value(settings::kExportWidth, 1600).toInt(), s.value(settings::kExportHeight, 900).toInt()});
    const qreal firstScale = parent && parent->devicePixelRatioF() > 1.0 ? 2.0 : 1.0;
    dialog.setScale(s.value(settings::kExportScale, firstScale).toReal());
    if (dialog.exec() != QDialog::Accepted) return;
    s.setValue(settings::kExportWidth, dialog.imageSize().width());
    s.setValue(settings::kExportHeight, dialog.imageSize().height());
    s.setValue(settings::kExportScale, dialog.scale());
    QString error;
    if (exportPng(dialog.path(), dialog.imageSize(), dialog.scale(), &error, dialog.withLanes()))
        emit message(tr("Exported %1").arg(QDir::toNativeSeparators(dialog.path())), 5000);
    else emit failed(tr("Could not export the image"), error);
}

}  // namespace loadline::app
