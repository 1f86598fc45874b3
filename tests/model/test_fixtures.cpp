// Every case of the reference fixtures (Hugging Face transformers, eager attention, float32) run
// through attnx::Model and compared within the manifest's tolerances, plus the capture policies.
#include <cstdio>
#include <map>
#include <set>

#include "attention_tile.h"
#include "check.h"
#include "fixtures.h"
#include "half.h"
#include "model.h"
#include "tolerance.h"

using namespace attnx;
using namespace attnx::fixtures;
using nlohmann::json;

namespace {

LoadOptions cpuFloat32() {
  LoadOptions o;
  o.device = "cpu";
  o.dtype = "float32";
  return o;
}

std::unique_ptr<Model> loadFixtureModel(const std::string& name, int attentionBlock = 0) {
  LoadOptions o = cpuFloat32();
  o.attentionBlock = attentionBlock;
  return Model::load(fixturesDir() + "/models/" + name, o);
}

// The batch a case feeds to transformers, as a BatchInput.
struct CaseInput {
  BatchInput batch;
  std::vector<int64_t> promptIds;  // in.input_ids as given (without soft positions)
  int generate = 0;
};

CaseInput caseInput(const json& c, const SafetensorsFile& f) {
  CaseInput ci;
  BatchInput& in = ci.batch;
  const TensorView& ids = f.at("in.input_ids");
  in.batch = static_cast<int>(ids.shape[0]);
  const int T0 = static_cast<int>(ids.shape[1]);
  ci.promptIds = longs(ids);
  if (c.at("kind") == "inputs_embeds_soft_prefix") {
    // inputs_embeds = cat(soft_prefix, embed(input_ids)): soft rows occupy the first M positions.
    const int M = c.at("prefix_len").get<int>();
    const TensorView& soft = f.at("in.soft_prefix");
    CHECK_EQ(soft.shape[1], M);
    in.seqLen = M + T0;
    for (int b = 0; b < in.batch; ++b) {
      for (int t = 0; t < M; ++t) in.ids.push_back(0), in.softMask.push_back(1);
      for (int t = 0; t < T0; ++t)
        in.ids.push_back(ci.promptIds[static_cast<std::size_t>(b * T0 + t)]),
            in.softMask.push_back(0);
    }
    in.softRows = floats(soft);
  } else {
    in.seqLen = T0;
    in.ids = ci.promptIds;
  }
  if (const auto* m = f.find("in.attention_mask")) in.attentionMask = longs(*m);
  if (const auto* p = f.find("in.position_ids")) in.positionIds = longs(*p);
  if (const auto* t = f.find("in.token_type_ids")) in.tokenTypeIds = longs(*t);
  if (c.at("kind") == "greedy_generate") ci.generate = c.at("max_new_tokens").get<int>();
  return ci;
}

std::string groupOf(const std::string& key) {
  if (key.rfind("hidden_states.", 0) == 0) return "hidden_states";
  if (key.rfind("attentions.step", 0) == 0) return "step_attentions";
  if (key.rfind("attentions.", 0) == 0) return "attentions";
  return key;
}

std::vector<float> attentionFloats(const AttentionTensor& a) {
  std::vector<float> out(a.f32.size() + a.f16.size());
  for (int b = 0; b < a.batch; ++b)
    for (int h = 0; h < a.heads; ++h)
      for (int q = 0; q < a.queries; ++q)
        for (int k = 0; k < a.keys; ++k) out[a.index(b, h, q, k)] = a.at(b, h, q, k);
  return out;
}

const AttentionTensor& layerOf(const std::vector<AttentionTensor>& v, int layer) {
  for (const auto& a : v)
    if (a.layer == layer) return a;
  throw check::Failure{"no captured attention for layer " + std::to_string(layer)};
}

// [B,H,1,T] rows of a reference [B,H,T,T]: batch row b's query row position(b).
template <class Position>
std::vector<float> refRows(const std::vector<float>& ref, int B, int H, int T, Position position) {
  std::vector<float> rows;
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < H; ++h) {
      const auto first = ref.begin() + ((b * H + h) * T + position(b)) * T;
      rows.insert(rows.end(), first, first + T);
    }
  return rows;
}

