// Dataset runs on real models: the group statistics of a run over the demo's examples equal those
// computed here directly from full-capture runs of the same inputs; a soft-prefix run of the
// llama_gqa fixture matches transformers' attention; generated answers, FirstTok@1, cancel and
// resume, and the results file's round trip.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "args.h"
#include "attention_stats.h"
#include "check.h"
#include "dataset_results.h"
#include "dataset_run.h"
#include "dataset_session.h"
#include "fixtures.h"
#include "model.h"
#include "run_inputs.h"
#include "safetensors.h"
#include "scratch.h"
#include "squad_metrics.h"
#include "student_t.h"
#include "tokenizer.h"
#include "tolerance.h"

using namespace attnx;

namespace {

std::string sourceDir() {
  if (const char* s = std::getenv("ATTNX_SOURCE_DIR")) return s;
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().string();
}
std::string demoDir() { return sourceDir() + "/resources/demo"; }

using attnx::fixtures::Scratch;

const Model& demoModel() {
  static const std::unique_ptr<Model> model = [] {
    LoadOptions o;
    o.device = "cpu";
    o.threads = 1;
    return Model::load(demoDir(), o);
  }();
  return *model;
}

// The first `n` lines of the demo's examples.jsonl, each passed through `edit`.
std::string demoSubset(const Scratch& s, int n,
                       const std::function<void(nlohmann::json&)>& edit = {}) {
  std::ifstream in(demoDir() + "/examples.jsonl");
  std::string out, line;
  for (int i = 0; i < n && std::getline(in, line); ++i) {
    auto j = nlohmann::json::parse(line);
    if (edit) edit(j);
    out += j.dump() + "\n";
  }
  const std::string path = s.path("examples.jsonl");
  std::ofstream(path) << out;
  return path;
}

DatasetSettings demoSettings(const std::string& examples) {
  DatasetSettings st;
  st.modelDir = demoDir();
  st.examplesFile = examples;
  st.softTokenFile = demoDir() + "/soft_tokens.safetensors";
  st.bosAfterSoft = true;  // the demo's layout: [soft][BOS][anchor]
  return st;
}

DatasetResults runAll(const DatasetSettings& st, const std::vector<Example>& ex,
                      const SoftTokenSet& soft) {
  DatasetResults r;
  r.settings = st;
  r.total = static_cast<int>(ex.size());
  runDataset(demoModel(), ex, soft, r);
  return r;
}

double maxAbs(const LayerHeadGrid& a, const std::vector<std::vector<double>>& b) {
  CHECK_EQ(a.size(), b.size());
  double d = 0;
  for (std::size_t l = 0; l < a.size(); ++l) {
    CHECK_EQ(a[l].size(), b[l].size());
    for (std::size_t h = 0; h < a[l].size(); ++h) d = std::max(d, std::abs(a[l][h] - b[l][h]));
  }
  return d;
}

// Every field of two example statistics, exactly.
void checkSameExample(const ExampleStats& a, const ExampleStats& b) {
  CHECK_EQ(a.index, b.index);
  CHECK_EQ(a.id, b.id);
  CHECK_EQ(a.correct, b.correct);
  CHECK_EQ(a.correctSource, b.correctSource);
  CHECK(a.em == b.em && a.f1 == b.f1);
  CHECK_EQ(a.prediction, b.prediction);
  CHECK_EQ(a.predictionGenerated, b.predictionGenerated);
  CHECK_EQ(a.firstTokenId, b.firstTokenId);
  CHECK_EQ(a.firstToken, b.firstToken);
  CHECK_EQ(a.firstTokenProb, b.firstTokenProb);
  CHECK(a.firstTokenCorrect == b.firstTokenCorrect);
  CHECK_EQ(a.queryPosition, b.queryPosition);
  CHECK_EQ(a.seqLen, b.seqLen);
  CHECK_EQ(a.layout.size(), b.layout.size());
  for (std::size_t i = 0; i < a.layout.size(); ++i)
    CHECK(a.layout[i].kind == b.layout[i].kind && a.layout[i].begin == b.layout[i].begin &&
          a.layout[i].end == b.layout[i].end);
  CHECK(a.layers == b.layers);
  CHECK(a.mass == b.mass);
  CHECK(a.entropy == b.entropy);
  CHECK_EQ(a.collapse, b.collapse);
  CHECK_EQ(a.anchorDominance, b.anchorDominance);
}

void checkSameResults(const DatasetResults& a, const DatasetResults& b, bool seconds) {
  CHECK(sameRunSettings(a.settings, b.settings));
  CHECK_EQ(a.total, b.total);
  CHECK_EQ(a.model.dir, b.model.dir);
  CHECK_EQ(a.model.family, b.model.family);
  CHECK_EQ(a.model.layers, b.model.layers);
  CHECK_EQ(a.model.heads, b.model.heads);
  CHECK_EQ(a.model.kvHeads, b.model.kvHeads);
  CHECK_EQ(a.model.hidden, b.model.hidden);
  CHECK_EQ(a.model.vocab, b.model.vocab);
  CHECK_EQ(a.model.parameters, b.model.parameters);
  CHECK_EQ(a.model.weightBytes, b.model.weightBytes);
  CHECK_EQ(a.model.device, b.model.device);
  CHECK_EQ(a.model.dtype, b.model.dtype);
  if (seconds) CHECK_EQ(a.seconds, b.seconds);
  CHECK_EQ(a.examples.size(), b.examples.size());
  for (std::size_t i = 0; i < a.examples.size(); ++i)
    checkSameExample(a.examples[i], b.examples[i]);
}

}  // namespace

