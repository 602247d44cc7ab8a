#include "app/gui/theme.h"

#include <QApplication>
#include <QPainter>
#include <QProxyStyle>
#include <QStyle>
#include <QStyleFactory>
#include <QStyleOptionButton>

namespace loadline::app {

Theme themeFromString(const QString& name) {
    if (name.compare(QLatin1String("dark"), Qt::CaseInsensitive) == 0) return Theme::Dark;
    if (name.compare(QLatin1String("light"), Qt::CaseInsensitive) == 0) return Theme::Light;
    return Theme::System;
}

QString themeToString(Theme theme) {
    switch (theme) {
    case Theme::Dark: return QStringLiteral("dark");
    case Theme::Light: return QStringLiteral("light");
    case Theme::System: break;
    }
    return QStringLiteral("system");
}

QPalette darkPalette() {
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31), base(0x1e, 0x1f, 0x22), text(0xe6, 0xe6, 0xe6);
    const QColor disabled(0x80, 0x80, 0x80), highlight(0x3d, 0x7a, 0xd6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3c, 0x41));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3c));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x4a, 0x4c, 0x52));
    p.setColor(QPalette::Midlight, QColor(0x3e, 0x40, 0x45));
    p.setColor(QPalette::Mid, QColor(0x25, 0x26, 0x29));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xa8, 0xf0));
    p.setColor(QPalette::LinkVisited, QColor(0xa8, 0x8c, 0xf0));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText, QPalette::HighlightedText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x50, 0x50, 0x50));
    return p;
}

QPalette lightPalette() {
    QStyle* fusion = QStyleFactory::create(QStringLiteral("Fusion"));
    QPalette p = fusion ? fusion->standardPalette() : QPalette();
    delete fusion;
    return p;
}

namespace {

// Fusion outlines check boxes and radio buttons in Window.darker(140), which on a dark Window is
// as dark as Base: the Processes table's Track boxes vanished. Dark mode draws them with a
// Window colour whose darker() is a visible mid grey; everything else is plain Fusion.
class DarkContrastStyle : public QProxyStyle {
public:
    DarkContrastStyle() : QProxyStyle(QStyleFactory::create(QStringLiteral("Fusion"))) {}

    void drawPrimitive(PrimitiveElement element, const QStyleOption* option, QPainter* painter,
                       const QWidget* widget) const override {
        if (element == PE_IndicatorCheckBox || element == PE_IndicatorRadioButton) {
            if (const auto* button = qstyleoption_cast<const QStyleOptionButton*>(option)) {
                QStyleOptionButton copy(*button);
                copy.palette.setColor(QPalette::Window, QColor(0xb0, 0xb0, 0xb0));  // outline ≈ #7e7e7e
                QProxyStyle::drawPrimitive(element, &copy, painter, widget);
                return;
            }
        }
        if (element == PE_PanelButtonTool && (option->state & State_On)) {
            // Fusion marks a checked tool button (CPU, Memory, Others) with a fill barely darker
            // than the dark bar: use the highlight colour, as in the light theme's contrast.
            QColor fill = option->palette.color(QPalette::Highlight);
            fill.setAlphaF(0.45f);
            painter->save();
            painter->setRenderHint(QPainter::Antialiasing, true);
            painter->setPen(QPen(option->palette.color(QPalette::Highlight), 1));
            painter->setBrush(fill);
            painter->drawRoundedRect(QRectF(option->rect).adjusted(0.5, 0.5, -0.5, -0.5), 2, 2);
            painter->restore();
            return;
        }
        QProxyStyle::drawPrimitive(element, option, painter, widget);
    }
};

}  // namespace

QStyle* createThemeStyle(Theme theme) {
    if (theme == Theme::Dark) return new DarkContrastStyle;
    return QStyleFactory::create(QStringLiteral("Fusion"));
}

void applyTheme(QApplication& app, Theme theme) {
    static const QString platformStyle = app.style()->name();
    if (theme == Theme::System) {
        app.setStyle(QStyleFactory::create(platformStyle));
        app.setPalette(QPalette());  // an empty palette resolves to the platform theme's
        return;
    }
    app.setStyle(createThemeStyle(theme));
    app.setPalette(theme == Theme::Dark ? darkPalette() : lightPalette());
}

}  // namespace loadline::app
