#pragma once
// The demo model's synthetic tasks and their vocabulary (plain C++: ids and targets only).
//   induction: random words that repeat ("red fox blue owl ... red fox blue owl"); the loss is
//              on the repeated copy, so copying needs previous-token and induction heads.
//   soft:      [M soft rows][BOS] "Q: what is the secret word? A:" -> " owl". The secret word
//              (and a secret colour, asked with another anchor) lives only in the soft rows.
//   facts:     [BOS] "Q: what does the cow say? A:" -> " moo": answered from the anchor alone.
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "demo_bpe.h"

namespace demo {

inline constexpr int64_t kIgnore = -100;  // target of positions without loss

struct Vocabulary {
  std::vector<std::string> secretWords;   // 24 animals, answers of the soft task
  std::vector<std::string> secretColors;  // 8 colours, answers of the second soft question
  std::vector<std::string> pool;          // words of the induction sequences
  std::string wordAnchor = "Q: what is the secret word? A:";
  std::string colorAnchor = "Q: what is the secret color? A:";
  std::vector<std::pair<std::string, std::string>> facts;  // question, answer word

  static Vocabulary standard();
  // Word frequencies of the corpus the tasks draw from (pre-tokenized words) and the answers,
  // which must each be one token.
  std::map<std::string, int64_t> corpusWords() const;
  std::set<std::string> answerWords() const;
};

// Deterministic across platforms: only the raw 64-bit engine is used, never std distributions.
class Rng {
 public:
  explicit Rng(uint64_t seed) : e_(seed) {}
  int64_t below(int64_t n) { return static_cast<int64_t>(e_() % static_cast<uint64_t>(n)); }
  int64_t between(int64_t lo, int64_t hi) { return lo + below(hi - lo + 1); }  // inclusive
  double uniform() { return static_cast<double>(e_() >> 11) * 0x1.0p-53; }

 private:
  std::mt19937_64 e_;
};

// A right-padded batch: ids [B, T] with kPad, targets [B, T] with kIgnore (target[b][t] is the
// token that position t must predict, i.e. ids[b][t + 1] where the loss applies).
struct TokenBatch {
  int64_t batch = 0, seqLen = 0;
  std::vector<int64_t> ids, targets;
  void append(const std::vector<int64_t>& seqIds, const std::vector<int64_t>& seqTargets);
  void finish();  // pads every row to the longest one
 private:
  std::vector<std::vector<int64_t>> rowsIds_, rowsTargets_;
};

// One induction sequence: BOS, filler words, a segment of K words, filler, the segment again.
// `repeatStart` receives the token index where the copy starts.
struct InductionSeq {
  std::string text;  // without BOS
  std::vector<int64_t> ids, targets;
  int64_t repeatStart = 0;
};
InductionSeq makeInduction(const Vocabulary& v, const Bpe& bpe, Rng& rng);

// One fact question with the answer and EOS after it.
void appendFact(const Vocabulary& v, const Bpe& bpe, Rng& rng, TokenBatch& out);

// Soft task layout: M placeholder rows (kPad ids), BOS, anchor, answer, EOS.
struct SoftLayout {
  std::vector<int64_t> ids, targets;
};
SoftLayout softSequence(const Bpe& bpe, int64_t m, const std::string& anchor,
                        const std::string& answer);

}  // namespace demo