// Which attention a case runs through: full matrices (every row's softmax), or the memory-lean
// tiles with an online softmax (last-row capture; the fixtures' matrices are compared by the rows
// it keeps).
enum class Path { Full, Lean };

// Runs one manifest case and checks every output it lists.
void runCase(const Model& model, const json& c, Path path) {
  const std::string name = c.at("name");
  const auto f = SafetensorsFile::open(fixturesDir() + "/" + c.at("file").get<std::string>());
  CaseInput ci = caseInput(c, f);
  const BatchInput& in = ci.batch;
  CapturePolicy policy;
  policy.hiddenStates = true;
  policy.stepLogits = true;
  if (path == Path::Lean) policy.rows = CapturePolicy::Rows::LastRow;
  const RunResult r = model.run(in, policy, ci.generate);

  const int B = in.batch, T = in.seqLen, L = model.info().layers, H = model.info().heads;
  const int V = static_cast<int>(model.info().vocab), d = model.info().hidden;
  // compare_only: query positions with attention_mask == 1.
  auto valid = [&](int b, int q) {
    return in.attentionMask.empty() || in.attentionMask[static_cast<std::size_t>(b * T + q)] == 1;
  };
  std::map<std::string, double> maxDiff;
  auto expect = [&](const std::string& key, const Diff& diff) {
    maxDiff[groupOf(key)] = std::max(maxDiff[groupOf(key)], diff.maxAbs);
    CHECK_MSG(diff.ok(), name << " " << key << ": " << diff.bad << " of " << diff.compared
                              << " values outside tolerance, first " << diff.firstBad
                              << " (max |diff| " << diff.maxAbs << ")");
  };

  // The prompt pass's attention of layer l: every valid row on the full path, each batch row's
  // kept row on the lean one.
  auto expectAttention = [&](const std::string& key, int l, const std::vector<float>& ref) {
    const AttentionTensor& mine = layerOf(r.attentions, l);
    if (path == Path::Full) {
      expect(key, compareRows(attentionFloats(mine), ref, B, H, T, T,
                              fixtures::tolerance(c, "attentions"), valid));
      return;
    }
    CHECK_EQ(mine.queries, 1);
    expect(key, compareRows(attentionFloats(mine),
                            refRows(ref, B, H, T, [&](int b) { return mine.queryPosition(b, 0); }),
                            B, H, 1, T, fixtures::tolerance(c, "attentions")));
  };

  for (const auto& [key, spec] : c.at("outputs").items()) {
    const std::vector<float> ref =
        key == "sequences" ? std::vector<float>{} : floats(f.at("out." + key));
    if (key == "logits") {
      CHECK_EQ(r.logitRows, T);
      expect(key, compareRows(r.logits, ref, B, 1, T, V, fixtures::tolerance(c, "logits"), valid));
    } else if (key == "last_hidden_state") {
      CHECK_EQ(static_cast<int>(r.hiddenStates.size()), L + 1);
      expect(key, compareRows(r.hiddenStates[static_cast<std::size_t>(L)], ref, B, 1, T, d,
                              fixtures::tolerance(c, "last_hidden_state"), valid));
    } else if (key.rfind("hidden_states.", 0) == 0) {
      const int i = std::stoi(key.substr(14));
      CHECK(i >= 0 && i <= L);
      expect(key, compareRows(r.hiddenStates[static_cast<std::size_t>(i)], ref, B, 1, T, d,
                              fixtures::tolerance(c, "hidden_states"), valid));
    } else if (key == "pooler_output") {
      expect(key, compareRows(r.pooled, ref, B, 1, 1, d, fixtures::tolerance(c, "pooler_output")));
    } else if (key == "sequences") {
      const auto seq = longs(f.at("out.sequences"));
      const int N = ci.generate;
      CHECK_EQ(r.generated, N);
      const int T0 = static_cast<int>(ci.promptIds.size()) / B;
      CHECK_EQ(static_cast<int>(seq.size()), B * (T0 + N));
      for (int b = 0; b < B; ++b)
        for (int s = 0; s < N; ++s)
          CHECK_MSG(seq[static_cast<std::size_t>(b * (T0 + N) + T0 + s)] ==
                        r.generatedIds[static_cast<std::size_t>(b * N + s)],
                    name << " generated token " << s << " of row " << b << ": "
                         << r.generatedIds[static_cast<std::size_t>(b * N + s)] << " vs "
                         << seq[static_cast<std::size_t>(b * (T0 + N) + T0 + s)]);
    } else if (key == "step_logits") {
      expect(key, compareRows(r.stepLogits, ref, B, 1, ci.generate, V,
                              fixtures::tolerance(c, "step_logits")));
    } else if (key.rfind("attentions.step", 0) == 0) {
      const auto dot = key.find('.', 15);
      const int s = std::stoi(key.substr(15, dot - 15)), l = std::stoi(key.substr(dot + 1));
      CHECK(s >= 0 && s < r.generated);
      const auto& mine = layerOf(r.stepAttentions[static_cast<std::size_t>(s)], l);
      if (s == 0) {
        // The fixture keeps the whole prompt pass [B,H,T,T]: its full matrix against the
        // prompt-pass capture, its last row (the last valid query: T-1 with left padding)
        // against step 0.
        expectAttention(key, l, ref);
        CHECK_EQ(mine.queries, 1);
        expect(key,
               compareRows(attentionFloats(mine), refRows(ref, B, H, T, [&](int) { return T - 1; }),
                           B, H, 1, T, fixtures::tolerance(c, "attentions")));
      } else {
        CHECK_EQ(mine.keys, T + s);
        expect(key, compareRows(attentionFloats(mine), ref, B, H, 1, T + s,
                                fixtures::tolerance(c, "attentions")));
      }
    } else if (key.rfind("attentions.", 0) == 0) {
      expectAttention(key, std::stoi(key.substr(11)), ref);
    } else {
      CHECK_MSG(false, name << ": output '" << key << "' is not checked by this test");
    }
  }
  std::printf("  %-36s", name.c_str());
  for (const auto& [group, v] : maxDiff) std::printf(" %s %.2e", group.c_str(), v);
  std::printf("\n");
}

