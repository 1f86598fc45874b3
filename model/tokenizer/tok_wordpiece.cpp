#include "tok_wordpiece.h"

#include "error.h"
#include "tok_utf8.h"

namespace attnx::tok {
namespace {

int64_t requireToken(const Vocab& vocab, const std::string& token, const char* what) {
  auto it = vocab.find(token);
  if (it == vocab.end())
    throw Error(std::string(what) + " '" + token + "' is not in the vocabulary");
  return it->second;
}

}  // namespace

WordPieceModel::WordPieceModel(const Json& spec) {
  vocab_ = readVocab(spec.at("vocab"));
  unk_ = requireToken(vocab_, spec.value("unk_token", std::string("[UNK]")), "unk_token");
  prefix_ = spec.value("continuing_subword_prefix", std::string("##"));
  maxChars_ = spec.value("max_input_chars_per_word", size_t{100});
}

void WordPieceModel::tokenize(const std::string& word, std::vector<int64_t>& ids) const {
  auto offsets = codepointOffsets(word);
  const size_t n = offsets.size() - 1;
  if (n > maxChars_) {
    ids.push_back(unk_);
    return;
  }
  std::vector<int64_t> pieces;
  std::string candidate;
  for (size_t start = 0; start < n;) {
    // The longest vocabulary entry that starts here.
    size_t end = n;
    int64_t found = -1;
    for (; end > start; --end) {
      candidate.assign(start > 0 ? prefix_ : std::string());
      candidate.append(word, offsets[start], offsets[end] - offsets[start]);
      if (auto it = vocab_.find(candidate); it != vocab_.end()) {
        found = it->second;
        break;
      }
    }
    if (found < 0) {
      ids.push_back(unk_);
      return;
    }
    pieces.push_back(found);
    start = end;
  }
  ids.insert(ids.end(), pieces.begin(), pieces.end());
}

WordLevelModel::WordLevelModel(const Json& spec) {
  vocab_ = readVocab(spec.at("vocab"));
  if (spec.contains("unk_token") && spec["unk_token"].is_string())
    unk_ = requireToken(vocab_, spec["unk_token"].get<std::string>(), "unk_token");
}

void WordLevelModel::tokenize(const std::string& word, std::vector<int64_t>& ids) const {
  if (auto it = vocab_.find(word); it != vocab_.end()) {
    ids.push_back(it->second);
    return;
  }
  if (unk_ < 0)
    throw Error("the tokenizer cannot represent '" + word + "' and has no unknown token");
  ids.push_back(unk_);
}

}  // namespace attnx::tok
