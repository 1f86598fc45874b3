#include "prediction_change.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "error.h"

namespace attnx {

std::span<const float> lastLogits(const RunResult& r, int b) {
  const int64_t V = r.model.vocab;
  if (r.logits.empty() || r.logitRows <= 0 || V <= 0 ||
      r.logits.size() != static_cast<std::size_t>(r.batch) * r.logitRows * V)
    throw Error(
        "the run has no next-token logits (a model without an LM head, or a run file "
        "saved without them)");
  if (b < 0 || b >= r.batch) throw Error("batch row " + std::to_string(b) + " is not in the run");
  int row = 0;  // one row kept: the last valid position already
  if (r.logitRows > 1) {
    row = r.logitRows - 1;
    if (static_cast<std::size_t>(b) < r.layout.size()) {
      int last = -1;
      for (const Segment& s : r.layout[static_cast<std::size_t>(b)])
        if (s.kind != SegmentKind::Pad && s.kind != SegmentKind::Generated && s.size() > 0)
          last = std::max(last, s.end - 1);
      if (last >= 0 && last < r.logitRows) row = last;
    }
  }
  return {r.logits.data() + (static_cast<std::size_t>(b) * r.logitRows + row) * V,
          static_cast<std::size_t>(V)};
}

double logProbability(std::span<const float> logits, int64_t id) {
  if (id < 0 || static_cast<std::size_t>(id) >= logits.size())
    throw Error("token id " + std::to_string(id) + " is outside the vocabulary 0.." +
                std::to_string(static_cast<int64_t>(logits.size()) - 1));
  double m = -INFINITY;
  for (float x : logits) m = std::max(m, double(x));
  double z = 0.0;
  for (float x : logits) z += std::exp(double(x) - m);
  return double(logits[static_cast<std::size_t>(id)]) - m - std::log(z);
}

int64_t likeliest(std::span<const float> logits) {
  return static_cast<int64_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
}

PredictionChange predictionChange(const RunResult& original, const RunResult& changed,
                                  std::optional<int64_t> target, int originalRow, int changedRow) {
  const std::span<const float> before = lastLogits(original, originalRow);
  const std::span<const float> after = lastLogits(changed, changedRow);
  if (before.size() != after.size())
    throw Error("the two runs have different vocabularies (" + std::to_string(before.size()) +
                " and " + std::to_string(after.size()) + " tokens)");
  PredictionChange c;
  c.before = likeliest(before);
  c.after = likeliest(after);
  c.target = target.value_or(c.before);
  c.logpBefore = logProbability(before, c.target);
  c.logpAfter = logProbability(after, c.target);
  return c;
}

}  // namespace attnx
