// Long inputs on the command line: the capture policies that run the memory-lean attention
// (last-row, rows:LIST, qk), `attnx attention` tiles from Q/K against full matrices, ids and
// prompts from files, logits of the query row only, and the run's timing.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "check.h"
#include "tolerance.h"
#include "cli_runner.h"
#include "fixtures.h"
#include "run_file.h"

using namespace attnx;
using namespace attnx::fixtures;
using clitest::Outcome;
using clitest::Scratch;

namespace {

std::string model(const std::string& name) { return fixturesDir() + "/models/" + name; }

std::vector<int64_t> caseIds(const std::string& name) {
  return longs(
      SafetensorsFile::open(fixturesDir() + "/cases/" + name + ".safetensors").at("in.input_ids"));
}

std::string idsText(const std::vector<int64_t>& ids, const char* separator) {
  std::string t;
  for (std::size_t i = 0; i < ids.size(); ++i) t += (i ? separator : "") + std::to_string(ids[i]);
  return t;
}

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

void expectFailure(const Outcome& o, const std::string& needle) {
  CHECK_MSG(o.status == 1, "exit status " << o.status << ": " << o.err);
  CHECK_MSG(o.err.find(needle) != std::string::npos, "stderr '" << o.err << "' lacks " << needle);
}

// Tiles compared with `attnx attention` on a full run.
constexpr double kTile = attnx::tolerance::kTileVsFull;

}  // namespace

TEST(qk_tiles_equal_full_matrices) {
  Scratch s;
  const std::string ids = idsText(caseIds("llama_gqa__a_input_ids"), ",");
  const std::string full = s.path("full.safetensors"), qk = s.path("qk.safetensors");
  Outcome o = clitest::runCli(
      s, "run",
      {"--model", model("llama_gqa"), "--input-ids", ids, "--device", "cpu", "--out", full});
  CHECK_MSG(o.status == 0, o.err);
  o = clitest::runCli(s, "run",
                      {"--model", model("llama_gqa"), "--input-ids", ids, "--device", "cpu",
                       "--capture", "qk", "--out", qk});
  CHECK_MSG(o.status == 0, o.err);
  const RunResult q = readRunFile(qk);
  CHECK_EQ(q.queryKeys.size(), static_cast<std::size_t>(q.model.layers));
  CHECK_EQ(q.attentions.size(), static_cast<std::size_t>(q.model.layers));  // the query row
  CHECK_EQ(q.attentions[0].queries, 1);
  CHECK_EQ(q.logitRows, 1);  // --logits query is the default
  const int T = q.seqLen;
  double most = 0;
  for (int layer = 0; layer < q.model.layers; ++layer)
    for (int head = 0; head < q.model.heads; ++head) {
      const std::string a = s.path("a.safetensors"), b = s.path("b.safetensors");
      const std::vector<std::string> tile = {
          "--layer", std::to_string(layer),        "--head", std::to_string(head),
          "--rows",  "2-" + std::to_string(T - 1), "--cols", "1-" + std::to_string(T - 2)};
      auto with = [&](const std::string& run, const std::string& out) {
        std::vector<std::string> args = {"--run", run, "--out", out};
        args.insert(args.end(), tile.begin(), tile.end());
        return args;
      };
      o = clitest::runCli(s, "attention", with(full, a));
      CHECK_MSG(o.status == 0, o.err);
      CHECK(o.err.find("from stored matrices") != std::string::npos);
      o = clitest::runCli(s, "attention", with(qk, b));
      CHECK_MSG(o.status == 0, o.err);
      CHECK(o.err.find("from queries and keys") != std::string::npos);
      const auto fa = SafetensorsFile::open(a), fb = SafetensorsFile::open(b);
      CHECK(fa.at("attention").shape == (std::vector<int64_t>{T - 2, T - 2}));
      const auto va = floats(fa.at("attention")), vb = floats(fb.at("attention"));
      CHECK_EQ(va.size(), vb.size());
      for (std::size_t i = 0; i < va.size(); ++i)
        most = std::max(most, static_cast<double>(std::abs(va[i] - vb[i])));
    }
  std::printf("  tiles from Q/K vs stored matrices: max |diff| %.2e\n", most);
  CHECK(most <= kTile);

  // A tile outside the run, a row a last-row run did not keep, and a bad range.
  expectFailure(clitest::runCli(s, "attention",
                                {"--run", qk, "--layer", "0", "--head", "0", "--rows",
                                 "0-" + std::to_string(T), "--out", s.path("x.safetensors")}),
                "outside the run's positions");
  const std::string last = s.path("last.safetensors");
  o = clitest::runCli(s, "run",
                      {"--model", model("llama_gqa"), "--input-ids", ids, "--device", "cpu",
                       "--capture", "last-row", "--out", last});
  CHECK_MSG(o.status == 0, o.err);
  expectFailure(clitest::runCli(s, "attention",
                                {"--run", last, "--layer", "0", "--head", "0", "--rows", "0-1",
                                 "--out", s.path("x.safetensors")}),
                "kept neither");
  CHECK_EQ(clitest::runCli(s, "attention",
                           {"--run", last, "--layer", "0", "--head", "0", "--rows", "3-1", "--out",
                            s.path("x.safetensors")})
               .status,
           2);
  CHECK(!std::filesystem::exists(s.path("x.safetensors")));
}

