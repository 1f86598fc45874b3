#include "first_token.h"

#include <algorithm>
#include <cmath>

#include "tokenizer.h"

namespace attnx {
namespace {

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n\v\f") == std::string::npos; }

}  // namespace

std::vector<int64_t> goldFirstTokenIds(const Tokenizer& tokenizer,
                                       const std::vector<std::string>& golds) {
  std::vector<int64_t> out;
  for (const auto& gold : golds) {
    if (blank(gold)) continue;
    for (const std::string& text : {gold, " " + gold}) {
      const Encoding enc = tokenizer.encode(text, false);
      if (enc.ids.empty()) continue;
      const int64_t id = enc.ids.front();
      if (blank(tokenizer.decode({id}))) continue;
      if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    }
  }
  return out;
}

TopToken topToken(const float* logits, int64_t vocab) {
  TopToken t;
  if (vocab <= 0) return t;
  const float* best = std::max_element(logits, logits + vocab);
  t.id = best - logits;
  double sum = 0;  // sum of exp(l - max): the max term is 1, so never 0
  for (int64_t i = 0; i < vocab; ++i) sum += std::exp(static_cast<double>(logits[i]) - *best);
  t.prob = static_cast<float>(1.0 / sum);
  return t;
}

}  // namespace attnx
