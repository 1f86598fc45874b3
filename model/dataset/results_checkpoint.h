#pragma once
// Saving a dataset run while it goes, shared by `attnx analyze` and the window's dataset jobs:
// the results file is rewritten after every example, so at most one example of work is at risk,
// until writing it costs more than a tenth of the run; then it is rewritten less often.
// Also the time-left estimate both report.
#include <chrono>
#include <string>

#include "dataset_results.h"

namespace attnx {

class ResultsCheckpoint {
 public:
  explicit ResultsCheckpoint(std::string path);
  // After each example: writes when the run is complete or a rewrite is due.
  void afterExample(const DatasetResults& results);
  // Writes now (cancel, failure, end).
  void save(const DatasetResults& results);
  const std::string& path() const { return path_; }

 private:
  using Clock = std::chrono::steady_clock;
  std::string path_;
  Clock::time_point lastWrite_ = Clock::now();
  double writeSeconds_ = 0.0;
};

// Seconds left, from the mean time per example finished since the clock started.
class RunClock {
 public:
  RunClock(int doneAtStart, int total) : doneAtStart_(doneAtStart), total_(total) {}
  double elapsedSeconds() const;
  // -1 until an example has finished since the start.
  double secondsLeft(int done) const;

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  int doneAtStart_ = 0, total_ = 0;
};

}  // namespace attnx