TEST(ids_and_prompts_from_files_equal_arguments) {
  Scratch s;
  const std::vector<int64_t> ids = caseIds("gpt2_tiny__a_input_ids");
  write(s.path("ids.txt"), idsText(ids, "\n  ") + ",\n");
  const std::string a = s.path("a.safetensors"), b = s.path("b.safetensors");
  Outcome o = clitest::runCli(s, "run",
                              {"--model", model("gpt2_tiny"), "--input-ids", idsText(ids, ","),
                               "--capture", "rows:1,3", "--out", a});
  CHECK_MSG(o.status == 0, o.err);
  o = clitest::runCli(s, "run",
                      {"--model", model("gpt2_tiny"), "--input-ids", "@" + s.path("ids.txt"),
                       "--capture", "rows:1,3", "--out", b});
  CHECK_MSG(o.status == 0, o.err);
  const RunResult ra = readRunFile(a), rb = readRunFile(b);
  CHECK(ra.inputIds == ids && rb.inputIds == ids);
  CHECK_EQ(rb.attentions[0].queries, 2);
  CHECK_EQ(rb.attentions[0].queryPosition(0, 1), 3);
  CHECK(ra.attentions[0].f32 == rb.attentions[0].f32);  // the same input, the same numbers
  // The run's timing: load and forward seconds.
  const auto file = SafetensorsFile::open(b);
  const auto timing = nlohmann::json::parse(file.metadata().at("timing"));
  CHECK(timing.at("load_s").get<double>() > 0 && timing.at("forward_s").get<double>() > 0);
  CHECK(rb.seconds == timing.at("forward_s").get<double>());

  const std::string prompt =
      "The owl, \xc3\xa9"
      "crit-il?\nYes.";
  write(s.path("prompt.txt"), prompt);
  write(s.path("anchor.txt"), "Answer:");
  o = clitest::runCli(s, "run",
                      {"--model", fixtures::demoModelDir(), "--prompt", prompt, "--anchor",
                       "Answer:", "--capture", "none", "--out", a});
  CHECK_MSG(o.status == 0, o.err);
  o = clitest::runCli(s, "run",
                      {"--model", fixtures::demoModelDir(), "--prompt-file", s.path("prompt.txt"),
                       "--anchor-file", s.path("anchor.txt"), "--capture", "none", "--out", b});
  CHECK_MSG(o.status == 0, o.err);
  CHECK(readRunFile(a).inputIds == readRunFile(b).inputIds);

  // Files that do not hold what they should.
  write(s.path("bad.txt"), "1, 2, x3");
  expectFailure(clitest::runCli(s, "run",
                                {"--model", model("gpt2_tiny"), "--input-ids",
                                 "@" + s.path("bad.txt"), "--out", s.path("c.safetensors")}),
                "not a token id");
  write(s.path("latin1.txt"), "caf\xe9");
  expectFailure(clitest::runCli(s, "run",
                                {"--model", model("gpt2_tiny"), "--prompt-file",
                                 s.path("latin1.txt"), "--out", s.path("c.safetensors")}),
                "not valid UTF-8 at byte 3");
  expectFailure(clitest::runCli(s, "run",
                                {"--model", model("gpt2_tiny"), "--input-ids",
                                 "@" + s.path("missing.txt"), "--out", s.path("c.safetensors")}),
                "cannot read");
  CHECK_EQ(clitest::runCli(s, "run",
                           {"--model", model("gpt2_tiny"), "--prompt", "a", "--prompt-file",
                            s.path("prompt.txt"), "--out", s.path("c.safetensors")})
               .status,
           2);
  CHECK(!std::filesystem::exists(s.path("c.safetensors")));
}

