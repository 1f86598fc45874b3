#pragma once
// The {"String": "..."} / {"Regex": "..."} patterns that Replace and Split components use.
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tok_json.h"
#include "tok_regex.h"

namespace attnx::tok {

class Pattern {
 public:
  explicit Pattern(const Json& spec);  // throws attnx::Error on an unknown form

  // [begin, end) byte ranges of all non-overlapping, non-empty matches.
  std::vector<std::pair<size_t, size_t>> findAll(std::string_view text) const;

  std::string replaceAll(std::string_view text, std::string_view replacement) const;

  // The literal, when the pattern is a plain string.
  const std::string* literal() const { return regex_ ? nullptr : &literal_; }

 private:
  std::string literal_;
  std::unique_ptr<Regex> regex_;
};

}  // namespace attnx::tok
