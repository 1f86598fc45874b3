// `attnx-cli run` end to end: fixture models run from the command line, the written
// .safetensors file read back and compared with the reference fixtures; bad inputs exit non-zero
// with one clear line.
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "check.h"
#include "cli_runner.h"
#include "fixtures.h"

using namespace attnx;
using namespace attnx::fixtures;
namespace fs = std::filesystem;

namespace {

using clitest::Outcome;
using clitest::Scratch;

Outcome cli(const Scratch& s, const std::vector<std::string>& args) {
  return clitest::runCli(s, "run", args);
}

std::string idsText(const std::vector<int64_t>& ids) {
  std::string t;
  for (std::size_t i = 0; i < ids.size(); ++i) t += (i ? "," : "") + std::to_string(ids[i]);
  return t;
}

std::string model(const std::string& name) { return fixturesDir() + "/models/" + name; }

SafetensorsFile caseFile(const std::string& name) {
  return SafetensorsFile::open(fixturesDir() + "/cases/" + name + ".safetensors");
}

const Tolerance kAttn{1e-5, 1e-4}, kLogits{1e-4, 1e-4};

void expectClose(const SafetensorsFile& ours, const std::string& mine, const SafetensorsFile& ref,
                 const std::string& theirs, Tolerance tol, int rows, int len) {
  const auto a = floats(ours.at(mine)), b = floats(ref.at(theirs));
  const int inner = static_cast<int>(a.size() / (static_cast<std::size_t>(rows) * len));
  const Diff d = compareRows(a, b, 1, inner, rows, len, tol);
  std::printf("  %-22s max |diff| %.2e\n", mine.c_str(), d.maxAbs);
  CHECK_MSG(d.ok(), mine << ": " << d.bad << " values off, first " << d.firstBad);
}

// A single non-empty line on stderr, and a failure status.
void expectFailure(const Outcome& o, const std::string& needle) {
  CHECK_MSG(o.status != 0, "exit status " << o.status);
  CHECK_MSG(o.err.find(needle) != std::string::npos, "stderr '" << o.err << "' lacks " << needle);
  CHECK_MSG(std::count(o.err.begin(), o.err.end(), '\n') == 1, "not one line: " << o.err);
}

}  // namespace

TEST(input_ids_full_capture_matches_fixture) {
  for (const std::string name : {"gpt2_tiny", "llama_gqa", "qwen3_hd32"}) {
    Scratch s;
    const auto ref = caseFile(name + "__a_input_ids");
    const auto ids = longs(ref.at("in.input_ids"));
    const Outcome o = cli(s, {"--model", model(name), "--input-ids", idsText(ids), "--device",
                              "cpu", "--logits", "all", "--out", s.path("out.safetensors")});
    CHECK_MSG(o.status == 0, o.err);
    CHECK(o.err.find("attnx run: ") == 0);
    const auto out = SafetensorsFile::open(s.path("out.safetensors"));
    CHECK(longs(out.at("input_ids")) == ids);
    CHECK(out.at("input_ids").shape == (std::vector<int64_t>{1, 16}));
    const int T = 16;
    expectClose(out, "logits", ref, "out.logits", kLogits, T, 500);
    for (const auto& t : out.tensors())
      if (t.name.rfind("attentions.", 0) == 0)
        expectClose(out, t.name, ref, "out." + t.name, kAttn, T, T);
    const auto meta = nlohmann::json::parse(out.metadata().at("model"));
    CHECK_EQ(meta.at("family").get<std::string>(), name.substr(0, name.find('_')));
    CHECK_EQ(meta.at("device").get<std::string>(), "cpu");
    const auto layout = nlohmann::json::parse(out.metadata().at("layout"));
    CHECK_EQ(layout.at(0).at(0).at("kind").get<std::string>(), "text");
    CHECK_EQ(layout.at(0).at(0).at("end").get<int>(), 16);
  }
}

TEST(last_row_and_layer_subset) {
  Scratch s;
  const auto ref = caseFile("llama_gqa__a_input_ids");
  const auto ids = longs(ref.at("in.input_ids"));
  const Outcome o =
      cli(s, {"--model", model("llama_gqa"), "--input-ids", idsText(ids), "--capture", "last-row",
              "--layers", "2,0", "--device", "cpu", "--out", s.path("out.safetensors")});
  CHECK_MSG(o.status == 0, o.err);
  const auto out = SafetensorsFile::open(s.path("out.safetensors"));
  CHECK(out.find("attentions.1") == nullptr);
  for (const char* name : {"attentions.0", "attentions.2"}) {
    const auto& t = out.at(name);
    CHECK(t.shape == (std::vector<int64_t>{1, 4, 1, 16}));
    const auto mine = floats(t);
    const auto full = floats(ref.at(std::string("out.") + name));  // [1,4,16,16]
    std::vector<float> last;
    for (int h = 0; h < 4; ++h)
      last.insert(last.end(), full.begin() + (h * 16 + 15) * 16, full.begin() + (h * 16 + 16) * 16);
    const Diff d = compareRows(mine, last, 1, 4, 1, 16, kAttn);
    CHECK_MSG(d.ok(), name << ": " << d.firstBad);
  }
}

