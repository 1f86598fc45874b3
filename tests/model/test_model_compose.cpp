// Composing inputs with a real tokenizer (the prompt alone as Hugging Face tokenizes it, soft
// rows + BOS + anchor + text), and stopping generation at the end-of-sequence id.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "check.h"
#include "error.h"
#include "fixtures.h"
#include "model.h"
#include "run_parts.h"
#include "scratch.h"
#include "tokenizer.h"

using namespace attnx;
using namespace attnx::fixtures;
namespace fs = std::filesystem;

namespace {

// A fixture model folder with a fixture tokenizer copied in (their vocabularies differ: composing
// is what is tested here, not running the ids).
struct ModelWithTokenizer : Scratch {
  ModelWithTokenizer(const std::string& model, const std::string& tokenizer) : Scratch("compose") {
    copyFiles(fixturesDir() + "/models/" + model);
    if (!tokenizer.empty())
      copyFiles(fixturesDir() + "/tokenizers/" + tokenizer, [](const std::string& name) {
        return name == "tokenizer.json" || name == "tokenizer_config.json";
      });
  }
};

LoadOptions cpu() {
  LoadOptions o;
  o.device = "cpu";
  return o;
}

// 3 soft rows of 0.1 (width 64), BOS, the anchor "Answer:" and the text " yes or no".
std::vector<InputPart> softBosAnchorText() {
  InputPart soft, bos, anchor, text;
  soft.kind = SegmentKind::Soft;
  soft.rows = 3;
  soft.embeddings.assign(3 * 64, 0.1f);
  bos.kind = SegmentKind::Bos;
  anchor.kind = SegmentKind::Anchor;
  anchor.text = "Answer:";
  text.kind = SegmentKind::Text;
  text.text = " yes or no";
  return {soft, bos, anchor, text};
}

}  // namespace

TEST(prompt_alone_gets_tokenizer_specials_as_bos_segment) {
  ModelWithTokenizer t("mistral_swa", "mistral_sp");
  auto m = Model::load(t.dir.string(), cpu());
  const Tokenizer* tok = m->tokenizer();
  CHECK(tok != nullptr);
  const std::string text = "Hello world, attention!";
  const ComposedInput c = m->compose(Model::promptRequest(text).parts);
  const auto expected = tok->encode(text, true).ids;
  CHECK(c.batch.ids == expected);
  CHECK(c.layout.size() == 2u);
  CHECK(c.layout[0].kind == SegmentKind::Bos && c.layout[0].size() == 1);
  CHECK_EQ(c.batch.ids[0], *tok->bosId());
  CHECK(c.layout[1].kind == SegmentKind::Text && c.layout[1].end == c.batch.seqLen);
  CHECK_EQ(c.tokens[1], tok->displayToken(expected[1]));
  CHECK(c.batch.softMask.empty());
}

TEST(bert_prompt_has_cls_and_sep_special_segments) {
  ModelWithTokenizer t("bert_tiny", "bert_base_uncased");
  auto m = Model::load(t.dir.string(), cpu());
  const ComposedInput c = m->compose(Model::promptRequest("the cat sat").parts);
  CHECK(c.batch.ids == m->tokenizer()->encode("the cat sat", true).ids);
  CHECK_EQ(c.layout.size(), 3u);
  CHECK(c.layout[0].kind == SegmentKind::Special && c.layout[0].size() == 1);
  CHECK(c.layout[1].kind == SegmentKind::Text && c.layout[1].size() == 3);
  CHECK(c.layout[2].kind == SegmentKind::Special && c.layout[2].size() == 1);
}

TEST(soft_bos_anchor_text_layout) {
  ModelWithTokenizer t("llama_gqa", "llama3");
  auto m = Model::load(t.dir.string(), cpu());
  const Tokenizer* tok = m->tokenizer();
  const ComposedInput c = m->compose(softBosAnchorText());
  const auto a = tok->encode("Answer:", false).ids, x = tok->encode(" yes or no", false).ids;
  CHECK_EQ(c.layout.size(), 4u);
  CHECK(c.layout[0].kind == SegmentKind::Soft && c.layout[0].size() == 3);
  CHECK(c.layout[1].kind == SegmentKind::Bos && c.batch.ids[3] == *tok->bosId());
  CHECK(c.layout[2].kind == SegmentKind::Anchor &&
        c.layout[2].size() == static_cast<int>(a.size()));
  CHECK(c.layout[3].kind == SegmentKind::Text && c.layout[3].size() == static_cast<int>(x.size()));
  CHECK_EQ(c.batch.seqLen, 4 + static_cast<int>(a.size() + x.size()));
  CHECK_EQ(c.tokens[0], "<soft 0>");
  CHECK_EQ(c.batch.softRows.size(), 3u * 64);
  CHECK(c.batch.softMask[2] == 1 && c.batch.softMask[3] == 0);
}

