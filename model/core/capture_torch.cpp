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
      return true;
    case CapturePoint::HiddenState:
      return step_ == 0 && (policy_.hiddenStates || policy_.logitLens);
    case CapturePoint::ValueNorm:
      return step_ == 0 && policy_.valueNorms;
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

bool CaptureSink::wantsLayer(int layer) const {
  return capturesAttention() && layer >= 0 &&
         static_cast<std::size_t>(layer) < layerWanted_.size() &&
         layerWanted_[static_cast<std::size_t>(layer)];
}

void CaptureSink::emit(CapturePoint point, int index, const at::Tensor& t) {
  switch (point) {
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
  if (!wantsLayer(index)) return;
  if (step_ == 0) {
    keepPrompt(t, index);
  } else {
    // [B,H,1,T+s]: the row of the token fed at this step.
    const int past = static_cast<int>(t.size(3)) - 1;
    stepAttentions[static_cast<std::size_t>(step_)].push_back(keep(t, index, {past}));
  }
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
    const bool same =
        std::all_of(lastRow_.begin(), lastRow_.end(), [&](int r) { return r == lastRow_.front(); });
    if (same)
      return std::pair{probs.narrow(2, lastRow_.front(), 1), std::vector<int>{lastRow_.front()}};
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
      std::vector<int64_t> idx;
      for (int q : policy_.queryPositions) {
        if (q < 0 || q >= T)
          throw Error("captured query position " + std::to_string(q) + " is outside the " +
                      std::to_string(T) + " positions of the input");
        idx.push_back(q);
      }
      at::Tensor index = at::tensor(idx, at::TensorOptions().dtype(at::kLong)).to(probs.device());
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
