#pragma once
// The one hook through which the forward pass hands out intermediates: emit(point, index, tensor)
// at CapturePoint::Attention (index = layer, [B,H,Tq,Tk] float32 probabilities),
// CapturePoint::HiddenState (index 0..L, [B,T,d]) or CapturePoint::ValueNorm (index = layer,
// [B,H,Tk]). The CapturePolicy decides what is copied out; everything else is dropped at once, so
// no more than the current layer's probabilities ever exist when the policy asks for less than
// full matrices. The analyses are kept here too: the rollout product as the layers go, the lens
// rows of each hidden state (the lens itself needs the model's head: Model::run applies it).
#include <string_view>
#include <vector>

#include "run_types.h"
#include "torch_compat.h"

namespace attnx {

// Where in the forward pass an intermediate is handed out.
enum class CapturePoint { Attention, HiddenState, ValueNorm };

class CaptureSink {
 public:
  // `generating`: also keep the last prompt row of each captured layer as generation step 0.
  CaptureSink(const CapturePolicy& policy, int layers, bool generating);

  // The prompt pass. lastRow[b]: index of batch row b's last valid query (the one predicting the
  // next token; T-1 with left padding).
  void beginPrompt(std::vector<int> lastRow);
  // Generation step s >= 1: one query row per batch row.
  void beginStep(int step);

  void emit(CapturePoint point, int index, const at::Tensor& t);
  // Whether emitting at `point` now keeps anything (the forward pass skips work otherwise).
  bool wants(CapturePoint point) const;
  // The logit lens's row of each batch row (CapturePolicy::logitLens).
  void setLensRows(std::vector<int> rows) { lensRows_ = std::move(rows); }

  bool wantsLayer(int layer) const;
  bool capturesAttention() const { return policy_.rows != CapturePolicy::Rows::None; }

  std::vector<AttentionTensor> attentions;                   // prompt pass, by layer
  std::vector<std::vector<AttentionTensor>> stepAttentions;  // [step][captured layers]
  std::vector<std::vector<float>> hiddenStates;              // [L+1] of [B,T,d]
  std::vector<std::vector<float>> valueNorms;                // [L] of [B,H,T]
  std::vector<at::Tensor> lensHidden;                        // [L] of [B,d]: h_l at the lens rows
  at::Tensor rollout;                                        // [B,T,T] float32, on the device

 private:
  void keepAttention(const at::Tensor& probs, int layer);
  void keepHiddenState(const at::Tensor& h, int index);
  void accumulateRollout(const at::Tensor& probs);
  AttentionTensor keep(const at::Tensor& probs, int layer, std::vector<int> positions) const;
  void keepPrompt(const at::Tensor& probs, int layer);

  CapturePolicy policy_;
  std::vector<bool> layerWanted_;
  bool generating_ = false;
  int step_ = 0;  // 0: the prompt pass
  std::vector<int> lastRow_;
  std::vector<int> lensRows_;
};

}  // namespace attnx
