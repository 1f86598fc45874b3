// `attnx-cli analyze` end to end on the built-in demo: stats.json in the documented shape and
// summary.csv, resuming an interrupted run, refusing other options without --restart, Ctrl+C,
// and the exit status of bad usage (2) and broken examples files (1).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "check.h"
#include "cli_runner.h"
#include "shared_dir.h"

using namespace attnx;
using clitest::Scratch;
using nlohmann::json;

namespace {

std::string demoDir() { return fixtures::demoModelDir(); }

std::string text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The demo's first `n` examples (n <= 48), or `n` copies cycling through them with fresh ids.
std::string examples(const Scratch& s, int n, const std::string& name = "examples.jsonl") {
  std::vector<json> demo;
  std::ifstream in(demoDir() + "/examples.jsonl");
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) demo.push_back(json::parse(line));
  std::string out;
  for (int i = 0; i < n; ++i) {
    json j = demo[static_cast<std::size_t>(i) % demo.size()];
    if (i >= static_cast<int>(demo.size())) j["id"] = "copy-" + std::to_string(i);
    out += j.dump() + "\n";
  }
  std::ofstream(s.path(name)) << out;
  return s.path(name);
}

std::vector<std::string> demoArgs(const std::string& examplesFile, const std::string& out) {
  return {"--model",
          demoDir(),
          "--examples",
          examplesFile,
          "--soft-tokens",
          demoDir() + "/soft_tokens.safetensors",
          "--bos-after-soft",
          "--out",
          out,
          "--device",
          "cpu",
          "--threads",
          "1"};
}

}  // namespace

TEST(demo_analysis_writes_stats_and_summary) {
  Scratch s;
  const auto o =
      clitest::runCli(s, "analyze", demoArgs(demoDir() + "/examples.jsonl", s.path("out")));
  CHECK_MSG(o.status == 0, o.err);
  CHECK_MSG(o.err.find("48 / 48 examples") != std::string::npos, o.err);
  CHECK_MSG(o.err.find("figures") != std::string::npos &&
                o.err.find("attnx executable") != std::string::npos,
            o.err);
  const json j = json::parse(text(s.path("out/stats.json")));
  CHECK_EQ(j.at("examples").size(), std::size_t(48));
  const json& e = j.at("examples").at(0);
  CHECK_EQ(e.at("id").get<std::string>(), std::string("demo-000"));
  CHECK(e.at("correct").is_boolean() && e.at("em").is_number() && e.at("f1").is_number());
  for (const char* k : {"soft", "bos", "anchor", "text"}) {
    CHECK_EQ(e.at("mass").at(k).size(), std::size_t(4));        // layers
    CHECK_EQ(e.at("mass").at(k).at(3).size(), std::size_t(4));  // heads
  }
  // Masses of a row sum to 1 over the segments.
  double sum = 0;
  for (const char* k : {"soft", "bos", "anchor", "text"}) sum += e["mass"][k][2][1].get<double>();
  CHECK(std::abs(sum - 1.0) < 1e-5);
  // The demo's given correctness: 33 of 48 (resources/demo/README.md).
  const json& g = j.at("groups");
  CHECK_EQ(g.at("correct").at("n").get<int>(), 33);
  CHECK_EQ(g.at("incorrect").at("n").get<int>(), 15);
  const json& byLayer = g.at("correct").at("soft_by_layer");
  CHECK_EQ(byLayer.at("mean").size(), std::size_t(4));
  for (std::size_t l = 0; l < 4; ++l) {
    const double m = byLayer["mean"][l], lo = byLayer["ci95"][l][0], hi = byLayer["ci95"][l][1];
    CHECK(lo < m && m < hi);
  }
  CHECK_EQ(g.at("correct").at("mass_mean").at("soft").size(), std::size_t(4));
  CHECK(j.at("meta").at("complete").get<bool>());
  CHECK_EQ(j.at("meta").at("settings").at("correctness").get<std::string>(), std::string("em"));
  CHECK(!j.at("meta").at("app_version").get<std::string>().empty());
  std::printf("  soft mass by layer, correct: %.3f %.3f %.3f %.3f\n",
              byLayer["mean"][0].get<double>(), byLayer["mean"][1].get<double>(),
              byLayer["mean"][2].get<double>(), byLayer["mean"][3].get<double>());

  std::ifstream csv(s.path("out/summary.csv"));
  int lines = 0;
  for (std::string line; std::getline(csv, line);) lines += !line.empty();
  CHECK_EQ(lines, 49);
}

TEST(interrupted_run_resumes_to_the_same_result) {
  Scratch s;
  const std::string ex = examples(s, 10);
  const auto args = demoArgs(ex, s.path("out"));
  auto o = clitest::runCli(s, "analyze", args);
  CHECK_MSG(o.status == 0, o.err);
  const json whole = json::parse(text(s.path("out/stats.json")));
  // As if killed after 4 examples.
  json part = whole;
  part["examples"].erase(part["examples"].begin() + 4, part["examples"].end());
  std::ofstream(s.path("out/stats.json")) << part.dump();
  o = clitest::runCli(s, "analyze", args);
  CHECK_MSG(o.status == 0, o.err);
  CHECK_MSG(
      o.err.find("continuing") != std::string::npos && o.err.find("4 / 10") != std::string::npos,
      o.err);
  const json resumed = json::parse(text(s.path("out/stats.json")));
  CHECK(resumed.at("examples") == whole.at("examples"));
  CHECK(resumed.at("groups") == whole.at("groups"));
  // Complete: nothing to do.
  o = clitest::runCli(s, "analyze", args);
  CHECK_MSG(o.status == 0 && o.err.find("already complete") != std::string::npos, o.err);
}

