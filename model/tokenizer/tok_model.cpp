#include "tok_model.h"

#include "error.h"
#include "tok_bpe.h"
#include "tok_wordpiece.h"

namespace attnx::tok {

Vocab readVocab(const Json& vocab) {
  if (!vocab.is_object()) throw Error("model.vocab must be an object of token -> id");
  Vocab out;
  out.reserve(vocab.size() * 2);
  for (const auto& [token, id] : vocab.items()) {
    if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() >= kMaxTokenId)
      throw Error("model.vocab['" + token + "'] is not a token id (0 <= id < " +
                  std::to_string(kMaxTokenId) + ")");
    out.emplace(token, id.get<int64_t>());
  }
  return out;
}

std::unique_ptr<Model> makeModel(const Json& spec) {
  if (!spec.is_object()) throw Error("the tokenizer has no model");
  // Older files omit "type" for BPE; a merges list is the tell.
  std::string type = spec.value("type", std::string(spec.contains("merges") ? "BPE" : ""));
  if (type == "BPE") return std::make_unique<BpeModel>(spec);
  if (type == "WordPiece") return std::make_unique<WordPieceModel>(spec);
  if (type == "WordLevel") return std::make_unique<WordLevelModel>(spec);
  throw Error("unsupported model type '" + type + "'");
}

}  // namespace attnx::tok
