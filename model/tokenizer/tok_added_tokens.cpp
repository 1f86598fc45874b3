#include "tok_added_tokens.h"

#include <algorithm>

#include "tok_unicode.h"
#include "tok_utf8.h"

namespace attnx::tok {
namespace {

// The code point that ends just before byte `pos` (pos > 0) and where it starts.
char32_t codepointBefore(std::string_view text, size_t pos, size_t& start) {
  start = pos - 1;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
  size_t i = start;
  return nextCodepoint(text, i);
}

}  // namespace

AddedToken parseAddedToken(const Json& spec) {
  AddedToken t;
  t.id = spec.at("id").get<int64_t>();
  t.content = spec.at("content").get<std::string>();
  t.special = spec.value("special", false);
  t.lstrip = spec.value("lstrip", false);
  t.rstrip = spec.value("rstrip", false);
  t.singleWord = spec.value("single_word", false);
  t.normalized = spec.value("normalized", false);
  return t;
}

AddedTokenMatcher::AddedTokenMatcher(std::vector<AddedToken> tokens) : tokens_(std::move(tokens)) {
  for (size_t i = 0; i < tokens_.size(); ++i)
    if (!tokens_[i].content.empty())
      byFirstByte_[static_cast<unsigned char>(tokens_[i].content[0])].push_back(
          static_cast<int>(i));
  for (auto& list : byFirstByte_)
    std::stable_sort(list.begin(), list.end(), [&](int a, int b) {
      return tokens_[a].content.size() > tokens_[b].content.size();
    });
}

std::vector<AddedTokenMatcher::Section> AddedTokenMatcher::split(std::string_view text) const {
  std::vector<Section> out;
  size_t sectionStart = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    int found = -1;
    for (int idx : byFirstByte_[static_cast<unsigned char>(text[pos])]) {
      const AddedToken& t = tokens_[idx];
      if (text.compare(pos, t.content.size(), t.content) != 0) continue;
      if (t.singleWord) {
        size_t before = 0, after = pos + t.content.size();
        if (pos > 0 && isWordChar(codepointBefore(text, pos, before))) continue;
        if (after < text.size() && isWordChar(nextCodepoint(text, after))) continue;
      }
      found = idx;
      break;
    }
    if (found < 0) {
      ++pos;  // contents start on a lead byte, so continuation bytes never match
      continue;
    }
    const AddedToken& t = tokens_[found];
    size_t begin = pos, end = pos + t.content.size();
    if (t.lstrip) {
      size_t start = 0;
      while (begin > sectionStart && isWhiteSpace(codepointBefore(text, begin, start)))
        begin = start;
    }
    if (t.rstrip) {
      while (end < text.size()) {
        size_t next = end;
        if (!isWhiteSpace(nextCodepoint(text, next))) break;
        end = next;
      }
    }
    if (begin > sectionStart) out.push_back({text.substr(sectionStart, begin - sectionStart), -1});
    out.push_back({text.substr(begin, end - begin), found});
    sectionStart = pos = end;
  }
  if (sectionStart < text.size()) out.push_back({text.substr(sectionStart), -1});
  return out;
}

}  // namespace attnx::tok
