// `attnx merge`: the shards of one `attnx analyze --shard K/N` run as the unsharded run's
// stats.json and summary.csv (the attnx executable then draws its figures, as analyze does).
#include <cstdio>
#include <filesystem>

#include "args.h"
#include "cli.h"
#include "dataset_results.h"
#include "dataset_session.h"
#include "error.h"

namespace attnx::cli {

int cmdMerge(const std::vector<std::string>& argv) {
  std::vector<std::string> dirs;
  const Args args(argv, {"out"}, {}, &dirs);
  const std::string outDir = args.require("out");
  if (dirs.empty()) throw UsageError("give the shards' output folders after --out DIR");
  namespace fs = std::filesystem;
  std::vector<DatasetResults> shards;
  for (const std::string& d : dirs) {
    std::error_code same;
    if (fs::exists(d) && fs::exists(outDir) && fs::equivalent(d, outDir, same))
      throw Error(outDir + " is also one of the shards; write the merged run to another folder");
    const fs::path stats = fs::is_directory(d) ? fs::path(d) / "stats.json" : fs::path(d);
    if (!fs::exists(stats)) throw Error(d + ": no stats.json (not an attnx analyze folder)");
    shards.push_back(readResultsJson(stats.string()));
  }
  const DatasetResults merged = mergeShards(shards, dirs);
  std::error_code ec;
  fs::create_directories(outDir, ec);
  if (ec) throw Error(outDir + ": cannot create the output folder (" + ec.message() + ")");
  const std::string statsPath = (fs::path(outDir) / "stats.json").string();
  writeResultsJson(statsPath, merged);
  writeSummaryCsv(summaryPathFor(statsPath), merged);
  std::fprintf(stderr, "attnx merge: %d shards, %d examples -> %s\n",
               static_cast<int>(shards.size()), static_cast<int>(merged.examples.size()),
               statsPath.c_str());
  return 0;
}

}  // namespace attnx::cli
