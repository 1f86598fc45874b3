#pragma once
// A loaded checkpoint: load once, run many times. Public surface is plain C++; libtorch stays in
// the .cpp files behind the pimpl.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "run_types.h"

namespace attnx {

class Tokenizer;

// Bytes of memory a device offers: MemAvailable for "cpu", the GPU's total memory for "cuda[:N]"
// in a CUDA build; 0 when unknown.
uint64_t deviceMemoryBytes(const std::string& device);
// Whether a device name ("auto", "cpu", "cuda:1") runs on the CPU here.
bool isCpuDevice(const std::string& device);

struct LoadOptions {
  std::string device = "auto";    // auto | cpu | cuda | cuda:N
  std::string dtype = "float32";  // float32 | bfloat16 | float16
  int threads = 0;                // 0: hardware threads
  int attentionBlock = 0;         // memory-lean attention's tile edge; 0: the default (512)
};

// The low-level batch input, as Hugging Face takes it (used by tests and batch runs).
struct BatchInput {
  int batch = 1, seqLen = 0;
  std::vector<int64_t> ids;            // [B,T]; ignored where softMask is 1
  std::vector<int64_t> attentionMask;  // [B,T] or empty (all ones)
  std::vector<int64_t> positionIds;    // [B,T] or empty (0..T-1, or derived from the mask)
  std::vector<int64_t> tokenTypeIds;   // encoder models; empty: zeros
  std::vector<uint8_t> softMask;       // [B,T] or empty: 1 where the row comes from softRows
  std::vector<float> softRows;         // [number of soft positions, hidden], in position order
  // Generation stops early once every row has produced an end-of-sequence id. Off here, so that a
  // batch run yields exactly `generate` tokens (as the reference fixtures do); on for requests.
  bool stopAtEos = false;
  // Knockouts applied to the prompt pass (and to generated steps, for the prompt's keys).
  std::vector<Knockout> knockouts;
  // The segments of each batch row, for knockouts by kind; empty: soft, text and padding as the
  // soft mask and the attention mask say.
  std::vector<std::vector<Segment>> layout;
};

// A user-level request: parts composed into one sequence, or a prompt alone.
struct RunRequest {
  std::vector<InputPart> parts;
  // Explicit token types, one per position of the composed input; empty: those of the parts
  // (sentence pairs) or 0. Only for models with token types (encoders).
  std::vector<int64_t> tokenTypeIds;
  CapturePolicy capture;
  int generate = 0;
  bool stopAtEos = true;  // stop at the model's end-of-sequence id (generation_config.json)
  std::vector<Knockout> knockouts;  // by the composed input's segments (BOS, anchor, text, ...)
  // Where the soft rows of the parts came from, copied into the result for its provenance.
  SoftTokenSource softTokens;
};

// The input a request turned into, with its layout.
struct ComposedInput {
  BatchInput batch;
  std::vector<Segment> layout;
  std::vector<std::string> tokens;
};

class Model {
 public:
  // Throws attnx::Error naming the file on any defect of the directory.
  static std::unique_ptr<Model> load(const std::string& dir, const LoadOptions& options = {});
  ~Model();

  const ModelInfo& info() const;
  const Tokenizer* tokenizer() const;  // nullptr when the directory has no tokenizer files

  // A prompt alone, tokenized with the tokenizer's special tokens, as Hugging Face does.
  static RunRequest promptRequest(const std::string& prompt);

  ComposedInput compose(const std::vector<InputPart>& parts) const;
  RunResult run(const RunRequest& request, const ProgressFn& progress = {}) const;
  RunResult run(const BatchInput& input, const CapturePolicy& capture, int generate = 0,
                const ProgressFn& progress = {}) const;

  // The causal head grid: for every layer l and head h, log p(target | knockout l:h:keys) -
  // log p(target) at the query row of batch row 0. Layers before l are shared by every variant
  // of layer l (one prefix pass, then a branch per head). Throws attnx::Error for a model without
  // an LM head, a bad `keys` or target; Cancelled when progress says stop.
  ScanResult scan(const RunRequest& request, const ScanOptions& options,
                  const ProgressFn& progress = {}) const;
  ScanResult scan(const BatchInput& input, const ScanOptions& options,
                  const ProgressFn& progress = {}) const;

 private:
  Model();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "1.13.1", the BLAS in use, the devices found: for `attnx --version`.
std::string runtimeDescription();

}  // namespace attnx
