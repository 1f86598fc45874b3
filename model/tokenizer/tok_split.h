#pragma once
// How a split keeps the delimiters it found (Hugging Face's SplitDelimiterBehavior).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace attnx::tok {

enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

// attnx::Error on an unknown name.
SplitBehavior parseSplitBehavior(const std::string& name);

// Cuts `text` at the [begin, end) `matches` (sorted, non-overlapping) and appends the non-empty
// pieces to `out`. With `invert`, the matches are what is kept and the gaps are the delimiters.
void splitAtMatches(std::string_view text, const std::vector<std::pair<size_t, size_t>>& matches,
                    SplitBehavior behavior, bool invert, std::vector<std::string>& out);

}  // namespace attnx::tok
