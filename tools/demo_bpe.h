#pragma once
// The demo model's tokenizer: byte-level BPE in the GPT-2 style, learned on the demo corpus.
// Plain C++. The trainer encodes its own synthetic text with it and writes the Hugging Face
// tokenizer.json that the application reads back with its own tokenizer.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace demo {

// GPT-2's byte-to-unicode map: byte b is written as the UTF-8 string bytes_[b] in vocabularies
// (printable bytes stand for themselves, the others move to U+0100 and up; ' ' becomes "Ġ").
const std::vector<std::string>& byteSymbols();

// The GPT-2 split pattern ('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|
// \s+(?!\S)|\s+) for ASCII text, which is all the demo corpus holds. Throws std::runtime_error on
// a non-ASCII byte rather than guessing at Unicode classes.
std::vector<std::string> preTokenize(std::string_view text);

class Bpe {
 public:
  // Special tokens take ids 0, 1, 2; the 256 byte symbols follow; merges come after.
  static constexpr int64_t kPad = 0, kBos = 1, kEos = 2;
  static constexpr const char* kPadToken = "<pad>";
  static constexpr const char* kBosToken = "<bos>";
  static constexpr const char* kEosToken = "<eos>";

  // Learns merges on pre-tokenized words until each word of `words` splits into at most two
  // tokens, and each word of `singleTokenWords` (a subset, given with their leading space if any)
  // into one. Ties between equally frequent pairs are broken by the pair's spelling, so the
  // result depends on the corpus only.
  static Bpe learn(const std::map<std::string, int64_t>& words,
                   const std::set<std::string>& singleTokenWords);

  // Encodes text without special tokens: pre-tokenize, then apply merges by rank (the lowest
  // ranked adjacent pair first, leftmost on ties), as Hugging Face's BPE model does.
  std::vector<int64_t> encode(std::string_view text) const;
  std::vector<std::string> encodeWord(std::string_view word) const;  // one pre-tokenized word
  std::string decode(const std::vector<int64_t>& ids) const;         // specials written as is
  int64_t id(const std::string& token) const;                        // throws when absent
  const std::string& token(int64_t id) const;
  int64_t vocabSize() const { return static_cast<int64_t>(vocab_.size()); }
  std::size_t mergeCount() const { return merges_.size(); }

  // tokenizer.json (Hugging Face "tokenizers" layout) and tokenizer_config.json.
  std::string tokenizerJson() const;
  std::string tokenizerConfigJson(int modelMaxLength) const;

 private:
  std::vector<std::string> vocab_;  // id -> token spelling
  std::map<std::string, int64_t> ids_;
  std::vector<std::pair<std::string, std::string>> merges_;
  std::map<std::pair<std::string, std::string>, int> ranks_;

  void addToken(const std::string& t);
};

}  // namespace demo
