#include "demo_llama.h"

#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "safetensors.h"

namespace demo {

std::string LlamaConfig::configJson(int64_t bosId, int64_t eosId, int64_t padId) const {
  nlohmann::ordered_json j;
  j["architectures"] = {"LlamaForCausalLM"};
  j["attention_bias"] = false;
  j["attention_dropout"] = 0.0;
  j["bos_token_id"] = bosId;
  j["eos_token_id"] = eosId;
  j["pad_token_id"] = padId;
  j["head_dim"] = headDim;
  j["hidden_act"] = "silu";
  j["hidden_size"] = hidden;
  j["initializer_range"] = 0.02;
  j["intermediate_size"] = intermediate;
  j["max_position_embeddings"] = maxPositions;
  j["mlp_bias"] = false;
  j["model_type"] = "llama";
  j["num_attention_heads"] = heads;
  j["num_hidden_layers"] = layers;
  j["num_key_value_heads"] = kvHeads;
  j["pretraining_tp"] = 1;
  j["rms_norm_eps"] = rmsEps;
  j["rope_scaling"] = nullptr;
  j["rope_theta"] = ropeTheta;
  j["tie_word_embeddings"] = false;
  j["torch_dtype"] = "float32";
  j["use_cache"] = true;
  j["vocab_size"] = vocab;
  return j.dump(2) + "\n";
}

LlamaConfig LlamaConfig::fromJsonFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  const auto j = nlohmann::json::parse(in);
  LlamaConfig c;
  c.vocab = j.at("vocab_size");
  c.hidden = j.at("hidden_size");
  c.layers = j.at("num_hidden_layers");
  c.heads = j.at("num_attention_heads");
  c.kvHeads = j.value("num_key_value_heads", c.heads);
  c.headDim = j.value("head_dim", c.hidden / c.heads);
  c.intermediate = j.at("intermediate_size");
  c.maxPositions = j.at("max_position_embeddings");
  c.ropeTheta = j.value("rope_theta", 10000.0);
  c.rmsEps = j.value("rms_norm_eps", 1e-6);
  if (j.contains("rope_scaling") && !j["rope_scaling"].is_null())
    throw std::runtime_error(path + ": rope_scaling is not supported by the demo trainer");
  if (j.value("tie_word_embeddings", false))
    throw std::runtime_error(path + ": tied embeddings are not supported by the demo trainer");
  return c;
}

TinyLlama::TinyLlama(const LlamaConfig& c) : c_(c) {
  if (c.heads % c.kvHeads != 0 || c.headDim % 2 != 0)
    throw std::runtime_error("heads must be a multiple of kv heads, head_dim even");
  auto normal = [](std::vector<int64_t> shape) {
    return (torch::randn(shape) * 0.02).set_requires_grad(true);
  };
  auto ones = [](int64_t n) { return torch::ones({n}).set_requires_grad(true); };
  const int64_t d = c.hidden, q = c.heads * c.headDim, kv = c.kvHeads * c.headDim;
  embed_ = normal({c.vocab, d});
  for (int64_t i = 0; i < c.layers; ++i) {
    Layer l;
    l.inputNorm = ones(d);
    l.q = normal({q, d});
    l.k = normal({kv, d});
    l.v = normal({kv, d});
    l.o = normal({d, q});
    l.postNorm = ones(d);
    l.gate = normal({c.intermediate, d});
    l.up = normal({c.intermediate, d});
    l.down = normal({d, c.intermediate});
    layers_.push_back(std::move(l));
  }
  norm_ = ones(d);
  lmHead_ = normal({c.vocab, d});
}

std::vector<std::pair<std::string, torch::Tensor>> TinyLlama::namedParameters() const {
  std::vector<std::pair<std::string, torch::Tensor>> p;
  p.emplace_back("model.embed_tokens.weight", embed_);
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const auto& l = layers_[i];
    const std::string pre = "model.layers." + std::to_string(i) + ".";
    p.emplace_back(pre + "input_layernorm.weight", l.inputNorm);
    p.emplace_back(pre + "self_attn.q_proj.weight", l.q);
    p.emplace_back(pre + "self_attn.k_proj.weight", l.k);
    p.emplace_back(pre + "self_attn.v_proj.weight", l.v);
    p.emplace_back(pre + "self_attn.o_proj.weight", l.o);
    p.emplace_back(pre + "post_attention_layernorm.weight", l.postNorm);
    p.emplace_back(pre + "mlp.gate_proj.weight", l.gate);
    p.emplace_back(pre + "mlp.up_proj.weight", l.up);
    p.emplace_back(pre + "mlp.down_proj.weight", l.down);
  }
  p.emplace_back("model.norm.weight", norm_);
  p.emplace_back("lm_head.weight", lmHead_);
  return p;
}

