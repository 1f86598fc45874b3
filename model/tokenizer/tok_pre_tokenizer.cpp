#include "tok_pre_tokenizer.h"

#include <functional>

#include "error.h"
#include "tok_byte_level.h"
#include "tok_pattern.h"
#include "tok_regex.h"
#include "tok_split.h"

namespace attnx::tok {
namespace {

// GPT-2's word pattern: contractions, letters, digits, other symbols, each with at most one
// leading space; whitespace runs give their last space to the following word.
constexpr const char* kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

// BERT's punctuation: every Unicode P* character plus all non-alphanumeric printable ASCII.
constexpr const char* kBertPunct = R"(\p{P}\x{21}-\x{2F}\x{3A}-\x{40}\x{5B}-\x{60}\x{7B}-\x{7E})";

const Regex& gpt2Regex() {
  static const Regex r(kGpt2Pattern);
  return r;
}

void forEachPiece(
    std::vector<std::string>& pieces,
    const std::function<void(const std::string&, size_t, std::vector<std::string>&)>& fn) {
  std::vector<std::string> out;
  out.reserve(pieces.size());
  for (size_t i = 0; i < pieces.size(); ++i) fn(pieces[i], i, out);
  pieces.clear();
  for (auto& p : out)
    if (!p.empty()) pieces.push_back(std::move(p));
}

class SequencePreTokenizer : public PreTokenizer {
 public:
  explicit SequencePreTokenizer(std::vector<std::unique_ptr<PreTokenizer>> parts)
      : parts_(std::move(parts)) {}
  void split(std::vector<std::string>& pieces, size_t section) const override {
    for (const auto& p : parts_) p->split(pieces, section);
  }

 private:
  std::vector<std::unique_ptr<PreTokenizer>> parts_;
};

// Splits with a regular expression (or literal) and a delimiter behavior.
class RegexSplitPreTokenizer : public PreTokenizer {
 public:
  RegexSplitPreTokenizer(std::unique_ptr<Pattern> pattern, const Regex* regex,
                         SplitBehavior behavior, bool invert)
      : pattern_(std::move(pattern)), regex_(regex), behavior_(behavior), invert_(invert) {}
  void split(std::vector<std::string>& pieces, size_t) const override {
    forEachPiece(pieces, [&](const std::string& text, size_t, std::vector<std::string>& out) {
      auto matches = pattern_ ? pattern_->findAll(text) : regex_->findAll(text);
      splitAtMatches(text, matches, behavior_, invert_, out);
    });
  }

 private:
  std::unique_ptr<Pattern> pattern_;
  const Regex* regex_;  // used when pattern_ is null; owned elsewhere (static or by a subclass)
  SplitBehavior behavior_;
  bool invert_;
};

// A pre-tokenizer defined by one fixed regex of its own.
class OwnRegexPreTokenizer : public PreTokenizer {
 public:
  OwnRegexPreTokenizer(const std::string& pattern, SplitBehavior behavior, bool invert)
      : regex_(pattern), splitter_(nullptr, &regex_, behavior, invert) {}
  void split(std::vector<std::string>& pieces, size_t section) const override {
    splitter_.split(pieces, section);
  }

 private:
  Regex regex_;
  RegexSplitPreTokenizer splitter_;
};

// Optionally splits like GPT-2, then writes every byte as its printable stand-in character.
class ByteLevelPreTokenizer : public PreTokenizer {
 public:
  ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex)
      : addPrefixSpace_(addPrefixSpace), useRegex_(useRegex) {}
  void split(std::vector<std::string>& pieces, size_t) const override {
    forEachPiece(pieces, [&](const std::string& piece, size_t, std::vector<std::string>& out) {
      std::string text = piece;
      if (addPrefixSpace_ && (text.empty() || text[0] != ' ')) text.insert(text.begin(), ' ');
      if (!useRegex_) {
        out.push_back(bytesToChars(text));
        return;
      }
      for (auto [b, e] : gpt2Regex().findAll(text))
        out.push_back(bytesToChars(std::string_view(text).substr(b, e - b)));
    });
  }

