#include "tok_bpe.h"

#include <cstdio>
#include <queue>

#include "error.h"
#include "tok_utf8.h"

namespace attnx::tok {
namespace {

constexpr size_t kMaxCacheEntries = 200000;  // bounded so hostile input cannot grow it forever

std::string optionalString(const Json& spec, const char* key) {
  if (!spec.contains(key) || !spec[key].is_string()) return {};
  return spec[key].get<std::string>();
}

}  // namespace

BpeModel::BpeModel(const Json& spec) {
  vocab_ = readVocab(spec.at("vocab"));
  prefix_ = optionalString(spec, "continuing_subword_prefix");
  suffix_ = optionalString(spec, "end_of_word_suffix");
  fuseUnk_ = spec.value("fuse_unk", false);
  byteFallback_ = spec.value("byte_fallback", false);
  ignoreMerges_ = spec.value("ignore_merges", false);
  if (std::string unk = optionalString(spec, "unk_token"); !unk.empty()) {
    auto it = vocab_.find(unk);
    if (it == vocab_.end()) throw Error("unk_token '" + unk + "' is not in the vocabulary");
    unk_ = it->second;
  }
  if (byteFallback_) {
    byteIds_.assign(256, -1);
    for (int b = 0; b < 256; ++b) {
      char name[8];
      std::snprintf(name, sizeof name, "<0x%02X>", b);
      if (auto it = vocab_.find(name); it != vocab_.end()) byteIds_[b] = it->second;
    }
  }

  const Json& merges = spec.at("merges");
  merges_.reserve(merges.size() * 2);
  auto idOf = [&](const std::string& token, size_t rank) {
    auto it = vocab_.find(token);
    if (it == vocab_.end())
      throw Error("merge " + std::to_string(rank) + " uses '" + token +
                  "', which is not in the vocabulary");
    return it->second;
  };
  int32_t rank = 0;
  for (const auto& m : merges) {
    std::string a, b;
    if (m.is_string()) {
      // Old form "a b": tokens never contain a plain space (it is Ġ or ▁ in the vocabulary).
      const std::string& s = m.get_ref<const std::string&>();
      size_t space = s.find(' ', 1);
      if (space == std::string::npos)
        throw Error("merge " + std::to_string(rank) + " '" + s + "' is not two tokens");
      a = s.substr(0, space);
      b = s.substr(space + 1);
    } else if (m.is_array() && m.size() == 2) {
      a = m[0].get<std::string>();
      b = m[1].get<std::string>();
    } else {
      throw Error("merge " + std::to_string(rank) + " is neither \"a b\" nor [a, b]");
    }
    std::string joined =
        a + (!prefix_.empty() && b.rfind(prefix_, 0) == 0 ? b.substr(prefix_.size()) : b);
    // A pair listed twice keeps its first (best) rank.
    merges_.try_emplace(pairKey(idOf(a, rank), idOf(b, rank)), Merge{rank, idOf(joined, rank)});
    ++rank;
  }
}

std::vector<int64_t> BpeModel::initialSymbols(const std::string& word) const {
  std::vector<int64_t> symbols;
  auto offsets = codepointOffsets(word);
  size_t n = offsets.size() - 1;
  bool lastWasUnk = false;
  for (size_t k = 0; k < n; ++k) {
    std::string piece = word.substr(offsets[k], offsets[k + 1] - offsets[k]);
    if (k > 0) piece = prefix_ + piece;
    if (k + 1 == n) piece += suffix_;
    if (auto it = vocab_.find(piece); it != vocab_.end()) {
      symbols.push_back(it->second);
      lastWasUnk = false;
      continue;
    }
    if (byteFallback_) {
      // The character's UTF-8 bytes as <0xNN> tokens, when the vocabulary has all of them.
      std::string_view bytes(word.data() + offsets[k], offsets[k + 1] - offsets[k]);
      bool all = true;
      for (char c : bytes) all = all && byteIds_[static_cast<unsigned char>(c)] >= 0;
      if (all) {
        for (char c : bytes) symbols.push_back(byteIds_[static_cast<unsigned char>(c)]);
        lastWasUnk = false;
        continue;
      }
    }
    if (!unk_)
      throw Error("the tokenizer cannot represent '" + piece + "' and has no unknown token");
    if (!(fuseUnk_ && lastWasUnk)) symbols.push_back(*unk_);
    lastWasUnk = true;
  }
  return symbols;
}

std::vector<int64_t> BpeModel::applyMerges(std::vector<int64_t> ids) const {
  struct Symbol {
    int64_t id;
    int prev, next;
    bool alive;
  };
  struct Candidate {
    int32_t rank;
    int left, right;
    int64_t leftId, rightId, result;
    bool operator>(const Candidate& o) const {
      return rank != o.rank ? rank > o.rank : left > o.left;
    }
  };
  const int n = static_cast<int>(ids.size());
  std::vector<Symbol> sym(n);
  for (int i = 0; i < n; ++i) sym[i] = {ids[i], i - 1, i + 1 < n ? i + 1 : -1, true};

  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> queue;
  auto consider = [&](int left) {
    if (left < 0) return;
    int right = sym[left].next;
    if (right < 0) return;
    auto it = merges_.find(pairKey(sym[left].id, sym[right].id));
    if (it == merges_.end()) return;
    queue.push({it->second.rank, left, right, sym[left].id, sym[right].id, it->second.result});
  };
  for (int i = 0; i + 1 < n; ++i) consider(i);

  while (!queue.empty()) {
    Candidate c = queue.top();
    queue.pop();
    Symbol& l = sym[c.left];
    // Stale entries: one side was merged away or changed since the pair was queued.
    if (!l.alive || l.next != c.right || l.id != c.leftId || sym[c.right].id != c.rightId) continue;
    Symbol& r = sym[c.right];
    l.id = c.result;
    r.alive = false;
    l.next = r.next;
    if (r.next >= 0) sym[r.next].prev = c.left;
    consider(l.prev);
    consider(c.left);
  }
  std::vector<int64_t> out;
  out.reserve(n);
  for (int i = 0; i >= 0 && i < n; i = sym[i].next) out.push_back(sym[i].id);
  return out;
}

void BpeModel::tokenize(const std::string& word, std::vector<int64_t>& ids) const {
  if (ignoreMerges_) {
    // Llama 3: a word that is itself in the vocabulary is one token, whatever the merges say.
    if (auto it = vocab_.find(word); it != vocab_.end()) {
      ids.push_back(it->second);
      return;
    }
  }
  {
    std::lock_guard lock(cacheMutex_);
    if (auto it = cache_.find(word); it != cache_.end()) {
      ids.insert(ids.end(), it->second.begin(), it->second.end());
      return;
    }
  }
  std::vector<int64_t> result = applyMerges(initialSymbols(word));
  ids.insert(ids.end(), result.begin(), result.end());
  std::lock_guard lock(cacheMutex_);
  if (cache_.size() >= kMaxCacheEntries) cache_.clear();
  cache_.emplace(word, std::move(result));
}

}  // namespace attnx::tok
