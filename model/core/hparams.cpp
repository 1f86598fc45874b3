#include "hparams.h"

#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "error.h"

namespace attnx {

using nlohmann::json;

std::string_view familyName(Family f) {
  switch (f) {
    case Family::Gpt2:
      return "gpt2";
    case Family::Llama:
      return "llama";
    case Family::Mistral:
      return "mistral";
    case Family::Qwen2:
      return "qwen2";
    case Family::Qwen3:
      return "qwen3";
    case Family::Bert:
      return "bert";
  }
  return "unknown";
}

std::optional<Family> familyFromModelType(std::string_view t) {
  for (Family f :
       {Family::Gpt2, Family::Llama, Family::Mistral, Family::Qwen2, Family::Qwen3, Family::Bert})
    if (familyName(f) == t) return f;
  return std::nullopt;
}

namespace {

// Reads typed keys from one JSON object; every failure names the file and the key.
class Reader {
 public:
  Reader(const json& j, std::string file) : j_(j), file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw Error(file_ + ": key '" + key + "' " + what);
  }

  bool has(const std::string& key) const { return j_.contains(key); }
  bool present(const std::string& key) const { return j_.contains(key) && !j_.at(key).is_null(); }

  int64_t integer(const std::string& key) const {
    if (!j_.contains(key)) fail(key, "is missing");
    const json& v = j_.at(key);
    if (!v.is_number_integer()) fail(key, "must be an integer");
    return v.get<int64_t>();
  }
  int64_t integer(const std::string& key, int64_t fallback) const {
    return present(key) ? integer(key) : fallback;
  }
  // A size: an integer in [1, limit].
  int size(const std::string& key, int64_t limit = std::numeric_limits<int>::max()) const {
    const int64_t v = integer(key);
    if (v < 1 || v > limit)
      fail(key, "is " + std::to_string(v) + ", outside 1.." + std::to_string(limit));
    return static_cast<int>(v);
  }
  int size(const std::string& key, int64_t fallback, int64_t limit) const {
    return present(key) ? size(key, limit) : static_cast<int>(fallback);
  }
  double number(const std::string& key, double fallback) const {
    if (!present(key)) return fallback;
    const json& v = j_.at(key);
    if (!v.is_number()) fail(key, "must be a number");
    return v.get<double>();
  }
  double number(const std::string& key) const {
    if (!j_.contains(key)) fail(key, "is missing");
    return number(key, 0.0);
  }
  bool boolean(const std::string& key, bool fallback) const {
    if (!present(key)) return fallback;
    const json& v = j_.at(key);
    if (!v.is_boolean()) fail(key, "must be true or false");
    return v.get<bool>();
  }
  std::string string(const std::string& key, const std::string& fallback) const {
    if (!present(key)) return fallback;
    const json& v = j_.at(key);
    if (!v.is_string()) fail(key, "must be a string");
    return v.get<std::string>();
  }
  std::optional<int64_t> optionalId(const std::string& key) const {
    if (!present(key)) return std::nullopt;
    const json& v = j_.at(key);
    if (v.is_array()) {  // some configs list several; the first is the canonical one
      if (v.empty()) return std::nullopt;
      if (!v.at(0).is_number_integer()) fail(key, "must hold integers");
      return v.at(0).get<int64_t>();
    }
    return integer(key);
  }
  std::vector<int64_t> ids(const std::string& key) const {
    std::vector<int64_t> out;
    if (!present(key)) return out;
    const json& v = j_.at(key);
    if (v.is_number_integer()) return {v.get<int64_t>()};
    if (!v.is_array()) fail(key, "must be an integer or a list of integers");
    for (const auto& e : v) {
      if (!e.is_number_integer()) fail(key, "must be an integer or a list of integers");
      out.push_back(e.get<int64_t>());
    }
    return out;
  }
  const json& object(const std::string& key) const { return j_.at(key); }
  const std::string& file() const { return file_; }

