// stats.json of a dataset run: {"meta", "examples", "groups"}. Every field of ExampleStats is
// written so that the file reopens without the model; groups are derived data, written for other
// tools and recomputed on reading. Floats are written in their shortest round-trip form (about
// 9 digits instead of 17), which keeps the file small enough to rewrite after every example and
// still reads back bit for bit.
#include "dataset_results.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "atomic_file.h"
#include "error.h"

namespace attnx {

using nlohmann::json;

std::vector<RunSetting> differingSettings(const DatasetSettings& a, const DatasetSettings& b) {
  std::vector<RunSetting> d;
  auto add = [&](bool differs, RunSetting s) {
    if (differs) d.push_back(s);
  };
  add(a.modelDir != b.modelDir, RunSetting::ModelDir);
  add(a.examplesFile != b.examplesFile, RunSetting::ExamplesFile);
  add(a.softTokenFile != b.softTokenFile, RunSetting::SoftTokenFile);
  add(a.anchor != b.anchor, RunSetting::Anchor);
  add(a.bosAfterSoft != b.bosAfterSoft, RunSetting::BosAfterSoft);
  add(a.predictionField != b.predictionField, RunSetting::PredictionField);
  add(a.query != b.query, RunSetting::Query);
  add(a.correctness != b.correctness, RunSetting::Correctness);
  add(a.f1Threshold != b.f1Threshold, RunSetting::F1Threshold);
  add(a.maxNewTokens != b.maxNewTokens, RunSetting::MaxNewTokens);
  add(a.shard != b.shard || a.shards != b.shards, RunSetting::Shard);
  return d;
}

std::pair<int, int> shardRange(int total, int shard, int shards) {
  if (shards < 1 || shard < 1 || shard > shards) return {0, 0};
  const auto at = [&](int k) { return static_cast<int>(static_cast<int64_t>(total) * k / shards); };
  return {at(shard - 1), at(shard)};
}

DatasetResults mergeShards(const std::vector<DatasetResults>& shards,
                           const std::vector<std::string>& names) {
  if (shards.empty()) throw Error("no shards to merge");
  const DatasetResults& first = shards.front();
  const int n = first.settings.shards;
  std::vector<int> seen(static_cast<std::size_t>(n) + 1, -1);
  auto shardName = [](const DatasetSettings& s) {
    return "shard " + std::to_string(s.shard) + "/" + std::to_string(s.shards);
  };
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const DatasetResults& r = shards[i];
    const std::string& name = names.at(i);
    if (r.settings.shards != n)
      throw Error(name + " is " + shardName(r.settings) + ", " + names[0] + " " +
                  shardName(first.settings) + ": shards of different runs");
    DatasetSettings a = r.settings, b = first.settings;
    a.shard = b.shard = 1;
    const std::vector<RunSetting> differ = differingSettings(a, b);
    if (!differ.empty() || r.total != first.total)
      throw Error(name + " was made with other settings than " + names[0] +
                  (r.total != first.total
                       ? " (another examples file: " + std::to_string(r.total) + " examples, not " +
                             std::to_string(first.total) + ")"
                       : std::string()) +
                  "; merge the shards of one run");
    if (r.model.dir != first.model.dir || r.model.family != first.model.family ||
        r.model.dtype != first.model.dtype ||
        r.model.provenance.configSha256 != first.model.provenance.configSha256 ||
        r.model.provenance.weights.sha256 != first.model.provenance.weights.sha256)
      throw Error(name + " was made with another model or dtype than " + names[0]);
    const int k = r.settings.shard;
    if (seen[static_cast<std::size_t>(k)] >= 0)
      throw Error(name + " and " + names[static_cast<std::size_t>(seen[k])] + " are both " +
                  shardName(r.settings) + ": each shard once");
    seen[static_cast<std::size_t>(k)] = static_cast<int>(i);
    if (!r.complete())
      throw Error(name + " is unfinished (" + std::to_string(r.examples.size()) + " of " +
                  std::to_string(r.expected()) +
                  " examples); run its attnx analyze again to continue it");
    const auto [begin, end] = shardRange(r.total, k, n);
    for (const ExampleStats& e : r.examples)
      if (e.index < begin || e.index >= end)
        throw Error(name + " holds example " + std::to_string(e.index) + " (" + e.id +
                    "), which is not in " + shardName(r.settings));
  }
  for (int k = 1; k <= n; ++k)
    if (seen[static_cast<std::size_t>(k)] < 0)
      throw Error("shard " + std::to_string(k) + "/" + std::to_string(n) +
                  " is missing; give every shard's folder");

