// The shipped demo model (resources/demo) through attnx's own loader, tokenizer and forward pass,
// against what the trainer (tools/train_demo) recorded when it wrote the files: predictions,
// logits, attention, token ids. Also checks the attention structure the demo exists to show.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "check.h"
#include "model.h"
#include "safetensors.h"
#include "tokenizer.h"

namespace {

using attnx::SegmentKind;

std::string demoDir() {
  if (const char* s = std::getenv("ATTNX_SOURCE_DIR")) return std::string(s) + "/resources/demo";
  // This file is tests/model/test_demo_model.cpp inside the source tree.
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().string() +
         "/resources/demo";
}

nlohmann::json readJson(const std::string& path) {
  std::ifstream in(path);
  CHECK_MSG(in.good(), "cannot read " << path);
  return nlohmann::json::parse(in);
}

std::vector<nlohmann::json> readExamples() {
  std::ifstream in(demoDir() + "/examples.jsonl");
  CHECK_MSG(in.good(), "cannot read examples.jsonl");
  std::vector<nlohmann::json> out;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  return out;
}

std::vector<float> floatsOf(const attnx::TensorView& v) {
  CHECK_MSG(v.dtype == attnx::DType::F32, v.name << " is not F32");
  std::vector<float> out(static_cast<std::size_t>(v.numel()));
  std::memcpy(out.data(), v.data, v.nbytes);
  return out;
}

std::vector<int64_t> longsOf(const attnx::TensorView& v) {
  CHECK_MSG(v.dtype == attnx::DType::I64, v.name << " is not I64");
  std::vector<int64_t> out(static_cast<std::size_t>(v.numel()));
  std::memcpy(out.data(), v.data, v.nbytes);
  return out;
}

const attnx::Model& demoModel() {
  static const std::unique_ptr<attnx::Model> model = [] {
    attnx::LoadOptions o;
    o.device = "cpu";
    o.threads = 2;
    return attnx::Model::load(demoDir(), o);
  }();
  return *model;
}

// Soft rows of example i of soft_tokens.safetensors ([N, M, d]).
struct SoftTokens {
  int64_t n = 0, m = 0, d = 0;
  std::vector<float> values;
  std::vector<float> rows(int64_t i) const {
    return {values.begin() + i * m * d, values.begin() + (i + 1) * m * d};
  }
};

SoftTokens softTokens() {
  const auto f = attnx::SafetensorsFile::open(demoDir() + "/soft_tokens.safetensors");
  const auto& v = f.at("soft_tokens");
  CHECK_EQ(v.shape.size(), std::size_t(3));
  SoftTokens s{v.shape[0], v.shape[1], v.shape[2], floatsOf(v)};
  return s;
}

int64_t argmax(const float* p, int64_t n) { return std::max_element(p, p + n) - p; }

double maxDiff(const std::vector<float>& a, const std::vector<float>& b) {
  CHECK_EQ(a.size(), b.size());
  double d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::fabs(double(a[i]) - b[i]));
  return d;
}

attnx::RunRequest softRequest(const SoftTokens& soft, int64_t index, const std::string& anchor) {
  attnx::RunRequest r;
  attnx::InputPart s;
  s.kind = SegmentKind::Soft;
  s.rows = static_cast<int>(soft.m);
  s.embeddings = soft.rows(index);
  attnx::InputPart bos;
  bos.kind = SegmentKind::Bos;
  attnx::InputPart a;
  a.kind = SegmentKind::Anchor;
  a.text = anchor;
  r.parts = {s, bos, a};
  return r;
}

}  // namespace

TEST(demo_files_are_small_and_complete) {
  std::uintmax_t total = 0;
  for (const char* f :
       {"config.json", "generation_config.json", "model.safetensors", "tokenizer.json",
        "tokenizer_config.json", "soft_tokens.safetensors", "soft_example_correct.safetensors",
        "soft_example_incorrect.safetensors", "examples.jsonl", "prompts.json", "README.md",
        "reference_logits.safetensors"}) {
    const auto p = demoDir() + "/" + f;
    CHECK_MSG(std::filesystem::exists(p), "missing " << p);
    total += std::filesystem::file_size(p);
  }
  std::printf("demo files: %.2f MB\n", total / 1e6);
  CHECK(total <= 4u * 1000 * 1000);
}

