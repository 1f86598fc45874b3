#pragma once
// Attention statistics of the users' guide ("Measuring Attention to Soft Tokens"): how much of a
// query's attention goes to each kind of input segment (soft tokens, BOS, anchor, text, ...), per
// layer and head, with the entropy of each row and per-layer summaries over heads.
// Plain C++ on RunResult: the GUI, the command line and the tests share it.
// See also diagnostics.h (the guide's problem patterns) and stats_export.h (JSON / CSV).
#include <array>
#include <cstddef>
#include <vector>

#include "run_types.h"

namespace attnx {

// Attention of batch row b, query row qRow (an index into the tensor's kept rows, not a position)
// to key k, for one head or aggregated over heads. Throws attnx::Error when out of range.
float headValue(const AttentionTensor& a, int b, HeadChoice head, int qRow, int k);

// The [queries, keys] matrix of batch row b for one head or an aggregate, row-major.
std::vector<float> attentionMatrix(const AttentionTensor& a, int b, HeadChoice head);

// The row of `a` that holds absolute query position `position` for batch row b, or -1.
int queryRowOf(const AttentionTensor& a, int b, int position);

// The last position of batch row b that the attention mask marks valid (T - 1 without a mask).
int lastValidPosition(const RunResult& r, int b);

constexpr std::size_t kSegmentKindCount = 7;  // SegmentKind::Soft .. SegmentKind::Pad
inline std::size_t kindIndex(SegmentKind k) { return static_cast<std::size_t>(k); }

// Mean, spread and range of one quantity over the heads of a layer. `std` is the sample standard
// deviation (divides by n - 1), as torch.std in the guide's code; it is 0 for a single head.
struct HeadSummary {
  float mean = 0, std = 0, min = 0, max = 0;
};
HeadSummary summarizeHeads(const std::vector<float>& perHead);

// Attention of one query position, split by the kind of the key positions.
struct SegmentMass {
  int batchRow = 0;
  int queryPosition = 0;  // absolute
  int step = -1;          // -1: the forward pass; s >= 0: generation step s
  int keys = 0;           // keys of that query row (T, or T + s during generation)
  int heads = 0;
  std::vector<int> layers;  // model layer of each entry of the [layer] vectors below

  // [kind][layer][head]: summed attention over the keys of that kind (0 when the kind is absent).
  // Keys at positions >= T (tokens generated earlier) are of kind Generated.
  std::array<std::vector<std::vector<float>>, kSegmentKindCount> mass;
  std::array<bool, kSegmentKindCount> present{};  // the kind occurs among the keys
  std::vector<std::vector<float>> entropy;        // [layer][head], natural log, nats
  std::vector<float> headRowDistance;       // [layer] mean pairwise L1 distance between heads' rows
  std::vector<std::vector<float>> meanRow;  // [layer][key] the row averaged over heads

  const std::vector<std::vector<float>>& of(SegmentKind k) const { return mass[kindIndex(k)]; }
  bool has(SegmentKind k) const { return present[kindIndex(k)]; }
  HeadSummary summary(SegmentKind k, std::size_t layerIndex) const;
  HeadSummary entropySummary(std::size_t layerIndex) const;
};

// Statistics of `tensors` (one per captured layer) for absolute query position `queryPosition`
// of batch row b, with keys classified by r.layout[b]. Throws attnx::Error when nothing was
// captured or the position's row was not kept (e.g. a last-row capture asked for another row).
SegmentMass computeSegmentMass(const RunResult& r, const std::vector<AttentionTensor>& tensors,
                               int b, int queryPosition, int step = -1);

// The forward pass's captured attention (r.attentions).
SegmentMass computeSegmentMass(const RunResult& r, int b, int queryPosition);

// Generation step s (r.stepAttentions[s]): the query is the row that predicted generated token s,
// i.e. the last valid prompt position for s = 0 and position T + s - 1 after.
SegmentMass computeStepSegmentMass(const RunResult& r, int b, int step);

}  // namespace attnx
