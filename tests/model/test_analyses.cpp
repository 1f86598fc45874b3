// Value norms, logit lens, rollout, knockout and the knockout scan against the goldens in
// shared/fixtures/analyses/ (computed by Hugging Face transformers itself on the fixture models),
// each printing its largest difference; then the scan against knockout runs done one by one.
#include <cmath>
#include <cstdio>
#include <span>
#include <nlohmann/json.hpp>

#include "analysis_goldens.h"
#include "check.h"
#include "fixtures.h"
#include "logit_lens.h"
#include "prediction_change.h"
#include "model.h"
#include "safetensors.h"

using namespace attnx;
using namespace attnx::fixtures;
using json = nlohmann::json;

namespace {

struct Golden {
  std::string name;
  SafetensorsFile file;
  std::unique_ptr<Model> model;
  BatchInput input;
  json knockouts;
};

Golden golden(const std::string& name) {
  Golden g{name,
           SafetensorsFile::open(fixturesDir() + "/analyses/" + name + ".safetensors"),
           {},
           {},
           {}};
  const auto& meta = g.file.metadata();
  g.model = Model::load(fixturesDir() + "/models/" + meta.at("model"));
  const std::vector<int64_t> ids = json::parse(meta.at("input_ids")).get<std::vector<int64_t>>();
  const int M = std::stoi(meta.at("soft_tokens"));
  BatchInput& in = g.input;
  in.batch = 1;
  in.seqLen = M + static_cast<int>(ids.size());
  // [soft][input_ids]: the soft rows are fed as inputs_embeds rows.
  for (int t = 0; t < M; ++t) in.ids.push_back(0), in.softMask.push_back(1);
  for (int64_t id : ids) in.ids.push_back(id), in.softMask.push_back(0);
  if (M > 0)
    in.softRows = floats(g.file.at("in.soft_prefix"));
  else
    in.softMask.clear();
  g.knockouts = json::parse(meta.at("knockouts"));
  return g;
}

std::vector<float> attentionOf(const RunResult& r, int layer) {
  for (const auto& a : r.attentions)
    if (a.layer == layer) return a.f32;
  throw check::Failure{"no attention for layer " + std::to_string(layer)};
}

}  // namespace

TEST(value_norms_logit_lens_and_rollout_match_transformers) {
  for (const char* name : kAnalysisGoldens) {
    const Golden g = golden(name);
    CapturePolicy p;
    p.rows = CapturePolicy::Rows::None;
    p.valueNorms = p.logitLens = p.rollout = true;
    const RunResult r = g.model->run(g.input, p);
    std::printf("%s\n", name);
    expectCloseFlat(std::string(name) + " logits", r.logits, floats(g.file.at("logits")),
                    kAnalysisValues);
    const int L = r.model.layers;
    CHECK_EQ(static_cast<int>(r.valueNorms.size()), L);
    for (int l = 0; l < L; ++l)
      expectCloseFlat(std::string(name) + " value_norms." + std::to_string(l),
                      r.valueNorms[static_cast<std::size_t>(l)],
                      floats(g.file.at("value_norms." + std::to_string(l))), kAnalysisValues);
    expectCloseFlat(std::string(name) + " logit_lens", r.logitLens, floats(g.file.at("logit_lens")),
                    kAnalysisValues);
    CHECK_EQ(r.lensPositions.front(), r.seqLen - 1);
    expectCloseFlat(std::string(name) + " rollout", r.rollout, floats(g.file.at("rollout")),
                    kAnalysisWeights);
  }
}

