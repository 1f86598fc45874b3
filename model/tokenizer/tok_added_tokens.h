#pragma once
// Added tokens (<|endoftext|>, [CLS], <think>, ...) are found in the raw text before the
// normalizer and the model run, leftmost first and longest first, and map straight to their ids.
// All of them are matched in the raw text, those flagged `normalized` included (the reference
// would look for those in the normalized text; that only matters for added tokens that a
// normalizer would change, which no supported tokenizer has).
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tok_json.h"

namespace attnx::tok {

struct AddedToken {
  int64_t id = 0;
  std::string content;
  bool special = false;
  bool lstrip = false;      // swallows whitespace on its left
  bool rstrip = false;      // swallows whitespace on its right
  bool singleWord = false;  // matches only when not inside a word
  bool normalized = false;
};

AddedToken parseAddedToken(const Json& spec);

class AddedTokenMatcher {
 public:
  struct Section {
    std::string_view text;
    int token = -1;  // index into tokens(), or -1 for ordinary text
  };

  explicit AddedTokenMatcher(std::vector<AddedToken> tokens = {});
  // Cuts `text` (valid UTF-8) into ordinary text and added tokens, in order; no empty sections.
  std::vector<Section> split(std::string_view text) const;
  const std::vector<AddedToken>& tokens() const { return tokens_; }

 private:
  std::vector<AddedToken> tokens_;
  std::array<std::vector<int>, 256> byFirstByte_;  // candidates per first byte, longest first
};

}  // namespace attnx::tok
