#include "results_checkpoint.h"

#include <utility>

namespace attnx {

ResultsCheckpoint::ResultsCheckpoint(std::string path) : path_(std::move(path)) {}

void ResultsCheckpoint::afterExample(const DatasetResults& results) {
  const double sinceWrite = std::chrono::duration<double>(Clock::now() - lastWrite_).count();
  if (results.complete() || sinceWrite >= 10.0 * writeSeconds_) save(results);
}

void ResultsCheckpoint::save(const DatasetResults& results) {
  const auto t0 = Clock::now();
  writeResultsJson(path_, results);
  lastWrite_ = Clock::now();
  writeSeconds_ = std::chrono::duration<double>(lastWrite_ - t0).count();
}

double RunClock::elapsedSeconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

double RunClock::secondsLeft(int done) const {
  if (done <= doneAtStart_) return -1.0;
  return elapsedSeconds() / (done - doneAtStart_) * (total_ - done);
}

}  // namespace attnx
