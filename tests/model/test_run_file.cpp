// Run files: what attnx writes reads back equal (full and last-row capture, generation steps,
// padding, token types), and files that are truncated, inconsistent or hostile are refused with
// a message naming the file, never a crash or a half result.
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "check.h"
#include "fixtures.h"
#include "model.h"
#include "run_file.h"
#include "scratch.h"
#include "safetensors.h"

using namespace attnx;
using namespace attnx::fixtures;
namespace fs = std::filesystem;

namespace {

void checkSameAttention(const std::vector<AttentionTensor>& a, const std::vector<AttentionTensor>& b) {
  CHECK_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK_EQ(a[i].layer, b[i].layer);
    CHECK(a[i].batch == b[i].batch && a[i].heads == b[i].heads && a[i].queries == b[i].queries &&
          a[i].keys == b[i].keys);
    CHECK(a[i].queryPositions == b[i].queryPositions);
    CHECK(a[i].f32 == b[i].f32);  // float32 written and read: the same bits
  }
}

void checkSameRun(const RunResult& a, const RunResult& b) {
  CHECK(a.batch == b.batch && a.seqLen == b.seqLen);
  CHECK(a.inputIds == b.inputIds);
  CHECK(a.attentionMask == b.attentionMask);
  CHECK(a.tokenTypeIds == b.tokenTypeIds);
  CHECK(a.tokens == b.tokens);
  CHECK_EQ(a.layout.size(), b.layout.size());
  for (std::size_t r = 0; r < a.layout.size(); ++r) {
    CHECK_EQ(a.layout[r].size(), b.layout[r].size());
    for (std::size_t i = 0; i < a.layout[r].size(); ++i)
      CHECK(a.layout[r][i].kind == b.layout[r][i].kind &&
            a.layout[r][i].begin == b.layout[r][i].begin && a.layout[r][i].end == b.layout[r][i].end);
  }
  CHECK(a.logits == b.logits && a.logitRows == b.logitRows);
  checkSameAttention(a.attentions, b.attentions);
  CHECK_EQ(a.generated, b.generated);
  CHECK(a.generatedIds == b.generatedIds);
  CHECK(a.generatedTokens == b.generatedTokens);
  CHECK_EQ(a.stepAttentions.size(), b.stepAttentions.size());
  for (std::size_t s = 0; s < a.stepAttentions.size(); ++s)
    checkSameAttention(a.stepAttentions[s], b.stepAttentions[s]);
  CHECK_EQ(a.model.family, b.model.family);
  CHECK(a.model.layers == b.model.layers && a.model.heads == b.model.heads &&
        a.model.vocab == b.model.vocab && a.model.hidden == b.model.hidden);
  CHECK_EQ(a.model.dir, b.model.dir);
  CHECK_EQ(a.model.provenance.configSha256, b.model.provenance.configSha256);
  CHECK(a.model.provenance.weights == b.model.provenance.weights);
  CHECK(a.softTokens.file == b.softTokens.file && a.softTokens.index == b.softTokens.index);
}

BatchInput idsInput(const std::vector<int64_t>& ids) {
  BatchInput in;
  in.seqLen = static_cast<int>(ids.size());
  in.ids = ids;
  return in;
}

}  // namespace

TEST(runs_read_back_equal) {
  Scratch s;
  const auto gpt2 = Model::load(fixturesDir() + "/models/gpt2_tiny");
  const std::vector<int64_t> ids = {5, 17, 42, 99, 7, 250, 3, 11};
  CapturePolicy full;
  CapturePolicy last;
  last.rows = CapturePolicy::Rows::LastRow;
  last.fullLogits = false;
  last.layers = {1};
  int checked = 0;
  for (const auto& [capture, name, generate] :
       {std::tuple{full, "full", 0}, std::tuple{last, "last-row", 0}, std::tuple{full, "full", 3}}) {
    const RunResult r = gpt2->run(idsInput(ids), capture, generate);
    writeRunFile(s.path("run.safetensors"), r, name);
    checkSameRun(r, readRunFile(s.path("run.safetensors")));
    ++checked;
  }
  // A left-padded batch keeps its mask; an encoder its token types.
  const auto ref = SafetensorsFile::open(fixturesDir() + "/cases/gpt2_tiny__c_left_padded_batch.safetensors");
  BatchInput padded;
  padded.batch = 2;
  padded.seqLen = static_cast<int>(ref.at("in.input_ids").shape[1]);
  padded.ids = longs(ref.at("in.input_ids"));
  padded.attentionMask = longs(ref.at("in.attention_mask"));
  const RunResult p = gpt2->run(padded, last);
  writeRunFile(s.path("padded.safetensors"), p, "last-row");
  checkSameRun(p, readRunFile(s.path("padded.safetensors")));
  const auto bert = Model::load(fixturesDir() + "/models/bert_tiny");
  BatchInput typed = idsInput({2, 9, 4, 8, 3});
  typed.tokenTypeIds = {0, 0, 0, 1, 1};
  const RunResult b = bert->run(typed, full);
  CHECK(b.tokenTypeIds == typed.tokenTypeIds);
  writeRunFile(s.path("bert.safetensors"), b, "full");
  checkSameRun(b, readRunFile(s.path("bert.safetensors")));
  // The provenance taken at load travels with the run: config.json's digest and the weights'.
  CHECK_EQ(b.model.provenance.configSha256.size(), std::size_t{64});
  CHECK_EQ(b.model.provenance.weights.sha256.size(), std::size_t{64});
  // A run from a soft-token file names it.
  RunRequest soft;
  InputPart prefix;
  prefix.kind = SegmentKind::Soft;
  prefix.rows = 2;
  prefix.embeddings.assign(2 * static_cast<std::size_t>(gpt2->info().hidden), 0.25f);
  soft.parts = {prefix, InputPart{SegmentKind::Text, "", {5, 17, 42}}};
  soft.softTokens = {{"/data/prefixes.safetensors", std::string(64, 'a')}, 3};
  const RunResult withSoft = gpt2->run(soft);
  CHECK(withSoft.softTokens.file == soft.softTokens.file && withSoft.softTokens.index == 3);
  writeRunFile(s.path("soft.safetensors"), withSoft, "full");
  checkSameRun(withSoft, readRunFile(s.path("soft.safetensors")));
  std::printf("  %d gpt2 runs, a padded batch, a BERT run and a soft-token run read back bit for bit\n",
              checked);
}

