#pragma once
// The one forward pass of every family: embeddings, then layers built from shared helpers (norm,
// rotary positions, attention (attention_torch.h), MLP), then the final norm and the LM head. The
// architecture table's options switch the parts on and off; the pass itself has no per-family
// branches beyond those options.
#include <functional>
#include <vector>

#include "attention_torch.h"
#include "capture_torch.h"
#include "weights_torch.h"

namespace attnx {

// Keys and values of earlier positions, per layer: [B, Hkv, capacity, head_dim].
struct KvCache {
  std::vector<at::Tensor> k, v;
  int length = 0;  // filled positions
};

// How far and how a pass through the layers goes.
struct LayerPass {
  int first = 0;  // h is the input of this layer; the layers before it are not run
  // Per layer, [B,H,1,Tk] bool: the keys each head may not attend to (knockout); undefined or an
  // empty vector: none. Keys past Tk (generated ones) are never removed.
  const std::vector<at::Tensor>* removedKeys = nullptr;
  std::vector<at::Tensor>* inputs = nullptr;  // when set: [L], the input of each layer run
};

class Transformer {
 public:
  Transformer(const HParams& hp, const ArchSpec& arch, const Weights& w, at::Device device,
              at::ScalarType dtype);

  // ids [B,T] int64 (ignored where softMask), softMask [B,T] bool or undefined, softRows
  // [S,d] float32 or undefined, positions [B,T] int64, tokenTypes [B,T] int64 or undefined.
  at::Tensor embed(const at::Tensor& ids, const at::Tensor& softMask, const at::Tensor& softRows,
                   const at::Tensor& positions, const at::Tensor& tokenTypes) const;  // [B,T,d]

  // Runs every layer on h [B,Tq,d]. The queries occupy cache slots past..past+Tq-1 (past is the
  // cache's length, 0 without a cache); keyValid [B,past+Tq] says which keys are real tokens.
  // Hidden states and attention probabilities go to `sink`; afterLayer(l) is called after each.
  at::Tensor layers(at::Tensor h, const at::Tensor& positions, const at::Tensor& keyValid,
                    KvCache* cache, CaptureSink& sink, const std::function<void(int)>& afterLayer,
                    const LayerPass& pass = {}) const;  // [B,Tq,d]

  at::Tensor logits(const at::Tensor& h) const;  // [B,Tq,V] float32
  // The final norm of the families that have one (identity otherwise): for the logit lens.
  at::Tensor finalNorm(const at::Tensor& h) const;
  at::Tensor pooled(const at::Tensor& h) const;  // [B,d] float32, undefined without a pooler

  KvCache makeCache(int64_t batch, int64_t capacity) const;

  // The tile edge of the memory-lean attention (queries and keys), used whenever the capture keeps
  // less than full matrices; 0 keeps the default.
  void setAttentionBlock(int block) { block_ = block > 0 ? block : kDefaultBlock; }
  int attentionBlock() const { return static_cast<int>(block_); }
  static constexpr int kDefaultBlock = 512;

 private:
  at::Tensor norm(const at::Tensor& x, Role weight, Role bias, int layer) const;
  at::Tensor attention(const at::Tensor& x, int layer, const at::Tensor& cos, const at::Tensor& sin,
                       const KeyRule& rule, const at::Tensor& removed, KvCache* cache,
                       CaptureSink& sink) const;
  // [B,H,Tk]: ||W_O[:, hD:(h+1)D] v_kv(h)(x_j)||_2 from the values v [B,Hkv,Tk,D].
  at::Tensor valueNorms(const at::Tensor& v, int layer) const;
  at::Tensor mlp(const at::Tensor& x, int layer) const;

  const HParams& hp_;
  const ArchSpec& arch_;
  const Weights& w_;
  at::Device device_;
  at::ScalarType dtype_;
  at::Tensor invFreq_;  // [head_dim / 2] float32, RoPE families
  int64_t block_ = kDefaultBlock;
};

// RoPE inverse frequencies as transformers computes them (default, linear, llama3 scaling).
at::Tensor ropeInverseFrequencies(const HParams& hp);  // [head_dim / 2] float32, CPU

}  // namespace attnx
