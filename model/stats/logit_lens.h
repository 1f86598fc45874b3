#pragma once
// The logit lens of a run read as a table: for every layer's residual (h_0 = the embeddings, ...,
// h_L = the model's output) the most likely next tokens, and where a target token stands.
#include <cstdint>
#include <optional>
#include <vector>

#include "run_types.h"

namespace attnx {

struct LensEntry {
  int64_t id = 0;
  double probability = 0.0;
};

struct LensRow {
  int layer = 0;               // 0..L: the residual before layer `layer`; L: the output
  std::vector<LensEntry> top;  // most likely first
  int targetRank = 0;          // 1: the target is the most likely token; 0: no target
  double targetProbability = 0.0;
};

// The table of batch row `b` (L+1 rows), `k` entries each; the target's rank and probability in
// every row when given. Empty when the run has no logit lens. Throws attnx::Error for a target
// outside the vocabulary or a batch row the run does not have.
std::vector<LensRow> lensTable(const RunResult& r, int b, int k, std::optional<int64_t> target);

}  // namespace attnx
