#include "attention_tile.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "attention_stats.h"
#include "error.h"

namespace attnx {
namespace {

std::string range(int a, int b) { return std::to_string(a) + "-" + std::to_string(b); }

const QueryKeys* queryKeysOf(const RunResult& run, int layer) {
  for (const QueryKeys& qk : run.queryKeys)
    if (qk.layer == layer) return &qk;
  return nullptr;
}

// The stored matrix of `layer` when it holds every row of the tile for batch row b, else null;
// rowIndex[r] is the stored row of query firstRow + r.
const AttentionTensor* storedRows(const RunResult& run, const TileRequest& t,
                                  std::vector<int>& rowIndex) {
  for (const AttentionTensor& a : run.attentions) {
    if (a.layer != t.layer) continue;
    rowIndex.clear();
    for (int q = t.firstRow; q <= t.lastRow; ++q) {
      int found = -1;
      for (int i = 0; i < a.queries && found < 0; ++i)
        if (a.queryPosition(t.batch, i) == q) found = i;
      if (found < 0) return nullptr;
      rowIndex.push_back(found);
    }
    return &a;
  }
  return nullptr;
}

std::vector<float> recomputed(const RunResult& run, const QueryKeys& qk, const TileRequest& t) {
  const int T = qk.tokens, D = qk.headDim, rep = qk.heads / qk.kvHeads;
  const int b = t.batch, h = t.head, kvh = h / rep;
  const double scale = 1.0 / std::sqrt(static_cast<double>(D));
  std::vector<float> out;
  out.reserve(static_cast<std::size_t>(t.lastRow - t.firstRow + 1) *
              static_cast<std::size_t>(t.lastCol - t.firstCol + 1));
  auto valid = [&](int j) {
    return run.attentionMask.empty() ||
           run.attentionMask[static_cast<std::size_t>(b) * T + static_cast<std::size_t>(j)] != 0;
  };
  for (int i = t.firstRow; i <= t.lastRow; ++i) {
    const std::size_t row = (static_cast<std::size_t>(b) * qk.heads + h) * T + i;
    const double lse = qk.lse[row];
    const float* q = qk.q.data() + row * D;
    for (int j = t.firstCol; j <= t.lastCol; ++j) {
      if (std::isinf(lse)) {  // no allowed key: the softmax of equal scores
        out.push_back(1.0f / static_cast<float>(T));
        continue;
      }
      const bool allowed =
          valid(j) && (!qk.causal || j <= i) && (qk.window <= 0 || j > i - qk.window);
      if (!allowed) {
        out.push_back(0.0f);
        continue;
      }
      const float* k = qk.k.data() + ((static_cast<std::size_t>(b) * qk.kvHeads + kvh) * T + j) * D;
      double dot = 0;
      for (int d = 0; d < D; ++d) dot += static_cast<double>(q[d]) * k[d];
      out.push_back(static_cast<float>(std::exp(dot * scale - lse)));
    }
  }
  return out;
}

}  // namespace

bool hasQueryKeys(const RunResult& run, int layer) { return queryKeysOf(run, layer) != nullptr; }

std::vector<float> attentionTile(const RunResult& run, const TileRequest& t, bool* fromQueryKeys) {
  if (fromQueryKeys) *fromQueryKeys = false;
  const int T = run.seqLen;
  const int layers = run.model.layers, heads = run.model.heads;
  if (t.layer < 0 || (layers > 0 && t.layer >= layers))
    throw Error("layer " + std::to_string(t.layer) + " is outside the run's " +
                std::to_string(layers) + " layers");
  if (t.head < 0 || (heads > 0 && t.head >= heads))
    throw Error("head " + std::to_string(t.head) + " is outside the run's " +
                std::to_string(heads) + " heads");
  if (t.batch < 0 || t.batch >= run.batch)
    throw Error("batch row " + std::to_string(t.batch) + " is outside the run's " +
                std::to_string(run.batch));
  if (t.firstRow < 0 || t.lastRow >= T || t.firstRow > t.lastRow)
    throw Error("rows " + range(t.firstRow, t.lastRow) + " are outside the run's positions " +
                range(0, T - 1));
  if (t.firstCol < 0 || t.lastCol >= T || t.firstCol > t.lastCol)
    throw Error("columns " + range(t.firstCol, t.lastCol) + " are outside the run's positions " +
                range(0, T - 1));

  std::vector<int> rowIndex;
  if (const AttentionTensor* a = storedRows(run, t, rowIndex)) {
    if (t.head >= a->heads || a->keys != T)
      throw Error("the stored attention of layer " + std::to_string(t.layer) +
                  " does not match the run's shape");
    std::vector<float> out;
    for (int r : rowIndex)
      for (int j = t.firstCol; j <= t.lastCol; ++j) out.push_back(a->at(t.batch, t.head, r, j));
    return out;
  }
  if (const QueryKeys* qk = queryKeysOf(run, t.layer)) {
    const auto cells = static_cast<std::size_t>(qk->batch) * static_cast<std::size_t>(T);
    if (qk->tokens != T || qk->batch != run.batch || t.head >= qk->heads || qk->kvHeads <= 0 ||
        qk->heads % qk->kvHeads || qk->headDim <= 0 ||
        qk->q.size() != cells * qk->heads * qk->headDim ||
        qk->k.size() != cells * qk->kvHeads * qk->headDim || qk->lse.size() != cells * qk->heads)
      throw Error("the queries and keys of layer " + std::to_string(t.layer) +
                  " do not match the run's shape");
    if (fromQueryKeys) *fromQueryKeys = true;
    return recomputed(run, *qk, t);
  }
  throw Error("layer " + std::to_string(t.layer) +
              " of this run kept neither the attention of rows " + range(t.firstRow, t.lastRow) +
              " nor queries and keys: run it with --capture full or --capture qk");
}

bool queryKeyMatricesFit(const RunResult& run, std::size_t fullBytes) {
  const auto T = static_cast<std::size_t>(run.seqLen);
  std::size_t matrices = 0;
  for (const QueryKeys& qk : run.queryKeys)
    matrices += static_cast<std::size_t>(qk.batch) * qk.heads * T * T * sizeof(float);
  return matrices <= fullBytes;
}

std::vector<AttentionTensor> attentionFromQueryKeys(const RunResult& run, std::size_t fullBytes) {
  const bool allRows = queryKeyMatricesFit(run, fullBytes);
  const auto T = static_cast<std::size_t>(run.seqLen);
  std::vector<AttentionTensor> out;
  for (const QueryKeys& qk : run.queryKeys) {
    AttentionTensor a;
    a.layer = qk.layer;
    a.batch = run.batch;
    a.heads = qk.heads;
    a.keys = run.seqLen;
    if (allRows) {
      a.queries = run.seqLen;
      for (int q = 0; q < run.seqLen; ++q) a.queryPositions.push_back(q);
    } else {
      a.queries = 1;
      for (int b = 0; b < run.batch; ++b) a.queryPositions.push_back(lastValidPosition(run, b));
      if (std::all_of(a.queryPositions.begin(), a.queryPositions.end(),
                      [&](int p) { return p == a.queryPositions.front(); }))
        a.queryPositions.resize(1);
    }
    a.f32.reserve(static_cast<std::size_t>(a.batch) * a.heads * a.queries * T);
    for (int b = 0; b < a.batch; ++b)
      for (int h = 0; h < a.heads; ++h) {
        TileRequest t{qk.layer, h, b, 0, run.seqLen - 1, 0, run.seqLen - 1};
        if (!allRows) t.firstRow = t.lastRow = a.queryPosition(b, 0);
        const std::vector<float> tile = attentionTile(run, t);
        a.f32.insert(a.f32.end(), tile.begin(), tile.end());
      }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace attnx
