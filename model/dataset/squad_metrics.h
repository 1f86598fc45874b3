#pragma once
// SQuAD v1.1 answer metrics, as its official evaluation script defines them: answers are
// normalised (lower case, punctuation removed, the articles a/an/the removed, white space
// collapsed); exact match compares the normalised strings, F1 the bags of normalised words.
// Against several accepted answers the best score counts.
#include <string>
#include <string_view>
#include <vector>

namespace attnx {

std::string normalizeAnswer(std::string_view text);
double exactMatch(std::string_view prediction, std::string_view gold);  // 0 or 1
double f1Score(std::string_view prediction, std::string_view gold);     // 0 .. 1

// A generated answer's first line: a model that goes on writes the next question or more text
// after a line break, which would spoil exact match. Leading line breaks and spaces are skipped.
std::string firstAnswerLine(std::string_view generated);

struct AnswerScore {
  double em = 0.0, f1 = 0.0;
};
// Best over `golds`; {0, 0} when `golds` is empty.
AnswerScore scoreAnswer(std::string_view prediction, const std::vector<std::string>& golds);

}  // namespace attnx
