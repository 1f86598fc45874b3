#include "memory_plan.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "error.h"

namespace attnx {
namespace {

uint64_t u(int64_t v) { return static_cast<uint64_t>(std::max<int64_t>(v, 0)); }

// Every tensor the checkpoint holds for this config, at the run dtype. On the CPU the checkpoint
// stays mapped and float32 tensors view it; a tensor stored transposed (GPT-2's Conv1D) is copied,
// and the mapped pages its copy read stay resident beside the copy: counted twice.
uint64_t weightBytes(const HParams& hp, const ArchSpec& arch, int e, bool cpu) {
  uint64_t n = 0;
  for (const TensorSpec& t : arch.tensors) {
    if (!required(t, hp)) continue;
    uint64_t numel = 1;
    for (int64_t d : expectedShape(t.role, hp)) numel *= u(d);
    numel *= isLayerRole(t.role) ? u(hp.layers) : 1;
    n += numel * (cpu && t.transposed ? 2 : 1);
  }
  return n * u(e);
}

// The process before any model: libtorch, OpenBLAS's buffers and the C++ runtime resident, as
// bench_forward measures at its smallest run (about 100 MB on Debian's libtorch 1.13).
constexpr uint64_t kRuntimeBytes = uint64_t{96} << 20;

std::string megabytes(uint64_t b) {
  std::ostringstream os;
  os.precision(3);
  os << static_cast<double>(b) / (1 << 20) / 1024.0 << " GiB";
  return os.str();
}

}  // namespace

MemoryPlan planMemory(const HParams& hp, const ArchSpec& arch, const PlanRequest& r) {
  MemoryPlan p;
  const uint64_t B = u(r.batch), T = u(r.tokens), N = u(r.generate), e = u(r.dtypeBytes);
  const uint64_t L = u(hp.layers), H = u(hp.heads), Hkv = u(hp.kvHeads), D = u(hp.headDim);
  const uint64_t d = u(hp.hidden), f = u(hp.intermediate), V = u(hp.vocab);
  const uint64_t keys = T + N;  // the longest row
  p.weights = weightBytes(hp, arch, r.dtypeBytes, r.cpu);
  p.runtime = kRuntimeBytes;

  // Per token: the MLP phase (residual, normed input, output, and gate, up, activation, product
  // for gated MLPs; GELU's tanh form holds about six [T,ffn] temporaries), or the attention phase
  // (residual, normed input, output, q/k/v and their RoPE temporaries).
  const uint64_t mlp = 3 * d + (arch.gatedMlp(hp) ? 4 : 6) * f;
  const uint64_t attention = 4 * d + 4 * (H + 2 * Hkv) * D;
  p.activations = B * T * std::max(mlp, attention) * e;

  if (r.capture == PlanRequest::Capture::Full) {
    // Scores and their softmax, [B,H,T,T] float32 each, and the bool mask.
    p.workspace = 2 * B * H * T * T * 4 + B * T * T;
  } else {
    // Tiles: scores, mask, exponentials and their product with the values, [B,H,block,block];
    // the accumulator [B,H,block,D]; per-row prefix counts, [B,H,T] int64, three of them.
    const uint64_t b = u(std::min(r.attentionBlock, std::max(r.tokens, 1)));
    p.workspace = 4 * B * H * b * b * 4 + 2 * B * H * b * D * 4 + 3 * B * H * (T + 1) * 8;
  }

  switch (r.capture) {
    case PlanRequest::Capture::Full:
      p.capture = L * B * H * T * T * 4;
      break;
    case PlanRequest::Capture::LastRow:
      p.capture = L * B * H * T * 4;
      break;
    case PlanRequest::Capture::Rows:
      p.capture = L * B * H * u(r.rows) * T * 4;
      break;
    case PlanRequest::Capture::None:
      break;
    case PlanRequest::Capture::QueryKeys:
      p.capture = L * B * H * T * 4 + L * B * T * ((H + Hkv) * D + H) * 4;
      break;
  }
  if (r.capture != PlanRequest::Capture::None) p.capture += N * L * B * H * keys * 4;

  if (arch.lmHead) p.logits = r.allLogits ? 2 * B * T * V * 4 : 2 * B * (N + 1) * V * 4;
  if (N > 0) p.cache = 2 * L * B * Hkv * keys * D * e;
  p.peak = p.weights + p.activations + p.workspace + p.capture + p.logits + p.cache + p.runtime;
  return p;
}

void setPlanCapture(PlanRequest& r, const std::string& policy) {
  using C = PlanRequest::Capture;
  if (policy == "full") {
    r.capture = C::Full;
  } else if (policy == "last-row") {
    r.capture = C::LastRow;
  } else if (policy == "none") {
    r.capture = C::None;
  } else if (policy == "qk") {
    r.capture = C::QueryKeys;
  } else if (policy.rfind("rows:", 0) == 0 && policy.size() > 5) {
    r.capture = C::Rows;
    r.rows = static_cast<int>(std::count(policy.begin(), policy.end(), ',')) + 1;
  } else {
    throw Error("capture policy must be full, last-row, rows:LIST, none or qk, not '" + policy +
                "'");
  }
}

uint64_t availableHostBytes() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  uint64_t kb = 0;
  std::string unit;
  while (in >> key >> kb >> unit)
    if (key == "MemAvailable:") return kb * 1024;
  return 0;
}

std::string planRefusal(const MemoryPlan& plan, uint64_t available, const HParams& hp,
                        const ArchSpec& arch, const PlanRequest& request) {
  std::string message = "this run needs about " + megabytes(plan.peak) + " but " +
                        megabytes(available) + " are available";
  std::string fits;
  for (const auto& [policy, name] : {std::pair{PlanRequest::Capture::LastRow, "last-row"},
                                     std::pair{PlanRequest::Capture::QueryKeys, "qk"}}) {
    PlanRequest other = request;
    other.capture = policy;
    other.allLogits = false;
    const MemoryPlan p = planMemory(hp, arch, other);
    if (p.peak <= available)
      fits += std::string(fits.empty() ? "" : " or ") + name + " (" + megabytes(p.peak) + ")";
  }
  return message + (fits.empty() ? ": use fewer tokens" : ": use --capture " + fits) +
         (request.allLogits ? " and --logits query" : "");
}

}  // namespace attnx
