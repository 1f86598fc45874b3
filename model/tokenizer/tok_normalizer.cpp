#include "tok_normalizer.h"

#include <vector>

#include "error.h"
#include "tok_pattern.h"
#include "tok_unicode.h"
#include "tok_utf8.h"

namespace attnx::tok {
namespace {

// Decomposes, then drops the combining marks (category Mn): "é" -> "e".
std::string stripAccents(const std::string& text) {
  std::string decomposed = normalizeUnicode(text, NormalForm::NFD);
  std::string out;
  out.reserve(decomposed.size());
  size_t i = 0;
  while (i < decomposed.size()) {
    char32_t cp = nextCodepoint(decomposed, i);
    if (!isNonspacingMark(cp)) appendUtf8(out, cp);
  }
  return out;
}

class SequenceNormalizer : public Normalizer {
 public:
  explicit SequenceNormalizer(std::vector<std::unique_ptr<Normalizer>> parts)
      : parts_(std::move(parts)) {}
  std::string normalize(std::string text) const override {
    for (const auto& p : parts_) text = p->normalize(std::move(text));
    return text;
  }

 private:
  std::vector<std::unique_ptr<Normalizer>> parts_;
};

class UnicodeNormalizer : public Normalizer {
 public:
  explicit UnicodeNormalizer(NormalForm form) : form_(form) {}
  std::string normalize(std::string text) const override { return normalizeUnicode(text, form_); }

 private:
  NormalForm form_;
};

class LowercaseNormalizer : public Normalizer {
 public:
  std::string normalize(std::string text) const override { return toLowerCase(text); }
};

class StripAccentsNormalizer : public Normalizer {
 public:
  // Like the reference, this only removes marks; it expects an NFD normalizer before it.
  std::string normalize(std::string text) const override {
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
      char32_t cp = nextCodepoint(text, i);
      if (!isNonspacingMark(cp)) appendUtf8(out, cp);
    }
    return out;
  }
};

class StripNormalizer : public Normalizer {
 public:
  StripNormalizer(bool left, bool right) : left_(left), right_(right) {}
  std::string normalize(std::string text) const override {
    auto offsets = codepointOffsets(text);
    size_t first = 0, last = offsets.size() - 1;  // code point indices [first, last)
    auto cpAt = [&](size_t k) {
      size_t i = offsets[k];
      return nextCodepoint(text, i);
    };
    if (left_)
      while (first < last && isWhiteSpace(cpAt(first))) ++first;
    if (right_)
      while (last > first && isWhiteSpace(cpAt(last - 1))) --last;
    return text.substr(offsets[first], offsets[last] - offsets[first]);
  }

 private:
  bool left_, right_;
};

class PrependNormalizer : public Normalizer {
 public:
  explicit PrependNormalizer(std::string prefix) : prefix_(std::move(prefix)) {}
  std::string normalize(std::string text) const override {
    return text.empty() ? text : prefix_ + text;
  }

 private:
  std::string prefix_;
};

class ReplaceNormalizer : public Normalizer {
 public:
  ReplaceNormalizer(const Json& pattern, std::string content)
      : pattern_(pattern), content_(std::move(content)) {}
  std::string normalize(std::string text) const override {
    return pattern_.replaceAll(text, content_);
  }

 private:
  Pattern pattern_;
  std::string content_;
};

// BERT: drop control characters and map whitespace to ' ', surround CJK ideographs with
// spaces, lowercase, and strip accents (by default exactly when lowercasing).
class BertNormalizer : public Normalizer {
 public:
  explicit BertNormalizer(const Json& spec)
      : cleanText_(spec.value("clean_text", true)),
        handleChinese_(spec.value("handle_chinese_chars", true)),
        lowercase_(spec.value("lowercase", true)) {
    const Json& strip = spec.contains("strip_accents") ? spec["strip_accents"] : Json();
    stripAccents_ = strip.is_boolean() ? strip.get<bool>() : lowercase_;
  }

  std::string normalize(std::string text) const override {
    if (cleanText_ || handleChinese_) {
      std::string out;
      out.reserve(text.size());
      size_t i = 0;
      while (i < text.size()) {
        char32_t cp = nextCodepoint(text, i);
        if (cleanText_) {
          bool keptControl = cp == '\t' || cp == '\n' || cp == '\r';
          if (cp == 0 || cp == 0xFFFD || (!keptControl && isControlOrFormat(cp))) continue;
          if (isBertWhitespace(cp)) cp = ' ';
        }
        if (handleChinese_ && isCjkIdeograph(cp)) {
          out += ' ';
          appendUtf8(out, cp);
          out += ' ';
        } else {
          appendUtf8(out, cp);
        }
      }
      text = std::move(out);
    }
    if (lowercase_) text = toLowerCase(text);
    if (stripAccents_) text = stripAccents(text);
    return text;
  }

 private:
  bool cleanText_, handleChinese_, lowercase_, stripAccents_;
};

}  // namespace

bool isCjkIdeograph(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F) ||
         (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

std::unique_ptr<Normalizer> makeNormalizer(const Json& spec) {
  if (spec.is_null()) return nullptr;
  const std::string type = spec.at("type").get<std::string>();
  if (type == "Sequence") {
    std::vector<std::unique_ptr<Normalizer>> parts;
    for (const auto& p : spec.at("normalizers"))
      if (auto n = makeNormalizer(p)) parts.push_back(std::move(n));
    return std::make_unique<SequenceNormalizer>(std::move(parts));
  }
  if (type == "NFC") return std::make_unique<UnicodeNormalizer>(NormalForm::NFC);
  if (type == "NFD") return std::make_unique<UnicodeNormalizer>(NormalForm::NFD);
  if (type == "NFKC") return std::make_unique<UnicodeNormalizer>(NormalForm::NFKC);
  if (type == "NFKD") return std::make_unique<UnicodeNormalizer>(NormalForm::NFKD);
  if (type == "Lowercase") return std::make_unique<LowercaseNormalizer>();
  if (type == "StripAccents") return std::make_unique<StripAccentsNormalizer>();
  if (type == "Strip")
    return std::make_unique<StripNormalizer>(spec.value("strip_left", true),
                                             spec.value("strip_right", true));
  if (type == "Prepend") return std::make_unique<PrependNormalizer>(spec.at("prepend"));
  if (type == "Replace")
    return std::make_unique<ReplaceNormalizer>(spec.at("pattern"), spec.at("content"));
  if (type == "BertNormalizer") return std::make_unique<BertNormalizer>(spec);
  throw Error("unsupported normalizer type '" + type + "'");
}

}  // namespace attnx::tok
