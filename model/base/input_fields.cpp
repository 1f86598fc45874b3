#include "input_fields.h"

#include "error.h"

namespace attnx {
namespace {

InputPart fieldPart(SegmentKind kind, const TextOrIds& field) {
  InputPart p;
  p.kind = kind;
  if (!field.ids.empty())
    p.ids = field.ids;
  else
    p.text = field.text;
  return p;
}

}  // namespace

InputParts composeInputParts(const InputFields& f) {
  const bool soft = f.softCount > 0 || f.softRowsLater;
  if (!f.promptPair.empty() && (f.prompt.text.empty() || !f.prompt.ids.empty()))
    throw Error("a sentence pair needs a text prompt for its first sentence");
  InputParts out;
  out.tokenTypeIds = f.tokenTypeIds;
  auto& parts = out.parts;
  if (soft) {
    out.softTokens = f.softSource;
    InputPart p;
    p.kind = SegmentKind::Soft;
    p.rows = f.softCount;
    p.embeddings = f.softRows;
    parts.push_back(std::move(p));
    if (f.bosAfterSoft) {
      InputPart bos;
      bos.kind = SegmentKind::Bos;
      parts.push_back(std::move(bos));
    }
  }
  if (!f.anchor.empty()) parts.push_back(fieldPart(SegmentKind::Anchor, f.anchor));
  if (!f.prompt.empty()) {
    InputPart p = fieldPart(SegmentKind::Text, f.prompt);
    p.pairText = f.promptPair;
    // A text prompt alone is tokenized as Hugging Face does, with its special tokens; after soft
    // tokens or an anchor the composition above decides where BOS goes.
    p.addSpecialTokens = parts.empty() && p.ids.empty();
    parts.push_back(std::move(p));
  }
  if (parts.empty())
    throw Error("the input is empty: give soft tokens, an anchor, a prompt or token ids");
  return out;
}

}  // namespace attnx