TEST(lens_table_reads_the_lens_in_order) {
  const Golden g = golden("llama_gqa_soft");
  CapturePolicy p;
  p.rows = CapturePolicy::Rows::None;
  p.logitLens = true;
  p.fullLogits = false;
  const RunResult r = g.model->run(g.input, p);
  CHECK(r.model.lmHead);
  const std::vector<float> ref = floats(g.file.at("logit_lens"));  // [1, L+1, V]
  const int64_t V = r.model.vocab, target = 10;
  const std::vector<LensRow> t = lensTable(r, 0, 5, target);
  CHECK_EQ(static_cast<int>(t.size()), r.model.layers + 1);
  for (const LensRow& row : t) {
    const float* lp = ref.data() + static_cast<std::size_t>(row.layer) * V;
    CHECK_EQ(static_cast<int>(row.top.size()), 5);
    for (std::size_t i = 0; i + 1 < row.top.size(); ++i)
      CHECK(row.top[i].probability >= row.top[i + 1].probability);
    // The reference's argmax and the target's rank by counting, on the reference values; ours
    // agree unless two log-probabilities lie within the tolerance (not so in these goldens).
    CHECK_EQ(row.top[0].id, static_cast<int64_t>(std::max_element(lp, lp + V) - lp));
    int rank = 1;
    for (int64_t v = 0; v < V; ++v) rank += lp[v] > lp[target] ? 1 : 0;
    CHECK_EQ(row.targetRank, rank);
    CHECK(std::fabs(row.targetProbability - std::exp(double(lp[target]))) <= 1e-4);
    std::printf("  lens layer %d: top %lld (p %.3f), target rank %d\n", row.layer,
                static_cast<long long>(row.top[0].id), row.top[0].probability, row.targetRank);
  }
  // The output row is the model's own prediction.
  CHECK_EQ(
      t.back().top[0].id,
      static_cast<int64_t>(std::max_element(r.logits.begin(), r.logits.end()) - r.logits.begin()));
  bool threw = false;
  try {
    (void)lensTable(r, 0, 5, V);
  } catch (const Error&) {
    threw = true;
  }
  CHECK(threw);
}

TEST(knockouts_match_transformers) {
  for (const char* name : kAnalysisGoldens) {
    Golden g = golden(name);
    std::printf("%s\n", name);
    const RunResult original = g.model->run(g.input, CapturePolicy{});
    const std::vector<float> refLogits = floats(g.file.at("logits"));  // [1,T,V]
    const int64_t V = original.model.vocab;
    const std::span<const float> refBefore(refLogits.data() + refLogits.size() - V,
                                           static_cast<std::size_t>(V));
    for (std::size_t i = 0; i < g.knockouts.size(); ++i) {
      const std::string spec = g.knockouts[i].get<std::string>();
      BatchInput in = g.input;
      in.knockouts = {Knockout::parse(spec)};
      const RunResult r = g.model->run(in, CapturePolicy{});
      CHECK(r.knockouts == std::vector<std::string>{spec});
      const std::string prefix = "ko." + std::to_string(i) + ".";
      expectCloseFlat(std::string(name) + " " + spec + " logits", r.logits,
                      floats(g.file.at(prefix + "logits")), kAnalysisValues);
      for (int l = 0; l < r.model.layers; ++l)
        expectCloseFlat(
            std::string(name) + " " + spec + " attentions." + std::to_string(l), attentionOf(r, l),
            floats(g.file.at(prefix + "attentions." + std::to_string(l))), kAnalysisWeights);

      // What the knockout did to the prediction at the last row, against the same from the
      // reference's logits: each log-probability is within kAnalysisValues of its own magnitude,
      // so their difference is within the sum of the two.
      const std::vector<float> refKo = floats(g.file.at(prefix + "logits"));
      const std::span<const float> refAfter(refKo.data() + refKo.size() - V,
                                            static_cast<std::size_t>(V));
      const PredictionChange c = predictionChange(original, r);
      const int64_t t = likeliest(refBefore);
      const double lb = logProbability(refBefore, t), la = logProbability(refAfter, t);
      const double tol =
          2 * kAnalysisValues.atol + kAnalysisValues.rtol * (std::fabs(lb) + std::fabs(la));
      std::printf(
          "  %-40s prediction %lld -> %lld, delta log p %.6f (reference %.6f, |diff| %.3g)\n",
          spec.c_str(), static_cast<long long>(c.before), static_cast<long long>(c.after),
          c.delta(), la - lb, std::fabs(c.delta() - (la - lb)));
      CHECK_EQ(c.target, t);
      CHECK_EQ(c.before, t);
      CHECK_EQ(c.after, likeliest(refAfter));
      CHECK_MSG(std::fabs(c.delta() - (la - lb)) <= tol, spec << ": delta " << c.delta());
    }
  }
}