// Runs `attnx plan` and parses its JSON.
nlohmann::json plan(const Scratch& s, const std::vector<std::string>& args, int expectStatus = 0) {
  const std::string out = s.path("plan.json");
  std::string cmd = clitest::quote(ATTNX_CLI_PATH) + " plan";
  for (const auto& a : args) cmd += " " + clitest::quote(a);
  cmd += " >" + clitest::quote(out) + " 2>" + clitest::quote(s.path("plan.err"));
  const int raw = std::system(cmd.c_str());
  CHECK_EQ(WEXITSTATUS(raw), expectStatus);
  std::ifstream in(out);
  return expectStatus == 2 ? nlohmann::json() : nlohmann::json::parse(in);
}

TEST(plan_parts_add_up_and_follow_the_policy) {
  Scratch s;
  const std::string m = model("llama_gqa");
  const auto full = plan(s, {"--model", m, "--tokens", "2048", "--capture", "full"});
  const auto last = plan(s, {"--model", m, "--tokens", "2048", "--capture", "last-row"});
  const auto qk = plan(s, {"--model", m, "--tokens", "2048", "--capture", "qk"});
  uint64_t sum = 0;
  for (const auto& [part, bytes] : full.at("parts").items()) sum += bytes.get<uint64_t>();
  CHECK_EQ(sum, full.at("peak_bytes").get<uint64_t>());
  // Full matrices grow as T^2: 3 layers x 4 heads x 2048^2 float32 kept.
  CHECK_EQ(full.at("parts").at("capture").get<uint64_t>(), uint64_t{3} * 4 * 2048 * 2048 * 4);
  CHECK(last.at("parts").at("capture").get<uint64_t>() * 2048 ==
        full.at("parts").at("capture").get<uint64_t>());
  CHECK(qk.at("parts").at("capture") > last.at("parts").at("capture"));
  CHECK(last.at("peak_bytes") < full.at("peak_bytes"));
  CHECK_EQ(
      full.at("parts").at("weights").get<uint64_t>(),
      static_cast<uint64_t>(std::filesystem::file_size(m + "/model.safetensors")) -
          [&] {  // the file's header: 8 bytes of length, then the JSON
            std::ifstream f(m + "/model.safetensors", std::ios::binary);
            uint64_t n = 0;
            f.read(reinterpret_cast<char*>(&n), 8);
            return n + 8;
          }());
  // A run that cannot fit: the bytes and the policies that would.
  const auto huge = plan(s, {"--model", m, "--tokens", "4000000", "--capture", "full"}, 1);
  CHECK(huge.at("fits") == false);
  std::ifstream err(s.path("plan.err"));
  const std::string line((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
  CHECK_MSG(line.find("GiB are available") != std::string::npos, line);
  CHECK_MSG(line.find("use --capture last-row") != std::string::npos ||
                line.find("use fewer tokens") != std::string::npos,
            line);
  (void)plan(s, {"--model", m, "--tokens", "0"}, 2);
  (void)plan(s, {"--model", m, "--tokens", "8", "--capture", "most"}, 2);
}

TEST_MAIN()
