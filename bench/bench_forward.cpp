// Forward-pass cost of attention capture, against a matrix-product lower bound measured in the
// same run. Two random-weight checkpoints are written as Hugging Face folders to a temporary
// directory (vocabulary cut to 8192 so that the files stay small; the layers have the real shapes):
//   gpt2-small  12 layers, width 768, 12 heads, MLP 3072, learned positions
//   llama-1B/4  4 layers, width 1024, 16 heads (head_dim 64), 4 KV heads, SiLU MLP 2816, RoPE
//   llama-2L    2 layers, width 512, 8 heads, 2 KV heads, MLP 1376, vocabulary 32000 (150 MB):
//               the long-input shape, 512 to 32768 tokens
// Logits are those of the query row (attnx run's default --logits query).
// Each configuration runs in a forked child, so that its peak resident memory (ru_maxrss) is its
// own. Figures: median forward time, the same GEMMs with at::mm/at::bmm on random tensors of the
// same shapes (the lower bound), captured attention bytes, peak RSS and the run's extra memory
// over the loaded model.
#include <ATen/ATen.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "args.h"
#include "memory_plan.h"
#include "model.h"
#include "openmp_env.h"
#include "safetensors.h"

using namespace attnx;
namespace fs = std::filesystem;

namespace {

struct Shape {
  std::string name, family;
  int layers, hidden, heads, kvHeads, ffn, vocab;
};

const Shape kGpt2{"gpt2-small", "gpt2", 12, 768, 12, 12, 3072, 8192};
const Shape kLlama{"llama-1B/4", "llama", 4, 1024, 16, 4, 2816, 8192};
const Shape kLong{"llama-2L", "llama", 2, 512, 8, 2, 1376, 32000};

void addTensor(std::vector<OwnedTensor>& out, const std::string& name, std::vector<int64_t> shape,
               float scale, float offset = 0.f) {
  at::Tensor t = at::randn(shape) * scale + offset;
  out.push_back(OwnedTensor::fromFloats(name, shape, t.contiguous().data_ptr<float>()));
}

void writeModel(const Shape& s, const fs::path& dir) {
  fs::create_directories(dir);
  std::vector<OwnedTensor> w;
  const int64_t d = s.hidden, hd = s.hidden / s.heads, kv = int64_t{s.kvHeads} * hd;
  std::string config;
  if (s.family == "gpt2") {
    addTensor(w, "transformer.wte.weight", {s.vocab, d}, 0.02f);
    addTensor(w, "transformer.wpe.weight", {1024, d}, 0.01f);
    addTensor(w, "transformer.ln_f.weight", {d}, 0.f, 1.f);
    addTensor(w, "transformer.ln_f.bias", {d}, 0.f);
    for (int l = 0; l < s.layers; ++l) {
      const std::string p = "transformer.h." + std::to_string(l) + ".";
      addTensor(w, p + "ln_1.weight", {d}, 0.f, 1.f);
      addTensor(w, p + "ln_1.bias", {d}, 0.f);
      addTensor(w, p + "attn.c_attn.weight", {d, 3 * d}, 0.02f);
      addTensor(w, p + "attn.c_attn.bias", {3 * d}, 0.f);
      addTensor(w, p + "attn.c_proj.weight", {d, d}, 0.02f);
      addTensor(w, p + "attn.c_proj.bias", {d}, 0.f);
      addTensor(w, p + "ln_2.weight", {d}, 0.f, 1.f);
      addTensor(w, p + "ln_2.bias", {d}, 0.f);
      addTensor(w, p + "mlp.c_fc.weight", {d, s.ffn}, 0.02f);
      addTensor(w, p + "mlp.c_fc.bias", {s.ffn}, 0.f);
      addTensor(w, p + "mlp.c_proj.weight", {s.ffn, d}, 0.02f);
      addTensor(w, p + "mlp.c_proj.bias", {d}, 0.f);
    }
    config = "{\"model_type\":\"gpt2\",\"vocab_size\":" + std::to_string(s.vocab) +
             ",\"n_positions\":1024,\"n_embd\":" + std::to_string(d) +
             ",\"n_layer\":" + std::to_string(s.layers) + ",\"n_head\":" + std::to_string(s.heads) +
             ",\"activation_function\":\"gelu_new\"}";
  } else {
    addTensor(w, "model.embed_tokens.weight", {s.vocab, d}, 0.02f);
    addTensor(w, "model.norm.weight", {d}, 0.f, 1.f);
    addTensor(w, "lm_head.weight", {s.vocab, d}, 0.02f);
    for (int l = 0; l < s.layers; ++l) {
      const std::string p = "model.layers." + std::to_string(l) + ".";
      addTensor(w, p + "input_layernorm.weight", {d}, 0.f, 1.f);
      addTensor(w, p + "post_attention_layernorm.weight", {d}, 0.f, 1.f);
      addTensor(w, p + "self_attn.q_proj.weight", {d, d}, 0.02f);
      addTensor(w, p + "self_attn.k_proj.weight", {kv, d}, 0.02f);
      addTensor(w, p + "self_attn.v_proj.weight", {kv, d}, 0.02f);
      addTensor(w, p + "self_attn.o_proj.weight", {d, d}, 0.02f);
      addTensor(w, p + "mlp.gate_proj.weight", {s.ffn, d}, 0.02f);
      addTensor(w, p + "mlp.up_proj.weight", {s.ffn, d}, 0.02f);
      addTensor(w, p + "mlp.down_proj.weight", {d, s.ffn}, 0.02f);
    }
    config = "{\"model_type\":\"llama\",\"vocab_size\":" + std::to_string(s.vocab) +
             ",\"hidden_size\":" + std::to_string(d) +
             ",\"intermediate_size\":" + std::to_string(s.ffn) +
             ",\"num_hidden_layers\":" + std::to_string(s.layers) +
             ",\"num_attention_heads\":" + std::to_string(s.heads) +
             ",\"num_key_value_heads\":" + std::to_string(s.kvHeads) +
             ",\"max_position_embeddings\":32768,\"rms_norm_eps\":1e-5,\"rope_theta\":500000.0}";
  }
  writeSafetensors((dir / "model.safetensors").string(), w);
  std::ofstream(dir / "config.json") << config;
}

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

template <class F>
double median(int reps, F&& f) {
  f();  // warm-up
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) {
    const double a = now();
    f();
    t.push_back(now() - a);
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

// The forward pass's matrix products on random tensors of the same shapes (batch 1): the
// projections, the MLP, the full (not causal) score and value products in chunks of 512 query
// rows (so that the bound itself never holds [H,T,T]), and the LM head on the query row.
double gemmBound(const Shape& s, int T, int reps) {
  const int64_t d = s.hidden, hd = s.hidden / s.heads, kv = int64_t{s.kvHeads} * hd;
  const int64_t chunk = std::min<int64_t>(T, 512);
  auto r = [](std::vector<int64_t> shape) { return at::randn(shape); };
  at::Tensor x = r({T, d}), qkvW = r({d, d + 2 * kv}), oW = r({d, d}), upW = r({d, s.ffn}),
             downW = r({s.ffn, d}), headW = r({d, s.vocab}), xf = r({T, s.ffn});
  at::Tensor q = r({s.heads, chunk, hd}), kt = r({s.heads, hd, T}), p = r({s.heads, chunk, T}),
             v = r({s.heads, T, hd});
  const bool gated = s.family != "gpt2";
  return median(reps, [&] {
    for (int l = 0; l < s.layers; ++l) {
      (void)at::mm(x, qkvW);
      for (int64_t q0 = 0; q0 < T; q0 += chunk) {
        (void)at::bmm(q, kt);
        (void)at::bmm(p, v);
      }
      (void)at::mm(x, oW);
      (void)at::mm(x, upW);
      if (gated) (void)at::mm(x, upW);
      (void)at::mm(xf, downW);
    }
    (void)at::mm(x.narrow(0, T - 1, 1), headW);
  });
}

struct Figures {
  double forward = 0, bound = 0;
  double capturedMB = 0, peakMB = 0, extraMB = 0, plannedMB = 0;
};

double rssMB() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return 0;
}

int gThreads = 0;  // 0: all hardware threads
int gBlock = 0;    // memory-lean attention tile edge; 0: the default

// A capture policy by its command-line name.
struct Policy {
  const char* name;
  CapturePolicy::Rows rows;
  bool queryKeys;
};
const Policy kPolicies[] = {{"full", CapturePolicy::Rows::Full, false},
                            {"last-row", CapturePolicy::Rows::LastRow, false},
                            {"none", CapturePolicy::Rows::None, false},
                            {"qk", CapturePolicy::Rows::LastRow, true}};

Figures measure(const Shape& s, const fs::path& dir, int T, const Policy& policy) {
  LoadOptions options;
  options.device = "cpu";
  options.threads = gThreads;
  options.attentionBlock = gBlock;
  auto model = Model::load(dir.string(), options);
  // The planner's prediction (attnx plan) for this run, to print beside the measured peak.
  PlanRequest plan;
  plan.tokens = T;
  plan.attentionBlock = gBlock > 0 ? gBlock : 512;
  setPlanCapture(plan, policy.name);
  const HParams hp = loadHParams(dir.string());
  BatchInput in;
  in.seqLen = T;
  for (int i = 0; i < T; ++i) in.ids.push_back((i * 7919) % s.vocab);
  CapturePolicy p;
  p.rows = policy.rows;
  p.queryKeys = policy.queryKeys;
  p.fullLogits = false;
  const int reps = T >= 4096 ? 1 : T >= 512 ? 3 : 5;
  Figures f;
  // A short run without capture first: it touches the mapped weights, so that the steady-state
  // resident size includes them and "extra" is what the timed runs add on top.
  BatchInput first = in;
  first.seqLen = std::min(T, 64);
  first.ids.resize(static_cast<std::size_t>(first.seqLen));
  CapturePolicy touch;
  touch.rows = CapturePolicy::Rows::None;
  touch.fullLogits = false;
  (void)model->run(first, touch);
  const double loaded = rssMB();
  std::size_t captured = 0;
  f.forward = median(reps, [&] {
    RunResult r = model->run(in, p);
    captured = 0;
    for (const auto& a : r.attentions) captured += a.bytes();
    for (const auto& qk : r.queryKeys) captured += qk.bytes();
  });
  f.capturedMB = captured / 1048576.0;
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  f.peakMB = u.ru_maxrss / 1024.0;
  f.extraMB = f.peakMB - loaded;
  f.plannedMB = planMemory(hp, archFor(hp.family), plan).peak / 1048576.0;
  f.bound = gemmBound(s, T, reps);
  return f;
}

// Runs `measure` in a child process and reads its figures from a pipe.
Figures inChild(const Shape& s, const fs::path& dir, int T, const Policy& rows) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    Figures f{};
    try {
      f = measure(s, dir, T, rows);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s\n", e.what());
    }
    if (write(fds[1], &f, sizeof f) != sizeof f) _exit(1);
    _exit(0);
  }
  close(fds[1]);
  Figures f{};
  std::fflush(stdout);
  if (read(fds[0], &f, sizeof f) != sizeof f) f = {};
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return f;
}

