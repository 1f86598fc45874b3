// The input options of `attnx-cli run | stats | analyze` end to end: the guide's default input
// [soft][BOS][anchor] without a prompt, soft tokens or an anchor alone, a prefix of a batch file
// chosen with --soft-index, BERT sentence pairs (--prompt-pair against the tokenizer goldens,
// --token-type-ids against the BERT fixture's reference attentions), examples that name soft
// rows without a soft-token file, --help of every subcommand, and the commands attnx-cli lacks.
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "check.h"
#include "cli_runner.h"
#include "fixtures.h"
#include "safetensors.h"

using namespace attnx;
using namespace attnx::fixtures;
using clitest::Outcome;
using clitest::Scratch;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string demoDir() { return fixtures::demoModelDir(); }
const std::string kAnchor = "Q: what is the secret word? A:";

std::string text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string idsText(const std::vector<int64_t>& ids, std::size_t from = 0, std::size_t n = -1) {
  std::string t;
  for (std::size_t i = from; i < ids.size() && i - from < n; ++i)
    t += (t.empty() ? "" : ",") + std::to_string(ids[i]);
  return t;
}

// Row `i` of the demo's [48, 8, 96] soft-token file as a file of its own.
std::string softRow(const Scratch& s, int i) {
  const auto all = SafetensorsFile::open(demoDir() + "/soft_tokens.safetensors");
  const auto rows = floats(all.at("soft_tokens"));
  const std::string path = s.path("row" + std::to_string(i) + ".safetensors");
  writeSafetensors(path, {OwnedTensor::fromFloats("soft_tokens", {8, 96}, rows.data() + i * 8 * 96)});
  return path;
}

void expectOneLineFailure(const Outcome& o, int status, const std::string& needle) {
  CHECK_MSG(o.status == status, "exit status " << o.status << ": " << o.err);
  CHECK_MSG(o.err.find(needle) != std::string::npos, "stderr '" << o.err << "' lacks " << needle);
  CHECK_MSG(std::count(o.err.begin(), o.err.end(), '\n') == 1, "not one line: " << o.err);
}

}  // namespace

TEST(soft_bos_anchor_without_prompt_runs_and_is_the_composed_input) {
  Scratch s;
  const std::string out = s.path("run.safetensors");
  const Outcome o = clitest::runCli(
      s, "run",
      {"--model", demoDir(), "--soft-tokens", softRow(s, 3), "--bos-after-soft", "--anchor",
       kAnchor, "--capture", "last-row", "--device", "cpu", "--out", out});
  CHECK_MSG(o.status == 0, o.err);
  const auto f = SafetensorsFile::open(out);
  const auto layout = json::parse(f.metadata().at("layout")).at(0);
  CHECK_EQ(layout.size(), std::size_t(3));
  CHECK_EQ(layout[0].at("kind").get<std::string>(), "soft");
  CHECK_EQ(layout[0].at("end").get<int>(), 8);
  CHECK_EQ(layout[1].at("kind").get<std::string>(), "bos");
  CHECK_EQ(layout[2].at("kind").get<std::string>(), "anchor");
  // The anchor's ids as the demo's examples file records them.
  const auto demo = json::parse(text(demoDir() + "/examples.jsonl").substr(
      0, text(demoDir() + "/examples.jsonl").find('\n')));
  const auto ids = longs(f.at("input_ids"));
  const auto anchorIds = demo.at("anchor_ids").get<std::vector<int64_t>>();
  CHECK_EQ(ids.size(), 8 + 1 + anchorIds.size());
  CHECK(std::vector<int64_t>(ids.begin() + 9, ids.end()) == anchorIds);

  // stats on the same input, and the other combinations that have no prompt.
  for (const std::vector<std::string>& input :
       {std::vector<std::string>{"--soft-tokens", softRow(s, 3), "--bos-after-soft", "--anchor",
                                 kAnchor},
        std::vector<std::string>{"--soft-tokens", softRow(s, 3)},
        std::vector<std::string>{"--anchor", kAnchor},
        std::vector<std::string>{"--soft-tokens", softRow(s, 3), "--prompt", ""}}) {
    std::vector<std::string> args = {"--model", demoDir(), "--device", "cpu", "--out",
                                     s.path("stats.json")};
    args.insert(args.end(), input.begin(), input.end());
    const Outcome st = clitest::runCli(s, "stats", args);
    CHECK_MSG(st.status == 0, st.err);
    CHECK(json::parse(text(s.path("stats.json"))).at("per_layer").size() == 4);
  }
  // Nothing at all is still an error.
  expectOneLineFailure(clitest::runCli(s, "stats", {"--model", demoDir(), "--prompt", "",
                                                    "--out", s.path("none.json")}),
                       1, "the input is empty");
}