  DatasetResults merged;
  merged.settings = first.settings;
  merged.settings.shard = merged.settings.shards = 1;
  merged.model = first.model;
  merged.total = first.total;
  for (int k = 1; k <= n; ++k) {
    const DatasetResults& r = shards[static_cast<std::size_t>(seen[static_cast<std::size_t>(k)])];
    merged.examples.insert(merged.examples.end(), r.examples.begin(), r.examples.end());
    merged.seconds += r.seconds;
  }
  return merged;
}

bool sameRunSettings(const DatasetSettings& a, const DatasetSettings& b) {
  return differingSettings(a, b).empty();
}

namespace {

constexpr const char* kFormat = "attnx-dataset-stats";
constexpr int kFormatVersion = 1;

// ---- writing ----

// The double nearest to the float's shortest decimal form; NaN (a broken model's output) as null.
json number(float v) {
  if (!std::isfinite(v)) return nullptr;
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  double d = 0;
  std::from_chars(buf, res.ptr, d);
  return d;
}

json gridJson(const LayerHeadGrid& g) {
  json rows = json::array();
  for (const auto& row : g) {
    json r = json::array();
    for (float v : row) r.push_back(number(v));
    rows.push_back(std::move(r));
  }
  return rows;
}

json orNull(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

// Kinds written for an example: the four of the guide always, the others when they occur.
std::vector<SegmentKind> writtenKinds(const ExampleStats& e) {
  std::vector<SegmentKind> out = {SegmentKind::Soft, SegmentKind::Bos, SegmentKind::Anchor,
                                  SegmentKind::Text};
  for (SegmentKind k : {SegmentKind::Special, SegmentKind::Generated, SegmentKind::Pad}) {
    bool used = false;
    for (const auto& s : e.layout) used = used || (s.kind == k && s.size() > 0);
    for (const auto& row : e.of(k))
      for (float v : row) used = used || v != 0.0f;
    if (used) out.push_back(k);
  }
  return out;
}

json exampleJson(const ExampleStats& e) {
  json layout = json::array();
  for (const auto& s : e.layout)
    layout.push_back(
        {{"kind", std::string(segmentKindName(s.kind))}, {"begin", s.begin}, {"end", s.end}});
  json mass = json::object();
  for (SegmentKind k : writtenKinds(e)) mass[std::string(segmentKindName(k))] = gridJson(e.of(k));
  json firstToken = {{"id", e.firstTokenId},
                     {"token", e.firstToken},
                     {"prob", number(e.firstTokenProb)},
                     {"correct", e.firstTokenCorrect ? json(*e.firstTokenCorrect) : json(nullptr)}};
  return {{"index", e.index},
          {"id", e.id},
          {"correct", e.correct},
          {"correct_source", e.correctSource},
          {"em", orNull(e.em)},
          {"f1", orNull(e.f1)},
          {"prediction", e.prediction},
          {"prediction_generated", e.predictionGenerated},
          {"first_token", std::move(firstToken)},
          {"query_position", e.queryPosition},
          {"seq_len", e.seqLen},
          {"layout", std::move(layout)},
          {"layers", e.layers},
          {"mass", std::move(mass)},
          {"entropy", gridJson(e.entropy)},
          {"collapse", e.collapse},
          {"anchor_dominance", e.anchorDominance}};
}

json groupJson(const GroupStats& g, const std::vector<ExampleStats>& examples,
               const std::vector<SegmentKind>& kinds) {
  json ids = json::array();
  for (int i : g.members) ids.push_back(examples[static_cast<std::size_t>(i)].id);
  json out = {{"n", g.n()},
              {"ids", std::move(ids)},
              {"layers", g.layers},
              {"accuracy", orNull(g.accuracy)},
              {"first_token_accuracy", orNull(g.firstTokenAccuracy)},
              {"mean_em", orNull(g.meanEm)},
              {"mean_f1", orNull(g.meanF1)},
              {"collapse_fraction", g.collapseFraction},
              {"anchor_dominance_fraction", g.anchorDominanceFraction}};
  json mean = json::object(), stdev = json::object();
  for (SegmentKind k : kinds) {
    const std::string name(segmentKindName(k));
    mean[name] = gridJson(g.massMean[kindIndex(k)]);
    stdev[name] = gridJson(g.massStd[kindIndex(k)]);
    json byLayer = {{"mean", json::array()}, {"ci95", json::array()}};
    for (const MeanCi& m : g.byLayer[kindIndex(k)]) {
      byLayer["mean"].push_back(number(m.mean));
      byLayer["ci95"].push_back({number(m.lo), number(m.hi)});
    }
    out[name + "_by_layer"] = std::move(byLayer);
  }
  out["mass_mean"] = std::move(mean);
  out["mass_std"] = std::move(stdev);
  out["entropy_mean"] = gridJson(g.entropyMean);
  return out;
}

json settingsJson(const DatasetSettings& s) {
  return {{"model_dir", s.modelDir},
          {"examples_file", s.examplesFile},
          {"soft_tokens", s.softTokenFile},
          {"anchor", s.anchor},
          {"bos_after_soft", s.bosAfterSoft},
          {"prediction_field", s.predictionField},
          {"query", s.query},
          {"correctness", s.correctness},
          {"f1_threshold", s.f1Threshold},
          {"max_new_tokens", s.maxNewTokens},
          {"no_soft_tokens", s.noSoftTokens},
          {"shard", {s.shard, s.shards}}};
}

json modelJson(const ModelInfo& m) {
  return {{"dir", m.dir},
          {"family", m.family},
          {"encoder", m.encoder},
          {"layers", m.layers},
          {"heads", m.heads},
          {"kv_heads", m.kvHeads},
          {"hidden", m.hidden},
          {"head_dim", m.headDim},
          {"vocab", m.vocab},
          {"max_positions", m.maxPositions},
          {"parameters", m.parameters},
          {"weight_bytes", m.weightBytes},
          {"device", m.device},
          {"dtype", m.dtype}};
}

// ---- reading ----

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw Error(path_ + ": " + where + " " + what + " (not a stats.json of attnx analyze?)");
  }

