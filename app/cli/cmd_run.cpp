// `attnx run`: compose an input (soft tokens, BOS, anchor, prompt), run the model with attention
// capture and optional greedy generation, and write everything to one .safetensors file.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "args.h"
#include "cli.h"
#include "error.h"
#include "model.h"
#include "run_inputs.h"
#include "safetensors.h"

namespace attnx::cli {
namespace {

CapturePolicy capturePolicy(const Args& args) {
  CapturePolicy p;
  const std::string capture = args.value("capture", "full");
  if (capture == "full")
    p.rows = CapturePolicy::Rows::Full;
  else if (capture == "last-row")
    p.rows = CapturePolicy::Rows::LastRow;
  else if (capture == "none")
    p.rows = CapturePolicy::Rows::None;
  else
    throw UsageError("--capture must be full, last-row or none, not '" + capture + "'");
  if (auto layers = args.get("layers")) {
    for (int64_t l : parseIntList(*layers, "--layers")) {
      if (l < 0 || l > 1000000)
        throw UsageError("--layers: " + std::to_string(l) + " is not a layer");
      p.layers.push_back(static_cast<int>(l));
    }
  }
  return p;
}

std::string layoutJson(const RunResult& r) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : r.layout) {
    nlohmann::json segs = nlohmann::json::array();
    for (const auto& s : row)
      segs.push_back(
          {{"kind", std::string(segmentKindName(s.kind))}, {"begin", s.begin}, {"end", s.end}});
    rows.push_back(segs);
  }
  return rows.dump();
}

std::string modelJson(const ModelInfo& m) {
  return nlohmann::json{{"dir", m.dir},          {"family", m.family},        {"layers", m.layers},
                        {"heads", m.heads},      {"kv_heads", m.kvHeads},     {"hidden", m.hidden},
                        {"head_dim", m.headDim}, {"vocab", m.vocab},          {"dtype", m.dtype},
                        {"device", m.device},    {"parameters", m.parameters}}
      .dump();
}

OwnedTensor attentionTensor(const std::string& name, const AttentionTensor& a) {
  return OwnedTensor::fromFloats(name, {a.batch, a.heads, a.queries, a.keys}, a.f32.data());
}

}  // namespace

int cmdRun(const std::vector<std::string>& argv) {
  const Args args(argv,
                  withInputOptions({"model", "capture", "layers", "generate", "device", "dtype",
                                    "out", "threads"},
                                   false),
                  withInputOptions({}, true));
  const std::string dir = args.require("model");
  const std::string out = args.require("out");
  RunRequest request = inputRequestFrom(args);
  request.capture = capturePolicy(args);
  request.generate = args.integer("generate", 0);
  if (request.generate < 0) throw UsageError("--generate must be 0 or more");

  LoadOptions options;
  options.device = args.value("device", "auto");
  options.dtype = args.value("dtype", "float32");
  options.threads = args.integer("threads", 0);
  const auto model = Model::load(dir, options);
  const RunResult r = model->run(request);

  std::vector<OwnedTensor> tensors;
  const int64_t B = r.batch, T = r.seqLen;
  tensors.push_back(OwnedTensor::fromInt64("input_ids", {B, T}, r.inputIds.data()));
  if (!r.tokenTypeIds.empty())
    tensors.push_back(OwnedTensor::fromInt64("token_type_ids", {B, T}, r.tokenTypeIds.data()));
  if (!r.logits.empty())
    tensors.push_back(
        OwnedTensor::fromFloats("logits", {B, r.logitRows, r.model.vocab}, r.logits.data()));
  for (const auto& a : r.attentions)
    tensors.push_back(attentionTensor("attentions." + std::to_string(a.layer), a));
  if (r.generated > 0) {
    tensors.push_back(
        OwnedTensor::fromInt64("generated_ids", {B, r.generated}, r.generatedIds.data()));
    for (std::size_t s = 0; s < r.stepAttentions.size(); ++s)
      for (const auto& a : r.stepAttentions[s])
        tensors.push_back(attentionTensor(
            "generation." + std::to_string(s) + ".attentions." + std::to_string(a.layer), a));
  }
  const std::map<std::string, std::string> metadata = {
      {"layout", layoutJson(r)},
      {"model", modelJson(r.model)},
      // Labels of odd byte-level tokens may not be valid UTF-8: replaced, never a failure.
      {"tokens",
       nlohmann::json(r.tokens).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)},
      {"capture", args.value("capture", "full")},
  };
  writeSafetensors(out, tensors, metadata);

  int soft = 0;
  for (const auto& row : r.layout)
    for (const auto& s : row)
      if (s.kind == SegmentKind::Soft) soft += s.size();
  std::fprintf(stderr,
               "attnx run: %s (%d layers) on %s/%s, %lld tokens (%d soft), %zu layers captured "
               "(%s), %d generated, %.3f s -> %s\n",
               r.model.family.c_str(), r.model.layers, r.model.device.c_str(),
               r.model.dtype.c_str(), static_cast<long long>(T), soft, r.attentions.size(),
               args.value("capture", "full").c_str(), r.generated, r.seconds, out.c_str());
  return 0;
}

}  // namespace attnx::cli
