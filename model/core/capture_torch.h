#pragma once
// The one hook through which the forward pass hands out intermediates: emit(point, index, tensor)
// at CapturePoint::Attention (index = layer, [B,H,Tq,Tk] float32 probabilities) or
// CapturePoint::HiddenState (index 0..L, [B,T,d]). The CapturePolicy decides what is copied out; everything else is dropped
// at once, so no more than the current layer's probabilities ever exist when the policy asks for
// less than full matrices.
#include <string_view>
#include <vector>

#include "run_types.h"
#include "torch_compat.h"

namespace attnx {

// Where in the forward pass an intermediate is handed out.
enum class CapturePoint { Attention, HiddenState };

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

  bool wantsLayer(int layer) const;
  bool capturesAttention() const { return policy_.rows != CapturePolicy::Rows::None; }

  std::vector<AttentionTensor> attentions;                   // prompt pass, by layer
  std::vector<std::vector<AttentionTensor>> stepAttentions;  // [step][captured layers]
  std::vector<std::vector<float>> hiddenStates;              // [L+1] of [B,T,d]

 private:
  void keepAttention(const at::Tensor& probs, int layer);
  void keepHiddenState(const at::Tensor& h, int index);
  AttentionTensor keep(const at::Tensor& probs, int layer, std::vector<int> positions) const;
  void keepPrompt(const at::Tensor& probs, int layer);

  CapturePolicy policy_;
  std::vector<bool> layerWanted_;
  bool generating_ = false;
  int step_ = 0;  // 0: the prompt pass
  std::vector<int> lastRow_;
};

}  // namespace attnx
