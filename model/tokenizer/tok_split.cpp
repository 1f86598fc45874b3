#include "tok_split.h"

#include <algorithm>

#include "error.h"

namespace attnx::tok {

SplitBehavior parseSplitBehavior(const std::string& name) {
  if (name == "Removed") return SplitBehavior::Removed;
  if (name == "Isolated") return SplitBehavior::Isolated;
  if (name == "MergedWithPrevious") return SplitBehavior::MergedWithPrevious;
  if (name == "MergedWithNext") return SplitBehavior::MergedWithNext;
  if (name == "Contiguous") return SplitBehavior::Contiguous;
  throw Error("unknown split behavior '" + name + "'");
}

void splitAtMatches(std::string_view text, const std::vector<std::pair<size_t, size_t>>& matches,
                    SplitBehavior behavior, bool invert, std::vector<std::string>& out) {
  struct Span {
    size_t begin, end;
    bool delimiter;
  };
  // The text as alternating gaps and matches; adjacent matches stay separate spans.
  std::vector<Span> spans;
  size_t prev = 0;
  for (auto [b, e] : matches) {
    if (b > prev) spans.push_back({prev, b, invert});
    spans.push_back({b, e, !invert});
    prev = e;
  }
  if (prev < text.size()) spans.push_back({prev, text.size(), invert});

  std::vector<std::pair<size_t, size_t>> pieces;
  switch (behavior) {
    case SplitBehavior::Removed:
      for (const auto& s : spans)
        if (!s.delimiter) pieces.emplace_back(s.begin, s.end);
      break;
    case SplitBehavior::Isolated:
      for (const auto& s : spans) pieces.emplace_back(s.begin, s.end);
      break;
    case SplitBehavior::MergedWithPrevious: {
      bool previousDelimiter = false;
      for (const auto& s : spans) {
        if (s.delimiter && !previousDelimiter && !pieces.empty())
          pieces.back().second = s.end;
        else
          pieces.emplace_back(s.begin, s.end);
        previousDelimiter = s.delimiter;
      }
      break;
    }
    case SplitBehavior::MergedWithNext: {
      bool nextDelimiter = false;  // walking backwards: was the span after this a delimiter
      for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
        if (it->delimiter && !nextDelimiter && !pieces.empty())
          pieces.back().first = it->begin;
        else
          pieces.emplace_back(it->begin, it->end);
        nextDelimiter = it->delimiter;
      }
      std::reverse(pieces.begin(), pieces.end());
      break;
    }
    case SplitBehavior::Contiguous: {
      bool previousDelimiter = false;
      for (const auto& s : spans) {
        if (s.delimiter == previousDelimiter && !pieces.empty())
          pieces.back().second = s.end;
        else
          pieces.emplace_back(s.begin, s.end);
        previousDelimiter = s.delimiter;
      }
      break;
    }
  }
  for (auto [b, e] : pieces)
    if (e > b) out.emplace_back(text.substr(b, e - b));
}

}  // namespace attnx::tok
