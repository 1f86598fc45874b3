// The family table: every family attnx runs, as data. An entry names the config's model_type,
// reads the family's config.json into HParams and lays out its checkpoint (ArchSpec); names,
// parsing and the architecture all come from here. Adding a family is one entry (and, for a new
// layout, its reader or builder below) plus its fixture test.
#include "family_table.h"

#include <nlohmann/json.hpp>

#include "error.h"

namespace attnx {
namespace {

using nlohmann::json;

// ---- config readers ----

Activation gatedActivation(const ConfigReader& r, const std::string& key) {
  const std::string act = r.string(key, "silu");
  if (act == "silu" || act == "swish") return Activation::SiluGated;
  if (act == "relu") return Activation::ReluGated;
  r.fail(key, "is '" + act + "': only silu and relu gated MLPs are supported");
}

Activation plainActivation(const ConfigReader& r, const std::string& key, const std::string& fallback) {
  const std::string act = r.string(key, fallback);
  if (act == "gelu_new" || act == "gelu_pytorch_tanh" || act == "gelu_fast")
    return Activation::GeluNew;
  if (act == "gelu") return Activation::GeluExact;
  r.fail(key, "is '" + act + "': only gelu, gelu_new and gelu_pytorch_tanh are supported");
}

RopeScaling ropeScaling(const ConfigReader& r) {
  RopeScaling s;
  if (!r.present("rope_scaling")) return s;
  const json& o = r.object("rope_scaling");
  if (!o.is_object()) r.fail("rope_scaling", "must be an object or null");
  ConfigReader sub(o, r.file() + " rope_scaling");
  // transformers reads "rope_type" and falls back to the older "type".
  const std::string type = sub.string("rope_type", sub.string("type", "default"));
  if (type == "default") return s;
  if (type == "linear") {
    s.type = RopeScaling::Type::Linear;
    s.factor = sub.number("factor");
  } else if (type == "llama3") {
    s.type = RopeScaling::Type::Llama3;
    s.factor = sub.number("factor");
    s.lowFreqFactor = sub.number("low_freq_factor");
    s.highFreqFactor = sub.number("high_freq_factor");
    s.originalMaxPositions = sub.size("original_max_position_embeddings", kMaxPositions);
    if (!(s.highFreqFactor > s.lowFreqFactor))
      sub.fail("high_freq_factor", "must be larger than low_freq_factor");
  } else {
    r.fail("rope_scaling",
           "has type '" + type + "': only default, linear and llama3 are supported");
  }
  if (!(s.factor > 0)) sub.fail("factor", "must be positive");
  return s;
}

void readGpt2(const ConfigReader& r, HParams& hp) {
  hp.vocab = r.size("vocab_size", kMaxVocab);
  hp.hidden = r.size("n_embd", kMaxDim);
  hp.layers = r.size("n_layer", kMaxLayers);
  hp.heads = r.size("n_head", kMaxDim);
  hp.kvHeads = hp.heads;
  hp.maxPositions = r.present("n_positions") ? r.size("n_positions", kMaxPositions)
                                             : r.size("n_ctx", kMaxPositions);
  hp.intermediate = r.size("n_inner", 4ll * hp.hidden, kMaxDim);
  hp.normEps = r.number("layer_norm_epsilon", 1e-5);
  hp.activation = plainActivation(r, "activation_function", "gelu_new");
  hp.tieWordEmbeddings = r.boolean("tie_word_embeddings", true);
  if (r.boolean("scale_attn_by_inverse_layer_idx", false) ||
      r.boolean("reorder_and_upcast_attn", false))
    r.fail("scale_attn_by_inverse_layer_idx", "and reorder_and_upcast_attn are not supported");
  if (!r.boolean("scale_attn_weights", true))
    r.fail("scale_attn_weights", "false is not supported");
}

// What differs between the RoPE decoders' configs.
struct RopeDecoderConfig {
  int64_t defaultHeadDim = 0;  // 0: hidden_size / num_attention_heads (Qwen3: 128)
  enum class Window { None, Always, Optional } window = Window::None;
  // Mistral: every layer, 4096 by default; Qwen2/3: with use_sliding_window, from
  // max_window_layers on.
};

void readRopeDecoder(const ConfigReader& r, HParams& hp, const RopeDecoderConfig& c) {
  hp.vocab = r.size("vocab_size", kMaxVocab);
  hp.hidden = r.size("hidden_size", kMaxDim);
  hp.layers = r.size("num_hidden_layers", kMaxLayers);
  hp.heads = r.size("num_attention_heads", kMaxDim);
  hp.kvHeads = r.size("num_key_value_heads", hp.heads, kMaxDim);
  const int64_t defaultHeadDim = c.defaultHeadDim > 0 ? c.defaultHeadDim : hp.hidden / hp.heads;
  hp.headDim = r.size("head_dim", defaultHeadDim, kMaxDim);
  hp.intermediate = r.size("intermediate_size", kMaxDim);
  hp.maxPositions = r.size("max_position_embeddings", kMaxPositions);
  hp.normEps = r.number("rms_norm_eps", 1e-6);
  hp.ropeTheta = r.number("rope_theta", 10000.0);
  hp.ropeScaling = ropeScaling(r);
  hp.activation = gatedActivation(r, "hidden_act");
  hp.tieWordEmbeddings = r.boolean("tie_word_embeddings", false);
  hp.attentionBias = r.boolean("attention_bias", false);
  hp.mlpBias = r.boolean("mlp_bias", false);
  if (c.window == RopeDecoderConfig::Window::Always) {
    // MistralConfig defaults to a 4096 window; an explicit null turns it off.
    if (r.present("sliding_window"))
      hp.slidingWindow = r.size("sliding_window", kMaxPositions);
    else if (!r.has("sliding_window"))
      hp.slidingWindow = 4096;
  } else if (c.window == RopeDecoderConfig::Window::Optional) {
    if (r.boolean("use_sliding_window", false) && r.present("sliding_window")) {
      hp.slidingWindow = r.size("sliding_window", kMaxPositions);
      hp.firstWindowLayer = static_cast<int>(r.integer("max_window_layers", 28));
    }
  }
  if (!r.present("head_dim") && c.defaultHeadDim == 0 && hp.hidden % hp.heads != 0)
    r.fail("hidden_size", "is not a multiple of num_attention_heads");
  if (hp.headDim % 2 != 0) r.fail("head_dim", "must be even for rotary embeddings");
}

void readBert(const ConfigReader& r, HParams& hp) {
  hp.vocab = r.size("vocab_size", kMaxVocab);
  hp.hidden = r.size("hidden_size", kMaxDim);
  hp.layers = r.size("num_hidden_layers", kMaxLayers);
  hp.heads = r.size("num_attention_heads", kMaxDim);
  hp.kvHeads = hp.heads;
  hp.intermediate = r.size("intermediate_size", kMaxDim);
  hp.maxPositions = r.size("max_position_embeddings", kMaxPositions);
  hp.typeVocab = r.size("type_vocab_size", 2, kMaxVocab);
  hp.normEps = r.number("layer_norm_eps", 1e-12);
  hp.activation = plainActivation(r, "hidden_act", "gelu");
  const std::string pos = r.string("position_embedding_type", "absolute");
  if (pos != "absolute")
    r.fail("position_embedding_type", "is '" + pos + "': only absolute is supported");
  hp.padId = r.optionalId("pad_token_id");
}


// ---- checkpoint layouts ----

// What differs between the layouts of the RoPE decoders (Llama, Mistral, Qwen2, Qwen3).
struct LlamaLayout {
  Need qkvBias = Need::IfAttentionBias;  // Qwen2: always
  bool oBias = true;                     // o_proj's bias under attention_bias (not Qwen2)
  bool mlpBias = false;                  // gate/up/down biases under mlp_bias (Llama)
  bool qkNorm = false;                   // per-head RMSNorm of q and k before RoPE (Qwen3)
};

ArchSpec llamaLike(Family f, const LlamaLayout& layout) {
  ArchSpec a;
  a.family = f;
  a.norm = NormKind::RMSNorm;
  a.positions = Positions::Rope;
  a.qkNorm = layout.qkNorm;
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
      {Role::QBias, p + "self_attn.q_proj.bias", layout.qkvBias},
      {Role::KBias, p + "self_attn.k_proj.bias", layout.qkvBias},
      {Role::VBias, p + "self_attn.v_proj.bias", layout.qkvBias},
      {Role::MlpNorm, p + "post_attention_layernorm.weight"},
      {Role::Gate, p + "mlp.gate_proj.weight"},
      {Role::Up, p + "mlp.up_proj.weight"},
      {Role::Down, p + "mlp.down_proj.weight"},
  };
  if (layout.oBias)
    a.tensors.push_back({Role::OBias, p + "self_attn.o_proj.bias", Need::IfAttentionBias});
  if (layout.mlpBias) {
    a.tensors.push_back({Role::GateBias, p + "mlp.gate_proj.bias", Need::IfMlpBias});
    a.tensors.push_back({Role::UpBias, p + "mlp.up_proj.bias", Need::IfMlpBias});
    a.tensors.push_back({Role::DownBias, p + "mlp.down_proj.bias", Need::IfMlpBias});
  }
  if (layout.qkNorm) {
    a.tensors.push_back({Role::QNorm, p + "self_attn.q_norm.weight"});
    a.tensors.push_back({Role::KNorm, p + "self_attn.k_norm.weight"});
  }
  return a;
}

ArchSpec gpt2Arch() {
  ArchSpec a;
  a.family = Family::Gpt2;
  a.norm = NormKind::LayerNorm;
  a.positions = Positions::Learned;
  a.scaleByDivision = true;
  a.fusedQkv = true;
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

ArchSpec bertArch() {
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


// ---- the families ----

void readLlama(const ConfigReader& r, HParams& hp) { readRopeDecoder(r, hp, {}); }
void readMistral(const ConfigReader& r, HParams& hp) {
  readRopeDecoder(r, hp, {0, RopeDecoderConfig::Window::Always});
}
void readQwen2(const ConfigReader& r, HParams& hp) {
  readRopeDecoder(r, hp, {0, RopeDecoderConfig::Window::Optional});
}
void readQwen3(const ConfigReader& r, HParams& hp) {
  readRopeDecoder(r, hp, {128, RopeDecoderConfig::Window::Optional});
}

ArchSpec llamaArch() { return llamaLike(Family::Llama, {.mlpBias = true}); }
ArchSpec mistralArch() { return llamaLike(Family::Mistral, {}); }
ArchSpec qwen2Arch() { return llamaLike(Family::Qwen2, {.qkvBias = Need::Always, .oBias = false}); }
ArchSpec qwen3Arch() { return llamaLike(Family::Qwen3, {.qkNorm = true}); }

const FamilyEntry kFamilies[] = {
    {Family::Gpt2, "gpt2", &readGpt2, &gpt2Arch, true},
    {Family::Llama, "llama", &readLlama, &llamaArch, true},
    {Family::Mistral, "mistral", &readMistral, &mistralArch, true},
    {Family::Qwen2, "qwen2", &readQwen2, &qwen2Arch, true},
    {Family::Qwen3, "qwen3", &readQwen3, &qwen3Arch, true},
    {Family::Bert, "bert", &readBert, &bertArch, false},
};

}  // namespace

std::span<const FamilyEntry> familyTable() { return kFamilies; }

const FamilyEntry& familyEntry(Family family) {
  for (const FamilyEntry& e : kFamilies)
    if (e.family == family) return e;
  throw Error("internal: a family without an entry in the family table");
}

const FamilyEntry* familyEntry(std::string_view modelType) {
  for (const FamilyEntry& e : kFamilies)
    if (e.modelType == modelType) return &e;
  return nullptr;
}

std::string_view familyName(Family family) { return familyEntry(family).modelType; }

std::string supportedModelTypes() {
  std::string out;
  for (const FamilyEntry& e : kFamilies) out += (out.empty() ? "" : ", ") + std::string(e.modelType);
  return out;
}

const ArchSpec& archFor(Family family) {
  // Built once per family, on first use; the table's order is the families' order.
  static const std::vector<ArchSpec> specs = [] {
    std::vector<ArchSpec> v;
    for (const FamilyEntry& e : kFamilies) v.push_back(e.buildArch());
    return v;
  }();
  for (std::size_t i = 0; i < std::size(kFamilies); ++i)
    if (kFamilies[i].family == family) return specs[i];
  throw Error("internal: a family without an entry in the family table");
}

}  // namespace attnx
