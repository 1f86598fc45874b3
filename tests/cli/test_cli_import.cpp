// `attnx import` on files written by real torch.save and NumPy (Debian's python3-torch and
// python3-numpy, by tests/cli/attention_files.py): every format reads the source's values
// exactly, with its tokens, ids and layout; save_run (tools/export_soft_tokens.py) writes a run
// file attnx reads as is; broken inputs exit 1 with one line and write nothing.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "check.h"
#include "cli_runner.h"
#include "run_file.h"

using namespace attnx;
using clitest::Outcome;
using clitest::quote;
using fixtures::Scratch;
namespace fs = std::filesystem;

namespace {

std::vector<float> readF32(const std::string& path) {
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  const auto size = static_cast<std::size_t>(f.tellg());
  std::vector<float> v(size / sizeof(float));
  f.seekg(0);
  f.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(size));
  return v;
}

// The generated files, once per test binary.
const Scratch& files() {
  static Scratch s("import");
  static const bool made = [] {
    const std::string cmd = quote(ATTNX_PYTHON) + " " +
                            quote(std::string(ATTNX_SOURCE_DIR) + "/tests/cli/attention_files.py") +
                            " " + quote(s.path()) + " " +
                            quote(std::string(ATTNX_SOURCE_DIR) + "/tools") + " 2>" +
                            quote(s.path("python.txt"));
    return std::system(cmd.c_str()) == 0;
  }();
  if (!made) {
    std::ifstream in(s.path("python.txt"));
    std::stringstream err;
    err << in.rdbuf();
    CHECK_MSG(made,
              "attention_files.py failed (python3-torch and python3-numpy, see "
              "tools/install-deps.sh): "
                  << err.str());
  }
  return s;
}

nlohmann::json meta() {
  std::ifstream f(files().path("meta.json"));
  return nlohmann::json::parse(f);
}

// The run's attention as [L,H,T,T], layer by layer.
std::vector<float> flat(const RunResult& r) {
  std::vector<float> out;
  for (const AttentionTensor& a : r.attentions) out.insert(out.end(), a.f32.begin(), a.f32.end());
  return out;
}

RunResult imported(const Scratch& s, const std::string& file,
                   const std::vector<std::string>& extra = {}) {
  const std::string out = s.path(file + ".run.safetensors");
  std::vector<std::string> args = {"--attentions", files().path(file), "--out", out};
  args.insert(args.end(), extra.begin(), extra.end());
  const Outcome o = clitest::runCli(s, "import", args);
  CHECK_MSG(o.status == 0, file << ": " << o.err);
  return readRunFile(out);
}

void expectSameValues(const RunResult& r, const std::string& reference, const std::string& what) {
  const std::vector<float> want = readF32(files().path(reference)), got = flat(r);
  CHECK_MSG(got.size() == want.size(), what << ": " << got.size() << " values, " << want.size());
  double most = 0;
  for (std::size_t i = 0; i < std::min(got.size(), want.size()); ++i)
    most = std::max(most, double(std::abs(got[i] - want[i])));
  std::printf("%-22s max |diff| vs source %.3g\n", what.c_str(), most);
  CHECK_MSG(most == 0.0, what << ": the imported weights differ from the source by " << most);
}

void expectShape(const RunResult& r, const nlohmann::json& m) {
  CHECK(r.model.layers == m["L"].get<int>());
  CHECK(r.model.heads == m["H"].get<int>());
  CHECK(r.seqLen == m["T"].get<int>());
  CHECK(r.attentions.size() == m["L"].get<std::size_t>());
}

std::string layoutText(const RunResult& r) {
  std::string s;
  for (const Segment& seg : r.layout.at(0))
    s += (s.empty() ? "" : ",") + std::string(segmentKindName(seg.kind)) + ":" +
         std::to_string(seg.size());
  return s;
}

}  // namespace

TEST(every_format_reads_the_source_values) {
  Scratch s;
  const nlohmann::json m = meta();
  for (const std::string file : {"tuple.pt", "list.pt", "dict.pt", "stacked.npy", "named.npz",
                                 "positional.npz", "layers.safetensors"}) {
    const RunResult r = imported(s, file);
    expectShape(r, m);
    expectSameValues(r, "ref.f32", file);
  }
  const RunResult half = imported(s, "half.pt");
  expectSameValues(half, "ref16.f32", "half.pt (float16)");
}

