#pragma once
// A tiny decoder with Hugging Face LlamaForCausalLM semantics, written for training on a CPU:
// RMSNorm (float32, weight * x * rsqrt(mean(x^2) + eps)), rotary embeddings in the rotate_half
// convention with rope_theta, grouped-query attention (kv head h / (heads / kvHeads)), eager
// softmax attention with a causal mask, SiLU-gated MLP, no biases, untied lm_head. Tensor names
// are the Hugging Face ones, so the weights load unchanged in any Llama implementation.
#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace attnx {
class SafetensorsFile;
}

namespace demo {

struct LlamaConfig {
  int64_t vocab = 0;
  int64_t hidden = 96;
  int64_t layers = 4;
  int64_t heads = 4;
  int64_t kvHeads = 2;
  int64_t headDim = 24;
  int64_t intermediate = 384;
  int64_t maxPositions = 256;
  double ropeTheta = 10000.0;
  double rmsEps = 1e-5;

  // config.json in the layout of transformers' LlamaConfig.
  std::string configJson(int64_t bosId, int64_t eosId, int64_t padId) const;
  // Reads the fields above from a Llama config.json (for checking against reference models).
  static LlamaConfig fromJsonFile(const std::string& path);
};

class TinyLlama {
 public:
  // Parameters drawn from the global torch generator in a fixed order: N(0, 0.02) for
  // embeddings and projections (transformers' initializer_range), ones for the norms.
  explicit TinyLlama(const LlamaConfig& config);

  // ids [B, T] int64, positions 0..T-1. soft [B, M, hidden] or undefined: when defined, rows
  // 0..M-1 of every sequence come from soft (inputs_embeds) and ids there are ignored.
  // attentions: when given, receives each layer's softmax probabilities [B, heads, T, T].
  // Returns logits [B, T, vocab].
  torch::Tensor forward(const torch::Tensor& ids, const torch::Tensor& soft,
                        std::vector<torch::Tensor>* attentions = nullptr) const;

  const LlamaConfig& config() const { return c_; }
  std::vector<torch::Tensor> parameters() const;
  // Hugging Face names: model.embed_tokens.weight, model.layers.{i}.self_attn.q_proj.weight, ...
  std::vector<std::pair<std::string, torch::Tensor>> namedParameters() const;
  // Copies every parameter from the tensor of the same name (F32); throws when one is missing.
  void load(const attnx::SafetensorsFile& file);

 private:
  struct Layer {
    torch::Tensor inputNorm, q, k, v, o, postNorm, gate, up, down;
  };
  LlamaConfig c_;
  torch::Tensor embed_, norm_, lmHead_;
  std::vector<Layer> layers_;

  torch::Tensor rmsNorm(const torch::Tensor& x, const torch::Tensor& w) const;
};

}  // namespace demo
