#include "run_file.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "error.h"
#include "half.h"
#include "safetensors.h"

namespace attnx {
namespace {

using nlohmann::json;

// Bounds that no real run reaches; they keep a hostile file from asking for absurd work.
constexpr int64_t kMaxBatch = 1 << 16, kMaxPositions = 1 << 24, kMaxLayers = 1 << 14;
// Softmax weights are in [0, 1]; float32 rounding of a row can leave one a few ulps above 1.
constexpr float kWeightSlack = 1e-5f;

std::string dumpJson(const json& j) {
  // Labels of odd byte-level tokens may not be valid UTF-8: replaced, never a failure.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

json layoutJson(const RunResult& r) {
  json rows = json::array();
  for (const auto& row : r.layout) {
    json segs = json::array();
    for (const auto& s : row)
      segs.push_back(
          {{"kind", std::string(segmentKindName(s.kind))}, {"begin", s.begin}, {"end", s.end}});
    rows.push_back(segs);
  }
  return rows;
}

json modelJson(const ModelInfo& m) {
  return {{"dir", m.dir},           {"family", m.family},
          {"encoder", m.encoder},   {"layers", m.layers},
          {"heads", m.heads},       {"kv_heads", m.kvHeads},
          {"hidden", m.hidden},     {"head_dim", m.headDim},
          {"vocab", m.vocab},       {"max_positions", m.maxPositions},
          {"dtype", m.dtype},       {"device", m.device},
          {"parameters", m.parameters}, {"weight_bytes", m.weightBytes},
          {"config_sha256", m.provenance.configSha256},
          {"weights", {{"file", m.provenance.weights.file},
                       {"sha256", m.provenance.weights.sha256}}}};
}

json softTokensJson(const SoftTokenSource& s) {
  return {{"file", s.file.file}, {"sha256", s.file.sha256}, {"index", s.index}};
}

// The weights as float32 (captures kept as IEEE half are widened).
OwnedTensor attentionTensor(const std::string& name, const AttentionTensor& a) {
  const std::vector<int64_t> shape = {a.batch, a.heads, a.queries, a.keys};
  if (!a.f16.empty()) {
    std::vector<float> wide(a.f16.size());
    for (std::size_t i = 0; i < wide.size(); ++i) wide[i] = halfToFloat(a.f16[i]);
    return OwnedTensor::fromFloats(name, shape, wide.data());
  }
  return OwnedTensor::fromFloats(name, shape, a.f32.data());
}

// ---- reading ----

class Reader {
 public:
  explicit Reader(const std::string& path) : path_(path), file_(SafetensorsFile::open(path)) {}

  [[noreturn]] void fail(const std::string& what) const { throw Error(path_ + ": " + what); }

  const SafetensorsFile& file() const { return file_; }

  json meta(const std::string& key, bool required) const {
    const auto& m = file_.metadata();
    const auto it = m.find(key);
    if (it == m.end()) {
      if (required) fail("metadata has no \"" + key + "\"");
      return json();
    }
    try {
      return json::parse(it->second);
    } catch (const json::exception& e) {
      fail("metadata \"" + key + "\" is not JSON (" + e.what() + ")");
    }
  }

  const TensorView& tensor(const std::string& name, DType dtype, std::size_t rank) const {
    const TensorView* t = file_.find(name);
    if (!t) fail("has no tensor \"" + name + "\": not a run file of attnx run");
    check(*t, dtype, rank);
    return *t;
  }

  void check(const TensorView& t, DType dtype, std::size_t rank) const {
    if (t.dtype != dtype || t.shape.size() != rank)
      fail("tensor \"" + t.name + "\" must be " + std::string(dtypeName(dtype)) + " of rank " +
           std::to_string(rank) + ", not " + std::string(dtypeName(t.dtype)) + " " +
           shapeOf(t));
  }

  static std::string shapeOf(const TensorView& t) {
    std::string s = "[";
    for (std::size_t i = 0; i < t.shape.size(); ++i)
      s += (i ? ", " : "") + std::to_string(t.shape[i]);
    return s + "]";
  }

  void expectShape(const TensorView& t, const std::vector<int64_t>& want) const {
    if (t.shape != want) {
      std::string w = "[";
      for (std::size_t i = 0; i < want.size(); ++i)
        w += (i ? ", " : "") + std::to_string(want[i]);
      fail("tensor \"" + t.name + "\" has shape " + shapeOf(t) + ", expected " + w + "]");
    }
  }

  std::vector<int64_t> longs(const TensorView& t) const {
    std::vector<int64_t> v(static_cast<std::size_t>(t.numel()));
    if (!v.empty()) std::memcpy(v.data(), t.data, v.size() * sizeof(int64_t));
    return v;
  }

  // Floats in [lo, hi] (not NaN): value norms, log-probabilities.
  std::vector<float> within(const TensorView& t, float lo, float hi, const char* what) const {
    std::vector<float> v(static_cast<std::size_t>(t.numel()));
    if (!v.empty()) std::memcpy(v.data(), t.data, v.size() * sizeof(float));
    for (std::size_t i = 0; i < v.size(); ++i)
      if (!(v[i] >= lo && v[i] <= hi))
        fail("tensor \"" + t.name + "\" holds " + std::to_string(v[i]) + " at element " +
             std::to_string(i) + ": " + what);
    return v;
  }

  // Attention weights: finite and in [0, 1].
  std::vector<float> weights(const TensorView& t) const {
    std::vector<float> v(static_cast<std::size_t>(t.numel()));
    if (!v.empty()) std::memcpy(v.data(), t.data, v.size() * sizeof(float));
    for (std::size_t i = 0; i < v.size(); ++i)
      if (!(v[i] >= 0.0f && v[i] <= 1.0f + kWeightSlack))
        fail("tensor \"" + t.name + "\" holds " + std::to_string(v[i]) + " at element " +
             std::to_string(i) + ": attention weights lie in [0, 1]");
    return v;
  }

 private:
  std::string path_;
  SafetensorsFile file_;
};

// "attentions.12" -> 12; "generation.3.attentions.12" -> {3, 12}. -1 when the name is not one.
int parseIndex(std::string_view text) {
  int v = -1;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < 0 || v >= kMaxLayers) return -1;
  if (text.size() > 1 && text[0] == '0') return -1;  // one spelling per index
  return v;
}

template <class T>
T field(const Reader& r, const json& j, const char* key, const T& fallback) {
  if (!j.is_object() || !j.contains(key)) return fallback;
  try {
    return j.at(key).get<T>();
  } catch (const json::exception&) {
    r.fail(std::string("metadata \"model\": \"") + key + "\" has the wrong type");
  }
}

ModelInfo readModel(const Reader& r) {
  const json j = r.meta("model", false);
  if (!j.is_null() && !j.is_object()) r.fail("metadata \"model\" must be a JSON object");
  ModelInfo m;
  m.dir = field<std::string>(r, j, "dir", "");
  m.family = field<std::string>(r, j, "family", "");
  m.encoder = field<bool>(r, j, "encoder", false);
  m.layers = field<int>(r, j, "layers", 0);
  m.heads = field<int>(r, j, "heads", 0);
  m.kvHeads = field<int>(r, j, "kv_heads", 0);
  m.hidden = field<int>(r, j, "hidden", 0);
  m.headDim = field<int>(r, j, "head_dim", 0);
  m.vocab = field<int64_t>(r, j, "vocab", 0);
  m.maxPositions = field<int>(r, j, "max_positions", 0);
  m.dtype = field<std::string>(r, j, "dtype", "");
  m.device = field<std::string>(r, j, "device", "");
  m.parameters = field<int64_t>(r, j, "parameters", 0);
  m.weightBytes = field<std::size_t>(r, j, "weight_bytes", 0);
  m.provenance.configSha256 = field<std::string>(r, j, "config_sha256", "");
  const json w = j.is_object() && j.contains("weights") ? j.at("weights") : json();
  if (!w.is_null() && !w.is_object()) r.fail("metadata \"model\": \"weights\" must be an object");
  m.provenance.weights.file = field<std::string>(r, w, "file", "");
  m.provenance.weights.sha256 = field<std::string>(r, w, "sha256", "");
  for (int64_t v : {int64_t(m.layers), int64_t(m.heads), int64_t(m.kvHeads), int64_t(m.hidden),
                    int64_t(m.headDim), int64_t(m.maxPositions)})
    if (v < 0 || v > kMaxPositions) r.fail("metadata \"model\" holds a dimension out of range");
  if (m.vocab < 0 || m.parameters < 0) r.fail("metadata \"model\" holds a negative size");
  return m;
}

SoftTokenSource readSoftTokens(const Reader& r) {
  const json j = r.meta("soft_tokens", false);
  SoftTokenSource s;
  if (j.is_null()) return s;
  if (!j.is_object()) r.fail("metadata \"soft_tokens\" must be a JSON object");
  try {
    s.file.file = j.value("file", std::string());
    s.file.sha256 = j.value("sha256", std::string());
    s.index = j.value("index", -1);
  } catch (const json::exception&) {
    r.fail("metadata \"soft_tokens\" holds a value of the wrong type");
  }
  if (s.index < -1) r.fail("metadata \"soft_tokens\": \"index\" must be -1 or more");
  return s;
}

std::vector<std::vector<Segment>> readLayout(const Reader& r, int B, int T) {
  const json j = r.meta("layout", true);
  if (!j.is_array() || static_cast<int64_t>(j.size()) != B)
    r.fail("metadata \"layout\" must hold one list of segments per batch row (" +
           std::to_string(B) + ")");
  std::vector<std::vector<Segment>> layout;
  for (const json& row : j) {
    if (!row.is_array() || row.empty()) r.fail("metadata \"layout\": a row has no segments");
    std::vector<Segment> segs;
    int next = 0;
    for (const json& s : row) {
      if (!s.is_object() || !s.contains("kind") || !s.contains("begin") || !s.contains("end") ||
          !s["kind"].is_string() || !s["begin"].is_number_integer() ||
          !s["end"].is_number_integer())
        r.fail("metadata \"layout\": a segment needs \"kind\", \"begin\" and \"end\"");
      const auto kind = segmentKindFromName(s["kind"].get<std::string>());
      if (!kind) r.fail("metadata \"layout\": unknown segment kind \"" + s["kind"].get<std::string>() + "\"");
      const int64_t begin = s["begin"].get<int64_t>(), end = s["end"].get<int64_t>();
      if (begin != next || end <= begin || end > T)
        r.fail("metadata \"layout\": segments must cover positions 0 to " + std::to_string(T) +
               " in order, without gaps");
      segs.push_back({*kind, static_cast<int>(begin), static_cast<int>(end)});
      next = static_cast<int>(end);
    }
    if (next != T)
      r.fail("metadata \"layout\": the segments end at " + std::to_string(next) + ", not at " +
             std::to_string(T));
    layout.push_back(std::move(segs));
  }
  return layout;
}

constexpr std::size_t kAnyCount = static_cast<std::size_t>(-1);

// A list of n strings (kAnyCount: of any length).
std::vector<std::string> readStrings(const Reader& r, const char* key, std::size_t n,
                                     bool required) {
  const json j = r.meta(key, false);
  if (j.is_null()) {
    if (required) r.fail(std::string("metadata has no \"") + key + "\"");
    return {};
  }
  if (!j.is_array() || (n != kAnyCount && j.size() != n))
    r.fail(std::string("metadata \"") + key + "\" must be a list of " +
           (n == kAnyCount ? std::string() : std::to_string(n) + " ") + "strings");
  std::vector<std::string> out;
  for (const json& s : j) {
    if (!s.is_string()) r.fail(std::string("metadata \"") + key + "\" must hold strings");
    out.push_back(s.get<std::string>());
  }
  return out;
}

// The absolute position of each kept query row: Tq entries, or B * Tq (one list per batch row).
std::vector<int> readQueryPositions(const Reader& r, int B, int T, int queries,
                                    const std::vector<int64_t>& mask) {
  const json j = r.meta("query_positions", false);
  std::vector<int> out;
  if (j.is_null()) {
    if (queries == T) {
      for (int q = 0; q < T; ++q) out.push_back(q);
    } else if (queries == 1) {
      // Files written before query_positions: last-row capture, each row's last valid position.
      for (int b = 0; b < B; ++b) {
        int last = T - 1;
        if (!mask.empty())
          while (last > 0 && mask[static_cast<std::size_t>(b) * T + last] == 0) --last;
        out.push_back(last);
      }
      if (B == 1 || std::all_of(out.begin(), out.end(), [&](int p) { return p == out[0]; }))
        out.resize(1);
    } else {
      r.fail("metadata has no \"query_positions\" for " + std::to_string(queries) +
             " kept query rows");
    }
    return out;
  }
  if (!j.is_array() ||
      (j.size() != static_cast<std::size_t>(queries) &&
       j.size() != static_cast<std::size_t>(queries) * static_cast<std::size_t>(B)))
    r.fail("metadata \"query_positions\" must list the " + std::to_string(queries) +
           " kept query rows");
  for (const json& p : j) {
    if (!p.is_number_integer() || p.get<int64_t>() < 0 || p.get<int64_t>() >= T)
      r.fail("metadata \"query_positions\" holds a position outside 0.." + std::to_string(T - 1));
    out.push_back(static_cast<int>(p.get<int64_t>()));
  }
  return out;
}

// Q/K capture: metadata "query_keys" lists {layer, causal, window} for each layer with tensors
// queries.<l> [B,H,T,D], keys.<l> [B,Hkv,T,D] and lse.<l> [B,H,T].
void readQueryKeys(const Reader& rd, RunResult& r) {
  const json list = rd.meta("query_keys", false);
  if (list.is_null()) return;
  const int64_t B = r.batch, T = r.seqLen;
  if (!list.is_array()) rd.fail("metadata \"query_keys\" must be a list of layers");
  for (const json& e : list) {
    if (!e.is_object() || !e.contains("layer") || !e["layer"].is_number_integer() ||
        !e.value("causal", json()).is_boolean() || !e.value("window", json()).is_number_integer())
      rd.fail("metadata \"query_keys\" must list {\"layer\", \"causal\", \"window\"} objects");
    QueryKeys qk;
    const int64_t layer = e["layer"].get<int64_t>(), window = e["window"].get<int64_t>();
    if (layer < 0 || layer >= kMaxLayers || (r.model.layers > 0 && layer >= r.model.layers) ||
        window < 0 || window > kMaxPositions)
      rd.fail("metadata \"query_keys\" names layer " + std::to_string(layer) + " with window " +
              std::to_string(window) + ": not a layer of this run");
    for (const QueryKeys& other : r.queryKeys)
      if (other.layer == layer) rd.fail("metadata \"query_keys\" names a layer twice");
    qk.layer = static_cast<int>(layer);
    qk.causal = e["causal"].get<bool>();
    qk.window = static_cast<int>(window);
    const std::string l = std::to_string(layer);
    const TensorView& q = rd.tensor("queries." + l, DType::F32, 4);
    const TensorView& k = rd.tensor("keys." + l, DType::F32, 4);
    const TensorView& lse = rd.tensor("lse." + l, DType::F32, 3);
    const int64_t H = q.shape[1], Hkv = k.shape[1], D = q.shape[3];
    if (q.shape[0] != B || q.shape[2] != T || H < 1 || H > kMaxLayers || D < 1 || D > kMaxLayers ||
        (r.model.heads > 0 && H != r.model.heads))
      rd.fail("tensor \"queries." + l + "\" has shape " + Reader::shapeOf(q) + ", expected [" +
              std::to_string(B) + ", heads, " + std::to_string(T) + ", head dim]");
    if (Hkv < 1 || H % Hkv != 0)
      rd.fail("tensor \"keys." + l + "\" has a head count that does not divide the queries'");
    rd.expectShape(k, {B, Hkv, T, D});
    rd.expectShape(lse, {B, H, T});
    const float big = std::numeric_limits<float>::max();
    qk.batch = static_cast<int>(B);
    qk.tokens = static_cast<int>(T);
    qk.heads = static_cast<int>(H);
    qk.kvHeads = static_cast<int>(Hkv);
    qk.headDim = static_cast<int>(D);
    qk.q = rd.within(q, -big, big, "queries are finite");
    qk.k = rd.within(k, -big, big, "keys are finite");
    qk.lse = rd.within(lse, -std::numeric_limits<float>::infinity(), big,
                       "log-sum-exps are finite, or -inf for a row without keys");
    if (r.model.heads == 0) r.model.heads = qk.heads;
    r.queryKeys.push_back(std::move(qk));
  }
}

// value_norms.<l>, logit_lens (with lens_positions), rollout and the knockout specs, checked
// against the run's shape.
void readAnalyses(const Reader& rd, RunResult& r) {
  const int64_t B = r.batch, T = r.seqLen;
  if (const TensorView* lens = rd.file().find("logit_lens")) {
    rd.check(*lens, DType::F32, 3);
    if (lens->shape[0] != B || lens->shape[1] < 2 || lens->shape[1] > kMaxLayers + 1 ||
        lens->shape[2] < 1 || (r.model.layers > 0 && lens->shape[1] != r.model.layers + 1) ||
        (r.model.vocab > 0 && lens->shape[2] != r.model.vocab))
      rd.fail("tensor \"logit_lens\" has shape " + Reader::shapeOf(*lens) + ", expected [" +
              std::to_string(B) + ", layers + 1, vocabulary]");
    // Without model metadata the lens's shape says how many layers and tokens there are.
    if (r.model.layers == 0) r.model.layers = static_cast<int>(lens->shape[1] - 1);
    if (r.model.vocab == 0) r.model.vocab = lens->shape[2];
    // Log-probabilities: at most 0, up to the rounding of a log-softmax.
    r.logitLens = rd.within(*lens, -std::numeric_limits<float>::infinity(), 1e-4f,
                            "log-probabilities are at most 0");
    const json rows = rd.meta("lens_positions", true);
    if (!rows.is_array() || rows.size() != static_cast<std::size_t>(B))
      rd.fail("metadata \"lens_positions\" must list one position per batch row");
    for (const json& p : rows) {
      if (!p.is_number_integer() || p.get<int64_t>() < 0 || p.get<int64_t>() >= T)
        rd.fail("metadata \"lens_positions\" holds a position outside 0.." + std::to_string(T - 1));
      r.lensPositions.push_back(static_cast<int>(p.get<int64_t>()));
    }
    const json labels = rd.meta("lens_labels", false);
    if (!labels.is_null() && !labels.is_array())
      rd.fail("metadata \"lens_labels\" must be a list of [id, label] pairs");
    for (const json& e : labels.is_array() ? labels : json::array()) {
      if (!e.is_array() || e.size() != 2 || !e[0].is_number_integer() || !e[1].is_string() ||
          e[0].get<int64_t>() < 0 || e[0].get<int64_t>() >= lens->shape[2])
        rd.fail("metadata \"lens_labels\" must be a list of [id, label] pairs of the vocabulary");
      r.lensLabels.emplace_back(e[0].get<int64_t>(), e[1].get<std::string>());
    }
  }
  for (const TensorView& t : rd.file().tensors()) {
    if (t.name.rfind("value_norms.", 0) != 0) continue;
    const int layer = parseIndex(std::string_view(t.name).substr(12));
    if (layer < 0 || (r.model.layers > 0 && layer >= r.model.layers))
      rd.fail("tensor \"" + t.name + "\" does not name a layer of the model");
    rd.check(t, DType::F32, 3);
    if (t.shape[0] != B || t.shape[1] < 1 || t.shape[1] > kMaxLayers || t.shape[2] != T ||
        (r.model.heads > 0 && t.shape[1] != r.model.heads))
      rd.fail("tensor \"" + t.name + "\" has shape " + Reader::shapeOf(t) + ", expected [" +
              std::to_string(B) + ", heads, " + std::to_string(T) + "]");
    if (r.model.heads == 0) r.model.heads = static_cast<int>(t.shape[1]);  // all must agree
    if (r.valueNorms.size() <= static_cast<std::size_t>(layer))
      r.valueNorms.resize(static_cast<std::size_t>(layer) + 1);
    r.valueNorms[static_cast<std::size_t>(layer)] =
        rd.within(t, 0.0f, std::numeric_limits<float>::max(), "value norms are finite and >= 0");
  }
  if (const TensorView* roll = rd.file().find("rollout")) {
    rd.check(*roll, DType::F32, 3);
    rd.expectShape(*roll, {B, T, T});
    r.rollout = rd.weights(*roll);  // a product of row-stochastic matrices
  }
  readQueryKeys(rd, r);
  const json timing = rd.meta("timing", false);
  if (!timing.is_null()) {
    if (!timing.is_object() || !timing.value("load_s", json()).is_number() ||
        !timing.value("forward_s", json()).is_number() || timing["load_s"].get<double>() < 0 ||
        timing["forward_s"].get<double>() < 0)
      rd.fail("metadata \"timing\" must hold \"load_s\" and \"forward_s\" in seconds");
    r.model.loadSeconds = timing["load_s"].get<double>();
    r.seconds = timing["forward_s"].get<double>();
  }
  r.knockouts = readStrings(rd, "knockouts", kAnyCount, false);
  if (!r.knockouts.empty() && !r.queryKeys.empty())
    rd.fail("holds queries and keys and knockouts: its tiles would ignore the knockouts");
  for (const std::string& spec : r.knockouts) {
    try {
      (void)Knockout::parse(spec);
    } catch (const Error& e) {
      rd.fail(std::string("metadata \"knockouts\": ") + e.what());
    }
  }
}

}  // namespace

void writeRunFile(const std::string& path, const RunResult& r, const std::string& capture) {
  std::vector<OwnedTensor> tensors;
  const int64_t B = r.batch, T = r.seqLen;
  tensors.push_back(OwnedTensor::fromInt64("input_ids", {B, T}, r.inputIds.data()));
  if (!r.tokenTypeIds.empty())
    tensors.push_back(OwnedTensor::fromInt64("token_type_ids", {B, T}, r.tokenTypeIds.data()));
  bool padded = false;
  for (int64_t m : r.attentionMask) padded |= m == 0;
  if (padded)
    tensors.push_back(OwnedTensor::fromInt64("attention_mask", {B, T}, r.attentionMask.data()));
  if (!r.logits.empty())
    tensors.push_back(
        OwnedTensor::fromFloats("logits", {B, r.logitRows, r.model.vocab}, r.logits.data()));
  std::string queryPositions;
  for (const auto& a : r.attentions) {
    tensors.push_back(attentionTensor("attentions." + std::to_string(a.layer), a));
    if (a.queries != T && queryPositions.empty()) queryPositions = json(a.queryPositions).dump();
  }
  if (r.generated > 0) {
    tensors.push_back(
        OwnedTensor::fromInt64("generated_ids", {B, r.generated}, r.generatedIds.data()));
    for (std::size_t s = 0; s < r.stepAttentions.size(); ++s)
      for (const auto& a : r.stepAttentions[s])
        tensors.push_back(attentionTensor(
            "generation." + std::to_string(s) + ".attentions." + std::to_string(a.layer), a));
  }
  for (std::size_t l = 0; l < r.valueNorms.size(); ++l)
    if (!r.valueNorms[l].empty())
      tensors.push_back(OwnedTensor::fromFloats("value_norms." + std::to_string(l),
                                                {B, r.model.heads, T}, r.valueNorms[l].data()));
  if (!r.logitLens.empty())
    tensors.push_back(OwnedTensor::fromFloats(
        "logit_lens", {B, int64_t(r.model.layers) + 1, r.model.vocab}, r.logitLens.data()));
  if (!r.rollout.empty())
    tensors.push_back(OwnedTensor::fromFloats("rollout", {B, T, T}, r.rollout.data()));
  json queryKeys = json::array();
  for (const QueryKeys& qk : r.queryKeys) {
    const std::string l = std::to_string(qk.layer);
    tensors.push_back(
        OwnedTensor::fromFloats("queries." + l, {B, qk.heads, T, qk.headDim}, qk.q.data()));
    tensors.push_back(
        OwnedTensor::fromFloats("keys." + l, {B, qk.kvHeads, T, qk.headDim}, qk.k.data()));
    tensors.push_back(OwnedTensor::fromFloats("lse." + l, {B, qk.heads, T}, qk.lse.data()));
    queryKeys.push_back({{"layer", qk.layer}, {"causal", qk.causal}, {"window", qk.window}});
  }
  std::map<std::string, std::string> metadata = {
      {"layout", layoutJson(r).dump()},
      {"model", dumpJson(modelJson(r.model))},
      {"tokens", dumpJson(json(r.tokens))},
      {"capture", capture},
  };
  if (!queryPositions.empty()) metadata["query_positions"] = queryPositions;
  if (!r.softTokens.file.empty()) metadata["soft_tokens"] = dumpJson(softTokensJson(r.softTokens));
  if (!r.knockouts.empty()) metadata["knockouts"] = dumpJson(json(r.knockouts));
  if (!queryKeys.empty()) metadata["query_keys"] = queryKeys.dump();
  metadata["timing"] = json{{"load_s", r.model.loadSeconds}, {"forward_s", r.seconds}}.dump();
  if (!r.logitLens.empty()) {
    metadata["lens_positions"] = json(r.lensPositions).dump();
    json labels = json::array();
    for (const auto& [id, label] : r.lensLabels) labels.push_back(json::array({id, label}));
    metadata["lens_labels"] = dumpJson(labels);
  }
  if (r.generated > 0) {
    metadata["generated_tokens"] = dumpJson(json(r.generatedTokens));
    metadata["generated_text"] = dumpJson(json(r.generatedText));
  }
  writeSafetensors(path, tensors, metadata);
}

std::string captureName(const RunResult& r) {
  if (!r.queryKeys.empty()) return "qk";
  if (r.attentions.empty()) return "none";
  for (const AttentionTensor& a : r.attentions)
    if (a.queries == r.seqLen) return "full";
  for (const AttentionTensor& a : r.attentions)
    if (a.queries > 1) return "rows";
  return "last-row";
}

RunResult readRunFile(const std::string& path) {
  const Reader rd(path);
  RunResult r;
  const TensorView& ids = rd.tensor("input_ids", DType::I64, 2);
  if (ids.shape[0] < 1 || ids.shape[0] > kMaxBatch || ids.shape[1] < 1 ||
      ids.shape[1] > kMaxPositions)
    rd.fail("tensor \"input_ids\" has shape " + Reader::shapeOf(ids) + ": no run is that shape");
  const int B = static_cast<int>(ids.shape[0]), T = static_cast<int>(ids.shape[1]);
  r.batch = B;
  r.seqLen = T;
  r.inputIds = rd.longs(ids);
  r.model = readModel(rd);
  r.softTokens = readSoftTokens(rd);
  for (int64_t id : r.inputIds)
    if (id < -1 || (r.model.vocab > 0 && id >= r.model.vocab))
      rd.fail("tensor \"input_ids\" holds " + std::to_string(id) + ", outside the vocabulary");
  if (const TensorView* m = rd.file().find("attention_mask")) {
    rd.check(*m, DType::I64, 2);
    rd.expectShape(*m, {B, T});
    r.attentionMask = rd.longs(*m);
    for (int64_t v : r.attentionMask)
      if (v != 0 && v != 1) rd.fail("tensor \"attention_mask\" must hold 0 and 1");
  } else {
    r.attentionMask.assign(static_cast<std::size_t>(B) * T, 1);
  }
  if (const TensorView* t = rd.file().find("token_type_ids")) {
    rd.check(*t, DType::I64, 2);
    rd.expectShape(*t, {B, T});
    r.tokenTypeIds = rd.longs(*t);
  }
  r.layout = readLayout(rd, B, T);
  r.tokens = readStrings(rd, "tokens", static_cast<std::size_t>(B) * T, false);
  if (r.tokens.empty())
    for (int64_t id : r.inputIds) r.tokens.push_back(id < 0 ? "<soft>" : "#" + std::to_string(id));

  if (const TensorView* l = rd.file().find("logits")) {
    rd.check(*l, DType::F32, 3);
    if (l->shape[0] != B || (l->shape[1] != T && l->shape[1] != 1) || l->shape[2] < 1 ||
        (r.model.vocab > 0 && l->shape[2] != r.model.vocab))
      rd.fail("tensor \"logits\" has shape " + Reader::shapeOf(*l) + ", expected [" +
              std::to_string(B) + ", " + std::to_string(T) + " or 1, vocabulary]");
    r.logitRows = static_cast<int>(l->shape[1]);
    if (r.model.vocab == 0) r.model.vocab = l->shape[2];
    r.logits.resize(static_cast<std::size_t>(l->numel()));
    std::memcpy(r.logits.data(), l->data, r.logits.size() * sizeof(float));
    r.model.lmHead = true;
  }

  // Generated tokens first: the step attentions are checked against their count.
  int generated = 0;
  if (const TensorView* g = rd.file().find("generated_ids")) {
    rd.check(*g, DType::I64, 2);
    if (g->shape[0] != B || g->shape[1] < 1 || g->shape[1] > kMaxPositions)
      rd.fail("tensor \"generated_ids\" has shape " + Reader::shapeOf(*g));
    generated = static_cast<int>(g->shape[1]);
    r.generatedIds = rd.longs(*g);
  }
  r.generated = generated;
  r.stepAttentions.resize(static_cast<std::size_t>(generated));

  int heads = 0, queries = -1;
  std::vector<int> positions;
  for (const TensorView& t : rd.file().tensors()) {
    const std::string& name = t.name;
    int step = -1, layer = -1;
    if (name.rfind("attentions.", 0) == 0) {
      layer = parseIndex(std::string_view(name).substr(11));
      if (layer < 0) rd.fail("tensor \"" + name + "\" does not name a layer");
    } else if (name.rfind("generation.", 0) == 0) {
      const std::string rest = name.substr(11);
      const auto dot = rest.find(".attentions.");
      step = dot == std::string::npos ? -1 : parseIndex(std::string_view(rest).substr(0, dot));
      layer = dot == std::string::npos ? -1 : parseIndex(std::string_view(rest).substr(dot + 12));
      if (step < 0 || layer < 0) rd.fail("tensor \"" + name + "\" does not name a step and a layer");
      if (step >= generated)
        rd.fail("tensor \"" + name + "\" is for step " + std::to_string(step) + " but " +
                std::to_string(generated) + " tokens were generated");
    } else {
      continue;  // other tensors (logits, ids, ...) were read above
    }
    if (r.model.layers > 0 && layer >= r.model.layers)
      rd.fail("tensor \"" + name + "\" is for layer " + std::to_string(layer) + " of a model of " +
              std::to_string(r.model.layers));
    rd.check(t, DType::F32, 4);
    if (t.shape[0] != B || t.shape[1] < 1 || t.shape[1] > kMaxLayers || t.shape[2] < 1)
      rd.fail("tensor \"" + name + "\" has shape " + Reader::shapeOf(t));
    if (heads == 0) heads = static_cast<int>(t.shape[1]);
    if (t.shape[1] != heads) rd.fail("tensor \"" + name + "\" has another number of heads");
    AttentionTensor a;
    a.layer = layer;
    a.batch = B;
    a.heads = heads;
    if (step < 0) {
      if (t.shape[3] != T || t.shape[2] > T)
        rd.fail("tensor \"" + name + "\" has shape " + Reader::shapeOf(t) + ", expected [" +
                std::to_string(B) + ", H, rows, " + std::to_string(T) + "]");
      if (queries < 0) {
        queries = static_cast<int>(t.shape[2]);
        positions = readQueryPositions(rd, B, T, queries, r.attentionMask);
      }
      if (t.shape[2] != queries) rd.fail("tensor \"" + name + "\" keeps another number of rows");
      a.queries = queries;
      a.keys = T;
      a.queryPositions = positions;
    } else {
      rd.expectShape(t, {B, heads, 1, int64_t(T) + step});
      a.queries = 1;
      a.keys = T + step;
      a.queryPositions = {step == 0 ? T - 1 : T + step - 1};
    }
    a.f32 = rd.weights(t);
    auto& list = step < 0 ? r.attentions : r.stepAttentions[static_cast<std::size_t>(step)];
    for (const AttentionTensor& other : list)
      if (other.layer == layer) rd.fail("tensor \"" + name + "\" appears twice");
    list.push_back(std::move(a));
  }
  auto byLayer = [](const AttentionTensor& x, const AttentionTensor& y) { return x.layer < y.layer; };
  std::sort(r.attentions.begin(), r.attentions.end(), byLayer);
  for (auto& step : r.stepAttentions) std::sort(step.begin(), step.end(), byLayer);
  if (r.model.heads == 0) r.model.heads = heads;
  if (r.model.layers == 0 && !r.attentions.empty()) r.model.layers = r.attentions.back().layer + 1;

  readAnalyses(rd, r);

  if (generated > 0) {
    r.generatedTokens = readStrings(rd, "generated_tokens", static_cast<std::size_t>(generated), false);
    const json text = rd.meta("generated_text", false);
    if (text.is_string()) r.generatedText = text.get<std::string>();
    if (r.generatedTokens.empty())
      for (int s = 0; s < generated; ++s) r.generatedTokens.push_back("#" + std::to_string(r.generatedIds[static_cast<std::size_t>(s)]));
  }
  return r;
}

}  // namespace attnx