 private:
  const json& j_;
  std::string file_;
};

constexpr int64_t kMaxDim = 1 << 20;  // far above any real width, below int overflow
constexpr int64_t kMaxLayers = 4096;
constexpr int64_t kMaxVocab = 1ll << 24;
constexpr int64_t kMaxPositions = 1 << 24;

Activation gatedActivation(const Reader& r, const std::string& key) {
  const std::string act = r.string(key, "silu");
  if (act == "silu" || act == "swish") return Activation::SiluGated;
  if (act == "relu") return Activation::ReluGated;
  r.fail(key, "is '" + act + "': only silu and relu gated MLPs are supported");
}

Activation plainActivation(const Reader& r, const std::string& key, const std::string& fallback) {
  const std::string act = r.string(key, fallback);
  if (act == "gelu_new" || act == "gelu_pytorch_tanh" || act == "gelu_fast")
    return Activation::GeluNew;
  if (act == "gelu") return Activation::GeluExact;
  r.fail(key, "is '" + act + "': only gelu, gelu_new and gelu_pytorch_tanh are supported");
}

RopeScaling ropeScaling(const Reader& r) {
  RopeScaling s;
  if (!r.present("rope_scaling")) return s;
  const json& o = r.object("rope_scaling");
  if (!o.is_object()) r.fail("rope_scaling", "must be an object or null");
  Reader sub(o, r.file() + " rope_scaling");
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

void readGpt2(const Reader& r, HParams& hp) {
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

void readRopeDecoder(const Reader& r, HParams& hp) {
  hp.vocab = r.size("vocab_size", kMaxVocab);
  hp.hidden = r.size("hidden_size", kMaxDim);
  hp.layers = r.size("num_hidden_layers", kMaxLayers);
  hp.heads = r.size("num_attention_heads", kMaxDim);
  hp.kvHeads = r.size("num_key_value_heads", hp.heads, kMaxDim);
  // Qwen3 defaults head_dim to 128; the others derive it from the width.
  const int64_t defaultHeadDim = hp.family == Family::Qwen3 ? 128 : hp.hidden / hp.heads;
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
  if (hp.family == Family::Mistral) {
    // MistralConfig defaults to a 4096 window; an explicit null turns it off.
    if (r.present("sliding_window"))
      hp.slidingWindow = r.size("sliding_window", kMaxPositions);
    else if (!r.has("sliding_window"))
      hp.slidingWindow = 4096;
  } else if (hp.family == Family::Qwen2 || hp.family == Family::Qwen3) {
    if (r.boolean("use_sliding_window", false) && r.present("sliding_window")) {
      hp.slidingWindow = r.size("sliding_window", kMaxPositions);
      hp.firstWindowLayer = static_cast<int>(r.integer("max_window_layers", 28));
    }
  }
  if (!r.present("head_dim") && hp.family != Family::Qwen3 && hp.hidden % hp.heads != 0)
    r.fail("hidden_size", "is not a multiple of num_attention_heads");
  if (hp.headDim % 2 != 0) r.fail("head_dim", "must be even for rotary embeddings");
}

void readBert(const Reader& r, HParams& hp) {
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

}  // namespace

void from_json(const json& j, HParams& hp) {
  const std::string file = "config.json";
  if (!j.is_object()) throw Error(file + ": the top level must be a JSON object");
  Reader r(j, file);
  if (!j.contains("model_type")) r.fail("model_type", "is missing");
  hp.modelType = r.string("model_type", "");
  const auto family = familyFromModelType(hp.modelType);
  if (!family)
    r.fail("model_type",
           "is '" + hp.modelType +
               "', which is not supported (gpt2, llama, mistral, qwen2, qwen3, bert)");
  hp.family = *family;
  switch (hp.family) {
    case Family::Gpt2:
      readGpt2(r, hp);
      break;
    case Family::Bert:
      readBert(r, hp);
      break;
    default:
      readRopeDecoder(r, hp);
      break;
  }
  if (hp.headDim == 0) {
    if (hp.hidden % hp.heads != 0) r.fail("hidden_size", "is not a multiple of the head count");
    hp.headDim = hp.hidden / hp.heads;
  }
  if (hp.heads % hp.kvHeads != 0) r.fail("num_key_value_heads", "must divide num_attention_heads");
  if (hp.family != Family::Bert) hp.bosId = r.optionalId("bos_token_id");
  if (hp.family != Family::Bert) hp.eosIds = r.ids("eos_token_id");
}

HParams parseHParams(std::string_view text, const std::string& file) {
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw Error(file + ": not valid JSON");
  try {
    HParams hp = j.get<HParams>();
    return hp;
  } catch (const Error& e) {
    // from_json names "config.json"; name the real path.
    std::string msg = e.what();
    if (msg.rfind("config.json", 0) == 0) msg = file + msg.substr(11);
    throw Error(msg);
  } catch (const json::exception& e) {
    throw Error(file + ": " + e.what());
  }
}

namespace {

std::string readText(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw Error(p.string() + ": cannot be read");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

HParams loadHParams(const std::string& dir) {
  namespace fs = std::filesystem;
  const fs::path config = fs::path(dir) / "config.json";
  if (!fs::is_directory(dir)) throw Error(dir + ": not a folder");
  if (!fs::exists(config)) throw Error(config.string() + ": missing (not a model folder?)");
  HParams hp = parseHParams(readText(config), config.string());

  // generation_config.json overrides the end-of-sequence ids for generation.
  const fs::path gen = fs::path(dir) / "generation_config.json";
  if (fs::exists(gen)) {
    const std::string text = readText(gen);
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw Error(gen.string() + ": not valid JSON");
    Reader r(j, gen.string());
    if (r.present("eos_token_id")) hp.eosIds = r.ids("eos_token_id");
    if (!hp.bosId && r.present("bos_token_id")) hp.bosId = r.optionalId("bos_token_id");
  }
  return hp;
}

}  // namespace attnx