TEST(group_statistics_equal_direct_computation) {
  Scratch s;
  const std::string file = demoSubset(s, 16);
  const auto ex = readExamples(file);
  const DatasetSettings st = demoSettings(file);
  const SoftTokenSet soft = SoftTokenSet::load(st.softTokenFile);
  const DatasetResults res = runAll(st, ex, soft);
  CHECK(res.complete());
  CHECK_EQ(res.model.layers, 4);

  // Direct: the full attention of each example, built by hand as [soft][BOS][anchor].
  const auto softFile = SafetensorsFile::open(st.softTokenFile);
  const auto softRows = fixtures::floats(softFile.at("soft_tokens"));  // [48, 8, 96]
  // The LM head, for the bound on how far the two runs' logits may move apart (below).
  const auto lmHead = fixtures::floats(
      SafetensorsFile::open(demoDir() + "/model.safetensors").at("lm_head.weight"));  // [V, 96]
  const double lmRowNorm = tolerance::maxRowNorm(lmHead, 96);
  std::ifstream in(file);
  const int L = 4, H = 4;
  struct Acc {
    int n = 0;
    std::vector<SegmentMass> masses;
  } groups[2];
  std::string line;
  double worstExample = 0, worstLogit = 0;
  // Worst case of each difference over the examples, from float32 arithmetic (tolerance.h):
  // - Both runs compute every layer with the same operations on the same shapes; the dataset
  //   run only captures the last row, and computes the LM head on that row alone instead of on
  //   all T rows (another BLAS kernel, another order of the 96 products of each logit).
  // - So a segment mass, a sum of at most T of the same probabilities (in double, stored as
  //   float), may differ by the summation order of T terms of total at most 1.
  // - A logit may differ by twoOrders(96, ||h|| max ||W_v||) and the first-token probability p by
  //   2 p times that.
  double massTol = 0, probTol = 0;
  int trainerAgrees = 0;
  for (std::size_t i = 0; i < ex.size(); ++i) {
    std::getline(in, line);
    const auto j = nlohmann::json::parse(line);
    RunRequest req;
    InputPart sp;
    sp.kind = SegmentKind::Soft;
    sp.rows = 8;
    sp.embeddings.assign(softRows.begin() + static_cast<std::ptrdiff_t>(i * 8 * 96),
                         softRows.begin() + static_cast<std::ptrdiff_t>((i + 1) * 8 * 96));
    InputPart bos;
    bos.kind = SegmentKind::Bos;
    InputPart anchor;
    anchor.kind = SegmentKind::Anchor;
    anchor.text = j.at("anchor").get<std::string>();
    req.parts = {sp, bos, anchor};
    req.capture.rows = CapturePolicy::Rows::Full;
    req.capture.hiddenStates = true;
    const RunResult full = demoModel().run(req);
    const int q = full.seqLen - 1;
    massTol = std::max(massTol, tolerance::twoOrders(full.seqLen, 1.0) + tolerance::stored(1.0));
    const SegmentMass m = computeSegmentMass(full, 0, q);
    const ExampleStats& e = res.examples[i];
    CHECK_EQ(e.queryPosition, q);
    CHECK_EQ(e.seqLen, full.seqLen);
    CHECK_EQ(e.layout.size(), std::size_t(3));
    CHECK(e.layout[0].kind == SegmentKind::Soft && e.layout[0].size() == 8);
    CHECK(e.layout[1].kind == SegmentKind::Bos && e.layout[2].kind == SegmentKind::Anchor);
    for (std::size_t k = 0; k < kSegmentKindCount; ++k)
      for (int l = 0; l < L; ++l)
        for (int h = 0; h < H; ++h)
          worstExample =
              std::max(worstExample, std::abs(double(e.mass[k][l][h]) - m.mass[k][l][h]));
    // FirstTok@1 from the full logits' last row; the trainer recorded its own argmax.
    const int64_t V = full.model.vocab;
    const float* row = full.logits.data() + static_cast<std::size_t>(q) * V;
    const int64_t arg = std::max_element(row, row + V) - row;
    double sum = 0;
    for (int64_t v = 0; v < V; ++v) sum += std::exp(double(row[v]) - row[arg]);
    CHECK_EQ(e.firstTokenId, arg);
    worstLogit = std::max(worstLogit, std::abs(e.firstTokenProb - 1.0 / sum));
    const float* h = full.hiddenStates.back().data() + static_cast<std::size_t>(q) * 96;
    probTol = std::max(probTol, tolerance::probabilityFromLogits(
                                    1.0 / sum, tolerance::logitOrders(96, tolerance::norm(h, 96),
                                                                      lmRowNorm)));
    trainerAgrees += arg == j.at("prediction_id").get<int64_t>();
    CHECK(e.firstTokenCorrect.has_value());
    CHECK_EQ(*e.firstTokenCorrect, arg == j.at("gold_id").get<int64_t>());
    CHECK_EQ(e.correct, j.at("correct").get<bool>());
    CHECK_EQ(e.correctSource, std::string("given"));
    // A given prediction is scored against gold, whatever decided correctness.
    CHECK(e.em && *e.em == exactMatch(j.at("prediction").get<std::string>(),
                                      j.at("gold").get<std::string>()));
    Acc& g = groups[e.correct ? 0 : 1];
    ++g.n;
    g.masses.push_back(m);
  }
  std::printf(
      "  per example: max |dataset - full capture| mass %.2e (tolerance %.2e), first-token prob "
      "%.2e (tolerance %.2e); argmax equals the trainer's in %d of %zu\n",
      worstExample, massTol, worstLogit, probTol, trainerAgrees, ex.size());
  CHECK(worstExample <= massTol);
  CHECK(worstLogit <= probTol);
  CHECK_EQ(trainerAgrees, static_cast<int>(ex.size()));

  // Groups by hand, from the full runs' masses: a mean of masses that each differ by at most
  // massTol differs by massTol; a standard deviation by at most massTol sqrt(n / (n - 1)), so a
  // 95% bound mean +- t sd / sqrt(n) by massTol (1 + t / sqrt(n - 1)); both in double, stored as
  // float.
  double worstGroup = 0, groupTol = 0;
  const char* names[2] = {"correct", "incorrect"};
  for (int gi = 0; gi < 2; ++gi) {
    const Acc& acc = groups[gi];
    CHECK(acc.n >= 2);
    groupTol = std::max(groupTol, massTol * (1 + studentTQuantile(0.975, acc.n - 1) /
                                                     std::sqrt(acc.n - 1.0)) +
                                      4 * tolerance::stored(1.0));
    const GroupStats g =
        computeGroup(res.examples, correctMembers(res.examples, gi == 0), names[gi]);
    CHECK_EQ(g.n(), acc.n);
    CHECK(g.layers == (std::vector<int>{0, 1, 2, 3}));
    for (std::size_t k = 0; k < kSegmentKindCount; ++k) {
      std::vector<std::vector<double>> mean(L, std::vector<double>(H, 0.0)), sd = mean;
      for (const auto& m : acc.masses)
        for (int l = 0; l < L; ++l)
          for (int h = 0; h < H; ++h) mean[l][h] += m.mass[k][l][h] / acc.n;
      for (const auto& m : acc.masses)
        for (int l = 0; l < L; ++l)
          for (int h = 0; h < H; ++h)
            sd[l][h] += std::pow(m.mass[k][l][h] - mean[l][h], 2) / (acc.n - 1);
      for (auto& r : sd)
        for (auto& v : r) v = std::sqrt(v);
      worstGroup = std::max({worstGroup, maxAbs(g.massMean[k], mean), maxAbs(g.massStd[k], sd)});
      // By layer: head means per example, their mean and t interval.
      for (int l = 0; l < L; ++l) {
        std::vector<double> perExample;
        for (const auto& m : acc.masses) {
          double s2 = 0;
          for (int h = 0; h < H; ++h) s2 += m.mass[k][l][h];
          perExample.push_back(s2 / H);
        }
        double mu = 0, ss = 0;
        for (double v : perExample) mu += v / acc.n;
        for (double v : perExample) ss += (v - mu) * (v - mu);
        const double half =
            studentTQuantile(0.975, acc.n - 1) * std::sqrt(ss / (acc.n - 1)) / std::sqrt(acc.n);
        const MeanCi& ci = g.byLayer[k][static_cast<std::size_t>(l)];
        worstGroup = std::max({worstGroup, std::abs(ci.mean - mu), std::abs(ci.lo - (mu - half)),
                               std::abs(ci.hi - (mu + half))});
      }
    }
    std::printf("  group %s: n = %d, soft mass by layer %.3f %.3f %.3f %.3f\n", names[gi], acc.n,
                g.byLayer[0][0].mean, g.byLayer[0][1].mean, g.byLayer[0][2].mean,
                g.byLayer[0][3].mean);
  }
  std::printf("  groups: max |computeGroup - by hand| %.2e (tolerance %.2e)\n", worstGroup,
              groupTol);
  CHECK(worstGroup <= groupTol);
}