std::vector<torch::Tensor> TinyLlama::parameters() const {
  std::vector<torch::Tensor> out;
  for (auto& [name, t] : namedParameters()) out.push_back(t);
  return out;
}

void TinyLlama::load(const attnx::SafetensorsFile& file) {
  torch::NoGradGuard noGrad;
  for (auto& [name, t] : namedParameters()) {
    const attnx::TensorView& v = file.at(name);
    if (v.dtype != attnx::DType::F32 || v.shape != t.sizes().vec())
      throw std::runtime_error("tensor " + name + " has an unexpected dtype or shape");
    std::memcpy(t.data_ptr<float>(), v.data, v.nbytes);
  }
}

torch::Tensor TinyLlama::rmsNorm(const torch::Tensor& x, const torch::Tensor& w) const {
  const auto variance = x.pow(2).mean(-1, /*keepdim=*/true);  // [B, T, 1]
  return w * (x * torch::rsqrt(variance + c_.rmsEps));
}

torch::Tensor TinyLlama::forward(const torch::Tensor& ids, const torch::Tensor& soft,
                                 std::vector<torch::Tensor>* attentions) const {
  const int64_t B = ids.size(0), T = ids.size(1);
  const int64_t H = c_.heads, KV = c_.kvHeads, D = c_.headDim;
  if (T > c_.maxPositions) throw std::runtime_error("sequence longer than max positions");

  torch::Tensor x = torch::embedding(embed_, ids);  // [B, T, d]
  if (soft.defined()) {
    const int64_t M = soft.size(1);
    x = torch::cat({soft, x.slice(1, M)}, 1);  // [B, T, d]
  }

  // Rotary tables as transformers builds them, in float32: inv_freq = 1 / theta^(2i/D),
  // freqs = position x inv_freq, emb = cat(freqs, freqs).
  const auto invFreq =
      1.0 / torch::pow(c_.ropeTheta, torch::arange(0, D, 2, torch::kLong).to(torch::kFloat) /
                                         static_cast<double>(D));                // [D/2]
  const auto pos = torch::arange(T, torch::kLong).to(torch::kFloat);             // [T]
  const auto freqs = torch::matmul(invFreq.unsqueeze(1), pos.unsqueeze(0)).t();  // [T, D/2]
  const auto emb = torch::cat({freqs, freqs}, -1);                               // [T, D]
  const auto cos = emb.cos(), sin = emb.sin();
  auto rotateHalf = [D](const torch::Tensor& t) {
    return torch::cat({-t.slice(-1, D / 2), t.slice(-1, 0, D / 2)}, -1);
  };
  auto rope = [&](const torch::Tensor& t) { return t * cos + rotateHalf(t) * sin; };

  // Causal mask: the most negative float above the diagonal, added to the scores.
  const auto mask = torch::full({T, T}, std::numeric_limits<float>::lowest()).triu(1);  // [T, T]
  const double scale = 1.0 / std::sqrt(static_cast<double>(D));

  for (const auto& l : layers_) {
    auto h = rmsNorm(x, l.inputNorm);
    auto q = torch::linear(h, l.q).view({B, T, H, D}).transpose(1, 2);   // [B, H, T, D]
    auto k = torch::linear(h, l.k).view({B, T, KV, D}).transpose(1, 2);  // [B, KV, T, D]
    auto v = torch::linear(h, l.v).view({B, T, KV, D}).transpose(1, 2);  // [B, KV, T, D]
    q = rope(q);
    k = rope(k);
    if (KV != H) {
      k = k.repeat_interleave(H / KV, 1);  // [B, H, T, D]
      v = v.repeat_interleave(H / KV, 1);
    }
    auto scores = torch::matmul(q, k.transpose(2, 3)) * scale + mask;  // [B, H, T, T]
    auto probs = torch::softmax(scores, -1);
    if (attentions) attentions->push_back(probs.detach());
    auto a = torch::matmul(probs, v).transpose(1, 2).contiguous().reshape({B, T, H * D});
    x = x + torch::linear(a, l.o);
    h = rmsNorm(x, l.postNorm);
    x = x + torch::linear(torch::silu(torch::linear(h, l.gate)) * torch::linear(h, l.up), l.down);
  }
  return torch::linear(rmsNorm(x, norm_), lmHead_);  // [B, T, vocab]
}

}  // namespace demo
