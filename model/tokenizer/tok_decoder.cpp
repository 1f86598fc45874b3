#include "tok_decoder.h"

#include "error.h"
#include "tok_byte_level.h"
#include "tok_pattern.h"
#include "tok_utf8.h"

namespace attnx::tok {
namespace {

void replaceAll(std::string& text, std::string_view from, std::string_view to) {
  if (from.empty()) return;
  size_t pos = 0;
  while ((pos = text.find(from, pos)) != std::string::npos) {
    text.replace(pos, from.size(), to);
    pos += to.size();
  }
}

class SequenceDecoder : public Decoder {
 public:
  explicit SequenceDecoder(std::vector<std::unique_ptr<Decoder>> parts)
      : parts_(std::move(parts)) {}
  std::vector<std::string> chain(std::vector<std::string> tokens) const override {
    for (const auto& d : parts_) tokens = d->chain(std::move(tokens));
    return tokens;
  }

 private:
  std::vector<std::unique_ptr<Decoder>> parts_;
};

// Runs of byte-level tokens become bytes again, decoded as UTF-8 (broken sequences -> U+FFFD);
// added tokens are kept as they are.
class ByteLevelDecoder : public Decoder {
 public:
  explicit ByteLevelDecoder(const std::unordered_set<std::string>& added) : added_(added) {}
  std::vector<std::string> chain(std::vector<std::string> tokens) const override {
    std::vector<std::string> out;
    std::string bytes;
    auto flush = [&] {
      if (!bytes.empty()) out.push_back(decodeLossy(bytes));
      bytes.clear();
    };
    for (const auto& token : tokens) {
      if (added_.count(token)) {
        flush();
        out.push_back(token);
        continue;
      }
      appendCharsAsBytes(token, bytes);  // not a byte stand-in: the character is kept
    }
    flush();
    return out;
  }

 private:
  const std::unordered_set<std::string>& added_;
};

class MetaspaceDecoder : public Decoder {
 public:
  MetaspaceDecoder(std::string replacement, bool stripFirstSpace)
      : replacement_(std::move(replacement)), stripFirstSpace_(stripFirstSpace) {}
  std::vector<std::string> chain(std::vector<std::string> tokens) const override {
    for (size_t i = 0; i < tokens.size(); ++i) {
      replaceAll(tokens[i], replacement_, " ");
      if (i == 0 && stripFirstSpace_ && !tokens[i].empty() && tokens[i][0] == ' ')
        tokens[i].erase(0, 1);
    }
    return tokens;
  }

 private:
  std::string replacement_;
  bool stripFirstSpace_;
};

// "##ing" joins the previous piece; other pieces are separated by a space.
class WordPieceDecoder : public Decoder {
 public:
  WordPieceDecoder(std::string prefix, bool cleanup)
      : prefix_(std::move(prefix)), cleanup_(cleanup) {}
  std::vector<std::string> chain(std::vector<std::string> tokens) const override {
    for (size_t i = 0; i < tokens.size(); ++i) {
      std::string& t = tokens[i];
      if (i > 0) {
        if (!prefix_.empty() && t.rfind(prefix_, 0) == 0)
          t.erase(0, prefix_.size());
        else
          t.insert(0, " ");
      }
      if (cleanup_) t = cleanUpTokenization(std::move(t));
    }
    return tokens;
  }

 private:
  std::string prefix_;
  bool cleanup_;
};

class ReplaceDecoder : public Decoder {
 public:
  ReplaceDecoder(const Json& pattern, std::string content)
      : pattern_(pattern), content_(std::move(content)) {}
  std::vector<std::string> chain(std::vector<std::string> tokens) const override {
    for (auto& t : tokens) t = pattern_.replaceAll(t, content_);
    return tokens;
  }

 private:
  Pattern pattern_;
  std::string content_;
};

// Consecutive <0xNN> tokens become the bytes they name, decoded as UTF-8.
class ByteFallbackDecoder : public Decoder {
 public:
  std::vector<std::string> chain(std::vector<std::string> tokens) const override {
    std::vector<std::string> out;
    std::string bytes;
    for (auto& t : tokens) {
      int value = byteTokenValue(t);
      if (value >= 0) {
        bytes += static_cast<char>(value);
        continue;
      }
      if (!bytes.empty()) out.push_back(decodeLossy(bytes));
      bytes.clear();
      out.push_back(std::move(t));
    }
    if (!bytes.empty()) out.push_back(decodeLossy(bytes));
    return out;
  }

