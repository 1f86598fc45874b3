#pragma once
// Hyper-parameters of a checkpoint, read from its config.json (and generation_config.json for the
// end-of-sequence ids). Plain C++: the forward pass reads these, never the JSON.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace attnx {

enum class Family { Gpt2, Llama, Mistral, Qwen2, Qwen3, Bert };

std::string_view familyName(Family f);  // "gpt2", "llama", ...
std::optional<Family> familyFromModelType(std::string_view modelType);

enum class Activation { SiluGated, GeluNew, GeluExact, ReluGated };

struct RopeScaling {
  enum class Type { None, Linear, Llama3 };
  Type type = Type::None;
  double factor = 1.0;
  double lowFreqFactor = 1.0;    // llama3
  double highFreqFactor = 4.0;   // llama3
  int originalMaxPositions = 0;  // llama3: original_max_position_embeddings
};

struct HParams {
  Family family = Family::Llama;
  std::string modelType;
  int64_t vocab = 0;
  int hidden = 0;
  int layers = 0;
  int heads = 0;
  int kvHeads = 0;
  int headDim = 0;  // explicit head_dim, or hidden / heads
  int intermediate = 0;
  double normEps = 1e-5;
  Activation activation = Activation::SiluGated;
  int maxPositions = 0;
  double ropeTheta = 10000.0;
  RopeScaling ropeScaling;
  // Sliding-window attention: keys more than `slidingWindow` positions back are masked in the
  // layers from `firstWindowLayer` on (Mistral: every layer; Qwen2/3: max_window_layers).
  int slidingWindow = 0;  // 0: none
  int firstWindowLayer = 0;
  bool tieWordEmbeddings = false;
  bool attentionBias = false;  // biases on q/k/v/o (llama, qwen3 attention_bias)
  bool mlpBias = false;        // biases on gate/up/down (llama mlp_bias)
  int typeVocab = 0;           // BERT token types
  std::optional<int64_t> bosId;
  std::optional<int64_t> padId;
  std::vector<int64_t> eosIds;  // generation_config.json, else config.json

  bool slidingAt(int layer) const { return slidingWindow > 0 && layer >= firstWindowLayer; }
};

// nlohmann conversion (file named "config.json" in errors): `j.get<HParams>()`.
void from_json(const nlohmann::json& j, HParams& hp);

// Reads DIR/config.json (and DIR/generation_config.json when present). Throws attnx::Error naming
// the file and the key on a missing file, invalid JSON, a missing or ill-typed key, an unknown
// model_type or inconsistent sizes.
HParams loadHParams(const std::string& dir);

// The same from JSON text already read; `file` is used in error messages.
HParams parseHParams(std::string_view configText, const std::string& file);

}  // namespace attnx
