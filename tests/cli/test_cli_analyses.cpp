// `attnx-cli run --value-norms --logit-lens --rollout --knockout` and `attnx-cli scan` end to
// end against the analysis goldens (shared/fixtures/analyses/): the written files read back and
// compared, each printing its largest difference; bad specs and models without an LM head exit 1
// with one line.
#include <algorithm>
#include <fstream>
#include <functional>
#include <numeric>
#include <nlohmann/json.hpp>

#include "analysis_goldens.h"
#include "check.h"
#include "cli_runner.h"
#include "fixtures.h"
#include "run_file.h"
#include "safetensors.h"

using namespace attnx;
using namespace attnx::fixtures;
using json = nlohmann::json;

namespace {

using clitest::Outcome;
using clitest::Scratch;

struct Golden {
  SafetensorsFile file;
  std::vector<std::string> input;  // the command line's input options
};

// The golden's input as command-line options; its soft prefix written as a soft-token file.
Golden golden(const Scratch& s, const std::string& name) {
  Golden g{SafetensorsFile::open(fixturesDir() + "/analyses/" + name + ".safetensors"), {}};
  const auto& meta = g.file.metadata();
  std::string ids;
  for (int64_t id : json::parse(meta.at("input_ids")).get<std::vector<int64_t>>())
    ids += (ids.empty() ? "" : ",") + std::to_string(id);
  g.input = {"--model",     fixturesDir() + "/models/" + meta.at("model"),
             "--input-ids", ids,
             "--threads",   "1"};
  if (std::stoi(meta.at("soft_tokens")) > 0) {
    const TensorView& soft = g.file.at("in.soft_prefix");  // [1, M, d]
    const std::vector<float> rows = floats(soft);
    writeSafetensors(
        s.path(name + "_soft.safetensors"),
        {OwnedTensor::fromFloats("soft_tokens", {soft.shape[1], soft.shape[2]}, rows.data())});
    g.input.insert(g.input.end(), {"--soft-tokens", s.path(name + "_soft.safetensors")});
  }
  return g;
}

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

void expectFailure(const Outcome& o, const std::string& needle) {
  CHECK_MSG(o.status == 1, "exit status " << o.status << ": " << o.err);
  CHECK_MSG(o.err.find(needle) != std::string::npos, "stderr '" << o.err << "' lacks " << needle);
  CHECK_MSG(std::count(o.err.begin(), o.err.end(), '\n') == 1, "not one line: " << o.err);
}

}  // namespace

TEST(run_writes_value_norms_lens_and_rollout) {
  Scratch s;
  for (const std::string name : kAnalysisGoldens) {
    const Golden g = golden(s, name);
    const std::string out = s.path(name + ".safetensors");
    const Outcome o = clitest::runCli(s, "run",
                                      with(g.input, {"--capture", "none", "--value-norms",
                                                     "--logit-lens", "--rollout", "--out", out}));
    CHECK_MSG(o.status == 0, o.err);
    const RunResult r = readRunFile(out);
    std::printf("%s\n", name.c_str());
    for (int l = 0; l < r.model.layers; ++l)
      expectCloseFlat(name + " value_norms." + std::to_string(l),
                      r.valueNorms.at(static_cast<std::size_t>(l)),
                      floats(g.file.at("value_norms." + std::to_string(l))), kAnalysisValues);
    expectCloseFlat(name + " logit_lens", r.logitLens, floats(g.file.at("logit_lens")),
                    kAnalysisValues);
    expectCloseFlat(name + " rollout", r.rollout, floats(g.file.at("rollout")), kAnalysisWeights);
  }
}

TEST(run_with_knockouts_records_them) {
  Scratch s;
  for (const std::string name : kAnalysisGoldens) {
    const Golden g = golden(s, name);
    const json specs = json::parse(g.file.metadata().at("knockouts"));
    for (std::size_t i = 0; i < specs.size(); ++i) {
      const std::string spec = specs[i].get<std::string>();
      const std::string out = s.path(name + "_ko.safetensors");
      const Outcome o = clitest::runCli(
          s, "run", with(g.input, {"--knockout", spec, "--logits", "all", "--out", out}));
      CHECK_MSG(o.status == 0, o.err);
      const RunResult r = readRunFile(out);
      CHECK(r.knockouts == std::vector<std::string>{spec});
      const std::string prefix = "ko." + std::to_string(i) + ".";
      expectCloseFlat(name + " " + spec + " logits", r.logits, floats(g.file.at(prefix + "logits")),
                      kAnalysisValues);
      for (const AttentionTensor& a : r.attentions)
        expectCloseFlat(name + " " + spec + " attentions." + std::to_string(a.layer), a.f32,
                        floats(g.file.at(prefix + "attentions." + std::to_string(a.layer))),
                        kAnalysisWeights);
    }
  }
  // Two knockouts at once are both applied and both recorded.
  const Golden g = golden(s, "llama_gqa_soft");
  const Outcome o =
      clitest::runCli(s, "run",
                      with(g.input, {"--knockout", "0:1:soft", "--knockout", "1:all:6-8",
                                     "--capture", "none", "--out", s.path("two.safetensors")}));
  CHECK_MSG(o.status == 0, o.err);
  CHECK((readRunFile(s.path("two.safetensors")).knockouts ==
         std::vector<std::string>{"0:1:soft", "1:all:6-8"}));
}

