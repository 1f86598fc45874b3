#include "demo_tasks.h"

#include <algorithm>
#include <sstream>

namespace demo {

namespace {

std::vector<std::string> split(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

}  // namespace

Vocabulary Vocabulary::standard() {
  Vocabulary v;
  v.secretWords = split(
      "owl fox cat dog bee ant elk yak cow pig hen ram eel emu bat rat ape cod jay koi gnu lynx "
      "wolf bear");
  v.secretColors = split("red blue green gold pink gray black white");
  v.pool = split(
      "moon star tree lake rock sand wind rain snow fire leaf seed ship road door lamp book cup "
      "key box hat coat ring bell drum kite boat car bus map pen ink salt milk tea cake bread "
      "corn rice plum pear lime fig nut oak pine rose lily fern moss hill cave sea sky sun cloud "
      "storm frost river stone glass silk wool iron tin jade ruby pearl coral amber violet "
      "orange purple brown tiny big old new fast slow warm cold soft loud quiet happy");
  for (const auto& w : v.secretWords) v.pool.push_back(w);
  for (const auto& w : v.secretColors) v.pool.push_back(w);
  v.facts = {{"Q: what does the cow say? A:", "moo"},    {"Q: what does the dog say? A:", "woof"},
             {"Q: what does the cat say? A:", "meow"},   {"Q: what color is the sky? A:", "blue"},
             {"Q: what color is the sun? A:", "yellow"}, {"Q: what color is grass? A:", "green"},
             {"Q: what do bees make? A:", "honey"},      {"Q: where do fish live? A:", "water"}};
  return v;
}

std::map<std::string, int64_t> Vocabulary::corpusWords() const {
  std::map<std::string, int64_t> words;
  // Induction text: a bare first word, then words after a space.
  for (const auto& w : pool) {
    words[w] += 1;
    words[" " + w] += 10;
  }
  for (const auto& a : {wordAnchor, colorAnchor})
    for (const auto& w : preTokenize(a)) words[w] += 50;
  for (const auto& [q, a] : facts) {
    for (const auto& w : preTokenize(q)) words[w] += 5;
    words[" " + a] += 5;
  }
  return words;
}

std::set<std::string> Vocabulary::answerWords() const {
  std::set<std::string> out;
  for (const auto& w : secretWords) out.insert(" " + w);
  for (const auto& w : secretColors) out.insert(" " + w);
  for (const auto& [q, a] : facts) out.insert(" " + a);
  return out;
}

void TokenBatch::append(const std::vector<int64_t>& seqIds,
                        const std::vector<int64_t>& seqTargets) {
  rowsIds_.push_back(seqIds);
  rowsTargets_.push_back(seqTargets);
}

void TokenBatch::finish() {
  batch = static_cast<int64_t>(rowsIds_.size());
  seqLen = 0;
  for (const auto& r : rowsIds_) seqLen = std::max<int64_t>(seqLen, static_cast<int64_t>(r.size()));
  ids.assign(static_cast<std::size_t>(batch * seqLen), Bpe::kPad);
  targets.assign(ids.size(), kIgnore);
  for (int64_t b = 0; b < batch; ++b) {
    std::copy(rowsIds_[b].begin(), rowsIds_[b].end(), ids.begin() + b * seqLen);
    std::copy(rowsTargets_[b].begin(), rowsTargets_[b].end(), targets.begin() + b * seqLen);
  }
}

InductionSeq makeInduction(const Vocabulary& v, const Bpe& bpe, Rng& rng) {
  auto pick = [&] { return v.pool[static_cast<std::size_t>(rng.below(std::ssize(v.pool)))]; };
  const int64_t before = rng.between(0, 3), k = rng.between(4, 9), gap = rng.between(0, 3);
  std::vector<std::string> segment;
  for (int64_t i = 0; i < k; ++i) segment.push_back(pick());
  std::vector<std::string> words;
  for (int64_t i = 0; i < before; ++i) words.push_back(pick());
  words.insert(words.end(), segment.begin(), segment.end());
  for (int64_t i = 0; i < gap; ++i) words.push_back(pick());
  const std::size_t repeatWord = words.size();
  words.insert(words.end(), segment.begin(), segment.end());

  InductionSeq s;
  s.ids.push_back(Bpe::kBos);
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i == repeatWord) s.repeatStart = std::ssize(s.ids);
    const std::string piece = (i == 0 ? "" : " ") + words[i];
    s.text += piece;
    for (int64_t id : bpe.encode(piece)) s.ids.push_back(id);
  }
  // Loss on the copy, from its second token on: its first token cannot be known in advance.
  s.targets.assign(s.ids.size(), kIgnore);
  for (std::size_t t = static_cast<std::size_t>(s.repeatStart); t + 1 < s.ids.size(); ++t)
    s.targets[t] = s.ids[t + 1];
  return s;
}

void appendFact(const Vocabulary& v, const Bpe& bpe, Rng& rng, TokenBatch& out) {
  const auto& [q, a] = v.facts[static_cast<std::size_t>(rng.below(std::ssize(v.facts)))];
  std::vector<int64_t> ids{Bpe::kBos};
  for (int64_t id : bpe.encode(q)) ids.push_back(id);
  const std::size_t last = ids.size() - 1;
  ids.push_back(bpe.encode(" " + a).at(0));
  ids.push_back(Bpe::kEos);
  std::vector<int64_t> targets(ids.size(), kIgnore);
  targets[last] = ids[last + 1];
  targets[last + 1] = Bpe::kEos;
  out.append(ids, targets);
}

SoftLayout softSequence(const Bpe& bpe, int64_t m, const std::string& anchor,
                        const std::string& answer) {
  SoftLayout s;
  s.ids.assign(static_cast<std::size_t>(m), Bpe::kPad);
  s.ids.push_back(Bpe::kBos);
  for (int64_t id : bpe.encode(anchor)) s.ids.push_back(id);
  const std::size_t last = s.ids.size() - 1;
  s.ids.push_back(bpe.encode(" " + answer).at(0));
  s.ids.push_back(Bpe::kEos);
  s.targets.assign(s.ids.size(), kIgnore);
  s.targets[last] = s.ids[last + 1];
  s.targets[last + 1] = Bpe::kEos;
  return s;
}

}  // namespace demo
