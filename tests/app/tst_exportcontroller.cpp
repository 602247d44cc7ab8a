// File → Export PNG's controller on its own, over a bare TimelineView: the path it proposes (the
// folder of the last export, else Pictures or home, named after the shown file), a PNG of size ×
// scale written where asked, and never a FIFO, symbolic link or existing file replaced by
// something else: a FIFO nobody reads is refused and stays a FIFO, one that is read gets the
// image, a link keeps pointing at the file it names.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "app/gui/appsettings.h"
#include "app/gui/exportcontroller.h"
#include "core/format/recordingio.h"
#include "widgets/timelineview.h"

using loadline::app::ExportController;
namespace core = loadline::core;
namespace settings = loadline::app::settings;

namespace {
bool isFifo(const QString& path) {
    struct stat st {};
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 && S_ISFIFO(st.st_mode);
}
}  // namespace

class TestExportController : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("loadline-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_exportcontroller"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
        QSettings::setDefaultFormat(QSettings::NativeFormat);
        QSettings().clear();

        core::LoadResult r = core::loadRecordingFile(LOADLINE_TEST_DATA "/app/timeline.json");
        QVERIFY(r);
        auto recording = std::make_shared<core::Recording>(std::move(*r));
        m_view.setTimeline(std::shared_ptr<const core::Timeline>(recording, &recording->timeline));
    }

    void proposesTheLastExportFolderNamedAfterTheFile() {
        ExportController exporter(&m_view);
        // Nothing exported yet: the Pictures folder when there is one, else home.
        QSettings().remove(settings::kExportDirectory);
        QString pictures = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
        if (pictures.isEmpty() || !QFileInfo(pictures).isDir()) pictures = QDir::homePath();
        QCOMPARE(exporter.defaultPath(QString()), QDir(pictures).filePath(QStringLiteral("loadline.png")));

        QSettings().setValue(settings::kExportDirectory, m_dir.path());
        QCOMPARE(exporter.defaultPath(QStringLiteral("/data/runs/train.step2.llrec")),
                 QDir(m_dir.path()).filePath(QStringLiteral("train.step2.png")));
        QCOMPARE(exporter.defaultPath(QString()), QDir(m_dir.path()).filePath(QStringLiteral("loadline.png")));

        // A remembered folder that is gone is not proposed.
        QSettings().setValue(settings::kExportDirectory, m_dir.filePath(QStringLiteral("gone")));
        QCOMPARE(exporter.defaultPath(QStringLiteral("run.json")), QDir(pictures).filePath(QStringLiteral("run.png")));
    }

    void writesThePngAndRemembersTheFolder() {
        ExportController exporter(&m_view);
        const QString sub = m_dir.filePath(QStringLiteral("charts"));
        QVERIFY(QDir().mkpath(sub));
        const QString out = QDir(sub).filePath(QStringLiteral("chart.png"));
        QString error;
        QVERIFY2(exporter.exportPng(out, QSize(400, 200), 2.0, &error), qPrintable(error));
        QCOMPARE(QImage(out).size(), QSize(800, 400));
        QCOMPARE(QSettings().value(settings::kExportDirectory).toString(), sub);
        QCOMPARE(exporter.defaultPath(QStringLiteral("x.json")), QDir(sub).filePath(QStringLiteral("x.png")));
        // No temporary file is left beside it.
        QCOMPARE(QDir(sub).entryList(QDir::Files), QStringList{QStringLiteral("chart.png")});

        // A folder that does not exist: refused, naming the path.
        QVERIFY(!exporter.exportPng(m_dir.filePath(QStringLiteral("no/such/dir/x.png")), QSize(400, 200), 1.0, &error));
        QVERIFY2(error.contains(QStringLiteral("no/such/dir/x.png")), qPrintable(error));
    }

    void neverReplacesAFifo() {
        ExportController exporter(&m_view);
        const QString fifo = m_dir.filePath(QStringLiteral("pipe.png"));
        QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);

        // Nobody reads it: refused at once (no blocking open), and it is still a FIFO.
        QString error;
        QVERIFY(!exporter.exportPng(fifo, QSize(120, 80), 1.0, &error));
        QVERIFY2(error.contains(fifo) && error.contains(QStringLiteral("FIFO")), qPrintable(error));
        QVERIFY(isFifo(fifo));

        // Somebody reads it: the image goes through the pipe, which stays a pipe.
        const int reader = ::open(QFile::encodeName(fifo).constData(), O_RDONLY | O_NONBLOCK);
        QVERIFY(reader >= 0);
        QVERIFY2(exporter.exportPng(fifo, QSize(120, 80), 1.0, &error), qPrintable(error));
        QVERIFY(isFifo(fifo));
        QByteArray got(1 << 16, '\0');
        const ssize_t n = ::read(reader, got.data(), got.size());
        ::close(reader);
        QVERIFY(n > 8);
        got.truncate(int(n));
        QCOMPARE(QImage::fromData(got, "PNG").size(), QSize(120, 80));
    }

    void updatesTheFileALinkNames() {
        ExportController exporter(&m_view);
        const QString target = m_dir.filePath(QStringLiteral("real.png"));
        const QString link = m_dir.filePath(QStringLiteral("link.png"));
        QFile old(target);
        QVERIFY(old.open(QIODevice::WriteOnly) && old.write("old") == 3);
        old.close();
        QVERIFY(QFile::link(target, link));
        QString error;
        QVERIFY2(exporter.exportPng(link, QSize(100, 50), 1.0, &error), qPrintable(error));
        QVERIFY(QFileInfo(link).isSymLink());
        QCOMPARE(QImage(target).size(), QSize(100, 50));
    }

private:
    QTemporaryDir m_dir;
    loadline::widgets::TimelineView m_view;
};

QTEST_MAIN(TestExportController)
#include "tst_exportcontroller.moc"
