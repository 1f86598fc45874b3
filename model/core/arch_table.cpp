#include "arch_table.h"

#include <array>

#include "error.h"

namespace attnx {

std::string_view roleName(Role r) {
  static constexpr std::array<std::string_view, kRoleCount> kNames = {"tok_embed",
                                                                      "pos_embed",
                                                                      "type_embed",
                                                                      "embed_norm",
                                                                      "embed_norm_bias",
                                                                      "final_norm",
                                                                      "final_norm_bias",
                                                                      "lm_head",
                                                                      "pooler",
                                                                      "pooler_bias",
                                                                      "q",
                                                                      "k",
                                                                      "v",
                                                                      "o",
                                                                      "q_bias",
                                                                      "k_bias",
                                                                      "v_bias",
                                                                      "o_bias",
                                                                      "qkv",
                                                                      "qkv_bias",
                                                                      "q_norm",
                                                                      "k_norm",
                                                                      "attn_norm",
                                                                      "attn_norm_bias",
                                                                      "mlp_norm",
                                                                      "mlp_norm_bias",
                                                                      "gate",
                                                                      "up",
                                                                      "down",
                                                                      "gate_bias",
                                                                      "up_bias",
                                                                      "down_bias",
                                                                      "fc_in",
                                                                      "fc_in_bias",
                                                                      "fc_out",
                                                                      "fc_out_bias"};
  const auto i = static_cast<std::size_t>(r);
  return i < kNames.size() ? kNames[i] : "unknown";
}

namespace {

// Llama, Mistral, Qwen2 and Qwen3 share one layout; they differ in biases and q/k norms.
ArchSpec llamaLike(Family f) {
  ArchSpec a;
  a.family = f;
  a.norm = NormKind::RMSNorm;
  a.positions = Positions::Rope;
  const Need attnBias = f == Family::Qwen2 ? Need::Always : Need::IfAttentionBias;
  const std::string p = "model.layers.{i}.";
  a.tensors = {
      {Role::TokEmbed, "model.embed_tokens.weight"},
      {Role::FinalNorm, "model.norm.weight"},
      {Role::LmHead, "lm_head.weight", Need::IfUntied},
      {Role::AttnNorm, p + "input_layernorm.weight"},
      {Role::Q, p + "self_attn.q_proj.weight"},
      {Role::K, p + "self_attn.k_proj.weight"},
      {Role::V, p + "self_attn.v_proj.weight"},
      {Role::O, p + "self_attn.o_proj.weight"},
      {Role::QBias, p + "self_attn.q_proj.bias", attnBias},
      {Role::KBias, p + "self_attn.k_proj.bias", attnBias},
      {Role::VBias, p + "self_attn.v_proj.bias", attnBias},
      {Role::MlpNorm, p + "post_attention_layernorm.weight"},
      {Role::Gate, p + "mlp.gate_proj.weight"},
      {Role::Up, p + "mlp.up_proj.weight"},
      {Role::Down, p + "mlp.down_proj.weight"},
  };
  // Qwen2 has biases on q, k, v only; the others put o's bias under the same switch.
  if (f != Family::Qwen2)
    a.tensors.push_back({Role::OBias, p + "self_attn.o_proj.bias", Need::IfAttentionBias});
  if (f == Family::Llama) {
    a.tensors.push_back({Role::GateBias, p + "mlp.gate_proj.bias", Need::IfMlpBias});
    a.tensors.push_back({Role::UpBias, p + "mlp.up_proj.bias", Need::IfMlpBias});
    a.tensors.push_back({Role::DownBias, p + "mlp.down_proj.bias", Need::IfMlpBias});
  }
  if (f == Family::Qwen3) {
    a.tensors.push_back({Role::QNorm, p + "self_attn.q_norm.weight"});
    a.tensors.push_back({Role::KNorm, p + "self_attn.k_norm.weight"});
  }
  return a;
}

ArchSpec gpt2() {
  ArchSpec a;
  a.family = Family::Gpt2;
  a.norm = NormKind::LayerNorm;
  a.positions = Positions::Learned;
  a.scaleByDivision = true;
  const std::string p = "transformer.h.{i}.";
  a.tensors = {
      {Role::TokEmbed, "transformer.wte.weight"},
      {Role::PosEmbed, "transformer.wpe.weight"},
      {Role::FinalNorm, "transformer.ln_f.weight"},
      {Role::FinalNormBias, "transformer.ln_f.bias"},
      {Role::LmHead, "lm_head.weight", Need::IfUntied},
      {Role::AttnNorm, p + "ln_1.weight"},
      {Role::AttnNormBias, p + "ln_1.bias"},
      {Role::Qkv, p + "attn.c_attn.weight", Need::Always, true},
      {Role::QkvBias, p + "attn.c_attn.bias"},
      {Role::O, p + "attn.c_proj.weight", Need::Always, true},
      {Role::OBias, p + "attn.c_proj.bias"},
      {Role::MlpNorm, p + "ln_2.weight"},
      {Role::MlpNormBias, p + "ln_2.bias"},
      {Role::FcIn, p + "mlp.c_fc.weight", Need::Always, true},
      {Role::FcInBias, p + "mlp.c_fc.bias"},
      {Role::FcOut, p + "mlp.c_proj.weight", Need::Always, true},
      {Role::FcOutBias, p + "mlp.c_proj.bias"},
  };
  // openai-community/gpt2 on the hub stores the transformer without its prefix.
  a.prefixAliases = {{"transformer.", ""}};
  return a;
}

ArchSpec bert() {
  ArchSpec a;
  a.family = Family::Bert;
  a.norm = NormKind::LayerNorm;
  a.positions = Positions::Learned;
  a.postNorm = true;
  a.causal = false;
  a.finalNorm = false;
  a.lmHead = false;
  a.tokenTypes = true;
  a.embedNorm = true;
  a.scaleByDivision = true;
  const std::string p = "encoder.layer.{i}.";
  a.tensors = {
      {Role::TokEmbed, "embeddings.word_embeddings.weight"},
      {Role::PosEmbed, "embeddings.position_embeddings.weight"},
      {Role::TypeEmbed, "embeddings.token_type_embeddings.weight"},
      {Role::EmbedNorm, "embeddings.LayerNorm.weight"},
      {Role::EmbedNormBias, "embeddings.LayerNorm.bias"},
      {Role::PoolerWeight, "pooler.dense.weight", Need::Optional},
      {Role::PoolerBias, "pooler.dense.bias", Need::Optional},
      {Role::Q, p + "attention.self.query.weight"},
      {Role::QBias, p + "attention.self.query.bias"},
      {Role::K, p + "attention.self.key.weight"},
      {Role::KBias, p + "attention.self.key.bias"},
      {Role::V, p + "attention.self.value.weight"},
      {Role::VBias, p + "attention.self.value.bias"},
      {Role::O, p + "attention.output.dense.weight"},
      {Role::OBias, p + "attention.output.dense.bias"},
      {Role::AttnNorm, p + "attention.output.LayerNorm.weight"},
      {Role::AttnNormBias, p + "attention.output.LayerNorm.bias"},
      {Role::FcIn, p + "intermediate.dense.weight"},
      {Role::FcInBias, p + "intermediate.dense.bias"},
      {Role::FcOut, p + "output.dense.weight"},
      {Role::FcOutBias, p + "output.dense.bias"},
      {Role::MlpNorm, p + "output.LayerNorm.weight"},
      {Role::MlpNormBias, p + "output.LayerNorm.bias"},
  };
  // BertForMaskedLM and friends keep the encoder under "bert.".
  a.prefixAliases = {{"", "bert."}};
  return a;
}

}  // namespace

const ArchSpec& archFor(Family family) {
  static const ArchSpec kGpt2 = gpt2();
  static const ArchSpec kLlama = llamaLike(Family::Llama);
  static const ArchSpec kMistral = llamaLike(Family::Mistral);
  static const ArchSpec kQwen2 = llamaLike(Family::Qwen2);
  static const ArchSpec kQwen3 = llamaLike(Family::Qwen3);
  static const ArchSpec kBert = bert();
  switch (family) {
    case Family::Gpt2:
      return kGpt2;
    case Family::Llama:
      return kLlama;
    case Family::Mistral:
      return kMistral;
    case Family::Qwen2:
      return kQwen2;
    case Family::Qwen3:
      return kQwen3;
    case Family::Bert:
      return kBert;
  }
  throw Error("unknown model family");
}

std::vector<int64_t> expectedShape(Role role, const HParams& hp) {
  const int64_t d = hp.hidden, qd = int64_t{hp.heads} * hp.headDim,
                kvd = int64_t{hp.kvHeads} * hp.headDim, ff = hp.intermediate;
  switch (role) {
    case Role::TokEmbed:
    case Role::LmHead:
      return {hp.vocab, d};
    case Role::PosEmbed:
      return {hp.maxPositions, d};
    case Role::TypeEmbed:
      return {hp.typeVocab, d};
    case Role::PoolerWeight:
      return {d, d};
    case Role::Q:
      return {qd, d};
    case Role::K:
    case Role::V:
      return {kvd, d};
    case Role::O:
      return {d, qd};
    case Role::QBias:
      return {qd};
    case Role::KBias:
    case Role::VBias:
      return {kvd};
    case Role::Qkv:
      return {qd + 2 * kvd, d};
    case Role::QkvBias:
      return {qd + 2 * kvd};
    case Role::QNorm:
    case Role::KNorm:
      return {hp.headDim};
    case Role::Gate:
    case Role::Up:
    case Role::FcIn:
      return {ff, d};
    case Role::GateBias:
    case Role::UpBias:
    case Role::FcInBias:
      return {ff};
    case Role::Down:
    case Role::FcOut:
      return {d, ff};
    case Role::EmbedNorm:
    case Role::EmbedNormBias:
    case Role::FinalNorm:
    case Role::FinalNormBias:
    case Role::PoolerBias:
    case Role::OBias:
    case Role::AttnNorm:
    case Role::AttnNormBias:
    case Role::MlpNorm:
    case Role::MlpNormBias:
    case Role::DownBias:
    case Role::FcOutBias:
      return {d};
    case Role::Count:
      break;
  }
  return {};
}

bool required(const TensorSpec& spec, const HParams& hp) {
  switch (spec.need) {
    case Need::Always:
      return true;
    case Need::IfAttentionBias:
      return hp.attentionBias;
    case Need::IfMlpBias:
      return hp.mlpBias;
    case Need::IfUntied:
      return !hp.tieWordEmbeddings;
    case Need::Optional:
      return false;
  }
  return true;
}

std::string tensorName(const std::string& pattern, int layer) {
  const auto at = pattern.find("{i}");
  if (at == std::string::npos) return pattern;
  return pattern.substr(0, at) + std::to_string(layer) + pattern.substr(at + 3);
}

std::vector<std::string> candidateNames(const ArchSpec& arch, const std::string& name) {
  std::vector<std::string> out{name};
  for (const auto& [from, to] : arch.prefixAliases)
    if (name.rfind(from, 0) == 0) out.push_back(to + name.substr(from.size()));
  return out;
}

}  // namespace attnx
