#pragma once
// Wires "Why was my function slow?" into the main window: the Functions panel (table, verdict
// rule, what ran at a clicked moment) as a dock beside the chart and the calls lane under it,
// both following the window's recording.

namespace loadline::widgets {
class FunctionPanel;
}

namespace loadline::app {

class MainWindow;

/** Adds the panel and the lane to window; returns the panel (owned by the window). */
widgets::FunctionPanel* installFunctionsPanel(MainWindow* window);

}  // namespace loadline::app
