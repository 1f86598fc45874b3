#pragma once
// The inside of attnx::Model, shared by the files that implement it: loading and the forward pass
// (model_torch.cpp) and the analyses that need the model's parts (analyses_torch.cpp).
#include <memory>
#include <vector>

#include "error.h"
#include "forward_torch.h"
#include "model.h"

namespace attnx {

class Tokenizer;

// libtorch failures become attnx::Error with libtorch's own message.
template <class F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const c10::Error& e) {
    throw Error("libtorch: " + compat::errorText(e));
  }
}

inline at::Tensor longTensor(const std::vector<int64_t>& v, int64_t B, int64_t T) {
  return at::tensor(v, at::TensorOptions().dtype(at::kLong)).view({B, T});
}

// A checked batch input on the device, with what the passes derive from it.
struct PreparedInput {
  int64_t B = 0, T = 0;
  std::vector<int64_t> mask;                 // [B,T], ones where the input gave none
  std::vector<int> lastRow;                  // [B]: the last valid position of each row
  std::vector<std::vector<Segment>> layout;  // the input's, or soft/text/padding
  at::Tensor ids, keyValid, positions, types, softMask, softRows;
};

struct Model::Impl {
  HParams hp;
  const ArchSpec* arch = nullptr;
  at::Device device{at::kCPU};
  at::ScalarType dtype = at::kFloat;
  int threads = 1;
  Weights weights;
  std::unique_ptr<Transformer> transformer;
  std::unique_ptr<Tokenizer> tokenizer;
  ModelInfo info;

  void checkInput(const BatchInput& in, int generate) const;
  PreparedInput prepare(const BatchInput& in) const;
  // Throws attnx::Error naming the bytes and the policies that would fit when the memory plan
  // of this run exceeds what the device has.
  void refuseWhatWouldNotFit(const BatchInput& in, const CapturePolicy& capture,
                             int generate) const;
  RunResult run(const BatchInput& in, const CapturePolicy& capture, int generate,
                const ProgressFn& progress) const;
  ScanResult scan(const BatchInput& in, const ScanOptions& options,
                  const ProgressFn& progress) const;

  // analyses_torch.cpp
  // Per layer, [B,H,1,T] bool of the keys the knockouts remove (an empty vector: none). Throws
  // attnx::Error naming a spec whose layer, head, positions or segment the run does not have.
  std::vector<at::Tensor> removedKeys(const std::vector<Knockout>& knockouts,
                                      const PreparedInput& p) const;
  // [B, L+1, V] log-probabilities: the lens rows of h_0..h_{L-1} through the final norm and the
  // LM head, then the model's own output at those rows (hFinal [B,T,d], after the final norm).
  at::Tensor logitLens(const std::vector<at::Tensor>& lensHidden, const at::Tensor& hFinal,
                       const std::vector<int>& rows) const;
  void requireLmHead(const char* what) const;  // Error for encoders without an LM head
};

}  // namespace attnx
