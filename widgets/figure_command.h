#pragma once
// `attnx figure`: runs a model headless and exports one view as a PNG, PDF or SVG figure.
// Needs a QApplication (the offscreen platform is enough); no window is shown.
#include <string>
#include <vector>

namespace attnx {

// argv without the subcommand name. Returns the exit status; errors are one line on stderr
// (2 for bad usage, 1 for failures such as an unreadable model).
int runFigureCommand(const std::vector<std::string>& argv);

// The usage text of the subcommand.
const char* figureUsage();

}  // namespace attnx
