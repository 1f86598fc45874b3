// `attnx plan`: the memory a run would need, by part, from the model's config alone.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "args.h"
#include "cli.h"
#include "error.h"
#include "memory_plan.h"
#include "model.h"

namespace attnx::cli {

int cmdPlan(const std::vector<std::string>& argv) {
  const Args args(argv,
                  {"model", "tokens", "capture", "dtype", "device", "generate", "logits", "batch",
                   "attention-block"},
                  {});
  const std::string dir = args.require("model");
  PlanRequest r;
  r.tokens = args.integer("tokens", 0);
  if (!args.has("tokens") || r.tokens < 1) throw UsageError("--tokens T (1 or more) is required");
  r.generate = args.integer("generate", 0);
  r.batch = args.integer("batch", 1);
  r.attentionBlock = args.integer("attention-block", 512);
  if (r.generate < 0 || r.batch < 1 || r.attentionBlock < 1)
    throw UsageError("--generate must be 0 or more, --batch and --attention-block 1 or more");
  try {
    setPlanCapture(r, args.value("capture", "full"));
  } catch (const Error& e) {
    throw UsageError(std::string("--capture: ") + e.what());
  }
  const std::string logits = args.value("logits", "query");
  if (logits != "query" && logits != "all")
    throw UsageError("--logits must be query or all, not '" + logits + "'");
  r.allLogits = logits == "all";
  const std::string dtype = args.value("dtype", "float32");
  if (dtype != "float32" && dtype != "bfloat16" && dtype != "float16")
    throw UsageError("--dtype must be float32, bfloat16 or float16, not '" + dtype + "'");
  r.dtypeBytes = dtype == "float32" ? 4 : 2;
  const std::string device = args.value("device", "cpu");
  r.cpu = isCpuDevice(device);

  const HParams hp = loadHParams(dir);
  const ArchSpec& arch = archFor(hp.family);
  const MemoryPlan p = planMemory(hp, arch, r);
  const uint64_t available = deviceMemoryBytes(device);
  const nlohmann::json j = {{"peak_bytes", p.peak},
                            {"parts",
                             {{"weights", p.weights},
                              {"activations", p.activations},
                              {"workspace", p.workspace},
                              {"capture", p.capture},
                              {"logits", p.logits},
                              {"cache", p.cache},
                              {"runtime", p.runtime}}},
                            {"tokens", r.tokens},
                            {"capture", args.value("capture", "full")},
                            {"dtype", dtype},
                            {"device", device},
                            {"available_bytes", available},
                            {"fits", available == 0 || p.peak <= available}};
  std::cout << j.dump(2) << "\n";
  if (available > 0 && p.peak > available) throw Error(planRefusal(p, available, hp, arch, r));
  return 0;
}

}  // namespace attnx::cli