TEST(soft_index_picks_one_prefix_of_a_batch_file) {
  Scratch s;
  const std::string batch = demoDir() + "/soft_tokens.safetensors";  // [48, 8, 96]
  auto runWith = [&](const std::vector<std::string>& soft, const std::string& out) {
    std::vector<std::string> args = {"--model", demoDir(), "--bos-after-soft", "--anchor",
                                     kAnchor, "--device", "cpu", "--out", out};
    args.insert(args.end(), soft.begin(), soft.end());
    return clitest::runCli(s, "run", args);
  };
  Outcome o = runWith({"--soft-tokens", batch, "--soft-index", "17"}, s.path("a.safetensors"));
  CHECK_MSG(o.status == 0, o.err);
  o = runWith({"--soft-tokens", softRow(s, 17)}, s.path("b.safetensors"));
  CHECK_MSG(o.status == 0, o.err);
  // The same rows in, the same numbers out: bit for bit.
  const auto a = SafetensorsFile::open(s.path("a.safetensors"));
  const auto b = SafetensorsFile::open(s.path("b.safetensors"));
  for (const char* name : {"logits", "attentions.0", "attentions.3"})
    CHECK_MSG(floats(a.at(name)) == floats(b.at(name)), name);
  o = runWith({"--soft-tokens", softRow(s, 16)}, s.path("c.safetensors"));
  CHECK(floats(SafetensorsFile::open(s.path("c.safetensors")).at("logits")) !=
        floats(a.at("logits")));

  // Without --soft-index a batch is refused, by the command that runs, with how to choose.
  expectOneLineFailure(
      clitest::runCli(s, "stats",
                      {"--model", demoDir(), "--soft-tokens", batch, "--anchor", kAnchor, "--out",
                       s.path("x.json")}),
      1, "attnx stats: ");
  const Outcome none = clitest::runCli(
      s, "run", {"--model", demoDir(), "--soft-tokens", batch, "--out", s.path("x.safetensors")});
  CHECK_MSG(none.err.find("attnx run: ") == 0 && none.err.find("48 soft prefixes") != std::string::npos &&
                none.err.find("--soft-index") != std::string::npos,
            none.err);
  expectOneLineFailure(runWith({"--soft-tokens", batch, "--soft-index", "48"}, s.path("y")), 1,
                       "has no soft prefix 48");
  expectOneLineFailure(clitest::runCli(s, "run", {"--model", demoDir(), "--anchor", kAnchor,
                                                  "--soft-index", "2", "--out", s.path("y")}),
                       2, "--soft-index needs");
  CHECK(!fs::exists(s.path("x.json")) && !fs::exists(s.path("y")));
}