void runModel(const std::string& name) {
  const json m = manifest();
  const json& entry = m.at("models").at(name);
  auto model = loadFixtureModel(name);
  CHECK_EQ(model->info().family, entry.at("arch").get<std::string>());
  CHECK_EQ(model->info().parameters, entry.at("num_parameters").get<int64_t>());
  std::printf("%s (max |ours - transformers| per quantity)\n", name.c_str());
  for (const auto& c : entry.at("cases")) runCase(*model, c, Path::Full);
  // Tiles of 3 queries x 3 keys: the cases' 5 to 20 tokens span several tiles, some inside the
  // causal band, some on its diagonal, some past the sliding window, with padding and soft rows.
  std::printf("%s, memory-lean attention in tiles of 3 (last-row capture)\n", name.c_str());
  auto tiled = loadFixtureModel(name, 3);
  for (const auto& c : entry.at("cases")) runCase(*tiled, c, Path::Lean);
}

const std::set<std::string> kTestedModels = {"gpt2_tiny",   "llama_gqa",  "llama3_ropescaled",
                                             "mistral_swa", "qwen2_tied", "qwen3_hd32",
                                             "bert_tiny"};

// Runs a model's first case with a given policy.
RunResult runWith(const Model& model, const std::string& caseName, const CapturePolicy& policy,
                  int generate = 0) {
  const json m = manifest();
  for (const auto& [name, entry] : m.at("models").items())
    for (const auto& c : entry.at("cases"))
      if (c.at("name") == caseName) {
        const auto f = SafetensorsFile::open(fixturesDir() + "/" + c.at("file").get<std::string>());
        return model.run(caseInput(c, f).batch, policy, generate);
      }
  throw check::Failure{"no case " + caseName};
}

