#include "demo_bpe.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace demo {

namespace {

std::string utf8(uint32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

bool isLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool isOther(char c) { return !isLetter(c) && !isDigit(c) && !isSpace(c); }

// The symbols of one pre-tokenized word before any merge.
std::vector<std::string> byteSplit(std::string_view word) {
  std::vector<std::string> out;
  for (char c : word) out.push_back(byteSymbols()[static_cast<unsigned char>(c)]);
  return out;
}

// Merges every occurrence of (a, b) left to right.
void applyMerge(std::vector<std::string>& syms, const std::string& a, const std::string& b) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < syms.size(); ++i) {
    if (i + 1 < syms.size() && syms[i] == a && syms[i + 1] == b) {
      out.push_back(a + b);
      ++i;
    } else {
      out.push_back(syms[i]);
    }
  }
  syms = std::move(out);
}

}  // namespace

const std::vector<std::string>& byteSymbols() {
  static const std::vector<std::string> table = [] {
    std::vector<std::string> t(256);
    uint32_t next = 256;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174);
      t[b] = utf8(printable ? static_cast<uint32_t>(b) : next++);
    }
    return t;
  }();
  return table;
}

std::vector<std::string> preTokenize(std::string_view s) {
  std::vector<std::string> out;
  for (unsigned char c : s)
    if (c >= 0x80) throw std::runtime_error("demo corpus text must be ASCII");
  std::size_t i = 0;
  const std::size_t n = s.size();
  auto runWhile = [&](std::size_t j, auto pred) {
    while (j < n && pred(s[j])) ++j;
    return j;
  };
  while (i < n) {
    // Contractions: 's 't 're 've 'm 'll 'd.
    if (s[i] == '\'') {
      bool matched = false;
      for (std::string_view c : {"s", "t", "re", "ve", "m", "ll", "d"}) {
        if (s.substr(i + 1, c.size()) == c) {
          out.emplace_back(s.substr(i, 1 + c.size()));
          i += 1 + c.size();
          matched = true;
          break;
        }
      }
      if (matched) continue;
    }
    // An optional single space, then a run of one class.
    const std::size_t start = i;
    const std::size_t body = (s[i] == ' ' && i + 1 < n) ? i + 1 : i;
    if (isLetter(s[body])) {
      i = runWhile(body, isLetter);
    } else if (isDigit(s[body])) {
      i = runWhile(body, isDigit);
    } else if (isOther(s[body])) {
      i = runWhile(body, isOther);
    } else {
      // Whitespace: \s+(?!\S) keeps the last space for the next word, unless the run ends
      // the text; a lone whitespace character before a word falls to \s+.
      const std::size_t end = runWhile(i, isSpace);
      if (end == n || end - i == 1) {
        i = end;
      } else {
        i = end - 1;
      }
    }
    out.emplace_back(s.substr(start, i - start));
  }
  return out;
}

void Bpe::addToken(const std::string& t) {
  if (ids_.count(t)) return;
  ids_[t] = static_cast<int64_t>(vocab_.size());
  vocab_.push_back(t);
}

Bpe Bpe::learn(const std::map<std::string, int64_t>& words,
               const std::set<std::string>& singleTokenWords) {
  Bpe bpe;
  bpe.addToken(kPadToken);
  bpe.addToken(kBosToken);
  bpe.addToken(kEosToken);
  for (const auto& s : byteSymbols()) bpe.addToken(s);

  struct Word {
    std::vector<std::string> syms;
    int64_t count;
    std::size_t target;
  };
  std::vector<Word> ws;
  for (const auto& [w, count] : words)
    ws.push_back({byteSplit(w), count, std::size_t(singleTokenWords.count(w) ? 1 : 2)});
  for (const auto& w : singleTokenWords)
    if (!words.count(w)) throw std::runtime_error("single-token word not in corpus: " + w);

  for (;;) {
    // Only words still too long vote, weighted by frequency: merges stop once every word fits.
    std::map<std::pair<std::string, std::string>, int64_t> counts;
    for (const auto& w : ws) {
      if (w.syms.size() <= w.target) continue;
      for (std::size_t i = 0; i + 1 < w.syms.size(); ++i)
        counts[{w.syms[i], w.syms[i + 1]}] += w.count;
    }
    if (counts.empty()) break;
    // std::map iterates in spelling order, so the first maximum is the deterministic tie-break.
    auto best = counts.begin();
    for (auto it = counts.begin(); it != counts.end(); ++it)
      if (it->second > best->second) best = it;
    const auto [a, b] = best->first;
    bpe.ranks_[{a, b}] = static_cast<int>(bpe.merges_.size());
    bpe.merges_.push_back({a, b});
    bpe.addToken(a + b);
    for (auto& w : ws) applyMerge(w.syms, a, b);
  }
  // The ranked encoder must reproduce the training segmentation exactly.
  for (const auto& [w, count] : words) {
    const auto syms = bpe.encodeWord(w);
    if (syms.size() > (singleTokenWords.count(w) ? 1u : 2u))
      throw std::runtime_error("BPE left a word in too many pieces: " + w);
  }
  return bpe;
}

