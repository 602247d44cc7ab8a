#pragma once
// The "Open Recent" list, newest first, kept in QSettings.

#include <QObject>
#include <QStringList>

class QMenu;

namespace loadline::app {

class RecentFiles : public QObject {
    Q_OBJECT
public:
    explicit RecentFiles(QObject* parent = nullptr);

    QStringList files() const;
    /** Moves path to the front (absolute, canonical when it exists). */
    void add(const QString& path);
    void remove(const QString& path);
    void clear();

    /** Fills menu with one action per file (Alt+1..9 mnemonics) and "Clear Menu". */
    void populate(QMenu* menu);

signals:
    void openRequested(const QString& path);
    void changed();

private:
    void store(const QStringList& files);
};

}  // namespace loadline::app