TEST(example_parts_compose_like_attnx_run) {
  Scratch s;
  const auto softFile = SafetensorsFile::open(demoDir() + "/soft_tokens.safetensors");
  const auto rows = fixtures::floats(softFile.at("soft_tokens"));
  // Row 5 alone, as `attnx run --soft-tokens` takes it.
  writeSafetensors(s.path("row5.safetensors"),
                   {OwnedTensor::fromFloats("soft_tokens", {8, 96}, rows.data() + 5 * 8 * 96)});
  Example ex;
  ex.id = "x";
  ex.line = 1;
  ex.prompt = " owl";
  ex.softIndex = 5;
  DatasetSettings st;
  st.bosAfterSoft = true;
  st.anchor = "Q: what is the secret word? A:";
  const SoftTokenSet soft = SoftTokenSet::load(demoDir() + "/soft_tokens.safetensors");
  const std::vector<std::vector<std::string>> cliArgs = {
      {"--soft-tokens", s.path("row5.safetensors"), "--bos-after-soft", "--anchor", st.anchor,
       "--prompt", ex.prompt},
      {"--anchor", st.anchor, "--prompt", ex.prompt},
      {"--prompt", ex.prompt}};
  for (std::size_t c = 0; c < cliArgs.size(); ++c) {
    const cli::Args args(cliArgs[c], cli::inputValuedOptions(), cli::inputFlagOptions());
    DatasetSettings sc = st;
    if (c >= 1) sc.bosAfterSoft = false;
    if (c == 2) sc.anchor.clear();
    const ComposedInput a =
        demoModel().compose(exampleParts(ex, 0, sc, c == 0 ? soft : SoftTokenSet{}));
    const ComposedInput b = demoModel().compose(cli::inputRequestFrom(args).parts);
    CHECK(a.batch.ids == b.batch.ids);
    CHECK(a.batch.softRows == b.batch.softRows);
    CHECK(a.batch.softMask == b.batch.softMask);
    CHECK(a.tokens == b.tokens);
    CHECK_EQ(a.layout.size(), b.layout.size());
    for (std::size_t i = 0; i < a.layout.size(); ++i)
      CHECK(a.layout[i].kind == b.layout[i].kind && a.layout[i].end == b.layout[i].end);
  }
}

