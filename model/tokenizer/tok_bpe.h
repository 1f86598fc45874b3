#pragma once
// Byte-pair encoding: GPT-2 / Llama 3 / Qwen byte-level vocabularies and SentencePiece-style
// vocabularies with byte fallback (Llama 2, Mistral). Merges are applied lowest rank first,
// leftmost first among equal ranks; results are cached per word.
#include <mutex>
#include <optional>

#include "tok_model.h"

namespace attnx::tok {

class BpeModel : public Model {
 public:
  explicit BpeModel(const Json& spec);
  void tokenize(const std::string& word, std::vector<int64_t>& ids) const override;

 private:
  struct Merge {
    int32_t rank;
    int64_t result;
  };
  static uint64_t pairKey(int64_t a, int64_t b) {
    return (static_cast<uint64_t>(a) << 32) | static_cast<uint32_t>(b);
  }
  std::vector<int64_t> initialSymbols(const std::string& word) const;
  std::vector<int64_t> applyMerges(std::vector<int64_t> symbols) const;

  std::unordered_map<uint64_t, Merge> merges_;
  std::optional<int64_t> unk_;
  bool fuseUnk_ = false, byteFallback_ = false, ignoreMerges_ = false;
  std::string prefix_, suffix_;   // continuing_subword_prefix, end_of_word_suffix
  std::vector<int64_t> byteIds_;  // id of "<0xNN>" per byte, -1 where absent (byte fallback)

  mutable std::mutex cacheMutex_;
  mutable std::unordered_map<std::string, std::vector<int64_t>> cache_;
};

}  // namespace attnx::tok
