#pragma once
// The results of a dataset run, as a file that reopens without re-running the model:
// stats.json in the shape the README documents ({"meta", "examples", "groups"}), written after
// every example so that an interrupted run resumes where it stopped; and summary.csv, one row
// per example.
#include <string>
#include <utility>
#include <vector>

#include "dataset_stats.h"
#include "run_types.h"

namespace attnx {

// How the run was made; a resumed run must match (checked by sameRunSettings).
struct DatasetSettings {
  std::string modelDir;
  std::string examplesFile;
  std::string softTokenFile;  // empty: none
  std::string anchor;         // the run's default anchor; examples may carry their own
  bool bosAfterSoft = false;
  std::string predictionField = "prediction";
  int query = -1;                  // absolute query position; -1: the last valid position
  std::string correctness = "em";  // "em" | "f1" (prediction vs gold) | "first_token"
  double f1Threshold = 0.5;        // correctness "f1": correct when F1 >= this
  int maxNewTokens = 16;  // greedy generation when an example has neither correct nor prediction
  // Examples that name soft-token rows (soft_index) run without them on purpose (a baseline):
  // without it, such examples and no soft-token file are an error.
  bool noSoftTokens = false;
  // This run's part of the examples (`attnx analyze --shard K/N`): shard K of N holds the
  // contiguous block of example indices [floor((K-1) total / N), floor(K total / N)), so that
  // the shards in order are the examples in order. 1 of 1: every example.
  int shard = 1, shards = 1;
};
// The settings of a run, each one that must match for a run to be resumed.
enum class RunSetting {
  ModelDir,
  ExamplesFile,
  SoftTokenFile,
  Anchor,
  BosAfterSoft,
  PredictionField,
  Query,
  Correctness,
  F1Threshold,
  MaxNewTokens,
  Shard
};
inline constexpr std::size_t kRunSettingCount = static_cast<std::size_t>(RunSetting::Shard) + 1;
// The settings in which `a` and `b` differ, in the order above.
std::vector<RunSetting> differingSettings(const DatasetSettings& a, const DatasetSettings& b);
bool sameRunSettings(const DatasetSettings& a, const DatasetSettings& b);

// The example indices [first, second) of shard `shard` of `shards` over `total` examples.
std::pair<int, int> shardRange(int total, int shard, int shards);

struct DatasetResults {
  DatasetSettings settings;
  ModelInfo model;
  int total = 0;                       // examples in the file
  std::vector<ExampleStats> examples;  // done so far, ordered by index
  double seconds = 0.0;                // model time spent so far
  // The examples this run is for: `total`, or its shard's share.
  int expected() const {
    const auto [first, end] = shardRange(total, settings.shard, settings.shards);
    return end - first;
  }
  bool complete() const { return static_cast<int>(examples.size()) == expected(); }
};

// The shards of one sharded run (`attnx merge`) as the unsharded run: every shard 1..N of the
// same N exactly once, made with the same settings and model and complete; the examples in file
// order. Throws attnx::Error naming `names[i]` (the shard's folder or file) and what is wrong.
DatasetResults mergeShards(const std::vector<DatasetResults>& shards,
                           const std::vector<std::string>& names);

// stats.json. write: temporary file, then rename; groups "correct" and "incorrect" (and "all")
// are computed and written too. read: throws attnx::Error naming the file on anything malformed.
void writeResultsJson(const std::string& path, const DatasetResults& results);
DatasetResults readResultsJson(const std::string& path);

// One row per example: id, correct, source, em, f1, first-token fields, and per segment kind the
// head-mean mass of every layer (soft_L0, ...), then the mean over layers.
void writeSummaryCsv(const std::string& path, const DatasetResults& results);

}  // namespace attnx