// Runs `f` in a child process and waits for it. The parent never touches libtorch: OpenMP and
// OpenBLAS thread pools do not survive fork().
template <class F>
void forked(F&& f) {
  std::fflush(stdout);  // or the child would print the parent's buffered lines again
  const pid_t pid = fork();
  if (pid == 0) {
    f();
    std::fflush(stdout);
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
}

}  // namespace

constexpr const char* kUsage =
    "usage: bench_forward [--model gpt2|llama|long] [--tokens N] [--threads N] [--block N]\n"
    "  Forward time per capture policy (full, last-row, none, qk) against the matrix-product\n"
    "  bound measured in the same run, captured bytes and peak memory, each configuration in a\n"
    "  child process of its own.\n"
    "  --model    only this shape (default: all three; long is llama-2L)\n"
    "  --tokens   only this length (default: 128 and 512; long: 512, 2048, 8192, 32768)\n"
    "  --threads  libtorch threads (default: every hardware thread)\n"
    "  --block    tile edge of the memory-lean attention (default 512)\n"
    "  Full capture runs up to 4096 tokens (beyond, its [L,H,T,T] would not fit).\n";

int main(int argc, char** argv) {
  restartWithPassiveOpenMpWait(argv);  // as attnx itself runs
  const std::vector<std::string> argv1(argv + 1, argv + argc);
  std::string onlyModel;
  int onlyT = 0;
  try {
    for (const auto& a : argv1)
      if (a == "--help" || a == "-h") {
        std::printf("%s", kUsage);
        return 0;
      }
    const cli::Args args(argv1, {"model", "tokens", "threads", "block"}, {});
    onlyModel = args.value("model", "");
    if (!onlyModel.empty() && onlyModel != "gpt2" && onlyModel != "llama" && onlyModel != "long")
      throw cli::UsageError("--model must be gpt2, llama or long");
    onlyT = args.integer("tokens", 0);
    gThreads = args.integer("threads", 0);
    gBlock = args.integer("block", 0);
    if (onlyT < 0 || gThreads < 0 || gBlock < 0)
      throw cli::UsageError("--tokens, --threads and --block are positive");
  } catch (const cli::UsageError& e) {
    std::fprintf(stderr, "bench_forward: %s\n%s", e.what(), kUsage);
    return 2;
  }
  forked([] { std::printf("%s", runtimeDescription().c_str()); });
  char tmpl[] = "/tmp/attnx-bench-XXXXXX";
  const fs::path root = ::mkdtemp(tmpl);
  std::printf("\n%-11s %5s %-9s %11s %11s %6s %12s %10s %10s %10s %6s\n", "model", "T", "capture",
              "forward ms", "GEMM ms", "ratio", "captured MB", "peak MB", "extra MB", "planned MB",
              "plan/peak");
  const std::pair<Shape, std::vector<int>> shapes[] = {
      {kGpt2, {128, 512}}, {kLlama, {128, 512}}, {kLong, {512, 2048, 8192, 32768}}};
  for (const auto& [s, lengths] : shapes) {
    const std::string key = &s == &shapes[2].first ? "long" : s.family;
    if (!onlyModel.empty() && key != onlyModel) continue;
    const fs::path dir = root / key;
    forked([&] {
      at::manual_seed(1);
      writeModel(s, dir);
    });
    for (int T : lengths) {
      if (onlyT && T != onlyT) continue;
      for (const Policy& policy : kPolicies) {
        if (policy.rows == CapturePolicy::Rows::Full && T > 4096) continue;
        const Figures f = inChild(s, dir, T, policy);
        std::printf("%-11s %5d %-9s %11.1f %11.1f %6.2f %12.2f %10.0f %10.0f %10.0f %6.2f\n",
                    s.name.c_str(), T, policy.name, f.forward * 1e3, f.bound * 1e3,
                    f.bound > 0 ? f.forward / f.bound : 0, f.capturedMB, f.peakMB, f.extraMB,
                    f.plannedMB, f.peakMB > 0 ? f.plannedMB / f.peakMB : 0);
        std::fflush(stdout);
      }
    }
    fs::remove_all(dir);
  }
  fs::remove_all(root);
  return 0;
}
