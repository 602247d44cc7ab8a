#pragma once
// Wires the monitor's footprint lane (widgets/footprintlane.h) into the main window: added under
// the chart, fed the shown recording, shown when the recording has footprint columns (a .llrec
// store) and View → Monitor Footprint is on (remembered).

namespace loadline::widgets {
class FootprintLane;
}

namespace loadline::app {

class MainWindow;

widgets::FootprintLane* installFootprintLane(MainWindow* window);

}  // namespace loadline::app