TEST(bert_sentence_pairs_match_the_tokenizer_goldens) {
  Scratch s;
  const json cases = json::parse(text(fixturesDir() + "/tokenizer_cases.json"));
  const std::string tokDir = fixturesDir() + "/tokenizers/bert_base_uncased";
  // A model folder with that tokenizer: bert_tiny's layers, its embedding table grown to the
  // tokenizer's 30522 ids (new rows 0), so that the real tokenizer's ids run.
  const std::string model = s.path("bert_with_tokenizer");
  fs::create_directories(model);
  const std::string tiny = fixturesDir() + "/models/bert_tiny";
  json config = json::parse(text(tiny + "/config.json"));
  const int64_t vocab = 30522, d = config.at("hidden_size").get<int64_t>();
  config["vocab_size"] = vocab;
  std::ofstream(model + "/config.json") << config.dump();
  const auto weights = SafetensorsFile::open(tiny + "/model.safetensors");
  std::vector<OwnedTensor> out;
  for (const auto& t : weights.tensors()) {
    std::vector<float> v = floats(t);
    std::vector<int64_t> shape = t.shape;
    if (t.name.find("word_embeddings") != std::string::npos) {
      v.resize(static_cast<std::size_t>(vocab * d), 0.0f);
      shape[0] = vocab;
    }
    out.push_back(OwnedTensor::fromFloats(t.name, shape, v.data()));
  }
  writeSafetensors(model + "/model.safetensors", out);
  fs::copy_file(tokDir + "/tokenizer.json", model + "/tokenizer.json");
  fs::copy_file(tokDir + "/tokenizer_config.json", model + "/tokenizer_config.json");

  int checked = 0;
  for (const auto& p : cases.at("tokenizers").at("bert_base_uncased").at("pairs")) {
    const std::string a = p.at("text"), b = p.at("text_pair");
    const auto ids = p.at("input_ids").get<std::vector<int64_t>>();
    const auto types = p.at("token_type_ids").get<std::vector<int64_t>>();
    // attnx tokenize --text-pair
    const std::string cmd = clitest::quote(ATTNX_CLI_PATH) + " tokenize --model " +
                            clitest::quote(tokDir) + " --text " + clitest::quote(a) +
                            " --text-pair " + clitest::quote(b) + " > " +
                            clitest::quote(s.path("tok.json"));
    CHECK(std::system(cmd.c_str()) == 0);
    const json tok = json::parse(text(s.path("tok.json")));
    CHECK(tok.at("ids").get<std::vector<int64_t>>() == ids);
    CHECK(tok.at("token_type_ids").get<std::vector<int64_t>>() == types);
    // attnx run --prompt A --prompt-pair B: the run's own ids and token types.
    const Outcome o = clitest::runCli(s, "run",
                                      {"--model", model, "--prompt", a, "--prompt-pair", b,
                                       "--capture", "none", "--device", "cpu", "--out",
                                       s.path("pair.safetensors")});
    CHECK_MSG(o.status == 0, o.err);
    const auto f = SafetensorsFile::open(s.path("pair.safetensors"));
    CHECK(longs(f.at("input_ids")) == ids);
    CHECK(longs(f.at("token_type_ids")) == types);
    ++checked;
  }
  std::printf("  %d sentence pairs: ids and token types equal the goldens\n", checked);
  CHECK_EQ(checked, 3);
  // A pair is for encoders, and needs a text prompt.
  expectOneLineFailure(
      clitest::runCli(s, "run", {"--model", demoDir(), "--prompt", "a", "--prompt-pair", "b",
                                 "--out", s.path("no.safetensors")}),
      1, "no token types");
  expectOneLineFailure(clitest::runCli(s, "run", {"--model", model, "--prompt-pair", "b",
                                                  "--out", s.path("no.safetensors")}),
                       2, "--prompt-pair needs --prompt");
}