TEST(tokens_ids_and_layout_come_from_the_file_or_the_options) {
  Scratch s;
  const nlohmann::json m = meta();
  const auto tokens = m["tokens"].get<std::vector<std::string>>();
  const auto ids = m["input_ids"].get<std::vector<int64_t>>();
  const RunResult d = imported(s, "dict.pt");
  CHECK(d.tokens == tokens);
  CHECK(d.inputIds == ids);
  CHECK(layoutText(d) == m["layout"].get<std::string>());
  const RunResult st = imported(s, "layers.safetensors");
  CHECK(st.tokens == tokens);
  CHECK(layoutText(st) == m["layout"].get<std::string>());
  const RunResult npz = imported(s, "named.npz");
  CHECK(npz.inputIds == ids);
  // Without any: all text, labels from the ids or the positions; --layout and --tokens win.
  const RunResult plain = imported(s, "tuple.pt");
  CHECK(layoutText(plain) == "text:10");
  CHECK(plain.tokens.at(3) == "[3]");
  { std::ofstream(s.path("tokens.json")) << nlohmann::json(tokens).dump(); }
  const RunResult given = imported(
      s, "tuple.pt", {"--layout", "soft:2,bos:1,text:7", "--tokens", s.path("tokens.json")});
  CHECK(layoutText(given) == "soft:2,bos:1,text:7");
  CHECK(given.tokens == tokens);
}

TEST(save_run_writes_a_run_file_attnx_reads) {
  const nlohmann::json m = meta();
  const RunResult r = readRunFile(files().path("saved_run.safetensors"));
  expectShape(r, m);
  expectSameValues(r, "ref.f32", "save_run");
  CHECK(r.tokens == m["tokens"].get<std::vector<std::string>>());
  CHECK(r.inputIds == m["input_ids"].get<std::vector<int64_t>>());
  CHECK(layoutText(r) == m["layout"].get<std::string>());
}

TEST(broken_inputs_exit_1_and_write_nothing) {
  Scratch s;
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--attentions", files().path("scores.pt")}, "not a weight in [0, 1]"},
      {{"--attentions", files().path("unequal.pt")}, "every layer must have the same T"},
      {{"--attentions", files().path("batch.pt")}, "one example at a time"},
      {{"--attentions", files().path("compressed.npz")}, "not numpy.savez_compressed"},
      {{"--attentions", files().path("tuple.pt"), "--layout", "soft:3"}, "covers 3 of the 10"},
      {{"--attentions", files().path("tuple.pt"), "--layout", "soft:4,nope:6"}, "the kind must be"},
      {{"--attentions", files().path("meta.json")}, "not an attention file"},
      {{"--attentions", files().path("empty.npy")}, "an empty dimension"},
      {{"--attentions", files().path("expanded.pt")}, "is too large"},
      {{"--attentions", files().path("nested.pt")}, "holds more than"},
      {{"--attentions", s.path("missing.pt")}, "cannot open"},
  };
  for (const auto& [args, needle] : cases) {
    std::vector<std::string> a = args;
    a.insert(a.end(), {"--out", s.path("out.safetensors")});
    const Outcome o = clitest::runCli(s, "import", a);
    CHECK_MSG(o.status == 1, args[1] << ": exit " << o.status << ": " << o.err);
    CHECK_MSG(o.err.find(needle) != std::string::npos,
              "'" << o.err << "' lacks '" << needle << "'");
    CHECK_MSG(std::count(o.err.begin(), o.err.end(), '\n') == 1, "not one line: " << o.err);
  }
  // Nothing was written: only the runner's stderr file is in the folder.
  for (const auto& e : fs::directory_iterator(s.dir))
    CHECK_MSG(e.path().filename() == "stderr.txt", "left behind: " << e.path());
}

// Weights in [0, 1] whose rows do not sum to 1 (scaled, or normalised over another axis) are
// refused with the sum they have.
TEST(rows_that_do_not_sum_to_one_are_refused) {
  Scratch s;
  const std::string cmd = quote(ATTNX_PYTHON) + " -c " +
                          quote(
                              "import torch; a = torch.softmax(torch.randn(1, 2, 6, 6), -1) * 0.5; "
                              "torch.save((a,), '" +
                              s.path("half_rows.pt") + "')");
  CHECK(std::system(cmd.c_str()) == 0);
  const Outcome o = clitest::runCli(
      s, "import", {"--attentions", s.path("half_rows.pt"), "--out", s.path("o.safetensors")});
  CHECK(o.status == 1);
  CHECK_MSG(o.err.find("sums to 0.5") != std::string::npos, o.err);
  CHECK(!fs::exists(s.path("o.safetensors")));
}

TEST_MAIN()