// The largest sum_d |q_d k_d| / sqrt(D) over every layer, head, query and key of a Q/K capture:
// what bounds how far a score can move when its dot product is summed in another order.
double maxScoreTerms(const RunResult& r) {
  double most = 0;
  for (const QueryKeys& qk : r.queryKeys) {
    const int T = qk.tokens, D = qk.headDim, rep = qk.heads / qk.kvHeads;
    for (int b = 0; b < qk.batch; ++b)
      for (int h = 0; h < qk.heads; ++h)
        for (int i = 0; i < T; ++i)
          for (int j = 0; j < T; ++j) {
            const float* q = &qk.q[((static_cast<std::size_t>(b) * qk.heads + h) * T + i) * D];
            const float* k =
                &qk.k[((static_cast<std::size_t>(b) * qk.kvHeads + h / rep) * T + j) * D];
            double sum = 0;
            for (int d = 0; d < D; ++d) sum += std::abs(static_cast<double>(q[d]) * k[d]);
            most = std::max(most, sum / std::sqrt(static_cast<double>(D)));
          }
  }
  return most;
}

// The memory-lean path (last-row or selected rows) against full matrices: both compute the same
// probabilities with the additions in other orders (one row's [1,D]x[D,T] score product against
// the T-row one; the online softmax's tiles against one pass over the keys). In each of the L
// layers a score moves by at most twoOrders(D, S), S = maxScoreTerms of the run, and what a layer
// passes on moves the next layer's scores by no more than its own; a softmax whose inputs move by
// at most dz moves a probability p by at most 2 p dz + 4u (probabilityFromLogits).
struct PathBound {
  int layers = 0, headDim = 0;
  double scoreTerms = 0;
  double operator()(double p) const {
    return attnx::tolerance::probabilityFromLogits(
        p, layers * attnx::tolerance::twoOrders(headDim, scoreTerms));
  }
};

PathBound pathBound(const Model& model, const std::string& caseName) {
  CapturePolicy qk;
  qk.rows = CapturePolicy::Rows::None;
  qk.queryKeys = true;
  const RunResult r = runWith(model, caseName, qk);
  return {model.info().layers, model.info().headDim, maxScoreTerms(r)};
}

// Checks a kept row against the full matrix's row within the bound; returns |difference|.
double expectRowsAgree(double kept, double full, const PathBound& bound, const char* what) {
  const double diff = std::abs(kept - full);
  CHECK_MSG(diff <= bound(full),
            what << ": " << kept << " vs " << full << " (bound " << bound(full) << ")");
  return diff;
}

}  // namespace

TEST(manifest_models_all_tested) {
  const json m = manifest();
  std::set<std::string> inManifest;
  for (const auto& [name, entry] : m.at("models").items()) inManifest.insert(name);
  CHECK(inManifest == kTestedModels);
}

TEST(gpt2_tiny) { runModel("gpt2_tiny"); }
TEST(llama_gqa) { runModel("llama_gqa"); }
TEST(llama3_ropescaled) { runModel("llama3_ropescaled"); }
TEST(mistral_swa) { runModel("mistral_swa"); }
TEST(qwen2_tied) { runModel("qwen2_tied"); }
TEST(qwen3_hd32) { runModel("qwen3_hd32"); }
TEST(bert_tiny) { runModel("bert_tiny"); }

