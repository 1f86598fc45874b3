#include "compose.h"

#include "error.h"
#include "tokenizer.h"

namespace attnx {

std::string tokenLabel(const Tokenizer* tokenizer, int64_t id) {
  return tokenizer ? tokenizer->displayToken(id) : "#" + std::to_string(id);
}

namespace {

class Builder {
 public:
  Builder(const Tokenizer* tok, const HParams& hp) : tok_(tok), hp_(hp) {}

  // `types`: the token type of each id (empty: 0).
  void ids(SegmentKind kind, const std::vector<int64_t>& ids, const std::vector<int64_t>& types = {}) {
    if (ids.empty()) return;
    const int begin = size();
    for (std::size_t i = 0; i < ids.size(); ++i) {
      out.batch.ids.push_back(ids[i]);
      out.batch.softMask.push_back(0);
      out.batch.tokenTypeIds.push_back(i < types.size() ? types[i] : 0);
      out.tokens.push_back(tokenLabel(tok_, ids[i]));
    }
    out.layout.push_back({kind, begin, size()});
  }

  void soft(const InputPart& p) {
    if (p.rows <= 0) throw Error("soft tokens: a soft part needs at least one row");
    const std::size_t rows = static_cast<std::size_t>(p.rows);
    if (p.embeddings.size() % rows != 0)
      throw Error("soft tokens: " + std::to_string(p.embeddings.size()) + " values do not make " +
                  std::to_string(p.rows) + " rows");
    const std::size_t width = p.embeddings.size() / rows;
    if (width != static_cast<std::size_t>(hp_.hidden))
      throw Error("soft tokens have width " + std::to_string(width) +
                  " but the model's hidden size is " + std::to_string(hp_.hidden));
    const int begin = size();
    for (int r = 0; r < p.rows; ++r) {
      out.batch.ids.push_back(0);
      out.batch.softMask.push_back(1);
      out.batch.tokenTypeIds.push_back(0);
      out.tokens.push_back("<soft " + std::to_string(softCount_++) + ">");
    }
    out.batch.softRows.insert(out.batch.softRows.end(), p.embeddings.begin(), p.embeddings.end());
    out.layout.push_back({SegmentKind::Soft, begin, size()});
  }

  // A prompt with the tokenizer's special tokens: special ids get Bos/Special segments.
  void promptWithSpecials(const Encoding& e) {
    const auto bos = tok_ ? tok_->bosId() : hp_.bosId;
    std::vector<int64_t> run, runTypes;
    SegmentKind runKind = SegmentKind::Text;
    auto flush = [&] {
      this->ids(runKind, run, runTypes);
      run.clear();
      runTypes.clear();
    };
    for (std::size_t i = 0; i < e.ids.size(); ++i) {
      const int64_t id = e.ids[i];
      SegmentKind k = SegmentKind::Text;
      if (tok_ && tok_->isSpecial(id))
        k = bos && id == *bos ? SegmentKind::Bos : SegmentKind::Special;
      if (k != runKind || k != SegmentKind::Text) flush();
      runKind = k;
      run.push_back(id);
      runTypes.push_back(i < e.typeIds.size() ? e.typeIds[i] : 0);
    }
    flush();
  }

  int size() const { return static_cast<int>(out.batch.ids.size()); }

  ComposedInput out;

 private:
  const Tokenizer* tok_;
  const HParams& hp_;
  int softCount_ = 0;
};

const Tokenizer& needTokenizer(const Tokenizer* tok) {
  if (!tok) throw Error("the model folder has no tokenizer.json: give token ids instead of text");
  return *tok;
}

std::vector<int64_t> textIds(const InputPart& p, const Tokenizer* tok, bool specials) {
  if (!p.ids.empty()) return p.ids;
  if (p.text.empty()) return {};
  return needTokenizer(tok).encode(p.text, specials).ids;
}

// A text part's encoding: its ids (given or tokenized) and, for a sentence pair, the types.
Encoding textEncoding(const InputPart& p, const Tokenizer* tok, bool specials) {
  if (!p.pairText.empty()) {
    if (!p.ids.empty() || p.text.empty())
      throw Error("a sentence pair needs a text prompt for its first sentence");
    return needTokenizer(tok).encodePair(p.text, p.pairText, specials);
  }
  Encoding e;
  e.ids = textIds(p, tok, specials);
  return e;
}

}  // namespace

ComposedInput composeParts(const std::vector<InputPart>& parts, const Tokenizer* tok,
                           const HParams& hp) {
  Builder b(tok, hp);
  for (const auto& p : parts) {
    switch (p.kind) {
      case SegmentKind::Soft:
        b.soft(p);
        break;
      case SegmentKind::Bos: {
        const auto bos = tok && tok->bosId() ? tok->bosId() : hp.bosId;
        if (!bos)
          throw Error(
              "the model has no BOS token (neither its tokenizer nor config.json "
              "names one)");
        b.ids(SegmentKind::Bos, {*bos});
        break;
      }
      case SegmentKind::Anchor:
        b.ids(SegmentKind::Anchor, textIds(p, tok, false));
        break;
      case SegmentKind::Text: {
        const bool specials = p.addSpecialTokens && p.ids.empty();
        const Encoding e = textEncoding(p, tok, specials);
        if (specials)
          b.promptWithSpecials(e);
        else
          b.ids(SegmentKind::Text, e.ids, e.typeIds);
        break;
      }
      case SegmentKind::Special:
        b.ids(SegmentKind::Special, p.ids);
        break;
      default:
        throw Error("input parts must be soft, bos, anchor, text or special, not " +
                    std::string(segmentKindName(p.kind)));
    }
  }
  if (b.size() == 0) throw Error("the input is empty: nothing to run");
  ComposedInput out = std::move(b.out);
  out.batch.batch = 1;
  out.batch.seqLen = static_cast<int>(out.batch.ids.size());
  bool anySoft = false, anyType = false;
  for (auto s : out.batch.softMask) anySoft |= s != 0;
  for (auto t : out.batch.tokenTypeIds) anyType |= t != 0;
  if (!anySoft) out.batch.softMask.clear();
  if (!anyType) out.batch.tokenTypeIds.clear();  // all 0: as without token types
  return out;
}

}  // namespace attnx