TEST(soft_prefix_run_matches_transformers_attention) {
  // llama_gqa with its fixture soft prefix [4, 64] shared by two examples given as ids; the
  // query is position 9 (Selected capture); the reference is transformers' attention.
  Scratch s;
  const auto ref = SafetensorsFile::open(fixtures::fixturesDir() +
                                         "/cases/llama_gqa__b_soft_prefix.safetensors");
  const auto prefix = fixtures::floats(ref.at("in.soft_prefix"));  // [1, 4, 64]
  writeSafetensors(s.path("soft.safetensors"),
                   {OwnedTensor::fromFloats("soft_tokens", {4, 64}, prefix.data())});
  const auto ids = fixtures::longs(ref.at("in.input_ids"));  // [1, 16]
  nlohmann::json a = {{"id", "a"}, {"input_ids", ids}, {"correct", true}};
  nlohmann::json b = {{"id", "b"}, {"input_ids", ids}, {"correct", false}};
  std::ofstream(s.path("ex.jsonl")) << a.dump() << "\n" << b.dump() << "\n";
  DatasetSettings st;
  st.modelDir = fixtures::fixturesDir() + "/models/llama_gqa";
  st.examplesFile = s.path("ex.jsonl");
  st.softTokenFile = s.path("soft.safetensors");
  st.query = 9;
  LoadOptions o;
  o.device = "cpu";
  o.threads = 1;
  const auto model = Model::load(st.modelDir, o);
  const auto ex = readExamples(st.examplesFile);
  DatasetResults res;
  res.settings = st;
  res.total = 2;
  runDataset(*model, ex, SoftTokenSet::load(st.softTokenFile), res);
  const int T = 20, q = 9;
  double worst = 0;
  for (const auto& e : res.examples) {
    CHECK_EQ(e.queryPosition, q);
    for (int l = 0; l < model->info().layers; ++l) {
      const auto att = fixtures::floats(ref.at("out.attentions." + std::to_string(l)));
      const int H = static_cast<int>(att.size() / (T * T));
      for (int h = 0; h < H; ++h) {
        double soft = 0, text = 0;
        for (int k = 0; k < T; ++k)
          (k < 4 ? soft : text) += att[(static_cast<std::size_t>(h) * T + q) * T + k];
        worst = std::max({worst, std::abs(e.of(SegmentKind::Soft)[l][h] - soft),
                          std::abs(e.of(SegmentKind::Text)[l][h] - text)});
      }
    }
    // FirstTok@1 comes from the last position, whatever the query.
    const auto logits = fixtures::floats(ref.at("out.logits"));  // [1, T, V]
    const int64_t V = model->info().vocab;
    const float* row = logits.data() + static_cast<std::size_t>(T - 1) * V;
    CHECK_EQ(e.firstTokenId, std::max_element(row, row + V) - row);
    CHECK(!e.firstTokenCorrect);                                   // no gold answer
    CHECK_EQ(e.firstToken, "#" + std::to_string(e.firstTokenId));  // no tokenizer
  }
  std::printf("  llama_gqa soft prefix, query 9: max |mass - transformers| %.2e\n", worst);
  CHECK(worst < 1e-4);
  const GroupStats g = computeGroup(res.examples, {0, 1}, "all");
  CHECK_EQ(g.massStd[kindIndex(SegmentKind::Soft)][0][0], 0.0f);  // identical inputs
}