TEST(demo_tokenizer_round_trips_prompts) {
  const auto tok = attnx::Tokenizer::fromDirectory(demoDir());
  CHECK(tok->bosId().has_value());
  std::vector<std::string> texts;
  for (const auto& p : readJson(demoDir() + "/prompts.json")) {
    if (p.contains("text")) texts.push_back(p["text"]);
    if (p.contains("anchor")) texts.push_back(p["anchor"]);
  }
  CHECK(texts.size() >= 3);
  for (const auto& t : texts) {
    const auto plain = tok->encode(t, false);
    CHECK_MSG(tok->decode(plain.ids) == t, "round trip of '" << t << "'");
    const auto withBos = tok->encode(t, true);
    CHECK_EQ(withBos.ids.size(), plain.ids.size() + 1);
    CHECK_EQ(withBos.ids.front(), *tok->bosId());
  }
  // The ids the trainer used for the anchors and the answers.
  for (const auto& e : readExamples()) {
    CHECK(tok->encode(e["anchor"].get<std::string>(), false).ids ==
          e["anchor_ids"].get<std::vector<int64_t>>());
    const auto gold = tok->encode(" " + e["gold"].get<std::string>(), false).ids;
    CHECK_EQ(gold.size(), std::size_t(1));
    CHECK_EQ(gold[0], e["gold_id"].get<int64_t>());
  }
  // The induction prompt as the trainer encoded it, BOS included.
  const auto ref = attnx::SafetensorsFile::open(demoDir() + "/reference_logits.safetensors");
  const auto prompts = readJson(demoDir() + "/prompts.json");
  CHECK(tok->encode(prompts[0]["text"].get<std::string>(), true).ids ==
        longsOf(ref.at("text.input_ids")));
}

TEST(demo_forward_matches_trainer) {
  const auto& model = demoModel();
  CHECK_EQ(model.info().family, std::string("llama"));
  const auto ref = attnx::SafetensorsFile::open(demoDir() + "/reference_logits.safetensors");
  const int64_t V = model.info().vocab;

  // The induction prompt: logits and every layer's attention.
  {
    attnx::BatchInput in;
    in.ids = longsOf(ref.at("text.input_ids"));
    in.seqLen = static_cast<int>(in.ids.size());
    attnx::CapturePolicy cap;
    const auto r = model.run(in, cap);
    const double dl = maxDiff(r.logits, floatsOf(ref.at("text.logits")));
    const auto refAttn = floatsOf(ref.at("text.attentions"));  // [L, H, T, T]
    std::vector<float> attn;
    for (const auto& a : r.attentions) attn.insert(attn.end(), a.f32.begin(), a.f32.end());
    const double da = maxDiff(attn, refAttn);
    std::printf("induction prompt: max |logit difference| %.3g, max |attention difference| %.3g\n",
                dl, da);
    CHECK(dl < 1e-4);
    CHECK(da < 1e-5);
  }
  // A soft example: soft rows at 0..M-1, then BOS and the anchor.
  {
    const SoftTokens soft = softTokens();
    const int64_t index = longsOf(ref.at("soft.soft_index")).at(0);
    const auto ids = longsOf(ref.at("soft.input_ids"));
    attnx::BatchInput in;
    in.seqLen = static_cast<int>(soft.m + std::ssize(ids));
    in.ids.assign(static_cast<std::size_t>(soft.m), 0);
    in.ids.insert(in.ids.end(), ids.begin(), ids.end());
    in.softMask.assign(in.ids.size(), 0);
    std::fill(in.softMask.begin(), in.softMask.begin() + soft.m, 1);
    in.softRows = soft.rows(index);
    attnx::CapturePolicy cap;
    cap.rows = attnx::CapturePolicy::Rows::None;
    const auto r = model.run(in, cap);
    const auto refLogits = floatsOf(ref.at("soft.logits"));
    CHECK_EQ(r.logits.size(), refLogits.size());
    const double d = maxDiff(r.logits, refLogits);
    std::printf("soft example %lld: max |logit difference| %.3g (vocab %lld)\n",
                static_cast<long long>(index), d, static_cast<long long>(V));
    CHECK(d < 1e-4);
  }
}

