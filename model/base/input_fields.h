#pragma once
// The one composer of an input. The window's input panel, `attnx run | stats | figure`, dataset
// runs (`attnx analyze`, the window's dataset jobs) and their examples all fill InputFields and
// turn them into input parts here, so that the same fields give the same tokens everywhere:
//   [soft][BOS if bosAfterSoft][anchor][prompt (+ pair)]
// - With soft tokens or an anchor, text is tokenized without special tokens.
// - A prompt alone is tokenized with the tokenizer's special tokens, as Hugging Face does by
//   default (BOS, or [CLS] A [SEP] and for a pair [CLS] A [SEP] B [SEP] with token types 0/1).
// - BOS after the soft tokens applies only when there are soft tokens.
// - Token ids stand for text anywhere ("ids: 1, 2" in the window, --input-ids on the command
//   line) and are taken exactly as given.
// Any non-empty combination runs: soft tokens alone, soft + BOS + anchor, an anchor alone, ...
#include <cstdint>
#include <string>
#include <vector>

#include "run_types.h"
#include "provenance.h"

namespace attnx {

// A field that holds text or explicit token ids (ids win when both are set).
struct TextOrIds {
  std::string text;
  std::vector<int64_t> ids;
  bool empty() const { return text.empty() && ids.empty(); }
};

struct InputFields {
  std::vector<float> softRows;  // [softCount, hidden], row-major; empty: no soft tokens
  int softCount = 0;
  // The window: soft tokens whose rows the inference thread reads from the chosen file later
  // (the Soft part is composed with rows = 0 and filled there, see fillSoftTokens).
  bool softRowsLater = false;
  bool bosAfterSoft = false;  // a BOS between the soft tokens and the rest (soft tokens only)
  SoftTokenSource softSource;  // where softRows came from, for the result's provenance
  TextOrIds anchor;
  TextOrIds prompt;
  // Encoders (BERT): the second text of a sentence pair; needs a text prompt.
  std::string promptPair;
  // Explicit token types, one per position of the composed input (soft positions included);
  // empty: from the tokenizer (pairs) or all 0.
  std::vector<int64_t> tokenTypeIds;
};

// The parts to compose (Model::compose) and the explicit token types to apply after.
struct InputParts {
  std::vector<InputPart> parts;
  std::vector<int64_t> tokenTypeIds;
  SoftTokenSource softTokens;  // the fields' softSource when there are soft tokens
};

// Throws attnx::Error when there is nothing to run or a pair is given without a text prompt.
InputParts composeInputParts(const InputFields& fields);

}  // namespace attnx
