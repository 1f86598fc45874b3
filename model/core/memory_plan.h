#pragma once
// The memory planner: before a run, the peak bytes it will need, from the config alone (no
// weights are read), by part. Plain C++: `attnx plan`, `attnx run`'s check and the input panel
// use it. The parts follow what the forward pass holds at its fullest moment:
//   weights      every tensor of the family table at the run dtype
//   activations  the largest layer phase on [B,T]: the MLP (residual, normed input and the gate,
//                up, activation and product of width ffn) or attention (q, k, v and their RoPE
//                temporaries)
//   workspace    attention scores: 2 x [B,H,T,T] float32 for full matrices, or the tiles of the
//                memory-lean path and its per-row counts
//   capture      what the policy keeps (matrices, rows, Q/K with log-sum-exps, generated rows)
//   logits       [B,T,V] twice (device and host) with --logits all, one row otherwise
//   cache        generation's keys and values
//   runtime      the process with libtorch and its BLAS loaded, before any model
// bench_forward prints these predictions beside the measured peaks.
#include <cstdint>
#include <string>

#include "arch_table.h"
#include "hparams.h"

namespace attnx {

struct PlanRequest {
  enum class Capture { Full, LastRow, Rows, None, QueryKeys };
  int tokens = 0;
  int batch = 1;
  int generate = 0;
  Capture capture = Capture::Full;
  int rows = 1;              // Capture::Rows: how many query rows
  bool allLogits = false;    // --logits all
  int dtypeBytes = 4;        // float32 4, bfloat16 / float16 2
  int attentionBlock = 512;  // the memory-lean tile edge
  bool cpu = true;           // weights and activations in host memory
};

struct MemoryPlan {
  uint64_t weights = 0, activations = 0, workspace = 0, capture = 0, logits = 0, cache = 0,
           runtime = 0;
  uint64_t peak = 0;  // the sum
};

MemoryPlan planMemory(const HParams& hp, const ArchSpec& arch, const PlanRequest& request);

// "full", "last-row", "rows:1,2", "none", "qk" -> the request's capture (and rows). Throws
// attnx::Error on anything else.
void setPlanCapture(PlanRequest& request, const std::string& policy);

// Bytes of memory the device has: MemAvailable on the CPU; 0 when unknown.
uint64_t availableHostBytes();

// One line for a run that would not fit: the bytes, and the policies that would.
std::string planRefusal(const MemoryPlan& plan, uint64_t available, const HParams& hp,
                        const ArchSpec& arch, const PlanRequest& request);

}  // namespace attnx