TEST(capture_last_row_is_last_row_of_full) {
  auto model = loadFixtureModel("llama_gqa");
  CapturePolicy full, last;
  last.rows = CapturePolicy::Rows::LastRow;
  const RunResult a = runWith(*model, "llama_gqa/c_left_padded_batch", full);
  const RunResult b = runWith(*model, "llama_gqa/c_left_padded_batch", last);
  const PathBound bound = pathBound(*model, "llama_gqa/c_left_padded_batch");
  double most = 0;
  CHECK_EQ(a.attentions.size(), b.attentions.size());
  for (std::size_t i = 0; i < a.attentions.size(); ++i) {
    const auto &fa = a.attentions[i], &lb = b.attentions[i];
    CHECK_EQ(lb.queries, 1);
    CHECK_EQ(lb.queryPosition(0, 0), fa.queries - 1);
    CHECK_EQ(lb.queryPosition(1, 0), fa.queries - 1);
    for (int bb = 0; bb < fa.batch; ++bb)
      for (int h = 0; h < fa.heads; ++h)
        for (int k = 0; k < fa.keys; ++k)
          most = std::max(most, expectRowsAgree(lb.at(bb, h, 0, k), fa.at(bb, h, fa.queries - 1, k),
                                                bound, "last row"));
  }
  std::printf("  last row vs full: max |diff| %.2e (bound at p = 1: %.2e)\n", most, bound(1.0));
  // Captured bytes: one row instead of T.
  std::size_t fullBytes = 0, lastBytes = 0;
  for (const auto& t : a.attentions) fullBytes += t.bytes();
  for (const auto& t : b.attentions) lastBytes += t.bytes();
  std::printf("  captured attention bytes: full %zu, last-row %zu (T = %d)\n", fullBytes, lastBytes,
              a.seqLen);
  CHECK_EQ(lastBytes * static_cast<std::size_t>(a.seqLen), fullBytes);
}

TEST(capture_last_row_with_right_padding_follows_each_row) {
  auto model = loadFixtureModel("bert_tiny");
  CapturePolicy full, last;
  last.rows = CapturePolicy::Rows::LastRow;
  const RunResult a = runWith(*model, "bert_tiny/c_padded_batch", full);
  const RunResult b = runWith(*model, "bert_tiny/c_padded_batch", last);
  const PathBound bound = pathBound(*model, "bert_tiny/c_padded_batch");
  double most = 0;
  for (std::size_t i = 0; i < a.attentions.size(); ++i) {
    const auto &fa = a.attentions[i], &lb = b.attentions[i];
    for (int bb = 0; bb < fa.batch; ++bb) {
      int lastValid = 0;
      for (int t = 0; t < a.seqLen; ++t)
        if (a.attentionMask[static_cast<std::size_t>(bb * a.seqLen + t)]) lastValid = t;
      CHECK_EQ(lb.queryPosition(bb, 0), lastValid);
      for (int h = 0; h < fa.heads; ++h)
        for (int k = 0; k < fa.keys; ++k)
          most = std::max(most, expectRowsAgree(lb.at(bb, h, 0, k), fa.at(bb, h, lastValid, k),
                                                bound, "last valid row"));
    }
  }
  std::printf("  last valid row vs full: max |diff| %.2e (bound at p = 1: %.2e)\n", most,
              bound(1.0));
  // Row 0 is padded on the right: its last valid row differs from row 1's.
  CHECK(b.attentions[0].queryPosition(0, 0) != b.attentions[0].queryPosition(1, 0));
}

TEST(capture_layer_subset_and_selected_rows) {
  auto model = loadFixtureModel("llama_gqa");
  CapturePolicy full, subset;
  subset.layers = {2, 0};
  subset.rows = CapturePolicy::Rows::Selected;
  subset.queryPositions = {3, 9};
  const RunResult a = runWith(*model, "llama_gqa/a_input_ids", full);
  const RunResult b = runWith(*model, "llama_gqa/a_input_ids", subset);
  const PathBound bound = pathBound(*model, "llama_gqa/a_input_ids");
  double most = 0;
  CHECK_EQ(b.attentions.size(), 2u);
  for (const auto& t : b.attentions) {
    CHECK(t.layer == 0 || t.layer == 2);
    CHECK_EQ(t.queries, 2);
    const auto& f = a.attentions[static_cast<std::size_t>(t.layer)];
    for (int h = 0; h < t.heads; ++h)
      for (int k = 0; k < t.keys; ++k) {
        most = std::max(most, expectRowsAgree(t.at(0, h, 0, k), f.at(0, h, 3, k), bound, "row 3"));
        most = std::max(most, expectRowsAgree(t.at(0, h, 1, k), f.at(0, h, 9, k), bound, "row 9"));
      }
  }
  std::printf("  selected rows vs full: max |diff| %.2e (bound at p = 1: %.2e)\n", most,
              bound(1.0));
  // Out-of-range layers are an error, not ignored.
  CapturePolicy bad;
  bad.layers = {3};
  CHECK_THROWS_WITH(runWith(*model, "llama_gqa/a_input_ids", bad), "layer 3 does not exist");
}

