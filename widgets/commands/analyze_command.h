#pragma once
// `attnx analyze` in the Qt executable: the command line's dataset run (stats.json and
// summary.csv, attnx::cli::cmdAnalyze), then the figures of its results drawn from the written
// stats.json (analysis_figures.h). Needs a QApplication (offscreen is enough).
#include <string>
#include <vector>

namespace attnx {

// argv without the subcommand name; given to cli::run, which turns exceptions into exit codes.
int runAnalyzeCommand(const std::vector<std::string>& argv);
// `attnx merge` in the Qt executable: the merged stats.json and summary.csv, then its figures.
int runMergeCommand(const std::vector<std::string>& argv);

}  // namespace attnx
