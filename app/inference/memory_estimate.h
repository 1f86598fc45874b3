#pragma once
// The input panel's memory prediction: the run its fields describe, planned (memory_plan.h) with
// the exact token count (the input composed with the model's tokenizer, soft rows counted from
// the chosen file). Runs on a pool thread; the tokenizer and the soft-token file's row count are
// kept for the next estimate, so typing re-reads neither.
#include <QString>
#include <memory>

#include "inference_worker.h"
#include "memory_plan.h"
#include "request_builder.h"
#include "tokenizer.h"

namespace attnx {

struct MemoryEstimate {
  bool known = false;  // false: the fields do not describe a run yet (no model, no input)
  int tokens = 0;
  MemoryPlan plan;
  uint64_t available = 0;  // what the device has; 0 when unknown
  QString refusal;         // non-empty: the run would not fit (what attnx run would say)

  // Kept from one estimate to the next.
  std::shared_ptr<const Tokenizer> tokenizer;
  QString tokenizerDir;
  QString softPath;
  int softRows = 0;
};

MemoryEstimate estimateMemory(const ModelSpec& model, const RequestFields& fields,
                              const QString& softPath, const MemoryEstimate& previous);

}  // namespace attnx
