#pragma once
// The one hook through which the forward pass hands out intermediates: emit(point, index, tensor)
// at CapturePoint::Attention (index = layer, [B,H,Tq,Tk] float32 probabilities, only when
// needsAllRows), CapturePoint::AttentionRows (the rows of rowsToKeep, [B,H,nr,Tk]),
// CapturePoint::HiddenState (index 0..L, [B,T,d]) or CapturePoint::ValueNorm (index = layer,
// [B,H,Tk]). The CapturePolicy decides what is copied out; when the policy asks for less than full
// matrices, the forward pass never forms a [Tq,Tk] tensor (attention_torch.h). The analyses are
// kept here too: the rollout product as the layers go, the lens rows of each hidden state (the lens
// itself needs the model's head: Model::run applies it).
#include <string_view>
#include <vector>

#include "run_types.h"
#include "torch_compat.h"

namespace attnx {

// Where in the forward pass an intermediate is handed out. Attention: every row of the pass
// (needsAllRows); AttentionRows: only the rows rowsToKeep asked for, [B,H,nr,Tk].
// Query, Key, RowLse: the post-RoPE queries [B,H,T,D], keys [B,Hkv,T,D] and each row's
// log-sum-exp [B,H,T] of the prompt pass (CapturePolicy::queryKeys).
enum class CapturePoint { Attention, AttentionRows, HiddenState, ValueNorm, Query, Key, RowLse };

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
  // Whether layer `layer` must hand out every row's probabilities now (full matrices or the
  // rollout); otherwise the forward pass runs the memory-lean attention and emits AttentionRows.
  bool needsAllRows(int layer) const;
  // [B,nr] int64 on the CPU: the query rows (0..tq-1 of this pass) whose probabilities the
  // policy keeps from layer `layer` now; undefined when none.
  at::Tensor rowsToKeep(int layer, int64_t tq) const;
  bool capturesAttention() const { return policy_.rows != CapturePolicy::Rows::None; }

  std::vector<AttentionTensor> attentions;                   // prompt pass, by layer
  std::vector<std::vector<AttentionTensor>> stepAttentions;  // [step][captured layers]
  std::vector<std::vector<float>> hiddenStates;              // [L+1] of [B,T,d]
  std::vector<std::vector<float>> valueNorms;                // [L] of [B,H,T]
  std::vector<QueryKeys>
      queryKeys;  // captured layers (shapes and tensors; the rule is the model's)
  std::vector<at::Tensor> lensHidden;                        // [L] of [B,d]: h_l at the lens rows
  at::Tensor rollout;                                        // [B,T,T] float32, on the device

 private:
  void keepAttention(const at::Tensor& probs, int layer);
  void keepHiddenState(const at::Tensor& h, int index);
  void accumulateRollout(const at::Tensor& probs);
  AttentionTensor keep(const at::Tensor& probs, int layer, std::vector<int> positions) const;
  void keepPrompt(const at::Tensor& probs, int layer);
  void keepRows(const at::Tensor& probs, int layer);
  bool layerChosen(int layer) const;  // among policy.layers (every layer when empty)
  // The policy's selected query positions, checked against the tq rows of the pass.
  std::vector<int64_t> selectedRows(int64_t tq) const;
  void keepQueryKeys(CapturePoint point, const at::Tensor& t, int layer);
  std::vector<int> lastPositions() const;  // one entry when every batch row's last row is equal

  CapturePolicy policy_;
  std::vector<bool> layerWanted_;
  bool generating_ = false;
  int step_ = 0;  // 0: the prompt pass
  std::vector<int> lastRow_;
  std::vector<int> lensRows_;
};

}  // namespace attnx
