#pragma once
// The Qt-free command line. `attnx SUBCOMMAND ...` and `attnx-cli SUBCOMMAND ...` both end here
// (the Qt executable first handles the subcommands that need Qt, such as `figure`).
#include <string>
#include <vector>

namespace attnx::cli {

// Exit status: 0 success, 1 bad input or failed run (one clear line on stderr), 2 usage error.
int run(const std::vector<std::string>& argv);

bool isCliCommand(const std::string& name);
std::string versionText();  // app version, libtorch version, BLAS, devices
std::string helpText();

// Subcommands, one file each (cmd_<name>.cpp); `args` excludes the subcommand itself.
int cmdTokenize(const std::vector<std::string>& args);
int cmdRun(const std::vector<std::string>& args);
int cmdStats(const std::vector<std::string>& args);
// `analyze` writes DIR/stats.json and DIR/summary.csv; the attnx executable then draws the
// figures from stats.json. cmdAnalyzeWithoutFigures (attnx-cli) says where the figures come from.
int cmdAnalyze(const std::vector<std::string>& args);
int cmdAnalyzeWithoutFigures(const std::vector<std::string>& args);

}  // namespace attnx::cli
