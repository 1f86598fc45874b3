#include "capture_torch.h"

#include <algorithm>
#include <cstring>

#include "error.h"

namespace attnx {

CaptureSink::CaptureSink(const CapturePolicy& policy, int layers, bool generating)
    : policy_(policy), generating_(generating) {
  layerWanted_.assign(static_cast<std::size_t>(layers), policy.layers.empty());
  for (int l : policy.layers) {
    if (l < 0 || l >= layers)
      throw Error("capture layer " + std::to_string(l) + " does not exist (the model has " +
                  std::to_string(layers) + " layers)");
    layerWanted_[static_cast<std::size_t>(l)] = true;
  }
  if (policy.hiddenStates) hiddenStates.resize(static_cast<std::size_t>(layers) + 1);
  if (policy.valueNorms) valueNorms.resize(static_cast<std::size_t>(layers));
  if (policy.logitLens) lensHidden.resize(static_cast<std::size_t>(layers));
}

bool CaptureSink::wants(CapturePoint point) const {
  switch (point) {
    case CapturePoint::Attention:
    case CapturePoint::AttentionRows:
      return true;
    case CapturePoint::HiddenState:
      return step_ == 0 && (policy_.hiddenStates || policy_.logitLens);
    case CapturePoint::ValueNorm:
      return step_ == 0 && policy_.valueNorms;
    case CapturePoint::Query:
    case CapturePoint::Key:
    case CapturePoint::RowLse:
      return step_ == 0 && policy_.queryKeys;
  }
  return false;
}

void CaptureSink::beginPrompt(std::vector<int> lastRow) {
  step_ = 0;
  lastRow_ = std::move(lastRow);
}

void CaptureSink::beginStep(int step) {
  step_ = step;
  if (stepAttentions.size() < static_cast<std::size_t>(step) + 1)
    stepAttentions.resize(static_cast<std::size_t>(step) + 1);
}

bool CaptureSink::layerChosen(int layer) const {
  return layer >= 0 && static_cast<std::size_t>(layer) < layerWanted_.size() &&
         layerWanted_[static_cast<std::size_t>(layer)];
}

bool CaptureSink::wantsLayer(int layer) const { return capturesAttention() && layerChosen(layer); }

std::vector<int64_t> CaptureSink::selectedRows(int64_t tq) const {
  std::vector<int64_t> rows;
  for (int q : policy_.queryPositions) {
    if (q < 0 || q >= tq)
      throw Error("captured query position " + std::to_string(q) + " is outside the " +
                  std::to_string(tq) + " positions of the input");
    rows.push_back(q);
  }
  return rows;
}

bool CaptureSink::needsAllRows(int layer) const {
  if (step_ != 0) return false;
  return policy_.rollout || (policy_.rows == CapturePolicy::Rows::Full && wantsLayer(layer));
}

at::Tensor CaptureSink::rowsToKeep(int layer, int64_t tq) const {
  if (!wantsLayer(layer)) return {};
  const auto B = static_cast<int64_t>(lastRow_.size());
  const auto longs = at::TensorOptions().dtype(at::kLong);
  if (step_ > 0) return at::zeros({B, 1}, longs);  // the token fed at this step
  std::vector<int64_t> rows;                       // [B][nr]
  for (int64_t b = 0; b < B; ++b) {
    const int last = lastRow_[static_cast<std::size_t>(b)];
    switch (policy_.rows) {
      case CapturePolicy::Rows::Full:  // (full matrices go through needsAllRows)
        for (int64_t i = 0; i < tq; ++i) rows.push_back(i);
        break;
      case CapturePolicy::Rows::LastRow:
        rows.push_back(last);
        break;
      case CapturePolicy::Rows::Selected:
        for (int64_t q : selectedRows(tq)) rows.push_back(q);
        if (generating_) rows.push_back(last);  // generation step 0
        break;
      case CapturePolicy::Rows::None:
        return {};
    }
  }
  if (rows.empty()) return {};
  return at::tensor(rows, longs).view({B, -1});
}

void CaptureSink::keepQueryKeys(CapturePoint point, const at::Tensor& t, int layer) {
  if (queryKeys.empty() || queryKeys.back().layer != layer) {
    queryKeys.emplace_back();
    queryKeys.back().layer = layer;
  }
  QueryKeys& qk = queryKeys.back();
  const at::Tensor f = t.to(at::kCPU, at::kFloat).contiguous();
  std::vector<float> values(f.data_ptr<float>(), f.data_ptr<float>() + f.numel());
  qk.batch = static_cast<int>(t.size(0));
  qk.tokens = static_cast<int>(t.size(2));
  if (point == CapturePoint::Query) {
    qk.heads = static_cast<int>(t.size(1));
    qk.headDim = static_cast<int>(t.size(3));
    qk.q = std::move(values);
  } else if (point == CapturePoint::Key) {
    qk.kvHeads = static_cast<int>(t.size(1));
    qk.k = std::move(values);
  } else {
    qk.lse = std::move(values);
  }
}

std::vector<int> CaptureSink::lastPositions() const {
  const bool same =
      std::all_of(lastRow_.begin(), lastRow_.end(), [&](int r) { return r == lastRow_.front(); });
  return same ? std::vector<int>{lastRow_.front()} : lastRow_;
}

void CaptureSink::keepRows(const at::Tensor& probs, int layer) {
  // probs: [B,H,nr,Tk], the rows rowsToKeep(layer) asked for, in its order.
  if (!wantsLayer(layer)) return;
  if (step_ > 0) {
    const int past = static_cast<int>(probs.size(3)) - 1;
    stepAttentions[static_cast<std::size_t>(step_)].push_back(keep(probs, layer, {past}));
    return;
  }
  at::Tensor last;  // [B,H,1,Tk]
  if (policy_.rows == CapturePolicy::Rows::LastRow) {
    last = probs;
    attentions.push_back(keep(probs, layer, lastPositions()));
  } else if (policy_.rows == CapturePolicy::Rows::Selected) {
    const auto n = static_cast<int64_t>(policy_.queryPositions.size());
    attentions.push_back(keep(probs.narrow(2, 0, n), layer, policy_.queryPositions));
    if (generating_) last = probs.narrow(2, n, 1);
  }
  if (generating_ && last.defined()) {
    if (stepAttentions.empty()) stepAttentions.resize(1);
    stepAttentions[0].push_back(keep(last, layer, lastPositions()));
  }
}

void CaptureSink::emit(CapturePoint point, int index, const at::Tensor& t) {
  switch (point) {
    case CapturePoint::AttentionRows:
      keepRows(t, index);
      return;
    case CapturePoint::Query:
    case CapturePoint::Key:
    case CapturePoint::RowLse:
      // Q/K capture keeps the chosen layers whatever the attention rows.
      if (wants(point) && layerChosen(index)) keepQueryKeys(point, t, index);
      return;
    case CapturePoint::Attention:
      if (policy_.rollout && step_ == 0) accumulateRollout(t);
      keepAttention(t, index);
      return;
    case CapturePoint::HiddenState:
      keepHiddenState(t, index);
      return;
    case CapturePoint::ValueNorm:
      if (wants(point)) {
        at::Tensor n = t.to(at::kCPU, at::kFloat).contiguous();
        valueNorms.at(static_cast<std::size_t>(index))
            .assign(n.data_ptr<float>(), n.data_ptr<float>() + n.numel());
      }
      return;
  }
}

void CaptureSink::accumulateRollout(const at::Tensor& probs) {
  // A'_l = (mean_h A_l + I) / 2, R = A'_l R: the identity stands for the residual stream.
  const int64_t T = probs.size(2);
  at::Tensor a = probs.to(at::kFloat).mean(1);  // [B,T,T]
  a = 0.5 * a + 0.5 * at::eye(T, a.options()).unsqueeze(0);
  rollout = rollout.defined() ? at::matmul(a, rollout) : a;
}

void CaptureSink::keepAttention(const at::Tensor& t, int index) {
  // Every row of the prompt pass (needsAllRows); generated steps come as AttentionRows.
  if (wantsLayer(index)) keepPrompt(t, index);
}

void CaptureSink::keepHiddenState(const at::Tensor& t, int index) {
  if (step_ != 0) return;
  if (policy_.logitLens && index < static_cast<int>(lensHidden.size())) {
    // [B,d]: each batch row's lens row of h_index (the residual before layer `index`).
    std::vector<int64_t> rows(lensRows_.begin(), lensRows_.end());
    at::Tensor idx = at::tensor(rows, at::TensorOptions().dtype(at::kLong)).to(t.device());
    const int64_t B = t.size(0), d = t.size(2);
    lensHidden[static_cast<std::size_t>(index)] =
        t.gather(1, idx.view({B, 1, 1}).expand({B, 1, d})).squeeze(1);
  }
  if (!policy_.hiddenStates) return;
  at::Tensor h = t.to(at::kCPU, at::kFloat).contiguous();  // [B,T,d]
  auto& out = hiddenStates.at(static_cast<std::size_t>(index));
  out.assign(h.data_ptr<float>(), h.data_ptr<float>() + h.numel());
}

void CaptureSink::keepPrompt(const at::Tensor& probs, int layer) {
  // probs: [B,H,T,T]
  const int64_t B = probs.size(0), T = probs.size(2);
  // One row per batch row: the last valid query (all equal unless padding is on the right).
  auto lastRows = [&]() {
    std::vector<int> positions = lastPositions();
    if (positions.size() == 1) return std::pair{probs.narrow(2, positions.front(), 1), positions};
    std::vector<at::Tensor> rows;
    for (int64_t b = 0; b < B; ++b)
      rows.push_back(probs[b].narrow(1, lastRow_[static_cast<std::size_t>(b)], 1));  // [H,1,T]
    return std::pair{at::stack(rows), lastRow_};                                     // [B,H,1,T]
  };

  switch (policy_.rows) {
    case CapturePolicy::Rows::Full: {
      std::vector<int> all(static_cast<std::size_t>(T));
      for (int i = 0; i < T; ++i) all[static_cast<std::size_t>(i)] = i;
      attentions.push_back(keep(probs, layer, std::move(all)));
      break;
    }
    case CapturePolicy::Rows::LastRow: {
      auto [rows, positions] = lastRows();
      attentions.push_back(keep(rows, layer, std::move(positions)));
      break;
    }
    case CapturePolicy::Rows::Selected: {
      at::Tensor index =
          at::tensor(selectedRows(T), at::TensorOptions().dtype(at::kLong)).to(probs.device());
      attentions.push_back(keep(probs.index_select(2, index), layer, policy_.queryPositions));
      break;
    }
    case CapturePolicy::Rows::None:
      return;
  }
  if (generating_) {
    if (stepAttentions.empty()) stepAttentions.resize(1);
    auto [rows, positions] = lastRows();
    stepAttentions[0].push_back(keep(rows, layer, std::move(positions)));
  }
}

AttentionTensor CaptureSink::keep(const at::Tensor& probs, int layer,
                                  std::vector<int> positions) const {
  // probs: [B,H,Q,K], copied to host memory in the storage type the policy asks for.
  AttentionTensor a;
  a.layer = layer;
  a.batch = static_cast<int>(probs.size(0));
  a.heads = static_cast<int>(probs.size(1));
  a.queries = static_cast<int>(probs.size(2));
  a.keys = static_cast<int>(probs.size(3));
  a.queryPositions = std::move(positions);
  if (policy_.storeFloat16) {
    at::Tensor h = probs.to(at::kHalf).to(at::kCPU).contiguous();
    a.f16.resize(static_cast<std::size_t>(h.numel()));
    std::memcpy(a.f16.data(), h.data_ptr(), a.f16.size() * sizeof(uint16_t));
  } else {
    at::Tensor f = probs.to(at::kCPU, at::kFloat).contiguous();
    a.f32.assign(f.data_ptr<float>(), f.data_ptr<float>() + f.numel());
  }
  return a;
}

}  // namespace attnx