// Q/K capture keeps queries, keys and each row's log-sum-exp; every tile recomputed from them is
// the full matrix, within the bound of two computations in other orders (PathBound): with left
// padding (rows without keys), a sliding window (in tiles of 3, so that tiles past the window are
// skipped), an encoder with right padding, and GQA.
TEST(query_keys_recompute_every_tile_of_full_matrices) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"llama_gqa", "llama_gqa/c_left_padded_batch"},
      {"mistral_swa", "mistral_swa/c_left_padded_batch"},
      {"bert_tiny", "bert_tiny/c_padded_batch"}};
  for (const auto& [name, caseName] : cases) {
    auto model = loadFixtureModel(name, 3);
    CapturePolicy full, qk;
    qk.rows = CapturePolicy::Rows::None;
    qk.queryKeys = true;
    const RunResult a = runWith(*model, caseName, full);
    const RunResult b = runWith(*model, caseName, qk);
    const PathBound bound = pathBound(*model, caseName);
    CHECK(b.attentions.empty());
    CHECK_EQ(b.queryKeys.size(), a.attentions.size());
    double most = 0;
    for (const AttentionTensor& f : a.attentions)
      for (int bb = 0; bb < f.batch; ++bb)
        for (int h = 0; h < f.heads; ++h) {
          TileRequest t{f.layer, h, bb, 0, f.queries - 1, 0, f.keys - 1};
          const std::vector<float> tile = attentionTile(b, t);
          CHECK_EQ(tile.size(), static_cast<std::size_t>(f.queries) * f.keys);
          for (int i = 0; i < f.queries; ++i)
            for (int j = 0; j < f.keys; ++j)
              most = std::max(most, expectRowsAgree(tile[static_cast<std::size_t>(i) * f.keys + j],
                                                    f.at(bb, h, i, j), bound, "tile"));
        }
    std::printf("  %-32s tiles from Q/K vs full: max |diff| %.2e\n", caseName.c_str(), most);
  }
  // A tile outside the run, and a run that kept neither rows nor Q/K, are errors.
  auto model = loadFixtureModel("llama_gqa");
  CapturePolicy qk, last;
  qk.rows = last.rows = CapturePolicy::Rows::LastRow;
  qk.queryKeys = true;
  const RunResult b = runWith(*model, "llama_gqa/a_input_ids", qk);
  CHECK_THROWS_WITH(attentionTile(b, {0, 0, 0, 0, b.seqLen, 0, 1}), "outside the run's positions");
  CHECK_THROWS_WITH(attentionTile(b, {0, 9, 0, 0, 1, 0, 1}), "head 9 is outside");
  const RunResult c = runWith(*model, "llama_gqa/a_input_ids", last);
  CHECK_THROWS_WITH(attentionTile(c, {0, 0, 0, 0, 1, 0, 1}), "kept neither");
  const std::vector<float> kept = attentionTile(c, {1, 0, 0, c.seqLen - 1, c.seqLen - 1, 0, 2});
  CHECK_EQ(kept.size(), 3u);
  CHECK_THROWS_WITH(runWith(*model, "llama_gqa/a_input_ids",
                            [] {
                              CapturePolicy p;
                              p.queryKeys = true;  // with full matrices
                              return p;
                            }()),
                    "instead of full matrices");
}

