#pragma once
// Light and dark palettes (Fusion style) besides the desktop's own, so the app is readable
// on a dark desktop and can be checked in one (tests render the window with darkPalette()).

#include <QPalette>
#include <QString>

class QApplication;
class QStyle;

namespace loadline::app {

enum class Theme { System, Light, Dark };

Theme themeFromString(const QString& name);  // unknown names give System
QString themeToString(Theme theme);
QPalette darkPalette();
QPalette lightPalette();
/** The style a Light or Dark theme uses (Fusion; Dark with visible check box outlines). */
QStyle* createThemeStyle(Theme theme);
/** Applies a theme to the whole application; System restores the platform's palette and style. */
void applyTheme(QApplication& app, Theme theme);

}  // namespace loadline::app
