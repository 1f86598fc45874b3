#pragma once
// FirstTok@1: does the model's most likely next token start the gold answer?
#include <cstdint>
#include <string>
#include <vector>

namespace attnx {

class Tokenizer;

// The ids that may start a gold answer when it continues the input. Tokenizers differ in where
// the space before an answer goes (byte-level BPE: " Paris" is one token, "Paris" another;
// SentencePiece adds "▁" itself), so both the first id of tokenize(gold) and that of
// tokenize(" " + gold) count, without special tokens. A first token that decodes to white space
// only (a lone "▁" or "Ġ") is skipped: it says nothing about the answer.
std::vector<int64_t> goldFirstTokenIds(const Tokenizer& tokenizer,
                                       const std::vector<std::string>& golds);

struct TopToken {
  int64_t id = -1;
  float prob = 0.0f;  // softmax probability
};
// Argmax of one row of logits and its softmax probability (computed stably, in double).
TopToken topToken(const float* logits, int64_t vocab);

}  // namespace attnx