std::vector<std::string> Bpe::encodeWord(std::string_view word) const {
  auto syms = byteSplit(word);
  for (;;) {
    int bestRank = -1;
    std::size_t bestPos = 0;
    for (std::size_t i = 0; i + 1 < syms.size(); ++i) {
      auto it = ranks_.find({syms[i], syms[i + 1]});
      if (it != ranks_.end() && (bestRank < 0 || it->second < bestRank)) {
        bestRank = it->second;
        bestPos = i;
      }
    }
    if (bestRank < 0) break;
    syms[bestPos] += syms[bestPos + 1];
    syms.erase(syms.begin() + static_cast<std::ptrdiff_t>(bestPos) + 1);
  }
  return syms;
}

std::vector<int64_t> Bpe::encode(std::string_view text) const {
  std::vector<int64_t> ids;
  for (const auto& w : preTokenize(text))
    for (const auto& s : encodeWord(w)) ids.push_back(id(s));
  return ids;
}

int64_t Bpe::id(const std::string& token) const {
  auto it = ids_.find(token);
  if (it == ids_.end()) throw std::runtime_error("token not in the demo vocabulary: " + token);
  return it->second;
}

const std::string& Bpe::token(int64_t id) const {
  if (id < 0 || id >= vocabSize()) throw std::runtime_error("token id out of range");
  return vocab_[static_cast<std::size_t>(id)];
}

std::string Bpe::decode(const std::vector<int64_t>& ids) const {
  // Reverse map: byte symbol spelling -> byte.
  static const std::map<std::string, char> back = [] {
    std::map<std::string, char> m;
    for (int b = 0; b < 256; ++b) m[byteSymbols()[b]] = static_cast<char>(b);
    return m;
  }();
  std::string out;
  for (int64_t i : ids) {
    if (i <= kEos) {
      out += token(i);
      continue;
    }
    const std::string& t = token(i);
    // Walk the UTF-8 code points of the token; each one is a byte symbol.
    for (std::size_t p = 0; p < t.size();) {
      const unsigned char c = static_cast<unsigned char>(t[p]);
      const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : 3;
      out += back.at(t.substr(p, len));
      p += len;
    }
  }
  return out;
}

std::string Bpe::tokenizerJson() const {
  using J = nlohmann::ordered_json;
  J added = J::array();
  for (int64_t i = 0; i <= kEos; ++i) {
    added.push_back(J{{"id", i},
                      {"content", vocab_[static_cast<std::size_t>(i)]},
                      {"single_word", false},
                      {"lstrip", false},
                      {"rstrip", false},
                      {"normalized", false},
                      {"special", true}});
  }
  J vocab = J::object();
  for (std::size_t i = 0; i < vocab_.size(); ++i) vocab[vocab_[i]] = static_cast<int64_t>(i);
  J merges = J::array();
  for (const auto& [a, b] : merges_) merges.push_back(a + " " + b);

  const J bos = {{"SpecialToken", {{"id", kBosToken}, {"type_id", 0}}}};
  const J bosB = {{"SpecialToken", {{"id", kBosToken}, {"type_id", 1}}}};
  J t;
  t["version"] = "1.0";
  t["truncation"] = nullptr;
  t["padding"] = nullptr;
  t["added_tokens"] = added;
  t["normalizer"] = nullptr;
  t["pre_tokenizer"] = {{"type", "ByteLevel"},
                        {"add_prefix_space", false},
                        {"trim_offsets", true},
                        {"use_regex", true}};
  t["post_processor"] = {
      {"type", "TemplateProcessing"},
      {"single", J::array({bos, J{{"Sequence", {{"id", "A"}, {"type_id", 0}}}}})},
      {"pair", J::array({bos, J{{"Sequence", {{"id", "A"}, {"type_id", 0}}}}, bosB,
                         J{{"Sequence", {{"id", "B"}, {"type_id", 1}}}}})},
      {"special_tokens",
       {{kBosToken, {{"id", kBosToken}, {"ids", J::array({kBos})}, {"tokens", {kBosToken}}}}}}};
  t["decoder"] = {{"type", "ByteLevel"},
                  {"add_prefix_space", true},
                  {"trim_offsets", true},
                  {"use_regex", true}};
  t["model"] = {{"type", "BPE"},
                {"dropout", nullptr},
                {"unk_token", nullptr},
                {"continuing_subword_prefix", nullptr},
                {"end_of_word_suffix", nullptr},
                {"fuse_unk", false},
                {"byte_fallback", false},
                {"ignore_merges", false},
                {"vocab", vocab},
                {"merges", merges}};
  return t.dump(1) + "\n";
}

std::string Bpe::tokenizerConfigJson(int modelMaxLength) const {
  using J = nlohmann::ordered_json;
  J added = J::object();
  for (int64_t i = 0; i <= kEos; ++i) {
    added[std::to_string(i)] = {{"content", vocab_[static_cast<std::size_t>(i)]},
                                {"lstrip", false},
                                {"normalized", false},
                                {"rstrip", false},
                                {"single_word", false},
                                {"special", true}};
  }
  J c;
  c["add_bos_token"] = true;
  c["add_eos_token"] = false;
  c["add_prefix_space"] = false;
  c["added_tokens_decoder"] = added;
  c["bos_token"] = kBosToken;
  c["clean_up_tokenization_spaces"] = false;
  c["eos_token"] = kEosToken;
  c["pad_token"] = kPadToken;
  c["model_max_length"] = modelMaxLength;
  c["tokenizer_class"] = "PreTrainedTokenizerFast";
  return c.dump(2) + "\n";
}

}  // namespace demo
