// Every case of the reference fixtures (Hugging Face transformers, eager attention, float32) run
// through attnx::Model and compared within the manifest's tolerances, plus the capture policies.
#include <cstdio>
#include <map>
#include <set>

#include "check.h"
#include "fixtures.h"
#include "half.h"
#include "model.h"

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

std::unique_ptr<Model> loadFixtureModel(const std::string& name) {
  return Model::load(fixturesDir() + "/models/" + name, cpuFloat32());
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

// Runs one manifest case and checks every output it lists.
void runCase(const Model& model, const json& c) {
  const std::string name = c.at("name");
  const auto f = SafetensorsFile::open(fixturesDir() + "/" + c.at("file").get<std::string>());
  CaseInput ci = caseInput(c, f);
  const BatchInput& in = ci.batch;
  CapturePolicy policy;
  policy.hiddenStates = true;
  policy.stepLogits = true;
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

  for (const auto& [key, spec] : c.at("outputs").items()) {
    const std::vector<float> ref =
        key == "sequences" ? std::vector<float>{} : floats(f.at("out." + key));
    if (key == "logits") {
      CHECK_EQ(r.logitRows, T);
      expect(key, compareRows(r.logits, ref, B, 1, T, V, tolerance(c, "logits"), valid));
    } else if (key == "last_hidden_state") {
      CHECK_EQ(static_cast<int>(r.hiddenStates.size()), L + 1);
      expect(key, compareRows(r.hiddenStates[static_cast<std::size_t>(L)], ref, B, 1, T, d,
                              tolerance(c, "last_hidden_state"), valid));
    } else if (key.rfind("hidden_states.", 0) == 0) {
      const int i = std::stoi(key.substr(14));
      CHECK(i >= 0 && i <= L);
      expect(key, compareRows(r.hiddenStates[static_cast<std::size_t>(i)], ref, B, 1, T, d,
                              tolerance(c, "hidden_states"), valid));
    } else if (key == "pooler_output") {
      expect(key, compareRows(r.pooled, ref, B, 1, 1, d, tolerance(c, "pooler_output")));
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
      expect(key,
             compareRows(r.stepLogits, ref, B, 1, ci.generate, V, tolerance(c, "step_logits")));
    } else if (key.rfind("attentions.step", 0) == 0) {
      const auto dot = key.find('.', 15);
      const int s = std::stoi(key.substr(15, dot - 15)), l = std::stoi(key.substr(dot + 1));
      CHECK(s >= 0 && s < r.generated);
      const auto& mine = layerOf(r.stepAttentions[static_cast<std::size_t>(s)], l);
      if (s == 0) {
        // The fixture keeps the whole prompt pass [B,H,T,T]: its full matrix against the
        // prompt-pass capture, its last row (the last valid query: T-1 with left padding)
        // against step 0.
        expect(key, compareRows(attentionFloats(layerOf(r.attentions, l)), ref, B, H, T, T,
                                tolerance(c, "attentions"), valid));
        CHECK_EQ(mine.queries, 1);
        std::vector<float> lastRows;
        for (int b = 0; b < B; ++b)
          for (int h = 0; h < H; ++h)
            lastRows.insert(lastRows.end(), ref.begin() + ((b * H + h) * T + (T - 1)) * T,
                            ref.begin() + ((b * H + h) * T + T) * T);
        expect(key, compareRows(attentionFloats(mine), lastRows, B, H, 1, T,
                                tolerance(c, "attentions")));
      } else {
        CHECK_EQ(mine.keys, T + s);
        expect(key,
               compareRows(attentionFloats(mine), ref, B, H, 1, T + s, tolerance(c, "attentions")));
      }
    } else if (key.rfind("attentions.", 0) == 0) {
      const int l = std::stoi(key.substr(11));
      expect(key, compareRows(attentionFloats(layerOf(r.attentions, l)), ref, B, H, T, T,
                              tolerance(c, "attentions"), valid));
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
  for (const auto& c : entry.at("cases")) runCase(*model, c);
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
  CHECK_EQ(a.attentions.size(), b.attentions.size());
  for (std::size_t i = 0; i < a.attentions.size(); ++i) {
    const auto &fa = a.attentions[i], &lb = b.attentions[i];
    CHECK_EQ(lb.queries, 1);
    CHECK_EQ(lb.queryPosition(0, 0), fa.queries - 1);
    CHECK_EQ(lb.queryPosition(1, 0), fa.queries - 1);
    for (int bb = 0; bb < fa.batch; ++bb)
      for (int h = 0; h < fa.heads; ++h)
        for (int k = 0; k < fa.keys; ++k)
          CHECK_EQ(lb.at(bb, h, 0, k), fa.at(bb, h, fa.queries - 1, k));
  }
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
  for (std::size_t i = 0; i < a.attentions.size(); ++i) {
    const auto &fa = a.attentions[i], &lb = b.attentions[i];
    for (int bb = 0; bb < fa.batch; ++bb) {
      int lastValid = 0;
      for (int t = 0; t < a.seqLen; ++t)
        if (a.attentionMask[static_cast<std::size_t>(bb * a.seqLen + t)]) lastValid = t;
      CHECK_EQ(lb.queryPosition(bb, 0), lastValid);
      for (int h = 0; h < fa.heads; ++h)
        for (int k = 0; k < fa.keys; ++k) CHECK_EQ(lb.at(bb, h, 0, k), fa.at(bb, h, lastValid, k));
    }
  }
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
  CHECK_EQ(b.attentions.size(), 2u);
  for (const auto& t : b.attentions) {
    CHECK(t.layer == 0 || t.layer == 2);
    CHECK_EQ(t.queries, 2);
    const auto& f = a.attentions[static_cast<std::size_t>(t.layer)];
    for (int h = 0; h < t.heads; ++h)
      for (int k = 0; k < t.keys; ++k) {
        CHECK_EQ(t.at(0, h, 0, k), f.at(0, h, 3, k));
        CHECK_EQ(t.at(0, h, 1, k), f.at(0, h, 9, k));
      }
  }
  // Out-of-range layers are an error, not ignored.
  CapturePolicy bad;
  bad.layers = {3};
  CHECK_THROWS_WITH(runWith(*model, "llama_gqa/a_input_ids", bad), "layer 3 does not exist");
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
