#pragma once
// The models of tokenizer.json: a word (one pre-tokenizer piece) -> token ids.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "tok_json.h"

namespace attnx::tok {

using Vocab = std::unordered_map<std::string, int64_t>;

class Model {
 public:
  virtual ~Model() = default;
  // Appends the ids of `word` (non-empty) to `ids`. Thread-safe.
  virtual void tokenize(const std::string& word, std::vector<int64_t>& ids) const = 0;
  const Vocab& vocab() const { return vocab_; }

 protected:
  Vocab vocab_;
};

// attnx::Error on an unsupported type or an inconsistent vocabulary / merge list.
std::unique_ptr<Model> makeModel(const Json& spec);

// Ids at or above this are refused: the id -> token table is sized by the largest id, and a
// hostile file must not make it allocate gigabytes. Real vocabularies stay below 1M.
inline constexpr int64_t kMaxTokenId = int64_t{1} << 24;

// Shared by the model factories.
Vocab readVocab(const Json& vocab);

}  // namespace attnx::tok
