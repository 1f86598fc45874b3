#pragma once
// Decoders of tokenizer.json: token strings -> text (byte-level mapping back to bytes,
// SentencePiece's U+2581 and <0xNN> byte tokens, WordPiece's "##" continuations, ...).
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "tok_json.h"

namespace attnx::tok {

class Decoder {
 public:
  virtual ~Decoder() = default;
  // Each step maps the token strings to new strings; the final text is their concatenation.
  virtual std::vector<std::string> chain(std::vector<std::string> tokens) const = 0;
  std::string decode(std::vector<std::string> tokens) const;
};

// `addedTokens`: contents of the added tokens, which byte-level decoding passes through
// untouched (they are not byte-level strings). Must outlive the decoder.
// nullptr for a null spec; attnx::Error on an unsupported type.
std::unique_ptr<Decoder> makeDecoder(const Json& spec,
                                     const std::unordered_set<std::string>& addedTokens);

// The classic clean-up of spaces before punctuation and English contractions
// (" ." -> ".", " n't" -> "n't", " 's" -> "'s", ...).
std::string cleanUpTokenization(std::string text);

}  // namespace attnx::tok
