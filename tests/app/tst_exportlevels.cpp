// `loadline-cli export-png` and `inspect` on a .llrec store read from its consolidated levels
// (core::store::opensFromLevels; the threshold is lowered with LOADLINE_LEVEL_THRESHOLD so a
// store of 60,000 ticks takes that path): the image matches the one drawn from every tick within
// a pixel column, inspect's figures equal those computed over the ticks, and both read fewer than
// 1 % of the ticks (counted in this process through the same calls, core::store::ticksReadCount).
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <random>

#include <nlohmann/json.hpp>

#include "core/store/llrec.h"
#include "core/store/llreclevels.h"
#include "core/store/llrecsummary.h"
#include "core/timeline/columns.h"
#include "core/timeline/cpumeasured.h"
#include "widgets/chartdata.h"
#include "widgets/storelevels.h"
#include "widgets/timelineview.h"

using namespace loadline;

namespace {

const QString kCli = QStringLiteral(LOADLINE_BIN_DIR "/loadline-cli");
constexpr std::uint64_t kTicks = 60000;
constexpr const char* kThreshold = "20000";      // below kTicks: the level path
constexpr const char* kNoLevels = "1000000000";  // above: every tick is read, as before
constexpr double kInterval = 0.5;
constexpr double kStart = 1.7e9;
// PID 4300 is sampled only in the middle of the recording (started late, exited early): its
// first and last samples lie inside level blocks, far from the newest ticks.
constexpr std::uint64_t kLateStart = 5001, kEarlyExit = 41234;

double tickTime(std::uint64_t i) { return kStart + double(i) * kInterval; }

// System CPU: a slow wave (a small step per tick: a column's envelope differs from its whole
// blocks' by less than a pixel at its edges) with noise; three processes. With `unmeasured`, every process reads
// 0.0 CPU while the system is busy (py-perf's psutil first call) and nothing says the recorder
// was loadline: the unmeasured-CPU rule applies.
bool writeStore(const std::string& path, bool unmeasured, std::string* error) {
    core::store::StoreWriter w;
    if (!core::succeeded(w.create(path, {kInterval, true}), error)) return false;
    core::Timeline ring(8192);
    ring.metadata.platform = "Linux";
    ring.metadata.sampleInterval = kInterval;
    std::mt19937_64 rng(11);
    std::normal_distribution<double> noise(0, 0.01);
    for (std::uint64_t i = 0; i < kTicks; ++i) {
        const double t = tickTime(i);
        ring.system.appendRow(t);
        ring.system.setLast(ring.system.ensureColumn("cpu_percent"),
                            50 + 40 * std::sin(double(i) / 15000.0) + noise(rng));
        for (int pid : {4100, 4200, 4300}) {
            if (pid == 4300 && (i < kLateStart || i > kEarlyExit)) continue;
            core::SeriesTable& s = ring.process(pid).samples;
            s.appendRow(t);
            s.setLastText(s.ensureColumn("name", true), pid == 4100 ? "trainer" : pid == 4200 ? "loader" : "helper");
            s.setLast(s.ensureColumn("cpu_percent"), unmeasured ? 0.0 : 10 + pid / 1000 + noise(rng) * 100);
        }
        if (i % 4096 == 4095 || i + 1 == kTicks) {
            w.stage(ring);
            if (!core::succeeded(w.commit(), error)) return false;
        }
    }
    return core::succeeded(w.finish(), error);
}

// Runs loadline-cli with LOADLINE_LEVEL_THRESHOLD; its standard output.
QByteArray runCli(const QStringList& args, const char* threshold, int* status) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LOADLINE_LEVEL_THRESHOLD"), QString::fromLatin1(threshold));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(kCli, args);
    p.waitForFinished(300000);  // a hang guard, not a speed limit
    *status = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return p.readAllStandardOutput();
}

// Per pixel column of the plot: the top row of the system area's mean (py-perf's light blue)
// and of its [mean, max] band (the lighter mix of it); -1 where the column has none.
struct AreaTops {
    std::vector<int> mean, band;
};
AreaTops areaTops(const QImage& image) {
    const QColor blue(0xAD, 0xD8, 0xE6);
    const QColor white(Qt::white);
    auto close = [](const QColor& a, const QColor& b) {
        return std::abs(a.red() - b.red()) <= 2 && std::abs(a.green() - b.green()) <= 2 &&
               std::abs(a.blue() - b.blue()) <= 2;
    };
    // The band: 45 % of the area's colour over the (white) background.
    const QColor band = QColor::fromRgbF(float(white.redF() + (blue.redF() - white.redF()) * 0.45),
                                         float(white.greenF() + (blue.greenF() - white.greenF()) * 0.45),
                                         float(white.blueF() + (blue.blueF() - white.blueF()) * 0.45));
    AreaTops out;
    out.mean.assign(std::size_t(image.width()), -1);
    out.band.assign(std::size_t(image.width()), -1);
    for (int x = 0; x < image.width(); ++x)
        for (int y = image.height() - 1; y >= 0; --y) {
            const QColor c = image.pixelColor(x, y);
            if (c == blue) out.mean[std::size_t(x)] = y;
            if (close(c, band) || c == blue) out.band[std::size_t(x)] = y;
        }
    return out;
}

