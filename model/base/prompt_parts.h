#pragma once
// The standard input layout of a soft-prefix run, shared by `attnx run`, `attnx stats` and
// dataset runs (`attnx analyze`, the comparison window), so that an example analysed over a
// dataset is exactly the input the explorer shows for it:
//   with soft tokens:    [soft][BOS if bosAfterSoft][anchor][prompt]   (text without specials)
//   without soft tokens: [anchor][prompt], and a prompt alone is tokenized with the tokenizer's
//                        special tokens, as Hugging Face does.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "run_types.h"

namespace attnx {

struct PromptLayout {
  std::vector<float> softRows;  // [softCount, hidden], row-major; empty: no soft tokens
  int softCount = 0;
  bool bosAfterSoft = false;  // only with soft tokens
  std::optional<std::string> anchor;
  std::string prompt;              // text ...
  std::vector<int64_t> promptIds;  // ... or ids (used when not empty)
};

// Throws attnx::Error when bosAfterSoft is set without soft tokens.
std::vector<InputPart> composePromptParts(const PromptLayout& layout);

}  // namespace attnx
