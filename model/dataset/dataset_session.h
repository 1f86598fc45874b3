#pragma once
// One dataset run from its settings to its files, the same for `attnx analyze` and the window's
// dataset jobs: the settings normalised, the examples checked against them (soft-token rows, an
// input, a way to judge correctness), an unfinished results file resumed only when it was made
// with the same settings and the same examples, the examples run in order with the results file
// rewritten as they finish, and summary.csv written when the run ends however it ends (done,
// cancelled, failed): nothing finished is lost.
//
// What goes wrong is reported as attnx::Error; the two refusals a caller words in its own terms
// (command-line options or window fields) carry what they are about.
#include <optional>
#include <string>
#include <vector>

#include "dataset_run.h"
#include "results_checkpoint.h"

namespace attnx {

// Paths made absolute and clean, so that a run resumes whatever the working folder, and the same
// files give the same settings from the command line and the window.
DatasetSettings normalizedSettings(DatasetSettings settings);

// summary.csv beside a results file: "DIR/stats.json" -> "DIR/summary.csv" (the layout of
// `attnx analyze`), "run.stats.json" -> "run.summary.csv", "x.json" -> "x.summary.csv".
std::string summaryPathFor(const std::string& resultsFile);

// A duration rounded for people: under 90 s in whole seconds (at least 1), under 90 min in whole
// minutes, else hours to a tenth.
struct RoundedDuration {
  enum class Unit { Seconds, Minutes, Hours } unit = Unit::Seconds;
  double value = 0;
};
RoundedDuration roundDuration(double seconds);

// Examples name soft-token rows, but the run has no soft-token file and settings.noSoftTokens
// does not say that running them without is meant.
class MissingSoftTokens : public Error {
 public:
  MissingSoftTokens(const Example& example, const std::string& examplesFile);
  int line;
  std::string id;
  int softIndex;  // -1: a soft segment
};

// An unfinished results file that cannot be continued with these settings and examples.
class ResumeRefused : public Error {
 public:
  enum class Reason { Unreadable, OtherSettings, OtherTotal, OtherExamples };
  ResumeRefused(Reason reason, std::string file, std::string detail);
  Reason reason;
  std::string file;
  std::string detail;                // Unreadable: why
  std::vector<RunSetting> settings;  // OtherSettings: those that differ
  int fileTotal = 0, examplesTotal = 0;  // OtherTotal
  int exampleIndex = -1;                 // OtherExamples: the first example that differs ...
  std::string exampleId;                 // ... and what the file calls it
};

class DatasetSession {
 public:
  // Checks the examples and starts from `resultsFile` when `resume` and it exists (throws
  // MissingSoftTokens, ResumeRefused or attnx::Error); without `resume` an existing file is
  // replaced once the first example is done. `examples` and `soft` must outlive the session.
  DatasetSession(const DatasetSettings& settings, const std::vector<Example>& examples,
                 const SoftTokenSet& soft, std::string resultsFile, bool resume);

  const DatasetResults& results() const { return results_; }
  const std::string& resultsFile() const { return checkpoint_.path(); }
  const std::string& summaryFile() const { return summaryFile_; }
  int doneAtStart() const { return doneAtStart_; }
  bool complete() const { return results_.complete(); }

  // Runs the examples not done yet (see runDataset for progress and onExampleDone). The results
  // file is rewritten as examples finish; when the run ends — complete, cancelled (Cancelled is
  // rethrown) or failed (the error is rethrown) — the finished examples are saved with
  // summary.csv beside them.
  void run(const Model& model, const ProgressFn& progress = {},
           const ExampleDoneFn& onExampleDone = {});

  // Writes the results file and summary.csv as they are (a complete file resumed).
  void save();

 private:
  const std::vector<Example>& examples_;
  const SoftTokenSet& soft_;
  DatasetResults results_;
  ResultsCheckpoint checkpoint_;
  std::string summaryFile_;
  int doneAtStart_ = 0;
};

}  // namespace attnx