TEST(scan_writes_the_causal_head_grid) {
  Scratch s;
  for (const std::string name : kAnalysisGoldens) {
    const Golden g = golden(s, name);
    const auto& meta = g.file.metadata();
    const std::string out = s.path(name + "_scan.json");
    const Outcome o =
        clitest::runCli(s, "scan", with(g.input, {"--keys", meta.at("scan_keys"), "--out", out}));
    CHECK_MSG(o.status == 0, o.err);
    const json j = json::parse(std::ifstream(out));
    CHECK_EQ(j.at("target").get<int64_t>(), std::stoll(meta.at("scan_target")));
    CHECK_EQ(j.at("keys").get<std::string>(), meta.at("scan_keys"));
    const double base = std::stod(meta.at("scan_base_logprob"));
    CHECK(std::fabs(j.at("base_logprob").get<double>() - base) <=
          kAnalysisValues.atol + kAnalysisValues.rtol * std::fabs(base));
    std::vector<float> delta;
    for (const json& row : j.at("delta"))
      for (const json& v : row) delta.push_back(v.get<float>());
    std::printf("%s\n", name.c_str());
    expectCloseFlat(name + " scan.delta", delta, floats(g.file.at("scan.delta")), kAnalysisScan);
  }
  // A given target is used as it is.
  const Golden g = golden(s, "gpt2_tiny_ids");
  const Outcome o = clitest::runCli(
      s, "scan", with(g.input, {"--keys", "0-0", "--target", "7", "--out", s.path("t.json")}));
  CHECK_MSG(o.status == 0, o.err);
  CHECK_EQ(json::parse(std::ifstream(s.path("t.json"))).at("target").get<int64_t>(), 7);
}

TEST(bad_specs_and_encoders_exit_1_with_one_line) {
  Scratch s;
  const Golden g = golden(s, "gpt2_tiny_ids");
  const std::string out = s.path("bad.safetensors");
  expectFailure(clitest::runCli(s, "run", with(g.input, {"--knockout", "5:0:text", "--out", out})),
                "knockout '5:0:text': the model has 2 layers");
  expectFailure(clitest::runCli(s, "run", with(g.input, {"--knockout", "0:9:text", "--out", out})),
                "knockout '0:9:text': the model has 4 heads");
  expectFailure(clitest::runCli(s, "run", with(g.input, {"--knockout", "0:0:soft", "--out", out})),
                "knockout '0:0:soft': the input has no soft positions");
  expectFailure(clitest::runCli(s, "run", with(g.input, {"--knockout", "0:0", "--out", out})),
                "knockout '0:0'");
  expectFailure(
      clitest::runCli(s, "scan", with(g.input, {"--keys", "nothing", "--out", s.path("x.json")})),
      "--keys 'nothing': expected soft, bos");
  const std::vector<std::string> bert = {"--model", fixturesDir() + "/models/bert_tiny",
                                         "--input-ids", "2,10,11,3"};
  expectFailure(clitest::runCli(s, "run", with(bert, {"--logit-lens", "--out", out})),
                "the logit lens needs an LM head");
  expectFailure(
      clitest::runCli(s, "scan", with(bert, {"--keys", "0-1", "--out", s.path("b.json")})),
      "a knockout scan needs an LM head");
  CHECK(!std::ifstream(out).good());
  const Outcome query = clitest::runCli(s, "run", with(g.input, {"--query", "3", "--out", out}));
  CHECK_EQ(query.status, 2);
  CHECK(query.err.find("--query is the row of --logit-lens") != std::string::npos);
}

TEST(run_files_with_bad_analyses_are_refused) {
  Scratch s;
  const Golden g = golden(s, "gpt2_tiny_ids");
  const std::string good = s.path("good.safetensors");
  CHECK_EQ(clitest::runCli(s, "run",
                           with(g.input, {"--capture", "none", "--logit-lens", "--value-norms",
                                          "--knockout", "0:all:1-3", "--out", good}))
               .status,
           0);
  const auto f = SafetensorsFile::open(good);
  // Rewrites the good file with one metadata entry or one tensor changed.
  auto refused = [&](const std::string& key, const std::string& value, const std::string& tensor,
                     std::vector<int64_t> shape, const std::string& needle) {
    std::vector<OwnedTensor> tensors;
    for (const auto& t : f.tensors()) {
      if (t.name == tensor) {
        std::vector<float> zeros(static_cast<std::size_t>(
            std::accumulate(shape.begin(), shape.end(), int64_t{1}, std::multiplies<>())));
        tensors.push_back(OwnedTensor::fromFloats(t.name, shape, zeros.data()));
      } else {
        tensors.push_back(OwnedTensor::copyOf(t));
      }
    }
    auto meta = f.metadata();
    if (!key.empty()) meta[key] = value;
    const std::string path = s.path("bad.safetensors");
    writeSafetensors(path, tensors, meta);
    std::string message;
    try {
      (void)readRunFile(path);
    } catch (const Error& e) {
      message = e.what();
    }
    std::printf("  %s\n", message.c_str());
    CHECK_MSG(message.find(needle) != std::string::npos, "'" << message << "' lacks " << needle);
  };
  refused("knockouts", "[\"0:all\"]", "", {}, "metadata \"knockouts\": knockout '0:all'");
  refused("lens_positions", "[99]", "", {}, "lens_positions");
  refused("lens_labels", "[[9999, \"x\"]]", "", {}, "lens_labels");
  refused("", "", "logit_lens", {1, 2, 500}, "logit_lens");
  refused("", "", "value_norms.0", {1, 3, 16}, "value_norms.0");
}

int main(int argc, char** argv) { return check::runAll(argc, argv); }