TEST(other_options_need_restart) {
  Scratch s;
  const std::string ex = examples(s, 4);
  auto args = demoArgs(ex, s.path("out"));
  CHECK_EQ(clitest::runCli(s, "analyze", args).status, 0);
  auto other = args;
  other.insert(other.end(), {"--correctness", "first-token"});
  auto o = clitest::runCli(s, "analyze", other);
  CHECK_EQ(o.status, 1);
  CHECK_MSG(o.err.find("--correctness") != std::string::npos &&
                o.err.find("--restart") != std::string::npos,
            o.err);
  other.push_back("--restart");
  o = clitest::runCli(s, "analyze", other);
  CHECK_MSG(o.status == 0, o.err);
  const json j = json::parse(text(s.path("out/stats.json")));
  CHECK_EQ(j["meta"]["settings"]["correctness"].get<std::string>(), std::string("first_token"));
  CHECK_EQ(j["examples"][0]["correct_source"].get<std::string>(), std::string("given"));
  // A damaged stats.json is named, with the way out.
  std::ofstream(s.path("out/stats.json")) << "{\"meta\": 1";
  o = clitest::runCli(s, "analyze", args);
  CHECK_EQ(o.status, 1);
  CHECK_MSG(
      o.err.find("stats.json") != std::string::npos && o.err.find("--restart") != std::string::npos,
      o.err);
}

TEST(bad_usage_exits_2_and_broken_examples_exit_1) {
  Scratch s;
  const std::string ex = examples(s, 3);
  auto with = [&](std::vector<std::string> extra, bool dropOut = false) {
    auto a = demoArgs(ex, s.path("out"));
    if (dropOut) a.erase(a.begin() + 7, a.begin() + 9);  // "--out DIR"
    a.insert(a.end(), extra.begin(), extra.end());
    return clitest::runCli(s, "analyze", a);
  };
  CHECK_EQ(with({}, true).status, 2);
  CHECK_EQ(with({"--correctness", "exact"}).status, 2);
  CHECK_EQ(with({"--query", "first"}).status, 2);
  CHECK_EQ(with({"--colour", "red"}).status, 2);
  auto noSoft = clitest::runCli(
      s, "analyze",
      {"--model", demoDir(), "--examples", ex, "--bos-after-soft", "--out", s.path("o2")});
  CHECK_EQ(noSoft.status, 2);

  std::ofstream(s.path("broken.jsonl")) << text(ex) << "{\"id\": \"x\", \"prompt\": \n";
  auto o = clitest::runCli(s, "analyze", demoArgs(s.path("broken.jsonl"), s.path("o3")));
  CHECK_EQ(o.status, 1);
  CHECK_MSG(o.err.find("broken.jsonl:4: broken JSON") != std::string::npos, o.err);
  CHECK(!std::filesystem::exists(s.path("o3/stats.json")));
  // soft_index past the soft-token file.
  std::ofstream(s.path("far.jsonl"))
      << "{\"id\": \"f\", \"anchor\": \"Q:\", \"prompt\": \"\", \"correct\": true, "
         "\"soft_index\": 48}\n";
  o = clitest::runCli(s, "analyze", demoArgs(s.path("far.jsonl"), s.path("o4")));
  CHECK_EQ(o.status, 1);
  CHECK_MSG(o.err.find("soft_index 48 is out of range") != std::string::npos, o.err);
}

TEST(ctrl_c_keeps_the_finished_examples) {
  Scratch s;
  // Long enough not to finish first: 3000 examples that each generate 16 tokens.
  std::vector<json> demo;
  std::ifstream in(demoDir() + "/examples.jsonl");
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) demo.push_back(json::parse(line));
  {
    std::ofstream out(s.path("many.jsonl"));
    for (int i = 0; i < 3000; ++i) {
      json j = demo[static_cast<std::size_t>(i) % demo.size()];
      j["id"] = "n" + std::to_string(i);
      j.erase("correct");
      j.erase("prediction");
      out << j.dump() << "\n";
    }
  }
  const auto args = demoArgs(s.path("many.jsonl"), s.path("out"));
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<std::string> all = {ATTNX_CLI_PATH, "analyze"};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    FILE* err = std::freopen(s.path("err.txt").c_str(), "w", stderr);
    (void)err;
    execv(ATTNX_CLI_PATH, argv.data());
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!std::filesystem::exists(s.path("out/stats.json")) &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  const std::string err = text(s.path("err.txt"));
  CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 1, "status " << status << ": " << err);
  CHECK_MSG(err.find("cancelled") != std::string::npos, err);
  const json j = json::parse(text(s.path("out/stats.json")));
  const std::size_t done = j.at("examples").size();
  CHECK(done >= 1 && done < 3000);
  CHECK(!j.at("meta").at("complete").get<bool>());
  std::printf("  Ctrl+C after %zu of 3000 examples; stats.json keeps them\n", done);
}

TEST_MAIN()
