#pragma once
// `attnx figure`: runs a model headless and exports one view as a PNG, PDF or SVG figure.
// Needs a QApplication (the offscreen platform is enough); no window is shown.
#include <string>
#include <vector>

namespace attnx {

// argv without the subcommand name; given to cli::run, which prints the usage (--help) and turns
// exceptions into exit codes (cli::UsageError 2, anything else 1).
int runFigureCommand(const std::vector<std::string>& argv);

}  // namespace attnx