  const json& at(const json& obj, const char* key, const std::string& where) const {
    if (!obj.is_object()) fail(where, "must be an object");
    auto it = obj.find(key);
    if (it == obj.end()) fail(where, std::string("has no \"") + key + "\"");
    return *it;
  }
  std::string str(const json& obj, const char* key, const std::string& where) const {
    const json& v = at(obj, key, where);
    if (!v.is_string()) fail(where + "." + key, "must be a string");
    return v.get<std::string>();
  }
  bool boolean(const json& obj, const char* key, const std::string& where) const {
    const json& v = at(obj, key, where);
    if (!v.is_boolean()) fail(where + "." + key, "must be true or false");
    return v.get<bool>();
  }
  int64_t integer(const json& v, const std::string& where) const {
    if (!v.is_number_integer()) fail(where, "must be an integer");
    return v.get<int64_t>();
  }
  int int32(const json& obj, const char* key, const std::string& where) const {
    const int64_t v = integer(at(obj, key, where), where + "." + key);
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
      fail(where + "." + key, "is out of range");
    return static_cast<int>(v);
  }
  double real(const json& v, const std::string& where) const {
    if (!v.is_number()) fail(where, "must be a number");
    return v.get<double>();
  }
  std::optional<double> optReal(const json& obj, const char* key, const std::string& where) const {
    const json& v = at(obj, key, where);
    if (v.is_null()) return std::nullopt;
    return real(v, where + "." + key);
  }
  float flt(const json& v, const std::string& where) const {
    if (v.is_null()) return std::numeric_limits<float>::quiet_NaN();
    return static_cast<float>(real(v, where));
  }
  // A [rows][cols] grid; cols < 0: any, taken from the first row.
  LayerHeadGrid grid(const json& v, const std::string& where, std::size_t rows, int cols) const {
    if (!v.is_array() || v.size() != rows)
      fail(where, "must be a list of " + std::to_string(rows) + " rows");
    LayerHeadGrid g(rows);
    for (std::size_t l = 0; l < rows; ++l) {
      const json& row = v[l];
      const std::string w = where + "[" + std::to_string(l) + "]";
      if (!row.is_array() || (cols >= 0 && row.size() != static_cast<std::size_t>(cols)))
        fail(w, "must be a list of " + std::to_string(cols) + " numbers");
      for (std::size_t h = 0; h < row.size(); ++h)
        g[l].push_back(flt(row[h], w + "[" + std::to_string(h) + "]"));
    }
    return g;
  }