TEST(generated_answers_and_correctness_rules) {
  Scratch s;
  // No "correct" and no prediction: the model answers (greedy), scored by EM against gold.
  const std::string file = demoSubset(s, 6, [](nlohmann::json& j) {
    j.erase("correct");
    j.erase("prediction");
  });
  const auto ex = readExamples(file);
  DatasetSettings st = demoSettings(file);
  st.maxNewTokens = 4;
  const SoftTokenSet soft = SoftTokenSet::load(st.softTokenFile);
  const DatasetResults res = runAll(st, ex, soft);
  const Tokenizer& tok = *demoModel().tokenizer();
  for (std::size_t i = 0; i < ex.size(); ++i) {
    const ExampleStats& e = res.examples[i];
    CHECK(e.predictionGenerated);
    CHECK_EQ(e.correctSource, std::string("generated_em"));
    // The same generation directly.
    RunRequest req;
    req.parts = exampleParts(ex[i], static_cast<int>(i), st, soft);
    req.generate = 4;
    req.capture.rows = CapturePolicy::Rows::None;
    const RunResult r = demoModel().run(req);
    std::vector<int64_t> ids(r.generatedIds.begin(), r.generatedIds.begin() + r.generated);
    if (auto eos = tok.eosId()) ids.erase(std::find(ids.begin(), ids.end(), *eos), ids.end());
    CHECK_EQ(e.prediction, firstAnswerLine(tok.decode(ids, true)));
    CHECK(e.em && *e.em == exactMatch(e.prediction, ex[i].gold[0]));
    CHECK(e.f1 && *e.f1 == f1Score(e.prediction, ex[i].gold[0]));
    CHECK_EQ(e.correct, *e.em == 1.0);
    if (i == 0)
      std::printf("  generated for %s: '%s' (gold '%s')\n", e.id.c_str(), e.prediction.c_str(),
                  ex[i].gold[0].c_str());
  }
  // FirstTok@1 decides instead, without generating.
  st.correctness = "first_token";
  const DatasetResults ft = runAll(st, ex, soft);
  for (const auto& e : ft.examples) {
    CHECK(!e.predictionGenerated && !e.em);
    CHECK_EQ(e.correctSource, std::string("first_token"));
    CHECK_EQ(e.correct, *e.firstTokenCorrect);
  }
  // F1 with a threshold, on a given prediction.
  const std::string file2 = demoSubset(s, 3, [](nlohmann::json& j) {
    j.erase("correct");
    j["prediction"] = j["gold"].get<std::string>() + " and more";
  });
  const auto ex2 = readExamples(file2);
  DatasetSettings st2 = demoSettings(file2);
  st2.correctness = "f1";
  st2.f1Threshold = 0.4;  // F1 = 2 * (1/3 * 1) / (4/3) = 0.5: correct at 0.4, not at 0.6
  const DatasetResults f1a = runAll(st2, ex2, soft);
  st2.f1Threshold = 0.6;
  const DatasetResults f1b = runAll(st2, ex2, soft);
  for (std::size_t i = 0; i < ex2.size(); ++i) {
    CHECK(std::abs(*f1a.examples[i].f1 - 0.5) < 1e-12);
    CHECK(f1a.examples[i].correct && !f1b.examples[i].correct);
    CHECK_EQ(f1a.examples[i].correctSource, std::string("f1"));
  }
}

