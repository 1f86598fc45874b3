#include "tok_pattern.h"

#include "error.h"

namespace attnx::tok {

Pattern::Pattern(const Json& spec) {
  if (spec.is_object() && spec.contains("String")) {
    literal_ = spec["String"].get<std::string>();
  } else if (spec.is_object() && spec.contains("Regex")) {
    regex_ = std::make_unique<Regex>(spec["Regex"].get<std::string>());
  } else if (spec.is_string()) {
    literal_ = spec.get<std::string>();
  } else {
    throw Error("pattern must be {\"String\": ...} or {\"Regex\": ...}, got " + spec.dump());
  }
}

std::vector<std::pair<size_t, size_t>> Pattern::findAll(std::string_view text) const {
  if (regex_) return regex_->findAll(text);
  std::vector<std::pair<size_t, size_t>> out;
  if (literal_.empty()) return out;
  size_t pos = 0;
  while ((pos = text.find(literal_, pos)) != std::string_view::npos) {
    out.emplace_back(pos, pos + literal_.size());
    pos += literal_.size();
  }
  return out;
}

std::string Pattern::replaceAll(std::string_view text, std::string_view replacement) const {
  std::string out;
  out.reserve(text.size());
  size_t prev = 0;
  for (auto [b, e] : findAll(text)) {
    out.append(text.substr(prev, b - prev));
    out.append(replacement);
    prev = e;
  }
  out.append(text.substr(prev));
  return out;
}

}  // namespace attnx::tok
