#pragma once
// Architectures as data: for each family, which checkpoint tensor plays which role in the one
// generic forward pass, and the options that pass switches on (norm kind, activation, positions,
// attention masking). Adding a family is a table entry here plus its test, not a new forward pass.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hparams.h"

namespace attnx {

// What a tensor is for. Roles before LayerBegin exist once; the others once per layer.
enum class Role : uint8_t {
  TokEmbed,
  PosEmbed,
  TypeEmbed,
  EmbedNorm,
  EmbedNormBias,
  FinalNorm,
  FinalNormBias,
  LmHead,
  PoolerWeight,
  PoolerBias,
  LayerBegin,  // marker, not a tensor
  Q = LayerBegin,
  K,
  V,
  O,
  QBias,
  KBias,
  VBias,
  OBias,
  Qkv,  // fused q, k, v (GPT-2 c_attn)
  QkvBias,
  QNorm,  // per-head RMSNorm on queries before RoPE (Qwen3)
  KNorm,
  AttnNorm,  // pre-norm: before attention; post-norm (BERT): after the attention residual
  AttnNormBias,
  MlpNorm,
  MlpNormBias,
  Gate,
  Up,
  Down,
  GateBias,
  UpBias,
  DownBias,
  FcIn,
  FcInBias,
  FcOut,
  FcOutBias,
  Count
};

constexpr int kRoleCount = static_cast<int>(Role::Count);
constexpr bool isLayerRole(Role r) { return r >= Role::LayerBegin && r != Role::Count; }
std::string_view roleName(Role r);

// When a tensor must be present in the checkpoint.
enum class Need : uint8_t {
  Always,
  IfAttentionBias,  // hparams.attentionBias
  IfMlpBias,        // hparams.mlpBias
  IfUntied,         // the LM head when embeddings are not tied
  Optional,         // loaded when present (BERT pooler)
};

struct TensorSpec {
  Role role;
  std::string name;  // checkpoint name; "{i}" stands for the layer index
  Need need = Need::Always;
  bool transposed = false;  // stored [in, out] (GPT-2 Conv1D): transposed when loaded
};

enum class NormKind : uint8_t { RMSNorm, LayerNorm };
enum class Positions : uint8_t { Learned, Rope };

struct ArchSpec {
  Family family = Family::Llama;
  NormKind norm = NormKind::RMSNorm;
  Positions positions = Positions::Rope;
  bool postNorm = false;         // BERT: norm(h + f(h)) instead of h + f(norm(h))
  bool causal = true;            // false: bidirectional encoder
  bool finalNorm = true;         // a norm after the last layer
  bool lmHead = true;            // decoders predict tokens; BertModel has no head
  bool tokenTypes = false;       // BERT token_type embeddings
  bool embedNorm = false;        // BERT LayerNorm after the embedding sum
  bool scaleByDivision = false;  // scores / sqrt(d) (GPT-2, BERT) rather than * d^-0.5 (llama)
  bool fusedQkv = false;         // one [q; k; v] projection (GPT-2 c_attn): Role::Qkv
  bool qkNorm = false;           // per-head RMSNorm of q and k before RoPE (Qwen3): QNorm, KNorm
  std::vector<TensorSpec> tensors;
  // Hub checkpoints spell some names with or without a model prefix ("transformer.h.0..." and
  // "h.0...", "embeddings..." and "bert.embeddings..."): each pair (from, to) says "a name
  // starting with `from` may instead start with `to`".
  std::vector<std::pair<std::string, std::string>> prefixAliases;

  bool gatedMlp(const HParams& hp) const {
    return hp.activation == Activation::SiluGated || hp.activation == Activation::ReluGated;
  }
};

// The family's layout, from the family table (family_table.h).
const ArchSpec& archFor(Family family);

// The shape a role's tensor must have once loaded (after transposition), from the config.
std::vector<int64_t> expectedShape(Role role, const HParams& hp);

// Whether the checkpoint must hold the tensor, given the config.
bool required(const TensorSpec& spec, const HParams& hp);

// "model.layers.{i}.self_attn.q_proj.weight" with layer 3 -> "model.layers.3.self_attn...".
std::string tensorName(const std::string& pattern, int layer);

// The names a tensor may go by, the table's spelling first.
std::vector<std::string> candidateNames(const ArchSpec& arch, const std::string& name);

}  // namespace attnx
