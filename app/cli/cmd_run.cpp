// `attnx run`: compose an input (soft tokens, BOS, anchor, prompt), run the model with attention
// capture and optional greedy generation, and write everything to one .safetensors file.
#include <cstdio>
#include <iostream>

#include "args.h"
#include "cli.h"
#include "error.h"
#include "model.h"
#include "run_file.h"
#include "run_inputs.h"

namespace attnx::cli {
namespace {

CapturePolicy capturePolicy(const Args& args) {
  CapturePolicy p;
  const std::string capture = args.value("capture", "full");
  if (capture == "full") {
    p.rows = CapturePolicy::Rows::Full;
  } else if (capture == "last-row") {
    p.rows = CapturePolicy::Rows::LastRow;
  } else if (capture.rfind("rows:", 0) == 0) {
    p.rows = CapturePolicy::Rows::Selected;
    for (int64_t q : parseIntList(capture.substr(5), "--capture rows:LIST")) {
      if (q < 0 || q > (int64_t{1} << 24))
        throw UsageError("--capture rows:LIST: " + std::to_string(q) + " is not a position");
      p.queryPositions.push_back(static_cast<int>(q));
    }
  } else if (capture == "none") {
    p.rows = CapturePolicy::Rows::None;
  } else if (capture == "qk") {
    // The query row's attention for the views, and Q/K with each row's log-sum-exp for any tile.
    p.rows = CapturePolicy::Rows::LastRow;
    p.queryKeys = true;
  } else {
    throw UsageError("--capture must be full, last-row, rows:LIST, none or qk, not '" + capture +
                     "'");
  }
  const std::string logits = args.value("logits", "query");
  if (logits != "query" && logits != "all")
    throw UsageError("--logits must be query or all, not '" + logits + "'");
  p.fullLogits = logits == "all";
  if (auto layers = args.get("layers")) {
    for (int64_t l : parseIntList(*layers, "--layers")) {
      if (l < 0 || l > 1000000)
        throw UsageError("--layers: " + std::to_string(l) + " is not a layer");
      p.layers.push_back(static_cast<int>(l));
    }
  }
  p.valueNorms = args.has("value-norms");
  p.logitLens = args.has("logit-lens");
  p.rollout = args.has("rollout");
  p.lensQuery = queryOption(args);
  if (p.lensQuery && !p.logitLens)
    throw UsageError("--query is the row of --logit-lens: give both");
  return p;
}

// Each spec's form is checked here (attnx::Error naming it); the model checks it against itself.
std::vector<Knockout> knockouts(const Args& args) {
  std::vector<Knockout> out;
  for (const std::string& spec : args.all("knockout")) out.push_back(Knockout::parse(spec));
  return out;
}

}  // namespace

int cmdRun(const std::vector<std::string>& argv) {
  const Args args(
      argv,
      withInputOptions({"model", "capture", "layers", "generate", "device", "dtype", "out",
                        "threads", "knockout", "query", "logits", "attention-block"},
                       false),
      withInputOptions({"value-norms", "logit-lens", "rollout"}, true));
  const std::string dir = args.require("model");
  const std::string out = args.require("out");
  RunRequest request = inputRequestFrom(args);
  request.capture = capturePolicy(args);
  request.knockouts = knockouts(args);
  request.generate = args.integer("generate", 0);
  if (request.generate < 0) throw UsageError("--generate must be 0 or more");

  LoadOptions options = loadOptionsFrom(args);
  options.attentionBlock = args.integer("attention-block", 0);
  if (options.attentionBlock < 0)
    throw UsageError("--attention-block must be 1 or more (0: the default, 512)");
  const auto model = Model::load(dir, options);
  const RunResult r = model->run(request);

  writeRunFile(out, r, args.value("capture", "full"));

  const int64_t T = r.seqLen;
  int soft = 0;
  for (const auto& row : r.layout)
    for (const auto& s : row)
      if (s.kind == SegmentKind::Soft) soft += s.size();
  std::fprintf(stderr,
               "attnx run: %s (%d layers) on %s/%s, %lld tokens (%d soft), %zu layers captured "
               "(%s), %d generated, %zu knockouts, %.3f s -> %s\n",
               r.model.family.c_str(), r.model.layers, r.model.device.c_str(),
               r.model.dtype.c_str(), static_cast<long long>(T), soft, r.attentions.size(),
               args.value("capture", "full").c_str(), r.generated, r.knockouts.size(), r.seconds,
               out.c_str());
  return 0;
}

}  // namespace attnx::cli