TEST(generate_matches_fixture_sequences) {
  for (const std::string name : {"gpt2_tiny", "mistral_swa"}) {
    Scratch s;
    const auto ref = caseFile(name + "__d_generate");
    const auto ids = longs(ref.at("in.input_ids"));
    const Outcome o =
        cli(s, {"--model", model(name), "--input-ids", idsText(ids), "--generate", "5", "--capture",
                "none", "--device", "cpu", "--out", s.path("out.safetensors")});
    CHECK_MSG(o.status == 0, o.err);
    const auto out = SafetensorsFile::open(s.path("out.safetensors"));
    const auto seq = longs(ref.at("out.sequences"));
    const auto gen = longs(out.at("generated_ids"));
    CHECK(std::vector<int64_t>(seq.begin() + 16, seq.end()) == gen);
    CHECK(out.find("attentions.0") == nullptr);
  }
  // With capture: one row per step over the keys so far.
  Scratch s;
  const auto ref = caseFile("qwen2_tied__d_generate");
  const Outcome o =
      cli(s, {"--model", model("qwen2_tied"), "--input-ids", idsText(longs(ref.at("in.input_ids"))),
              "--generate", "5", "--device", "cpu", "--out", s.path("out.safetensors")});
  CHECK_MSG(o.status == 0, o.err);
  const auto out = SafetensorsFile::open(s.path("out.safetensors"));
  for (int step = 1; step < 5; ++step) {
    const std::string name = "generation." + std::to_string(step) + ".attentions.1";
    CHECK(out.at(name).shape == (std::vector<int64_t>{1, 4, 1, 16 + step}));
    expectClose(out, name, ref, "out.attentions.step" + std::to_string(step) + ".1", kAttn, 1,
                16 + step);
  }
  CHECK(out.at("generation.0.attentions.0").shape == (std::vector<int64_t>{1, 4, 1, 16}));
}

TEST(soft_tokens_file_matches_fixture) {
  Scratch s;
  const auto ref = caseFile("llama3_ropescaled__b_soft_prefix");
  const auto& prefix = ref.at("in.soft_prefix");  // [1,4,64]
  const auto rows = floats(prefix);
  writeSafetensors(s.path("soft.safetensors"),
                   {OwnedTensor::fromFloats("soft_tokens", {4, 64}, rows.data())});
  const Outcome o =
      cli(s, {"--model", model("llama3_ropescaled"), "--soft-tokens", s.path("soft.safetensors"),
              "--input-ids", idsText(longs(ref.at("in.input_ids"))), "--device", "cpu", "--logits",
              "all", "--out", s.path("out.safetensors")});
  CHECK_MSG(o.status == 0, o.err);
  const auto out = SafetensorsFile::open(s.path("out.safetensors"));
  const auto ids = longs(out.at("input_ids"));
  CHECK_EQ(ids.size(), 20u);
  CHECK(ids[0] == -1 && ids[3] == -1 && ids[4] >= 0);
  expectClose(out, "logits", ref, "out.logits", kLogits, 20, 500);
  expectClose(out, "attentions.1", ref, "out.attentions.1", kAttn, 20, 20);
  const auto layout = nlohmann::json::parse(out.metadata().at("layout")).at(0);
  CHECK_EQ(layout.at(0).at("kind").get<std::string>(), "soft");
  CHECK_EQ(layout.at(0).at("end").get<int>(), 4);
  CHECK_EQ(layout.at(1).at("kind").get<std::string>(), "text");
}

TEST(bad_inputs_fail_with_one_line) {
  Scratch s;
  const std::string out = s.path("out.safetensors");
  expectFailure(cli(s, {"--model", s.path("missing"), "--input-ids", "1,2", "--out", out}),
                "not a folder");
  expectFailure(cli(s, {"--model", model("gpt2_tiny"), "--input-ids", "1,x", "--out", out}),
                "--input-ids");
  expectFailure(cli(s, {"--model", model("gpt2_tiny"), "--input-ids", "1,2"}), "--out");
  expectFailure(cli(s, {"--model", model("gpt2_tiny"), "--input-ids", "1,2", "--capture", "most",
                        "--out", out}),
                "--capture");
  expectFailure(cli(s, {"--model", model("gpt2_tiny"), "--input-ids", "1,900", "--out", out}),
                "outside the vocabulary");
  expectFailure(
      cli(s, {"--model", model("gpt2_tiny"), "--prompt", "hi", "--input-ids", "1", "--out", out}),
      "at most one of");
  std::vector<float> narrow(3 * 32, 0.25f);
  writeSafetensors(s.path("narrow.safetensors"),
                   {OwnedTensor::fromFloats("soft_tokens", {3, 32}, narrow.data())});
  expectFailure(cli(s, {"--model", model("gpt2_tiny"), "--soft-tokens",
                        s.path("narrow.safetensors"), "--input-ids", "1,2", "--out", out}),
                "soft tokens have width 32 but the model's hidden size is 64");
  expectFailure(
      cli(s, {"--model", model("gpt2_tiny"), "--input-ids", "1,2", "--layers", "7", "--out", out}),
      "layer 7 does not exist");
  expectFailure(cli(s, {"--model", model("gpt2_tiny"), "--prompt", "hello", "--out", out}),
                "no tokenizer.json");
  expectFailure(cli(s, {"--model", model("gpt2_tiny"), "--input-ids", "1,2", "--device", "cuda:x",
                        "--out", out}),
                "device 'cuda:x'");
  CHECK(!fs::exists(out));
}

TEST_MAIN()