 private:
  std::string path_;
};

DatasetSettings readSettings(const Reader& r, const json& j) {
  const std::string w = "meta.settings";
  DatasetSettings s;
  s.modelDir = r.str(j, "model_dir", w);
  s.examplesFile = r.str(j, "examples_file", w);
  s.softTokenFile = r.str(j, "soft_tokens", w);
  s.anchor = r.str(j, "anchor", w);
  s.bosAfterSoft = r.boolean(j, "bos_after_soft", w);
  s.predictionField = r.str(j, "prediction_field", w);
  s.query = r.int32(j, "query", w);
  s.correctness = r.str(j, "correctness", w);
  s.f1Threshold = r.real(r.at(j, "f1_threshold", w), w + ".f1_threshold");
  s.maxNewTokens = r.int32(j, "max_new_tokens", w);
  // Written since the examples' soft_index is checked; older files lack it.
  s.noSoftTokens = j.contains("no_soft_tokens") && r.boolean(j, "no_soft_tokens", w);
  // [K, N]; files of unsharded runs written before sharding lack it.
  if (j.contains("shard")) {
    const json& k = j.at("shard");
    if (!k.is_array() || k.size() != 2 || !k[0].is_number_integer() || !k[1].is_number_integer() ||
        k[1].get<int64_t>() < 1 || k[1].get<int64_t>() > 100000 || k[0].get<int64_t>() < 1 ||
        k[0].get<int64_t>() > k[1].get<int64_t>())
      r.fail(w + ".shard", "must be [K, N] with 1 <= K <= N");
    s.shard = k[0].get<int>();
    s.shards = k[1].get<int>();
  }
  return s;
}

ModelInfo readModel(const Reader& r, const json& j) {
  const std::string w = "meta.model";
  ModelInfo m;
  m.dir = r.str(j, "dir", w);
  m.family = r.str(j, "family", w);
  m.encoder = r.boolean(j, "encoder", w);
  m.layers = r.int32(j, "layers", w);
  m.heads = r.int32(j, "heads", w);
  m.kvHeads = r.int32(j, "kv_heads", w);
  m.hidden = r.int32(j, "hidden", w);
  m.headDim = r.int32(j, "head_dim", w);
  m.vocab = r.integer(r.at(j, "vocab", w), w + ".vocab");
  m.maxPositions = r.int32(j, "max_positions", w);
  m.parameters = r.integer(r.at(j, "parameters", w), w + ".parameters");
  const int64_t bytes = r.integer(r.at(j, "weight_bytes", w), w + ".weight_bytes");
  if (bytes < 0) r.fail(w + ".weight_bytes", "is negative");
  m.weightBytes = static_cast<std::size_t>(bytes);
  m.device = r.str(j, "device", w);
  m.dtype = r.str(j, "dtype", w);
  return m;
}