TEST(cancel_and_resume_equal_an_uninterrupted_run) {
  Scratch s;
  const std::string file = demoSubset(s, 10);
  const auto ex = readExamples(file);
  const DatasetSettings st = demoSettings(file);
  const SoftTokenSet soft = SoftTokenSet::load(st.softTokenFile);
  const DatasetResults whole = runAll(st, ex, soft);

  DatasetResults part;
  part.settings = st;
  part.total = static_cast<int>(ex.size());
  int calls = 0;
  bool cancelled = false;
  try {
    runDataset(demoModel(), ex, soft, part, [&](int done, int total, std::string_view) {
      ++calls;
      CHECK_EQ(total, 10);
      return done < 4;
    });
  } catch (const Cancelled&) {
    cancelled = true;
  }
  CHECK(cancelled);
  CHECK_EQ(part.examples.size(), std::size_t(4));
  CHECK(!part.complete());
  // Through the file, as a restarted process would.
  writeResultsJson(s.path("stats.json"), part);
  DatasetResults resumed = readResultsJson(s.path("stats.json"));
  CHECK_EQ(resumed.examples.size(), std::size_t(4));
  std::vector<std::string> ran;
  runDataset(demoModel(), ex, soft, resumed, {},
             [&](const ExampleStats& e, const DatasetResults&) { ran.push_back(e.id); });
  CHECK_EQ(ran.size(), std::size_t(6));
  CHECK_EQ(ran.front(), ex[4].id);
  CHECK(resumed.complete());
  checkSameResults(whole, resumed, false);
  std::printf("  cancelled after 4 of 10 (progress called %d times), resumed 6: identical\n",
              calls);

  // Results of other examples are refused.
  DatasetResults wrong = part;
  wrong.examples[0].id = "someone-else";
  CHECK_THROWS_WITH(runDataset(demoModel(), ex, soft, wrong), "do not belong");
}