TEST(demo_examples_first_token_predictions) {
  const auto& model = demoModel();
  const auto examples = readExamples();
  const SoftTokens soft = softTokens();
  CHECK_EQ(soft.n, std::ssize(examples));
  CHECK_EQ(soft.d, static_cast<int64_t>(model.info().hidden));
  const int64_t V = model.info().vocab;
  int correct = 0, incorrect = 0;
  double massCorrect = 0, massIncorrect = 0, worstMass = 0;
  for (const auto& e : examples) {
    auto req = softRequest(soft, e["soft_index"].get<int64_t>(), e["anchor"]);
    req.capture.rows = attnx::CapturePolicy::Rows::LastRow;
    req.capture.fullLogits = false;
    const auto r = model.run(req);
    // Layout: [soft][BOS][anchor].
    CHECK(r.layout.at(0).at(0).kind == SegmentKind::Soft);
    CHECK_EQ(r.layout[0][0].size(), static_cast<int>(soft.m));
    CHECK(r.layout[0][1].kind == SegmentKind::Bos);
    CHECK(r.layout[0][2].kind == SegmentKind::Anchor);
    const int64_t pred = argmax(r.logits.data() + (r.logitRows - 1) * V, V);
    CHECK_MSG(pred == e["prediction_id"].get<int64_t>(),
              e["id"] << ": predicted " << pred << ", the trainer recorded " << e["prediction_id"]);
    const bool ok = pred == e["gold_id"].get<int64_t>();
    CHECK_EQ(ok, e["correct"].get<bool>());
    // Attention mass from the last position to the soft rows, mean over layers and heads.
    double mass = 0;
    int heads = 0;
    for (const auto& a : r.attentions) {
      for (int h = 0; h < a.heads; ++h, ++heads)
        for (int k = 0; k < soft.m; ++k) mass += a.at(0, h, a.queries - 1, k);
    }
    mass /= heads;
    worstMass = std::max(worstMass, std::fabs(mass - e["soft_mass"].get<double>()));
    (ok ? massCorrect : massIncorrect) += mass;
    (ok ? correct : incorrect) += 1;
  }
  std::printf(
      "shipped examples: %d correct, %d incorrect (%.1f%%); mean soft mass at the last "
      "position: correct %.3f, incorrect %.3f; max difference to the trainer's %.2g\n",
      correct, incorrect, 100.0 * correct / (correct + incorrect),
      massCorrect / std::max(1, correct), massIncorrect / std::max(1, incorrect), worstMass);
  CHECK(correct > 0 && incorrect > 0);  // the comparison view needs both groups
  CHECK(worstMass < 1e-3);              // the trainer rounded to 1e-4
}

TEST(demo_induction_head) {
  const auto& model = demoModel();
  const auto prompts = readJson(demoDir() + "/prompts.json");
  const std::string text = prompts[0]["text"];
  const auto r = model.run(attnx::Model::promptRequest(text));
  const auto& ids = r.inputIds;
  const int T = r.seqLen;
  // The prompt is a word sequence said twice around " then": for each token j of the second
  // copy whose token first occurs at i in the first copy, an induction head puts weight on i + 1.
  const auto tok = model.tokenizer();
  const auto cut = text.find(" then ");
  CHECK(cut != std::string::npos);
  // Position of the last token of " then" (BOS is at 0).
  const int half = static_cast<int>(tok->encode(text.substr(0, cut + 5), false).ids.size());
  CHECK(half > 2 && half < T - 2);
  std::vector<std::pair<int, int>> pairs;
  for (int j = half + 1; j < T; ++j)
    for (int i = 1; i + 1 < half + 1; ++i)
      if (ids[i] == ids[j]) {
        pairs.emplace_back(j, i + 1);
        break;
      }
  CHECK(pairs.size() >= 8);
  double best = 0, bestPrev = 0;
  int bestLayer = -1, bestHead = -1, prevLayer = -1, prevHead = -1;
  for (const auto& a : r.attentions) {
    for (int h = 0; h < a.heads; ++h) {
      double score = 0, prev = 0;
      for (auto [q, k] : pairs) score += a.at(0, h, q, k);
      score /= pairs.size();
      for (int q = 1; q < T; ++q) prev += a.at(0, h, q, q - 1);
      prev /= T - 1;
      if (score > best) best = score, bestLayer = a.layer, bestHead = h;
      if (prev > bestPrev) bestPrev = prev, prevLayer = a.layer, prevHead = h;
    }
  }
  std::printf(
      "induction head: layer %d head %d, mean weight on the token after the first "
      "occurrence %.3f over %zu tokens; previous-token head: layer %d head %d (%.3f)\n",
      bestLayer, bestHead, best, pairs.size(), prevLayer, prevHead, bestPrev);
  // Measured on the shipped model: 0.308 for the best single head (layer 0 head 0); the layer-3
  // heads share the copying (0.23-0.28 each). Asserted with margin.
  CHECK(best > 0.25);

  // The copy itself: at each such j the model predicts the token that followed the first time.
  const int64_t V = model.info().vocab;
  int copied = 0;
  for (auto [q, k] : pairs) copied += argmax(r.logits.data() + q * V, V) == ids[k];
  std::printf("second copy: %d of %zu tokens predicted from the first copy\n", copied,
              pairs.size());
  CHECK(copied * 4 >= static_cast<int>(pairs.size()) * 3);  // measured 12 of 14
}

TEST_MAIN()