// Compares two images' system areas column by column: each column's tops within a pixel row of
// the other image's in the same column or one beside it. The number of columns compared.
int compareAreas(const QImage& levels, const QImage& ticks, QString* why) {
    const AreaTops a = areaTops(levels), b = areaTops(ticks);
    int compared = 0;
    auto near = [](const std::vector<int>& x, const std::vector<int>& y, std::size_t c) {
        for (std::size_t d = c == 0 ? 0 : c - 1; d <= std::min(c + 1, y.size() - 1); ++d)
            if (x[c] >= 0 && y[d] >= 0 && std::abs(x[c] - y[d]) <= 1) return true;
        return x[c] < 0 && y[c] < 0;
    };
    for (std::size_t c = 0; c < a.mean.size(); ++c) {
        if (a.mean[c] < 0 && b.mean[c] < 0) continue;  // no area (axes, margins, a grid line)
        if (!near(a.mean, b.mean, c) || !near(a.band, b.band, c)) {
            *why = QStringLiteral("column %1: levels mean top %2 band top %3, ticks mean top %4 band top %5")
                       .arg(c)
                       .arg(a.mean[c])
                       .arg(a.band[c])
                       .arg(b.mean[c])
                       .arg(b.band[c]);
            return -1;
        }
        ++compared;
    }
    return compared;
}

}  // namespace

