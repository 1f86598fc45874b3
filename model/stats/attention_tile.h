#pragma once
// One tile of one head's attention matrix, exact, from what a run kept: its stored matrices when
// they hold every row of the tile, else its queries, keys and row log-sum-exps (Q/K capture),
// p_ij = exp(s_ij - lse_i). Plain C++: the window's deep zoom and `attnx attention` use it
// without the model.
#include <vector>

#include "run_types.h"

namespace attnx {

struct TileRequest {
  int layer = 0, head = 0, batch = 0;
  int firstRow = 0, lastRow = 0;  // query positions, inclusive
  int firstCol = 0, lastCol = 0;  // key positions, inclusive
};

// [rows, cols] row-major. Throws attnx::Error for a tile outside the run, or when the run kept
// neither matrices with those rows nor queries and keys of that layer.
// fromQueryKeys, when given, says which of the two it came from.
std::vector<float> attentionTile(const RunResult& run, const TileRequest& tile,
                                 bool* fromQueryKeys = nullptr);

// Whether attentionTile can answer from Q/K (any row of that layer).
bool hasQueryKeys(const RunResult& run, int layer);

// The attention of every layer the run kept queries and keys of, recomputed exactly for the views
// of a Q/K run: every row when the matrices of all those layers take at most `fullBytes` (a
// heatmap of the whole input), else each batch row's last valid position (the query row the
// curves, grid and diagnostics read). Throws attnx::Error as attentionTile does.
std::vector<AttentionTensor> attentionFromQueryKeys(const RunResult& run, std::size_t fullBytes);

// Whether every row of every Q/K layer's matrices takes at most `fullBytes` as float32, the test
// attentionFromQueryKeys applies: a caller that already has the query rows can skip the call.
bool queryKeyMatricesFit(const RunResult& run, std::size_t fullBytes);

}  // namespace attnx
