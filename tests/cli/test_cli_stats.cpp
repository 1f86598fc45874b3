// `attnx-cli stats` end to end: the per-layer statistics it writes equal those computed here
// directly from the reference attention of the fixtures (Hugging Face transformers), for a
// soft-prefix input; CSV has one row per layer and head; bad input exits non-zero.
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "check.h"
#include "cli_runner.h"
#include "fixtures.h"

using namespace attnx;
using namespace attnx::fixtures;
using clitest::Scratch;

namespace {

std::string idsText(const std::vector<int64_t>& ids) {
  std::string t;
  for (std::size_t i = 0; i < ids.size(); ++i) t += (i ? "," : "") + std::to_string(ids[i]);
  return t;
}

struct SoftCase {
  SafetensorsFile ref;
  std::vector<std::string> args;  // the input options
  int layers = 0, heads = 0, T = 0, M = 0;
};

// llama_gqa with its 4 fixture soft tokens before 16 ids: T = 20.
SoftCase softCase(const Scratch& s) {
  SoftCase c{SafetensorsFile::open(fixturesDir() + "/cases/llama_gqa__b_soft_prefix.safetensors"),
             {}};
  const auto rows = floats(c.ref.at("in.soft_prefix"));  // [1, 4, 64]
  writeSafetensors(s.path("soft.safetensors"),
                   {OwnedTensor::fromFloats("soft_tokens", {4, 64}, rows.data())});
  c.args = {"--model",       fixturesDir() + "/models/llama_gqa",
            "--soft-tokens", s.path("soft.safetensors"),
            "--input-ids",   idsText(longs(c.ref.at("in.input_ids"))),
            "--device",      "cpu"};
  const auto& a0 = c.ref.at("out.attentions.0");  // [1, H, T, T]
  c.heads = static_cast<int>(a0.shape[1]);
  c.T = static_cast<int>(a0.shape[2]);
  c.M = 4;
  while (c.ref.find("out.attentions." + std::to_string(c.layers))) ++c.layers;
  return c;
}

// Reference mass of query `q` on keys [k0, k1), per head, of layer `l`.
std::vector<double> refMass(const SoftCase& c, int l, int q, int k0, int k1) {
  const auto a = floats(c.ref.at("out.attentions." + std::to_string(l)));
  std::vector<double> out(c.heads, 0.0);
  for (int h = 0; h < c.heads; ++h)
    for (int k = k0; k < k1; ++k) out[h] += a[(static_cast<std::size_t>(h) * c.T + q) * c.T + k];
  return out;
}

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / v.size();
}

void checkAgainstReference(const SoftCase& c, const nlohmann::json& stats, int q) {
  CHECK_EQ(stats.at("query_position").get<int>(), q);
  const auto& perLayer = stats.at("per_layer");
  CHECK_EQ(static_cast<int>(perLayer.size()), c.layers);
  double maxDiff = 0;
  for (int l = 0; l < c.layers; ++l) {
    const auto soft = refMass(c, l, q, 0, c.M);
    const auto text = refMass(c, l, q, c.M, c.T);
    const auto& row = perLayer.at(l);
    maxDiff = std::max(maxDiff, std::abs(row.at("soft_mean").get<double>() - mean(soft)));
    maxDiff = std::max(maxDiff, std::abs(row.at("text_mean").get<double>() - mean(text)));
    const auto perHead = row.at("per_head_soft").get<std::vector<double>>();
    CHECK_EQ(static_cast<int>(perHead.size()), c.heads);
    for (int h = 0; h < c.heads; ++h) maxDiff = std::max(maxDiff, std::abs(perHead[h] - soft[h]));
  }
  std::printf("  query %d: max |stats - reference| %.2e over %d layers\n", q, maxDiff, c.layers);
  // Attention itself matches transformers within 1e-5 + 1e-4 * |x|; sums of <= 20 such values.
  CHECK_MSG(maxDiff < 1e-4, "statistics differ from the reference by " << maxDiff);
}

nlohmann::json readJson(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

}  // namespace

TEST(json_last_query_matches_reference_attention) {
  Scratch s;
  const SoftCase c = softCase(s);
  auto args = c.args;
  args.insert(args.end(), {"--out", s.path("stats.json")});
  const auto o = clitest::runCli(s, "stats", args);
  CHECK_MSG(o.status == 0, o.err);
  checkAgainstReference(c, readJson(s.path("stats.json")), c.T - 1);
}

TEST(json_chosen_query_matches_reference_attention) {
  Scratch s;
  const SoftCase c = softCase(s);
  auto args = c.args;
  args.insert(args.end(), {"--query", "9", "--out", s.path("stats.json")});
  const auto o = clitest::runCli(s, "stats", args);
  CHECK_MSG(o.status == 0, o.err);
  checkAgainstReference(c, readJson(s.path("stats.json")), 9);
}

TEST(csv_has_a_row_per_layer_and_head) {
  Scratch s;
  const SoftCase c = softCase(s);
  auto args = c.args;
  args.insert(args.end(), {"--format", "csv", "--out", s.path("stats.csv")});
  const auto o = clitest::runCli(s, "stats", args);
  CHECK_MSG(o.status == 0, o.err);
  std::ifstream in(s.path("stats.csv"));
  std::string header, line;
  std::getline(in, header);
  CHECK(header.rfind("layer,head,soft,bos,anchor,text", 0) == 0);
  int rows = 0;
  while (std::getline(in, line))
    if (!line.empty()) ++rows;
  CHECK_EQ(rows, c.layers * c.heads);
}

TEST(bad_input_exits_non_zero_and_writes_nothing) {
  Scratch s;
  const SoftCase c = softCase(s);
  auto past = c.args;
  past.insert(past.end(), {"--query", "20", "--out", s.path("a.json")});
  auto o = clitest::runCli(s, "stats", past);
  CHECK(o.status != 0 && o.err.find("past the input") != std::string::npos);
  auto format = c.args;
  format.insert(format.end(), {"--format", "xml", "--out", s.path("b.json")});
  o = clitest::runCli(s, "stats", format);
  CHECK_EQ(o.status, 2);
  CHECK(!std::filesystem::exists(s.path("a.json")) && !std::filesystem::exists(s.path("b.json")));
}

TEST_MAIN()