 private:
  bool addPrefixSpace_, useRegex_;
};

// Spaces become the replacement character (U+2581 by default), optionally prefixed, and each
// word keeps its leading marker.
class MetaspacePreTokenizer : public PreTokenizer {
 public:
  MetaspacePreTokenizer(std::string replacement, std::string prependScheme, bool split)
      : replacement_(std::move(replacement)),
        prependScheme_(std::move(prependScheme)),
        split_(split) {}
  void split(std::vector<std::string>& pieces, size_t section) const override {
    forEachPiece(pieces,
                 [&](const std::string& piece, size_t index, std::vector<std::string>& out) {
                   std::string text;
                   for (char c : piece) {
                     if (c == ' ')
                       text += replacement_;
                     else
                       text += c;
                   }
                   bool prepend = prependScheme_ == "always" ||
                                  (prependScheme_ == "first" && section == 0 && index == 0);
                   if (prepend && text.rfind(replacement_, 0) != 0) text = replacement_ + text;
                   if (!split_) {
                     out.push_back(std::move(text));
                     return;
                   }
                   std::vector<std::pair<size_t, size_t>> matches;
                   for (size_t pos = 0; (pos = text.find(replacement_, pos)) != std::string::npos;
                        pos += replacement_.size())
                     matches.emplace_back(pos, pos + replacement_.size());
                   splitAtMatches(text, matches, SplitBehavior::MergedWithNext, false, out);
                 });
  }

 private:
  std::string replacement_, prependScheme_;
  bool split_;
};

std::string metaspaceScheme(const Json& spec) {
  if (spec.contains("prepend_scheme") && spec["prepend_scheme"].is_string())
    return spec["prepend_scheme"].get<std::string>();
  // Older files only have add_prefix_space.
  return spec.value("add_prefix_space", true) ? "always" : "never";
}

}  // namespace

std::unique_ptr<PreTokenizer> makePreTokenizer(const Json& spec) {
  if (spec.is_null()) return nullptr;
  const std::string type = spec.at("type").get<std::string>();
  if (type == "Sequence") {
    std::vector<std::unique_ptr<PreTokenizer>> parts;
    for (const auto& p : spec.at("pretokenizers"))
      if (auto t = makePreTokenizer(p)) parts.push_back(std::move(t));
    return std::make_unique<SequencePreTokenizer>(std::move(parts));
  }
  if (type == "ByteLevel")
    return std::make_unique<ByteLevelPreTokenizer>(spec.value("add_prefix_space", true),
                                                   spec.value("use_regex", true));
  if (type == "Split")
    return std::make_unique<RegexSplitPreTokenizer>(
        std::make_unique<Pattern>(spec.at("pattern")), nullptr,
        parseSplitBehavior(spec.value("behavior", std::string("Isolated"))),
        spec.value("invert", false));
  if (type == "BertPreTokenizer") {
    // Whitespace is dropped; every punctuation character stands alone.
    std::string p = std::string("[^\\s") + kBertPunct + "]+|[" + kBertPunct + "]";
    return std::make_unique<OwnRegexPreTokenizer>(p, SplitBehavior::Removed, true);
  }
  if (type == "Whitespace")
    return std::make_unique<OwnRegexPreTokenizer>(R"(\w+|[^\w\s]+)", SplitBehavior::Removed, true);
  if (type == "WhitespaceSplit")
    return std::make_unique<OwnRegexPreTokenizer>(R"(\s+)", SplitBehavior::Removed, false);
  if (type == "Punctuation")
    return std::make_unique<OwnRegexPreTokenizer>(
        std::string("[") + kBertPunct + "]",
        parseSplitBehavior(spec.value("behavior", std::string("Isolated"))), false);
  if (type == "Digits")
    return std::make_unique<OwnRegexPreTokenizer>(
        spec.value("individual_digits", false) ? R"(\p{N})" : R"(\p{N}+)", SplitBehavior::Isolated,
        false);
  if (type == "CharDelimiterSplit") {
    std::string delimiter = spec.at("delimiter").get<std::string>();
    return std::make_unique<RegexSplitPreTokenizer>(
        std::make_unique<Pattern>(Json{{"String", delimiter}}), nullptr, SplitBehavior::Removed,
        false);
  }
  if (type == "Metaspace")
    return std::make_unique<MetaspacePreTokenizer>(spec.value("replacement", std::string("\u2581")),
                                                   metaspaceScheme(spec),
                                                   spec.value("split", true));
  throw Error("unsupported pre-tokenizer type '" + type + "'");
}

}  // namespace attnx::tok
