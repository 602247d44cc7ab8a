// PLACEHOLDER main window: replaced by the desktop-app issue.
#include <QApplication>
#include <QLabel>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QLabel label("loadline");
    label.show();
    return app.exec();
}
