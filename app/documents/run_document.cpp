#include "run_document.h"

#include <algorithm>
#include <cstdlib>

#include "error.h"

namespace attnx {

namespace {

// The attention tensors the selection reads: the forward pass, or generation step `step`.
const std::vector<AttentionTensor>* tensorsFor(const RunResult& r, std::optional<int> step) {
  if (step && *step >= 0 && *step < static_cast<int>(r.stepAttentions.size()))
    return &r.stepAttentions[static_cast<std::size_t>(*step)];
  return &r.attentions;
}

// The last position of batch row `b` that is not padding (T - 1 when there is no mask).
int lastUnmaskedPosition(const RunResult& r, int b) {
  if (r.seqLen <= 0) return -1;
  const std::size_t rowStart = static_cast<std::size_t>(b) * r.seqLen;
  if (r.attentionMask.size() >= rowStart + r.seqLen) {
    for (int t = r.seqLen - 1; t >= 0; --t)
      if (r.attentionMask[rowStart + t] != 0) return t;
  }
  return r.seqLen - 1;
}

}  // namespace

RunDocument::RunDocument(QObject* parent) : QObject(parent) {}

void RunDocument::setResult(std::shared_ptr<const RunResult> result) {
  result_ = std::move(result);
  // A new run usually has other tokens: the query and the step start over at their defaults,
  // while the layer and head stay where the user was looking (clamped to the new model).
  Selection s = selection_;
  s.query.reset();
  s.step.reset();
  selection_ = clamp(s);
  mass_.reset();
  emit resultChanged();
  emit selectionChanged();
}

void RunDocument::setSelection(const Selection& s) {
  const Selection c = clamp(s);
  if (c == selection_) return;
  selection_ = c;
  mass_.reset();
  emit selectionChanged();
}

void RunDocument::setLayer(int layer) {
  Selection s = selection_;
  s.layer = layer;
  setSelection(s);
}

void RunDocument::setHead(HeadChoice head) {
  Selection s = selection_;
  s.head = head;
  setSelection(s);
}

void RunDocument::setQuery(std::optional<int> query) {
  Selection s = selection_;
  s.query = query;
  setSelection(s);
}

void RunDocument::setStep(std::optional<int> step) {
  Selection s = selection_;
  s.step = step;
  setSelection(s);
}

int RunDocument::resolvedQuery() const {
  if (!result_) return selection_.query.value_or(-1);
  const RunResult& r = *result_;
  const auto* tensors = tensorsFor(r, selection_.step);
  // A generation step has exactly one query row: the position that predicted the token.
  if (selection_.step) {
    if (!tensors->empty() && tensors->front().queries > 0) {
      const int p =
          tensors->front().queryPosition(selection_.batchRow, tensors->front().queries - 1);
      if (p >= 0) return p;
    }
    return r.seqLen - 1 + *selection_.step;
  }
  if (selection_.query) return *selection_.query;
  const int last = lastUnmaskedPosition(r, selection_.batchRow);
  // With only some rows captured, the default is the captured row closest to the last position.
  if (!tensors->empty() && tensors->front().queries < r.seqLen) {
    const AttentionTensor& a = tensors->front();
    int best = -1;
    for (int q = 0; q < a.queries; ++q) {
      const int p = a.queryPosition(selection_.batchRow, q);
      if (p < 0) continue;
      if (best < 0 || std::abs(p - last) < std::abs(best - last) ||
          (std::abs(p - last) == std::abs(best - last) && p > best))
        best = p;
    }
    if (best >= 0) return best;
  }
  return last;
}

const std::optional<SegmentMass>& RunDocument::selectedMass() const {
  if (mass_) return *mass_;
  std::optional<SegmentMass> m;
  const Selection& s = selection_;
  if (result_ && !tensorsFor(*result_, s.step)->empty()) {
    try {
      m = s.step ? computeStepSegmentMass(*result_, s.batchRow, *s.step)
                 : computeSegmentMass(*result_, s.batchRow, resolvedQuery());
    } catch (const Error&) {
      // The query's row was not captured: the views show their empty state instead.
    }
  }
  mass_ = std::move(m);
  return *mass_;
}

Selection RunDocument::clamp(Selection s) const {
  if (s.query && *s.query < 0) s.query.reset();
  if (s.step && *s.step < 0) s.step.reset();
  if (!result_) {
    s.layer = std::max(0, s.layer);
    s.batchRow = std::max(0, s.batchRow);
    if (s.head.isOne()) s.head.index = std::max(0, s.head.index);
    return s;
  }
  const RunResult& r = *result_;
  s.batchRow = std::clamp(s.batchRow, 0, std::max(0, r.batch - 1));

  const int steps = static_cast<int>(r.stepAttentions.size());
  if (s.step) {
    if (steps > 0)
      s.step = std::min(*s.step, steps - 1);
    else
      s.step.reset();
  }

  // The layer snaps to the nearest captured layer (a capture may keep a subset).
  const auto* tensors = tensorsFor(r, s.step);
  if (!tensors->empty()) {
    int best = tensors->front().layer;
    for (const AttentionTensor& a : *tensors)
      if (std::abs(a.layer - s.layer) < std::abs(best - s.layer)) best = a.layer;
    s.layer = best;
    const int heads = tensors->front().heads;
    if (s.head.isOne()) s.head.index = std::clamp(s.head.index, 0, std::max(0, heads - 1));
  } else {
    s.layer = std::clamp(s.layer, 0, std::max(0, r.model.layers - 1));
    if (s.head.isOne()) s.head.index = std::clamp(s.head.index, 0, std::max(0, r.model.heads - 1));
  }

  // The query: none (the last valid position), else a position of the sequence; when only some
  // rows were captured it snaps to the nearest captured row so that every view has data for it.
  if (!s.query || r.seqLen <= 0) {
    s.query.reset();
  } else {
    int query = std::min(*s.query, r.seqLen - 1);
    const auto& fwd = r.attentions;
    if (!fwd.empty() && fwd.front().queries < r.seqLen && fwd.front().queries > 0) {
      const AttentionTensor& a = fwd.front();
      int best = -1;
      for (int q = 0; q < a.queries; ++q) {
        const int p = a.queryPosition(s.batchRow, q);
        if (p >= 0 && (best < 0 || std::abs(p - query) < std::abs(best - query))) best = p;
      }
      if (best >= 0) query = best;
    }
    s.query = query;
  }
  return s;
}

}  // namespace attnx
