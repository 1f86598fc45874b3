#include "logit_lens.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "error.h"

namespace attnx {

std::vector<LensRow> lensTable(const RunResult& r, int b, int k, std::optional<int64_t> target) {
  if (r.logitLens.empty()) return {};
  const int64_t V = r.model.vocab;
  const int rows = r.model.layers + 1;
  if (V <= 0 || r.logitLens.size() != static_cast<std::size_t>(r.batch) * rows * V)
    throw Error("the logit lens does not match the run's shape");
  if (b < 0 || b >= r.batch) throw Error("batch row " + std::to_string(b) + " is not in the run");
  if (target && (*target < 0 || *target >= V))
    throw Error("token id " + std::to_string(*target) + " is outside the vocabulary 0.." +
                std::to_string(V - 1));
  const int keep = static_cast<int>(std::clamp<int64_t>(k, 0, V));
  std::vector<LensRow> out;
  std::vector<int64_t> order(static_cast<std::size_t>(V));
  for (int l = 0; l < rows; ++l) {
    const float* lp = r.logitLens.data() + (static_cast<std::size_t>(b) * rows + l) * V;
    LensRow row;
    row.layer = l;
    std::iota(order.begin(), order.end(), 0);
    // Most likely first; equal log-probabilities by id, so the table never depends on the sort.
    auto likelier = [&](int64_t x, int64_t y) {
      return lp[x] > lp[y] || (lp[x] == lp[y] && x < y);
    };
    std::partial_sort(order.begin(), order.begin() + keep, order.end(), likelier);
    for (int i = 0; i < keep; ++i)
      row.top.push_back({order[static_cast<std::size_t>(i)],
                         std::exp(double(lp[order[static_cast<std::size_t>(i)]]))});
    if (target) {
      int rank = 1;
      for (int64_t v = 0; v < V; ++v) rank += likelier(v, *target) ? 1 : 0;
      row.targetRank = rank;
      row.targetProbability = std::exp(double(lp[*target]));
    }
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace attnx
