#pragma once
// Normalizers of tokenizer.json: text -> text before pre-tokenization (NFC, lowercase, BERT's
// cleaning, SentencePiece's Prepend/Replace of spaces by U+2581, ...).
#include <memory>
#include <string>

#include "tok_json.h"

namespace attnx::tok {

class Normalizer {
 public:
  virtual ~Normalizer() = default;
  virtual std::string normalize(std::string text) const = 0;
};

// nullptr for a null spec; attnx::Error on an unsupported type.
std::unique_ptr<Normalizer> makeNormalizer(const Json& spec);

// BERT's CJK test: the CJK Unified Ideographs blocks (not Hangul, Hiragana or Katakana).
bool isCjkIdeograph(char32_t cp);

}  // namespace attnx::tok
