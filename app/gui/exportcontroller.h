#pragma once
// File → Export PNG…: the chart as the window shows it (its theme, processes and, by default, the
// lanes under it) written as a PNG of a chosen size and scale. Where it proposes to write is
// remembered (the folder of the last export); the size and scale the dialog last used too. The
// file is written as loadline-cli export-png writes it (core::writeFileAtomically): atomically,
// and a FIFO or device is written to, never replaced by a plain file.

#include <QObject>
#include <QSize>
#include <QString>

class QWidget;

namespace loadline::widgets {
class TimelineView;
}

namespace loadline::app {

class ExportController : public QObject {
    Q_OBJECT
public:
    /** Exports what view draws. */
    explicit ExportController(widgets::TimelineView* view, QObject* parent = nullptr);

    /** Where to propose writing: the folder of the last export (else the Pictures folder, else
     *  home), named after shownFile ("loadline.png" when it is ""). */
    QString defaultPath(const QString& shownFile) const;
    /** Renders the chart at size × scale and writes a PNG to path; false with *error ("PATH: why")
     *  when nothing is shown or the file cannot be written (the old file, if any, stays). */
    bool exportPng(const QString& path, QSize size, qreal scale, QString* error = nullptr, bool withLanes = true);
    /** Asks where, how big and at what scale (proposing the last ones), exports, and reports
     *  through message() or failed(). parent: the dialog's, whose pixel ratio picks the scale the
     *  first time. */
    void exportDialog(QWidget* parent, const QString& shownFile);

signals:
    void message(const QString& text, int timeoutMs);
    void failed(const QString& title, const QString& message);

private:
    widgets::TimelineView* m_view;
};

}  // namespace loadline::app