TEST(scan_matches_transformers_and_single_knockouts) {
  for (const char* name : kAnalysisGoldens) {
    const Golden g = golden(name);
    const auto& meta = g.file.metadata();
    ScanOptions o;
    o.keys = meta.at("scan_keys");
    const ScanResult s = g.model->scan(g.input, o);
    std::printf("%s scan over %s: target %lld\n", name, o.keys.c_str(),
                static_cast<long long>(s.target));
    CHECK_EQ(s.target, std::stoll(meta.at("scan_target")));
    CHECK_MSG(std::fabs(s.baseLogprob - std::stod(meta.at("scan_base_logprob"))) <=
                  kAnalysisValues.atol +
                      kAnalysisValues.rtol * std::fabs(std::stod(meta.at("scan_base_logprob"))),
              "base log-probability " << s.baseLogprob);
    const std::vector<float> ours(s.delta.begin(), s.delta.end());
    expectCloseFlat(std::string(name) + " scan.delta", ours, floats(g.file.at("scan.delta")),
                    kAnalysisScan);

    // The same deltas from full knockout runs, one per head: the prefix reuse changes nothing
    // but which products are shared (the same float32 operations on the same inputs).
    std::vector<float> single;
    CapturePolicy p;
    p.rows = CapturePolicy::Rows::None;
    p.fullLogits = false;
    const auto logp = [&](const RunResult& r) { return logProbability(lastLogits(r), s.target); };
    for (int l = 0; l < s.layers; ++l)
      for (int h = 0; h < s.heads; ++h) {
        BatchInput in = g.input;
        in.knockouts = {
            Knockout::parse(std::to_string(l) + ":" + std::to_string(h) + ":" + o.keys)};
        single.push_back(static_cast<float>(logp(g.model->run(in, p)) - s.baseLogprob));
      }
    expectCloseFlat(std::string(name) + " scan vs single knockouts", ours, single, kAnalysisScan);
  }
}

TEST(knockout_specs_and_their_errors) {
  const Knockout a = Knockout::parse("all:2:5-9");
  CHECK(!a.layer && a.head == 2 && !a.kind && a.first == 5 && a.last == 9);
  const Knockout b = Knockout::parse("3:all:soft");
  CHECK(b.layer == 3 && !b.head && b.kind == SegmentKind::Soft);
  for (const char* bad : {"", "1:2", "1:2:3:4", "x:0:soft", "0:y:soft", "0:0:nothing", "0:0:5-2",
                          "0:0:-3", "0:0:pad", "-1:0:soft", "0:0:1-"}) {
    bool threw = false;
    try {
      (void)Knockout::parse(bad);
    } catch (const Error& e) {
      threw = std::string(e.what()).find(std::string("'") + bad + "'") != std::string::npos;
    }
    CHECK_MSG(threw, "spec '" << bad << "' was accepted or its message does not name it");
  }
  // Against the model and the input: a missing layer, head, segment or position names the spec.
  const Golden g = golden("gpt2_tiny_ids");  // 2 layers, 4 heads, 16 text positions, no soft
  for (const char* spec : {"2:0:text", "0:4:text", "0:0:soft", "0:0:10-16"}) {
    BatchInput in = g.input;
    in.knockouts = {Knockout::parse(spec)};
    bool named = false;
    try {
      (void)g.model->run(in, CapturePolicy{});
    } catch (const Error& e) {
      named = std::string(e.what()).find(std::string("'") + spec + "'") != std::string::npos;
      std::printf("  %s -> %s\n", spec, e.what());
    }
    CHECK_MSG(named, "knockout " << spec << " was not refused with its name");
  }
}

TEST(a_row_without_allowed_keys_keeps_its_weights) {
  // Knocking out key 0 for every head: query 0 can attend only to key 0, so its row stays.
  Golden g = golden("gpt2_tiny_ids");
  BatchInput in = g.input;
  in.knockouts = {Knockout::parse("all:all:0-0")};
  const RunResult ko = g.model->run(in, CapturePolicy{});
  const RunResult base = g.model->run(g.input, CapturePolicy{});
  for (std::size_t l = 0; l < ko.attentions.size(); ++l) {
    const AttentionTensor& a = ko.attentions[l];
    for (int h = 0; h < a.heads; ++h) {
      CHECK_EQ(a.at(0, h, 0, 0), base.attentions[l].at(0, h, 0, 0));
      for (int q = 1; q < a.queries; ++q) CHECK_EQ(a.at(0, h, q, 0), 0.0f);
    }
  }
}

TEST(lens_and_scan_need_an_lm_head) {
  const auto bert = Model::load(fixturesDir() + "/models/bert_tiny");
  BatchInput in;
  in.seqLen = 5;
  in.ids = {2, 10, 11, 12, 3};
  CapturePolicy p;
  p.logitLens = true;
  for (int which = 0; which < 2; ++which) {
    std::string message;
    try {
      if (which == 0)
        (void)bert->run(in, p);
      else
        (void)bert->scan(in, ScanOptions{"0-1", std::nullopt, std::nullopt});
    } catch (const Error& e) {
      message = e.what();
    }
    std::printf("  %s\n", message.c_str());
    CHECK(message.find("needs an LM head") != std::string::npos);
  }
}

int main(int argc, char** argv) { return check::runAll(argc, argv); }
