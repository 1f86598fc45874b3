#pragma once
// WordPiece (BERT): greedy longest-match-first with "##" continuation pieces; a word that cannot
// be covered, or is too long, is one unknown token. Also WordLevel (whole words only).
#include "tok_model.h"

namespace attnx::tok {

class WordPieceModel : public Model {
 public:
  explicit WordPieceModel(const Json& spec);
  void tokenize(const std::string& word, std::vector<int64_t>& ids) const override;

 private:
  int64_t unk_;
  std::string prefix_;
  size_t maxChars_;
};

class WordLevelModel : public Model {
 public:
  explicit WordLevelModel(const Json& spec);
  void tokenize(const std::string& word, std::vector<int64_t>& ids) const override;

 private:
  int64_t unk_ = -1;
};

}  // namespace attnx::tok