ExampleStats readExample(const Reader& r, const json& j, const std::string& w, int heads) {
  ExampleStats e;
  e.index = r.int32(j, "index", w);
  e.id = r.str(j, "id", w);
  e.correct = r.boolean(j, "correct", w);
  e.correctSource = r.str(j, "correct_source", w);
  e.em = r.optReal(j, "em", w);
  e.f1 = r.optReal(j, "f1", w);
  e.prediction = r.str(j, "prediction", w);
  e.predictionGenerated = r.boolean(j, "prediction_generated", w);
  const json& ft = r.at(j, "first_token", w);
  const std::string wf = w + ".first_token";
  e.firstTokenId = r.integer(r.at(ft, "id", wf), wf + ".id");
  e.firstToken = r.str(ft, "token", wf);
  e.firstTokenProb = r.flt(r.at(ft, "prob", wf), wf + ".prob");
  const json& ftc = r.at(ft, "correct", wf);
  if (!ftc.is_null()) {
    if (!ftc.is_boolean()) r.fail(wf + ".correct", "must be true, false or null");
    e.firstTokenCorrect = ftc.get<bool>();
  }
  e.queryPosition = r.int32(j, "query_position", w);
  e.seqLen = r.int32(j, "seq_len", w);
  if (e.seqLen < 1 || e.queryPosition < 0 || e.queryPosition >= e.seqLen)
    r.fail(w + ".query_position",
           "is outside the example's " + std::to_string(e.seqLen) + " positions");
  const json& layout = r.at(j, "layout", w);
  if (!layout.is_array()) r.fail(w + ".layout", "must be a list");
  for (std::size_t i = 0; i < layout.size(); ++i) {
    const std::string ws = w + ".layout[" + std::to_string(i) + "]";
    const auto kind = segmentKindFromName(r.str(layout[i], "kind", ws));
    if (!kind) r.fail(ws + ".kind", "is not a segment kind");
    Segment s{*kind, r.int32(layout[i], "begin", ws), r.int32(layout[i], "end", ws)};
    if (s.begin < 0 || s.end < s.begin || s.end > e.seqLen) r.fail(ws, "is out of range");
    e.layout.push_back(s);
  }
  const json& layers = r.at(j, "layers", w);
  if (!layers.is_array() || layers.empty()) r.fail(w + ".layers", "must be a non-empty list");
  for (std::size_t i = 0; i < layers.size(); ++i)
    e.layers.push_back(static_cast<int>(r.integer(layers[i], w + ".layers")));
  const std::size_t L = e.layers.size();
  const json& mass = r.at(j, "mass", w);
  if (!mass.is_object()) r.fail(w + ".mass", "must be an object");
  for (auto it = mass.begin(); it != mass.end(); ++it) {
    const auto kind = segmentKindFromName(it.key());
    if (!kind) r.fail(w + ".mass", "has an unknown segment kind \"" + it.key() + "\"");
    e.mass[kindIndex(*kind)] = r.grid(*it, w + ".mass." + it.key(), L, heads);
  }
  e.entropy = r.grid(r.at(j, "entropy", w), w + ".entropy", L, heads);
  const int H = static_cast<int>(e.entropy.front().size());
  // Kinds left out of the file hold no attention: zeros of the same shape.
  for (auto& g : e.mass) {
    if (g.empty()) g.assign(L, std::vector<float>(static_cast<std::size_t>(H), 0.0f));
    for (const auto& row : g)
      if (row.size() != static_cast<std::size_t>(H))
        r.fail(w + ".mass", "rows differ in their number of heads");
  }
  e.collapse = r.boolean(j, "collapse", w);
  e.anchorDominance = r.boolean(j, "anchor_dominance", w);
  return e;
}

}  // namespace

