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

// The families attnx runs; each has one entry in the family table (family_table.h), which says
// how its config.json reads and which tensors play which role.
enum class Family { Gpt2, Llama, Mistral, Qwen2, Qwen3, Bert };

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

// Reads typed keys from one JSON object of a config; every failure names the file and the key.
// The family table's config readers use it.
class ConfigReader {
 public:
  ConfigReader(const nlohmann::json& j, std::string file) : j_(j), file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& what) const;
  bool has(const std::string& key) const;
  bool present(const std::string& key) const;  // there and not null
  int64_t integer(const std::string& key) const;
  int64_t integer(const std::string& key, int64_t fallback) const;
  // A size: an integer in [1, limit].
  int size(const std::string& key, int64_t limit = 2147483647) const;
  int size(const std::string& key, int64_t fallback, int64_t limit) const;
  double number(const std::string& key) const;
  double number(const std::string& key, double fallback) const;
  bool boolean(const std::string& key, bool fallback) const;
  std::string string(const std::string& key, const std::string& fallback) const;
  std::optional<int64_t> optionalId(const std::string& key) const;
  std::vector<int64_t> ids(const std::string& key) const;
  const nlohmann::json& object(const std::string& key) const;
  const std::string& file() const { return file_; }

 private:
  const nlohmann::json& j_;
  std::string file_;
};

// Bounds of a config's sizes: far above any real model, below int overflow.
constexpr int64_t kMaxDim = 1 << 20;
constexpr int64_t kMaxLayers = 4096;
constexpr int64_t kMaxVocab = 1ll << 24;
constexpr int64_t kMaxPositions = 1 << 24;

// nlohmann conversion (file named "config.json" in errors): `j.get<HParams>()`.
void from_json(const nlohmann::json& j, HParams& hp);

// Reads DIR/config.json (and DIR/generation_config.json when present). Throws attnx::Error naming
// the file and the key on a missing file, invalid JSON, a missing or ill-typed key, an unknown
// model_type or inconsistent sizes.
HParams loadHParams(const std::string& dir);

// The same from JSON text already read; `file` is used in error messages.
HParams parseHParams(std::string_view configText, const std::string& file);

}  // namespace attnx