TEST(bert_token_type_ids_match_the_fixture_attentions) {
  Scratch s;
  const auto ref = SafetensorsFile::open(fixturesDir() + "/cases/bert_tiny__c_padded_batch.safetensors");
  const auto ids = longs(ref.at("in.input_ids")), types = longs(ref.at("in.token_type_ids"));
  const auto mask = longs(ref.at("in.attention_mask"));
  const int T = static_cast<int>(ref.at("in.input_ids").shape[1]);
  const auto tol = tolerance(manifest().at("models").at("bert_tiny").at("cases").at(2), "attentions");
  int typed = 0;
  for (int b = 0; b < 2; ++b) {
    // Row b alone: its valid positions (right padding) with their token types.
    int n = 0;
    while (n < T && mask[static_cast<std::size_t>(b * T + n)]) ++n;
    const std::size_t from = static_cast<std::size_t>(b * T);
    for (int t = 0; t < n; ++t) typed += types[from + t] != 0;
    const Outcome o = clitest::runCli(
        s, "run",
        {"--model", fixturesDir() + "/models/bert_tiny", "--input-ids", idsText(ids, from, n),
         "--token-type-ids", idsText(types, from, n), "--device", "cpu", "--out",
         s.path("bert.safetensors")});
    CHECK_MSG(o.status == 0, o.err);
    const auto f = SafetensorsFile::open(s.path("bert.safetensors"));
    for (int l = 0; l < 2; ++l) {
      const auto mine = floats(f.at("attentions." + std::to_string(l)));  // [1, H, n, n]
      const auto all = floats(ref.at("out.attentions." + std::to_string(l)));  // [2, H, T, T]
      const int H = static_cast<int>(ref.at("out.attentions.0").shape[1]);
      std::vector<float> want;
      for (int h = 0; h < H; ++h)
        for (int q = 0; q < n; ++q)
          for (int k = 0; k < n; ++k)
            want.push_back(all[((static_cast<std::size_t>(b) * H + h) * T + q) * T + k]);
      const Diff d = compareRows(mine, want, 1, H, n, n, {tol.atol, tol.rtol});
      std::printf("  bert_tiny row %d layer %d with token types: max |diff| %.2e\n", b, l,
                  d.maxAbs);
      CHECK_MSG(d.ok(), d.firstBad);
    }
  }
  CHECK(typed > 0);  // the case does use token type 1
  // One type per position of the composed input.
  expectOneLineFailure(clitest::runCli(s, "run",
                                       {"--model", fixturesDir() + "/models/bert_tiny",
                                        "--input-ids", "1,2,3", "--token-type-ids", "0,1", "--out",
                                        s.path("no.safetensors")}),
                       1, "token type ids: 2 values for an input of 3 positions");
}

TEST(examples_naming_soft_rows_need_a_soft_token_file) {
  Scratch s;
  const std::vector<std::string> base = {"--model", demoDir(), "--examples",
                                         demoDir() + "/examples.jsonl", "--device", "cpu",
                                         "--out", s.path("out")};
  expectOneLineFailure(clitest::runCli(s, "analyze", base), 1, "--no-soft-tokens");
  CHECK(!fs::exists(s.path("out/stats.json")));
  std::vector<std::string> meant = base;
  meant.push_back("--no-soft-tokens");
  const Outcome o = clitest::runCli(s, "analyze", meant);
  CHECK_MSG(o.status == 0, o.err);
  const json stats = json::parse(text(s.path("out/stats.json")));
  CHECK(stats.at("meta").at("settings").at("no_soft_tokens").get<bool>());
  // The guide's input over the dataset: soft + BOS + anchor from the file, no prompt.
  std::vector<std::string> soft = base;
  soft.back() = s.path("soft");
  soft.insert(soft.end(), {"--soft-tokens", demoDir() + "/soft_tokens.safetensors",
                           "--bos-after-soft"});
  CHECK_MSG(clitest::runCli(s, "analyze", soft).status == 0, "with soft tokens");
  std::vector<std::string> both = soft;
  both.push_back("--no-soft-tokens");
  expectOneLineFailure(clitest::runCli(s, "analyze", both), 2, "only one of");
}

TEST(every_subcommand_answers_help) {
  Scratch s;
  for (const char* name : {"tokenize", "run", "stats", "figure", "analyze"}) {
    const std::string cmd = clitest::quote(ATTNX_CLI_PATH) + " " + name + " --help > " +
                            clitest::quote(s.path("help.txt"));
    CHECK_MSG(std::system(cmd.c_str()) == 0, name);
    const std::string help = text(s.path("help.txt"));
    CHECK_MSG(help.rfind(std::string("usage: attnx ") + name, 0) == 0, help);
  }
  // attnx-cli has no figure command: it says which executable has.
  expectOneLineFailure(clitest::runCli(s, "figure", {"--view", "grid"}), 2, "attnx executable");
  const Outcome unknown = clitest::runCli(s, "nosuchword", {});
  expectOneLineFailure(unknown, 2, "unknown subcommand 'nosuchword'");
  CHECK(unknown.err.find(
            "tokenize, run, stats, scan, attention, plan, import, figure, analyze, merge") !=
        std::string::npos);
}

TEST_MAIN()