TEST(broken_run_files_are_refused_with_a_message) {
  Scratch s;
  const auto gpt2 = Model::load(fixturesDir() + "/models/gpt2_tiny");
  const RunResult r = gpt2->run(idsInput({5, 17, 42, 99}), CapturePolicy{}, 2);
  const std::string good = s.path("good.safetensors");
  writeRunFile(good, r, "full");
  std::ifstream in(good, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), {});

  // Truncated anywhere.
  for (std::size_t cut : {std::size_t(0), std::size_t(7), std::size_t(40), bytes.size() / 2,
                          bytes.size() - 1}) {
    std::ofstream(s.path("cut.safetensors"), std::ios::binary) << bytes.substr(0, cut);
    CHECK_THROWS_WITH(readRunFile(s.path("cut.safetensors")), "cut.safetensors");
  }

  // Rewrites of the good file's tensors and metadata.
  const auto f = SafetensorsFile::open(good);
  auto rewrite = [&](const std::string& name, auto change) {
    std::vector<OwnedTensor> tensors;
    for (const auto& t : f.tensors()) tensors.push_back(OwnedTensor::copyOf(t));
    auto meta = f.metadata();
    change(tensors, meta);
    writeSafetensors(s.path(name), tensors, meta);
    return s.path(name);
  };
  using Tensors = std::vector<OwnedTensor>;
  using Meta = std::map<std::string, std::string>;
  auto floatAt = [](OwnedTensor& t, std::size_t i, float v) {
    std::memcpy(t.bytes.data() + i * 4, &v, 4);
  };
  auto named = [](Tensors& ts, const std::string& n) -> OwnedTensor& {
    for (auto& t : ts)
      if (t.name == n) return t;
    throw std::runtime_error("no " + n);
  };
  const std::pair<std::string, std::string> cases[] = {
      {rewrite("nan.safetensors", [&](Tensors& t, Meta&) { floatAt(named(t, "attentions.0"), 3, NAN); }),
       "attention weights lie in [0, 1]"},
      {rewrite("big.safetensors", [&](Tensors& t, Meta&) { floatAt(named(t, "attentions.1"), 0, 2.f); }),
       "attention weights lie in [0, 1]"},
      {rewrite("nolayout.safetensors", [](Tensors&, Meta& m) { m.erase("layout"); }),
       "metadata has no \"layout\""},
      {rewrite("gap.safetensors",
               [](Tensors&, Meta& m) { m["layout"] = R"([[{"kind":"text","begin":0,"end":2}]])"; }),
       "segments end at 2"},
      {rewrite("kind.safetensors",
               [](Tensors&, Meta& m) { m["layout"] = R"([[{"kind":"x","begin":0,"end":4}]])"; }),
       "unknown segment kind"},
      {rewrite("json.safetensors", [](Tensors&, Meta& m) { m["tokens"] = "[\"a\","; }),
       "metadata \"tokens\" is not JSON"},
      {rewrite("tokens.safetensors", [](Tensors&, Meta& m) { m["tokens"] = "[\"a\"]"; }),
       "must be a list of 4 strings"},
      {rewrite("layer.safetensors",
               [&](Tensors& t, Meta&) { named(t, "attentions.1").name = "attentions.9"; }),
       "layer 9 of a model of 2"},
      {rewrite("name.safetensors",
               [&](Tensors& t, Meta&) { named(t, "attentions.1").name = "attentions.01"; }),
       "does not name a layer"},
      {rewrite("keys.safetensors",
               [&](Tensors& t, Meta&) {
                 OwnedTensor& a = named(t, "attentions.0");
                 a.shape = {1, 4, 2, 8};  // same bytes, other shape
               }),
       "expected [1, H, rows, 4]"},
      {rewrite("step.safetensors",
               [&](Tensors& t, Meta&) { named(t, "generation.1.attentions.0").name = "generation.7.attentions.0"; }),
       "is for step 7 but 2 tokens were generated"},
      {rewrite("ids.safetensors",
               [&](Tensors& t, Meta&) {
                 OwnedTensor& ids = named(t, "input_ids");
                 const int64_t big = 1 << 20;
                 std::memcpy(ids.bytes.data(), &big, 8);
               }),
       "outside the vocabulary"},
      {rewrite("noids.safetensors",
               [&](Tensors& t, Meta&) { named(t, "input_ids").name = "something_else"; }),
       "has no tensor \"input_ids\""},
  };
  for (const auto& [file, needle] : cases) CHECK_THROWS_WITH(readRunFile(file), needle);
  std::printf("  %zu hostile files refused\n", std::size(cases));
}

TEST_MAIN()
