#pragma once
// What a changed run (a knockout) did to the next-token prediction: both runs' likeliest token at
// the last prompt position, and the log-probability of a target token in each (the scan's
// delta for one knockout). Plain C++ over the runs' logits.
#include <cstdint>
#include <optional>
#include <span>

#include "run_types.h"

namespace attnx {

struct PredictionChange {
  int64_t before = 0;       // the unmodified run's likeliest token (the lowest id among equals)
  int64_t after = 0;        // the changed run's
  int64_t target = 0;       // the token followed: `before` unless one was given
  double logpBefore = 0.0;  // log p(target), the float32 logits' log-softmax in double
  double logpAfter = 0.0;
  double delta() const { return logpAfter - logpBefore; }
};

// The logits [V] of batch row `b` at its last prompt position (its last position that is not
// padding). Throws attnx::Error when the run has no logits or no such batch row.
std::span<const float> lastLogits(const RunResult& r, int b = 0);
// log softmax(logits)[id], in double. Throws attnx::Error for an id outside the logits.
double logProbability(std::span<const float> logits, int64_t id);
// The likeliest id (the lowest among equal logits).
int64_t likeliest(std::span<const float> logits);

// Batch row `changedRow` of `changed` against batch row `originalRow` of `original`. Throws
// attnx::Error when either has no logits, their vocabularies differ, or `target` is outside it.
PredictionChange predictionChange(const RunResult& original, const RunResult& changed,
                                  std::optional<int64_t> target = std::nullopt, int originalRow = 0,
                                  int changedRow = 0);

}  // namespace attnx
