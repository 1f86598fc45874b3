#pragma once
// Pre-tokenizers of tokenizer.json: split normalized text into the words the model sees
// (regex splits, byte-level mapping, BERT's whitespace/punctuation split, Metaspace, ...).
#include <memory>
#include <string>
#include <vector>

#include "tok_json.h"

namespace attnx::tok {

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  // Replaces every piece by its sub-pieces (empty pieces are dropped). `sectionIndex` counts the
  // text sections between added tokens; Metaspace's "first" scheme only prefixes section 0.
  virtual void split(std::vector<std::string>& pieces, size_t sectionIndex) const = 0;
};

// nullptr for a null spec; attnx::Error on an unsupported type.
std::unique_ptr<PreTokenizer> makePreTokenizer(const Json& spec);

}  // namespace attnx::tok