void writeResultsJson(const std::string& path, const DatasetResults& results) {
  json meta = {{"format", kFormat},
               {"format_version", kFormatVersion},
               {"app_version", ATTNX_VERSION},
               {"settings", settingsJson(results.settings)},
               {"model", modelJson(results.model)},
               {"total", results.total},
               {"done", results.examples.size()},
               {"complete", results.complete()},
               {"seconds", results.seconds}};
  json examples = json::array();
  std::vector<SegmentKind> kinds = {SegmentKind::Soft, SegmentKind::Bos, SegmentKind::Anchor,
                                    SegmentKind::Text};
  for (const auto& e : results.examples) {
    examples.push_back(exampleJson(e));
    for (SegmentKind k : writtenKinds(e))
      if (std::find(kinds.begin(), kinds.end(), k) == kinds.end()) kinds.push_back(k);
  }
  json groups = json::object();
  const auto& ex = results.examples;
  groups["correct"] = groupJson(computeGroup(ex, correctMembers(ex, true), "correct"), ex, kinds);
  groups["incorrect"] =
      groupJson(computeGroup(ex, correctMembers(ex, false), "incorrect"), ex, kinds);
  std::vector<int> all(ex.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
  groups["all"] = groupJson(computeGroup(ex, all, "all"), ex, kinds);
  json doc = {
      {"meta", std::move(meta)}, {"examples", std::move(examples)}, {"groups", std::move(groups)}};
  writeFileAtomically(path, doc.dump() + "\n");
}

DatasetResults readResultsJson(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open the results file");
  std::stringstream ss;
  ss << in.rdbuf();
  json doc;
  try {
    doc = json::parse(ss.str());
  } catch (const json::exception& e) {  // parse_error; out_of_range for 1e999
    throw Error(path + ": broken JSON (" + std::string(e.what()) + ")");
  }
  const Reader r(path);
  const json& meta = r.at(doc, "meta", "the file");
  if (r.str(meta, "format", "meta") != kFormat) r.fail("meta.format", "is not attnx-dataset-stats");
  const int version = r.int32(meta, "format_version", "meta");
  if (version != kFormatVersion)
    r.fail("meta.format_version", std::to_string(version) + " is not supported by this attnx");
  DatasetResults res;
  res.settings = readSettings(r, r.at(meta, "settings", "meta"));
  res.model = readModel(r, r.at(meta, "model", "meta"));
  res.total = r.int32(meta, "total", "meta");
  res.seconds = r.real(r.at(meta, "seconds", "meta"), "meta.seconds");
  if (res.total < 0) r.fail("meta.total", "is negative");
  const json& examples = r.at(doc, "examples", "the file");
  if (!examples.is_array()) r.fail("examples", "must be a list");
  if (examples.size() > static_cast<std::size_t>(res.total))
    r.fail("examples", "holds more than meta.total examples");
  const int heads = res.model.heads > 0 ? res.model.heads : -1;
  for (std::size_t i = 0; i < examples.size(); ++i) {
    ExampleStats e = readExample(r, examples[i], "examples[" + std::to_string(i) + "]", heads);
    if (e.index < 0 || e.index >= res.total)
      r.fail("examples[" + std::to_string(i) + "].index",
             "is outside 0.." + std::to_string(res.total - 1));
    if (!res.examples.empty() && e.index <= res.examples.back().index)
      r.fail("examples[" + std::to_string(i) + "].index", "is not in increasing order");
    res.examples.push_back(std::move(e));
  }
  return res;
}

}  // namespace attnx
