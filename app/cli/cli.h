#pragma once
// The command line. `attnx SUBCOMMAND ...` and `attnx-cli SUBCOMMAND ...` both end in run(), with
// one command table (commands.cpp): names, summaries, usage texts, and where exceptions become
// exit codes. The commands that draw with Qt (figure, and analyze's figures) are given to run()
// by the attnx executable; attnx-cli says that they need it.
#include <map>
#include <string>
#include <vector>

namespace attnx::cli {

// `args` excludes the subcommand itself. Throws UsageError (exit 2) or any std::exception
// (exit 1; std::bad_alloc is "out of memory").
using CommandFn = int (*)(const std::vector<std::string>& args);

struct Command {
  const char* name;
  CommandFn fn;         // the Qt-free implementation; nullptr: needs the attnx executable
  const char* summary;  // one line for `attnx --help`
  const char* usage;    // `attnx NAME --help`
};

const std::vector<Command>& commands();
bool isCliCommand(const std::string& name);
// "tokenize, run, stats, scan, attention, plan, import, figure, analyze, merge": for the message on
// an unknown word.
std::string commandNames();

// Exit status: 0 success, 1 bad input or failed run (one clear line on stderr), 2 usage error.
// `withQt`: implementations that replace or complete the table's (the attnx executable's figure
// and analyze).
int run(const std::vector<std::string>& argv, const std::map<std::string, CommandFn>& withQt = {});

std::string versionText();  // app version, libtorch version, BLAS, devices
std::string helpText();     // `attnx --help`

// Subcommands, one file each (cmd_<name>.cpp).
int cmdTokenize(const std::vector<std::string>& args);
int cmdRun(const std::vector<std::string>& args);
int cmdStats(const std::vector<std::string>& args);
int cmdScan(const std::vector<std::string>& args);
int cmdAttention(const std::vector<std::string>& args);
int cmdPlan(const std::vector<std::string>& args);
int cmdImport(const std::vector<std::string>& args);
// `merge` writes DIR/stats.json and DIR/summary.csv of the merged shards (figures: as analyze).
int cmdMerge(const std::vector<std::string>& args);
// `analyze` writes DIR/stats.json and DIR/summary.csv; the attnx executable then draws the
// figures from stats.json. cmdAnalyzeWithoutFigures (attnx-cli) says where the figures come from.
int cmdAnalyze(const std::vector<std::string>& args);
int cmdAnalyzeWithoutFigures(const std::vector<std::string>& args);

}  // namespace attnx::cli
