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