  static int byteTokenValue(const std::string& t) {
    if (t.size() != 6 || t.compare(0, 3, "<0x") != 0 || t[5] != '>') return -1;
    auto hex = [](char c) {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    int hi = hex(t[3]), lo = hex(t[4]);
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
  }
};

class FuseDecoder : public Decoder {
 public:
  std::vector<std::string> chain(std::vector<std::string> tokens) const override {
    std::string all;
    for (const auto& t : tokens) all += t;
    return {all};
  }
};

// Removes up to `start` leading and `stop` trailing copies of one character from each string.
class StripDecoder : public Decoder {
 public:
  StripDecoder(std::string content, size_t start, size_t stop)
      : content_(std::move(content)), start_(start), stop_(stop) {}
  std::vector<std::string> chain(std::vector<std::string> tokens) const override {
    if (content_.empty()) return tokens;
    for (auto& t : tokens) {
      for (size_t k = 0; k < start_ && t.rfind(content_, 0) == 0; ++k) t.erase(0, content_.size());
      for (size_t k = 0; k < stop_ && t.size() >= content_.size() &&
                         t.compare(t.size() - content_.size(), content_.size(), content_) == 0;
           ++k)
        t.erase(t.size() - content_.size());
    }
    return tokens;
  }

 private:
  std::string content_;
  size_t start_, stop_;
};

// Classic BPE with an end-of-word suffix ("</w>"): the suffix becomes a space.
class SuffixDecoder : public Decoder {
 public:
  explicit SuffixDecoder(std::string suffix) : suffix_(std::move(suffix)) {}
  std::vector<std::string> chain(std::vector<std::string> tokens) const override {
    for (size_t i = 0; i < tokens.size(); ++i)
      replaceAll(tokens[i], suffix_, i + 1 == tokens.size() ? "" : " ");
    return tokens;
  }

 private:
  std::string suffix_;
};

}  // namespace

std::string Decoder::decode(std::vector<std::string> tokens) const {
  std::string out;
  for (const auto& t : chain(std::move(tokens))) out += t;
  return out;
}

std::string cleanUpTokenization(std::string text) {
  static const std::pair<const char*, const char*> kRules[] = {
      {" .", "."},     {" ?", "?"},   {" !", "!"},   {" ,", ","},     {" ' ", "'"},
      {" n't", "n't"}, {" 'm", "'m"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
  for (auto [from, to] : kRules) replaceAll(text, from, to);
  return text;
}

std::unique_ptr<Decoder> makeDecoder(const Json& spec,
                                     const std::unordered_set<std::string>& addedTokens) {
  if (spec.is_null()) return nullptr;
  const std::string type = spec.at("type").get<std::string>();
  if (type == "Sequence") {
    std::vector<std::unique_ptr<Decoder>> parts;
    for (const auto& d : spec.at("decoders"))
      if (auto p = makeDecoder(d, addedTokens)) parts.push_back(std::move(p));
    return std::make_unique<SequenceDecoder>(std::move(parts));
  }
  if (type == "ByteLevel") return std::make_unique<ByteLevelDecoder>(addedTokens);
  if (type == "Metaspace") {
    bool strip = spec.contains("prepend_scheme") && spec["prepend_scheme"].is_string()
                     ? spec["prepend_scheme"].get<std::string>() != "never"
                     : spec.value("add_prefix_space", true);
    return std::make_unique<MetaspaceDecoder>(spec.value("replacement", std::string("\u2581")),
                                              strip);
  }
  if (type == "WordPiece")
    return std::make_unique<WordPieceDecoder>(spec.value("prefix", std::string("##")),
                                              spec.value("cleanup", true));
  if (type == "Replace")
    return std::make_unique<ReplaceDecoder>(spec.at("pattern"), spec.at("content"));
  if (type == "ByteFallback") return std::make_unique<ByteFallbackDecoder>();
  if (type == "Fuse") return std::make_unique<FuseDecoder>();
  if (type == "Strip")
    return std::make_unique<StripDecoder>(spec.value("content", std::string(" ")),
                                          spec.value("start", size_t{0}),
                                          spec.value("stop", size_t{0}));
  if (type == "BPEDecoder")
    return std::make_unique<SuffixDecoder>(spec.value("suffix", std::string("</w>")));
  throw Error("unsupported decoder type '" + type + "'");
}

}  // namespace attnx::tok