TEST(results_file_round_trips_and_rejects_damage) {
  Scratch s;
  const std::string file = demoSubset(s, 5, [](nlohmann::json& j) {
    if (j["id"] == "demo-001") j.erase("prediction");  // one without EM / F1
  });
  const auto ex = readExamples(file);
  DatasetSettings st = demoSettings(file);
  st.anchor = "unused \"quoted\" anchor";
  st.f1Threshold = 0.3;
  const DatasetResults res = runAll(st, ex, SoftTokenSet::load(st.softTokenFile));
  const std::string path = s.path("stats.json");
  writeResultsJson(path, res);
  const DatasetResults back = readResultsJson(path);
  checkSameResults(res, back, true);
  CHECK(!back.examples[1].em);
  // Writing what was read gives the same bytes.
  writeResultsJson(s.path("again.json"), back);
  auto bytes = [](const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  CHECK(bytes(path) == bytes(s.path("again.json")));

  // The issue's shape.
  const auto j = nlohmann::json::parse(bytes(path));
  CHECK_EQ(j.at("examples").size(), std::size_t(5));
  const auto& e0 = j.at("examples").at(0);
  CHECK(e0.at("correct").is_boolean() && e0.at("em").is_number() && e0.at("f1").is_number());
  CHECK_EQ(e0.at("mass").at("soft").size(), std::size_t(4));
  CHECK_EQ(e0.at("mass").at("soft").at(0).size(), std::size_t(4));
  for (const char* k : {"soft", "bos", "anchor", "text"}) CHECK(e0.at("mass").contains(k));
  CHECK(!e0.at("mass").contains("pad"));
  const auto& gc = j.at("groups").at("correct");
  CHECK(gc.at("n").get<int>() + j.at("groups").at("incorrect").at("n").get<int>() == 5);
  CHECK_EQ(gc.at("soft_by_layer").at("mean").size(), std::size_t(4));
  CHECK_EQ(gc.at("soft_by_layer").at("ci95").at(0).size(), std::size_t(2));
  CHECK_EQ(gc.at("mass_mean").at("soft").size(), std::size_t(4));
  CHECK_EQ(j.at("meta").at("settings").at("anchor").get<std::string>(), st.anchor);

  // Damage, each named with the file.
  auto damaged = [&](const std::function<void(nlohmann::json&)>& edit, const std::string& needle) {
    auto d = nlohmann::json::parse(bytes(path));
    edit(d);
    std::ofstream(s.path("bad.json")) << d.dump();
    CHECK_THROWS_WITH(readResultsJson(s.path("bad.json")), s.path("bad.json") + ": " + needle);
  };
  damaged([](auto& d) { d["meta"].erase("settings"); }, "meta has no \"settings\"");
  damaged([](auto& d) { d["meta"]["format"] = "other"; }, "meta.format");
  damaged([](auto& d) { d["examples"][2]["mass"]["soft"][1].erase(0); },
          "examples[2].mass.soft[1] must be a list of 4 numbers");
  damaged([](auto& d) { d["examples"][0]["mass"]["light"] = nlohmann::json::array(); },
          "examples[0].mass has an unknown segment kind");
  damaged([](auto& d) { d["examples"][1]["index"] = 0; },
          "examples[1].index is not in increasing order");
  damaged([](auto& d) { d["examples"][0]["correct"] = "yes"; }, "examples[0].correct must be");
  damaged([](auto& d) { d["meta"]["total"] = 2; }, "examples holds more than meta.total");
  std::ofstream(s.path("cut.json")) << bytes(path).substr(0, 500);
  CHECK_THROWS_WITH(readResultsJson(s.path("cut.json")), s.path("cut.json") + ": broken JSON");

  // summary.csv: a header and one row per example; soft_L0 is the head mean of layer 0.
  writeSummaryCsv(s.path("summary.csv"), res);
  std::ifstream csv(s.path("summary.csv"));
  std::string header, row;
  std::getline(csv, header);
  CHECK(header.rfind("index,id,correct,correct_source,em,f1,", 0) == 0);
  CHECK(header.find(",soft_L0,soft_L1,soft_L2,soft_L3,soft_mean,") != std::string::npos);
  int rows = 0;
  std::string first;
  while (std::getline(csv, row))
    if (!row.empty() && rows++ == 0) first = row;
  CHECK_EQ(rows, 5);
  std::vector<std::string> h, f;
  for (auto [src, out] : {std::pair{&header, &h}, std::pair{&first, &f}}) {
    std::stringstream ss(*src);
    for (std::string cell; std::getline(ss, cell, ',');) out->push_back(cell);
  }
  CHECK_EQ(h.size(), f.size());
  const auto col = std::find(h.begin(), h.end(), "soft_L0") - h.begin();
  // std::to_chars writes the shortest text that reads back as the same float.
  CHECK_EQ(std::stof(f[static_cast<std::size_t>(col)]),
           res.examples[0].layerMean(SegmentKind::Soft, 0));
}

TEST(dataset_session_resumes_only_the_same_run) {
  Scratch s;
  const std::string file = demoSubset(s, 6);
  const auto ex = readExamples(file);
  const DatasetSettings st = demoSettings(file);
  const SoftTokenSet soft = SoftTokenSet::load(st.softTokenFile);
  const DatasetResults whole = runAll(normalizedSettings(st), ex, soft);
  const std::string stats = s.path("stats.json");
  {
    DatasetSession first(st, ex, soft, stats, true);
    CHECK_EQ(first.doneAtStart(), 0);
    // Cancelled after 2 examples: they are saved, with summary.csv beside them.
    const ProgressFn stopAt2 = [](int done, int, std::string_view) { return done < 2; };
    CHECK_THROWS_WITH(first.run(demoModel(), stopAt2), "cancelled");
    CHECK_EQ(readResultsJson(stats).examples.size(), std::size_t(2));
    CHECK(std::filesystem::exists(s.path("summary.csv")));
  }
  auto refusal = [&](const DatasetSettings& settings, const std::vector<Example>& examples) {
    try {
      DatasetSession again(settings, examples, soft, stats, true);
    } catch (const ResumeRefused& r) {
      return r;
    }
    throw check::Failure{"the session resumed"};
  };
  DatasetSettings other = st;
  other.anchor = "another anchor";
  other.maxNewTokens = 3;
  const ResumeRefused settings = refusal(other, ex);
  CHECK(settings.reason == ResumeRefused::Reason::OtherSettings);
  CHECK(settings.settings == (std::vector<RunSetting>{RunSetting::Anchor, RunSetting::MaxNewTokens}));
  std::vector<Example> renamed = ex;
  renamed[1].id = "someone else";
  const ResumeRefused examples = refusal(st, renamed);
  CHECK(examples.reason == ResumeRefused::Reason::OtherExamples);
  CHECK_EQ(examples.exampleIndex, 1);
  const ResumeRefused total = refusal(st, std::vector<Example>(ex.begin(), ex.begin() + 5));
  CHECK(total.reason == ResumeRefused::Reason::OtherTotal && total.fileTotal == 6);
  // Soft rows named without a file, unless that is meant.
  DatasetSettings noSoft = st;
  noSoft.softTokenFile.clear();
  noSoft.bosAfterSoft = false;
  CHECK_THROWS_WITH(DatasetSession(noSoft, ex, SoftTokenSet{}, s.path("x.json"), false),
                    "names soft-token rows");
  noSoft.noSoftTokens = true;
  DatasetSession baseline(noSoft, ex, SoftTokenSet{}, s.path("x.json"), false);

  // The same run continues where it stopped and ends as an uninterrupted run.
  DatasetSession resumed(st, ex, soft, stats, true);
  CHECK_EQ(resumed.doneAtStart(), 2);
  resumed.run(demoModel());
  CHECK(resumed.complete());
  checkSameResults(resumed.results(), whole, false);
  checkSameResults(readResultsJson(stats), whole, false);
  // A damaged file is refused as unreadable; without resume it is replaced.
  std::ofstream(stats) << "{\"meta\": 1";
  CHECK(refusal(st, ex).reason == ResumeRefused::Reason::Unreadable);
  DatasetSession fresh(st, ex, soft, stats, false);
  CHECK_EQ(fresh.doneAtStart(), 0);
}

TEST_MAIN()
