#pragma once
// Evaluation sets as JSONL, one example per line (the format the README documents):
//   {"id": "q17", "prompt": "...", "anchor": "Answer: ", "gold": "Paris" | ["Paris", "paris"],
//    "prediction": "...", "correct": true, "soft_index": 17}
// Instead of "prompt": "input_ids" ([ints]) or "segments" ([{"kind": "soft"|"bos"|"anchor"|
// "text"|"special", "text": "...", "ids": [...]}, ...], in order). The fields soft-token research
// code already writes are read too: "prompt_raw" for the prompt and a prediction field chosen by
// the user (ExamplesOptions::predictionField, e.g. "latent_pred_llama").
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "run_types.h"

namespace attnx {

struct Example {
  int line = 0;                       // 1-based line of the file
  std::string id;                     // "id" (string or number), else "line N"
  std::string prompt;                 // "prompt" or "prompt_raw"
  std::vector<int64_t> inputIds;      // "input_ids", instead of a prompt
  std::vector<InputPart> segments;    // "segments", instead of a prompt; Soft parts have rows = 0
  std::optional<std::string> anchor;  // "anchor" (overrides the run's --anchor)
  std::vector<std::string> gold;      // accepted answers; empty when the line has none
  std::optional<std::string> prediction;
  std::optional<bool> correct;
  int softIndex = -1;  // "soft_index": the row of the soft-token file; -1: unset
};

struct ExamplesOptions {
  std::string predictionField = "prediction";
};

// Throws attnx::Error naming the file and line on broken JSON, invalid UTF-8, a missing prompt,
// fields of the wrong type or duplicate ids. Blank lines are skipped.
std::vector<Example> readExamples(const std::string& path, const ExamplesOptions& options = {});

}  // namespace attnx