TEST(capture_float16_within_half_precision) {
  auto model = loadFixtureModel("qwen3_hd32");
  CapturePolicy f32, f16;
  f16.storeFloat16 = true;
  const RunResult a = runWith(*model, "qwen3_hd32/a_input_ids", f32);
  const RunResult b = runWith(*model, "qwen3_hd32/a_input_ids", f16);
  double worst = 0;
  for (std::size_t i = 0; i < a.attentions.size(); ++i) {
    CHECK(b.attentions[i].f32.empty());
    CHECK_EQ(b.attentions[i].f16.size(), a.attentions[i].f32.size());
    CHECK_EQ(b.attentions[i].bytes() * 2, a.attentions[i].bytes());
    for (std::size_t j = 0; j < a.attentions[i].f32.size(); ++j) {
      const float x = a.attentions[i].f32[j];
      const float y = halfToFloat(b.attentions[i].f16[j]);
      // Half keeps 11 significant bits: relative error <= 2^-11 (plus subnormal spacing 2^-24).
      const double err = std::fabs(double(x) - y);
      worst = std::max(worst, err);
      CHECK_MSG(err <= std::fabs(x) * 0.00048828125 + 6e-8, "half " << y << " vs " << x);
    }
  }
  std::printf("  float16 storage: max |f16 - f32| = %.2e\n", worst);
}

TEST(capture_hidden_states_optional_and_none) {
  auto model = loadFixtureModel("gpt2_tiny");
  CapturePolicy none;
  none.rows = CapturePolicy::Rows::None;
  const RunResult a = runWith(*model, "gpt2_tiny/a_input_ids", none);
  CHECK(a.hiddenStates.empty());
  CHECK(a.attentions.empty());
  CHECK_EQ(a.logits.size(), static_cast<std::size_t>(16 * 500));
  CapturePolicy hs;
  hs.hiddenStates = true;
  hs.fullLogits = false;
  const RunResult b = runWith(*model, "gpt2_tiny/a_input_ids", hs);
  CHECK_EQ(b.hiddenStates.size(), 3u);
  CHECK_EQ(b.logitRows, 1);
  for (int v = 0; v < 500; ++v) CHECK(std::fabs(b.logits[v] - a.logits[15 * 500 + v]) <= 1e-5);
}

TEST(generation_capture_none_keeps_tokens_and_progress_cancels) {
  auto model = loadFixtureModel("mistral_swa");
  CapturePolicy none;
  none.rows = CapturePolicy::Rows::None;
  const RunResult a = runWith(*model, "mistral_swa/d_generate", none, 5);
  CapturePolicy full;
  const RunResult b = runWith(*model, "mistral_swa/d_generate", full, 5);
  CHECK(a.generatedIds == b.generatedIds);
  CHECK_EQ(a.stepAttentions.size(), 5u);
  CHECK(a.stepAttentions[3].empty());
  CHECK_EQ(b.generatedTokens.size(), 5u);
  CHECK_EQ(b.generatedTokens[0], "#" + std::to_string(b.generatedIds[0]));  // no tokenizer

  // Progress: one call per layer and per token; returning false cancels.
  const auto f =
      SafetensorsFile::open(fixturesDir() + "/cases/mistral_swa__d_generate.safetensors");
  BatchInput in;
  in.ids = longs(f.at("in.input_ids"));
  in.seqLen = static_cast<int>(in.ids.size());
  int calls = 0, lastTotal = 0;
  model->run(in, none, 5, [&](int done, int total, std::string_view) {
    ++calls;
    lastTotal = total;
    return done <= total;
  });
  CHECK_EQ(calls, 2 + 5);
  CHECK_EQ(lastTotal, 2 + 5);
  bool cancelled = false;
  try {
    model->run(in, none, 5, [&](int done, int, std::string_view) { return done < 3; });
  } catch (const Cancelled&) {
    cancelled = true;
  }
  CHECK(cancelled);
}

TEST_MAIN()
