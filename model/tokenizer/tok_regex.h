#pragma once
// A compiled PCRE2 pattern (UTF + Unicode properties, JIT when available) for the split and
// replace patterns of tokenizer.json. Patterns are written for Oniguruma / Rust's regex; the
// constructs tokenizers use (\p{L}, \p{N}, (?i:...), (?!\S), {1,3}) mean the same in PCRE2.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace attnx::tok {

class Regex {
 public:
  explicit Regex(const std::string& pattern);  // throws attnx::Error on a bad pattern
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  // [begin, end) byte ranges of all non-overlapping matches, left to right. `text` must be
  // valid UTF-8 (not re-checked). Safe to call from several threads at once.
  std::vector<std::pair<size_t, size_t>> findAll(std::string_view text) const;

 private:
  void* code_ = nullptr;  // pcre2_code_8*, kept opaque so pcre2.h stays out of this header
};

}  // namespace attnx::tok