class TestExportLevels : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("long.llrec"));
        m_unmeasured = m_dir.filePath(QStringLiteral("unmeasured.llrec"));
        std::string error;
        QVERIFY2(writeStore(m_path.toStdString(), false, &error), error.c_str());
        QVERIFY2(writeStore(m_unmeasured.toStdString(), true, &error), error.c_str());
        qputenv("LOADLINE_LEVEL_THRESHOLD", kThreshold);
        auto outline = core::store::readStoreOutline(m_path.toStdString());
        QVERIFY(outline);
        QCOMPARE(outline->ticks, std::int64_t(kTicks));
        QVERIFY(core::store::opensFromLevels(*outline));
        m_outline = *outline;
        // Without the variable the store is below the window's threshold: read whole.
        qunsetenv("LOADLINE_LEVEL_THRESHOLD");
        QVERIFY(!core::store::opensFromLevels(*outline));
        qputenv("LOADLINE_LEVEL_THRESHOLD", kThreshold);
    }

    // What export-png reads for the whole recording: the tail and one level's blocks, far fewer
    // than 1 % of the ticks, and the blocks are narrower than a column.
    void exportReadsTheLevels() {
        const std::uint64_t before = core::store::ticksReadCount();
        const std::string path = m_path.toStdString();
        auto tail = core::store::loadStoreTail(path, m_outline);
        QVERIFY(tail);
        QCOMPARE(tail->timeline.processes.size(), std::size_t(3));  // every process of the header
        const int columns = 700;
        const widgets::LevelSeriesList series{{-1, "cpu_percent"}, {4100, "cpu_percent"}};
        auto frame = widgets::readStoreFrame(path, m_outline, series, core::kMissing, core::kMissing, columns);
        QVERIFY(frame);
        QVERIFY(!frame->ticks);  // drawn with the tail
        QVERIFY(frame->levels->level >= 1);
        QVERIFY(std::pow(32.0, frame->levels->level) * kInterval <= (m_outline.last - m_outline.first) / columns);
        QVERIFY(frame->levels->find(-1, "cpu_percent") && !frame->levels->find(-1, "cpu_percent")->empty());
        const std::uint64_t read = core::store::ticksReadCount() - before;
        QVERIFY2(read < kTicks / 100, qPrintable(QString::number(read)));
    }

    // The PNG from the levels matches the PNG from every tick (the same command with the
    // threshold above the store's length) column by column, for the whole recording and for a
    // range (whose ticks it reads, as the window does for a narrow range).
    void pngMatchesTheTicks_data() {
        QTest::addColumn<QStringList>("range");
        QTest::newRow("whole") << QStringList{};
        QTest::newRow("range") << QStringList{QStringLiteral("--from"), QStringLiteral("9000"), QStringLiteral("--to"),
                                              QStringLiteral("9600")};
        QTest::newRow("wide range") << QStringList{QStringLiteral("--from"), QStringLiteral("2000"),
                                                   QStringLiteral("--to"), QStringLiteral("25000")};
    }
    void pngMatchesTheTicks() {
        QFETCH(QStringList, range);
        const QString fromLevels = m_dir.filePath(QStringLiteral("levels.png"));
        const QString fromTicks = m_dir.filePath(QStringLiteral("ticks.png"));
        const QStringList common = QStringList{QStringLiteral("export-png"),  m_path,
                                               QStringLiteral("--pid"),       QStringLiteral("none"),
                                               QStringLiteral("--no-others"), QStringLiteral("--width"),
                                               QStringLiteral("800"),         QStringLiteral("--height"),
                                               QStringLiteral("500")} +
                                   range;
        int status = -1;
        runCli(common + QStringList{QStringLiteral("-o"), fromLevels}, kThreshold, &status);
        QCOMPARE(status, 0);
        runCli(common + QStringList{QStringLiteral("-o"), fromTicks}, kNoLevels, &status);
        QCOMPARE(status, 0);
        const QImage a(fromLevels), b(fromTicks);
        QVERIFY(!a.isNull() && !b.isNull());
        QCOMPARE(a.size(), b.size());
        QString why;
        const int compared = compareAreas(a, b, &why);
        QVERIFY2(compared > 600, qPrintable(why.isEmpty() ? QString::number(compared) : why));
    }

    // A --from/--to outside the recording is refused on the level path too (the range is checked
    // against the store's outline, not against the few ticks loaded).
    void rangeOutsideIsRefused() {
        int status = -1;
        runCli({QStringLiteral("export-png"), m_path, QStringLiteral("-o"), m_dir.filePath(QStringLiteral("x.png")),
                QStringLiteral("--from"), QStringLiteral("40000")},
               kThreshold, &status);
        QCOMPARE(status, 2);
    }

    // inspect --json from the levels: the figures a computation over every tick gives; per-process
    // sample counts (which need every tick) null, and from_levels says so. Fewer than 1 % of the
    // ticks read.
    void inspectEqualsTheTicks_data() {
        QTest::addColumn<bool>("unmeasured");
        QTest::newRow("measured") << false;
        QTest::newRow("py-perf unmeasured CPU") << true;
    }
    void inspectEqualsTheTicks() {
        QFETCH(bool, unmeasured);
        const QString file = unmeasured ? m_unmeasured : m_path;
        const std::string path = file.toStdString();
        auto all = core::store::loadStore(path);
        QVERIFY(all);
        const core::Timeline& tl = all->timeline;
        const core::CpuMeasurement cpu = core::detectUnmeasuredCpu(tl);
        QCOMPARE(cpu.unmeasured.empty(), !unmeasured);

        int status = -1;
        const QByteArray out = runCli({QStringLiteral("inspect"), file, QStringLiteral("--json")}, kThreshold, &status);
        QCOMPARE(status, 0);
        const auto j = nlohmann::json::parse(out.toStdString());
        QCOMPARE(j["from_levels"].get<bool>(), true);
        QCOMPARE(j["start"].get<double>(), *tl.firstTime());
        QCOMPARE(j["end"].get<double>(), *tl.lastTime());
        QCOMPARE(j["system_samples"].get<std::size_t>(), tl.system.size());
        QCOMPARE(j["processes"].size(), tl.processes.size());
        for (const auto& p : j["processes"]) {
            const int pid = p["pid"].get<int>();
            const core::ProcessSeries& s = tl.processes.at(pid);
            QVERIFY(p["samples"].is_null());
            QCOMPARE(p["first"].get<double>(), s.samples.timestamp(0));
            QCOMPARE(p["last"].get<double>(), s.samples.timestamp(s.samples.size() - 1));
            QCOMPARE(QString::fromStdString(p["name"].get<std::string>()),
                     QString::fromUtf8(s.latestText(core::col::kName).data(),
                                       qsizetype(s.latestText(core::col::kName).size())));
            QCOMPARE(p["cpu_measured"].get<bool>(), cpu.measured(pid));
        }
        QCOMPARE(j["warnings"].size(), core::cpuMeasurementWarnings(tl, cpu).size() + all->warnings.size());

        // The same without the variable set low: every tick read, counts given.
        const QByteArray full = runCli({QStringLiteral("inspect"), file, QStringLiteral("--json")}, kNoLevels, &status);
        QCOMPARE(status, 0);
        const auto f = nlohmann::json::parse(full.toStdString());
        QVERIFY(!f.contains("from_levels"));
        QCOMPARE(f["processes"][2]["samples"].get<std::size_t>(), std::size_t(kEarlyExit - kLateStart + 1));
        // Everything else equal to the full read's.
        auto withCounts = j["processes"];
        for (std::size_t k = 0; k < withCounts.size(); ++k) withCounts[k]["samples"] = f["processes"][k]["samples"];
        QVERIFY2(withCounts == f["processes"], (withCounts.dump() + "\n" + f["processes"].dump()).c_str());

        // In this process: the summary reads fewer than 1 % of the ticks.
        const std::uint64_t before = core::store::ticksReadCount();
        auto outline = core::store::readStoreOutline(path);
        QVERIFY(outline);
        auto summary = core::store::summariseStore(path, *outline);
        QVERIFY(summary);
        const std::uint64_t read = core::store::ticksReadCount() - before;
        QVERIFY2(read < kTicks / 100, qPrintable(QString::number(read)));
        QCOMPARE(summary->processes.at(4300).first, tickTime(kLateStart));
        QCOMPARE(summary->processes.at(4300).last, tickTime(kEarlyExit));
    }

    // The plain text says the figures come from the levels and why the counts are left out.
    void inspectPlainSaysSo() {
        int status = -1;
        const QByteArray out = runCli({QStringLiteral("inspect"), m_path}, kThreshold, &status);
        QCOMPARE(status, 0);
        QVERIFY2(out.contains("summarised from the store's consolidated levels"), out.constData());
        QVERIFY2(out.contains("helper"), out.constData());
        QVERIFY2(out.contains("system samples: 60000"), out.constData());
    }

    // A performance summary (py-perf's summary_busy.json, as a store) on the level path: the calls
    // lane correlated with the ticks during the calls, and inspect's functions with their load,
    // the same as from every tick; whether the processes' CPU was measured found from the levels.
    void performanceSummaryFromLevels() {
        const QString store = m_dir.filePath(QStringLiteral("summary.llrec"));
        int status = -1;
        runCli({QStringLiteral("convert"), QStringLiteral(LOADLINE_TEST_DATA "/pyperf/summary_busy.json"),
                QStringLiteral("-o"), store},
               kNoLevels, &status);
        QCOMPARE(status, 0);
        const char* low = "10";  // its 80 ticks take the level path (two level-1 blocks)
        const QByteArray levels = runCli({QStringLiteral("inspect"), store, QStringLiteral("--json")}, low, &status);
        QCOMPARE(status, 0);
        const QByteArray ticks =
            runCli({QStringLiteral("inspect"), store, QStringLiteral("--json")}, kNoLevels, &status);
        QCOMPARE(status, 0);
        const auto a = nlohmann::json::parse(levels.toStdString()), b = nlohmann::json::parse(ticks.toStdString());
        QVERIFY(a["from_levels"].get<bool>());
        QVERIFY(!a["functions"].empty());
        QVERIFY2(a["functions"] == b["functions"], (a["functions"].dump() + "\n" + b["functions"].dump()).c_str());
        QVERIFY(!a["processes"].empty());
        for (std::size_t k = 0; k < a["processes"].size(); ++k) {
            QVERIFY(a["processes"][k]["cpu_measured"] == b["processes"][k]["cpu_measured"]);
            QVERIFY(a["processes"][k]["first"] == b["processes"][k]["first"]);
            QVERIFY(a["processes"][k]["last"] == b["processes"][k]["last"]);
        }
        QVERIFY2(a["warnings"] == b["warnings"],
                 a["warnings"].dump().c_str());  // py-perf's unmeasured CPU, found from the levels

        const QString pa = m_dir.filePath(QStringLiteral("fa.png")), pb = m_dir.filePath(QStringLiteral("fb.png"));
        const QStringList args{QStringLiteral("export-png"),  store,
                               QStringLiteral("--functions"), QStringLiteral("--width"),
                               QStringLiteral("800"),         QStringLiteral("--height"),
                               QStringLiteral("500"),         QStringLiteral("-o")};
        runCli(args + QStringList{pa}, low, &status);
        QCOMPARE(status, 0);
        runCli(args + QStringList{pb}, kNoLevels, &status);
        QCOMPARE(status, 0);
        QCOMPARE(QImage(pa), QImage(pb));
    }

private:
    QTemporaryDir m_dir;
    QString m_path, m_unmeasured;
    core::store::StoreOutline m_outline;
};

QTEST_MAIN(TestExportLevels)
#include "tst_exportlevels.moc"
