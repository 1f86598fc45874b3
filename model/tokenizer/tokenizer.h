#pragma once
// Hugging Face tokenizer.json: BPE (byte-level and SentencePiece style with byte fallback) and
// WordPiece, with normalizers, pre-tokenizers, added/special tokens, post-processor templates
// and decoders. Plain C++ (PCRE2 for the split patterns, nlohmann_json for the file).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace attnx {

struct Encoding {
  std::vector<int64_t> ids;
  std::vector<int64_t> typeIds;  // token_type_ids (0 for single sequences)
  std::vector<std::string> tokens;
};

class Tokenizer {
 public:
  // Reads DIR/tokenizer.json and, when present, DIR/tokenizer_config.json (bos/eos, add_bos_token).
  // Throws attnx::Error with the file name on a missing or malformed file.
  static std::unique_ptr<Tokenizer> fromDirectory(const std::string& dir);
  static std::unique_ptr<Tokenizer> fromFiles(const std::string& tokenizerJson,
                                              const std::string& tokenizerConfigJson = {});
  ~Tokenizer();

  // Text must be valid UTF-8 (else attnx::Error). addSpecialTokens applies the post-processor
  // template (BOS, CLS/SEP) as Hugging Face does by default.
  Encoding encode(std::string_view text, bool addSpecialTokens = true) const;
  Encoding encodePair(std::string_view a, std::string_view b, bool addSpecialTokens = true) const;

  std::string decode(const std::vector<int64_t>& ids, bool skipSpecialTokens = false) const;
  std::vector<std::string> idsToTokens(const std::vector<int64_t>& ids) const;
  // A short, printable label for a token, for axis labels ("Ġthe" -> " the", "▁x" -> " x").
  std::string displayToken(int64_t id) const;

  std::optional<int64_t> bosId() const;
  std::optional<int64_t> eosId() const;
  std::optional<int64_t> tokenToId(std::string_view token) const;
  bool isSpecial(int64_t id) const;
  int64_t vocabSize() const;

 private:
  Tokenizer();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace attnx