// What a run records (its layout and ids) composes its input again: the same ids, segments and
// tokens, the soft rows given back by the caller.
TEST(a_runs_parts_compose_its_input_again) {
  struct Case {
    const char *model, *tokenizer;
    std::vector<InputPart> parts;
  };
  const std::vector<InputPart> soft = softBosAnchorText();
  const InputPart prompt = Model::promptRequest("the cat sat").parts.at(0);  // CLS, SEP specials
  for (const Case& k :
       {Case{"llama_gqa", "llama3", soft}, Case{"bert_tiny", "bert_base_uncased", {prompt}}}) {
    ModelWithTokenizer t(k.model, k.tokenizer);
    auto m = Model::load(t.dir.string(), cpu());
    const ComposedInput c = m->compose(k.parts);
    RunResult r;  // as a run records it: ids with -1 at soft positions, one layout row
    r.batch = 1;
    r.seqLen = c.batch.seqLen;
    r.layout = {c.layout};
    for (int i = 0; i < r.seqLen; ++i)
      r.inputIds.push_back(!c.batch.softMask.empty() && c.batch.softMask[i] ? -1 : c.batch.ids[i]);
    std::vector<InputPart> again = partsOfRun(r);
    CHECK_EQ(again.size(), c.layout.size());
    for (InputPart& p : again)
      if (p.kind == SegmentKind::Soft) {
        CHECK_EQ(p.rows, 3);
        CHECK(p.embeddings.empty());  // the soft-token file gives them back where it runs
        p.embeddings = soft.front().embeddings;
      }
    const ComposedInput d = m->compose(again);
    CHECK(d.batch.ids == c.batch.ids);
    CHECK(d.batch.softMask == c.batch.softMask);
    CHECK(d.tokens == c.tokens);
    CHECK_EQ(d.layout.size(), c.layout.size());
    for (std::size_t i = 0; i < c.layout.size(); ++i)
      CHECK(d.layout[i].kind == c.layout[i].kind && d.layout[i].begin == c.layout[i].begin &&
            d.layout[i].end == c.layout[i].end);
  }
  // No layout, and a padded row: refused with a message.
  RunResult padded;
  padded.batch = 1;
  padded.seqLen = 3;
  padded.inputIds = {0, 5, 6};
  padded.layout = {{Segment{SegmentKind::Pad, 0, 1}, Segment{SegmentKind::Text, 1, 3}}};
  for (const RunResult& bad : {RunResult{}, padded}) {
    bool threw = false;
    try {
      (void)partsOfRun(bad);
    } catch (const Error&) {
      threw = true;
    }
    CHECK(threw);
  }
}

TEST(generation_stops_at_eos_for_requests_only) {
  // Make the first greedy token of the fixture prompt the end-of-sequence id.
  ModelWithTokenizer t("gpt2_tiny", "");
  const auto f = SafetensorsFile::open(fixturesDir() + "/cases/gpt2_tiny__d_generate.safetensors");
  const auto prompt = longs(f.at("in.input_ids"));
  const auto seq = longs(f.at("out.sequences"));
  std::ofstream(t.dir / "generation_config.json")
      << "{\"eos_token_id\": [" << seq[prompt.size() + 1] << ", 499]}";
  auto m = Model::load(t.dir.string(), cpu());

  BatchInput in;
  in.ids = prompt;
  in.seqLen = static_cast<int>(prompt.size());
  CapturePolicy none;
  none.rows = CapturePolicy::Rows::None;
  CHECK_EQ(m->run(in, none, 5).generated, 5);  // batch runs: exactly N tokens

  RunRequest r;
  InputPart p;
  p.kind = SegmentKind::Text;
  p.ids = prompt;
  r.parts = {p};
  r.generate = 5;
  const RunResult stopped = m->run(r);
  // Greedy output may repeat a token: generation ends at its first occurrence, EOS included.
  int expected = 1;
  while (seq[prompt.size() + expected - 1] != seq[prompt.size() + 1]) ++expected;
  CHECK_EQ(stopped.generated, expected);
  CHECK_EQ(stopped.generatedIds.back(), seq[prompt.size() + 1]);
  CHECK_EQ(stopped.stepAttentions.size(), static_cast<std::size_t>(expected));
  r.stopAtEos = false;
  CHECK_EQ(m->run(r).generated, 5);
}

TEST_MAIN()
