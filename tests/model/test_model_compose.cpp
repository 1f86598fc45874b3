// Composing inputs with a real tokenizer (the prompt alone as Hugging Face tokenizes it, soft
// rows + BOS + anchor + text), and stopping generation at the end-of-sequence id.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "check.h"
#include "fixtures.h"
#include "model.h"
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
  InputPart soft, bos, anchor, text;
  soft.kind = SegmentKind::Soft;
  soft.rows = 3;
  soft.embeddings.assign(3 * 64, 0.1f);
  bos.kind = SegmentKind::Bos;
  anchor.kind = SegmentKind::Anchor;
  anchor.text = "Answer:";
  text.kind = SegmentKind::Text;
  text.text = " yes or no";
  const ComposedInput c = m->compose({soft, bos, anchor, text});
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
