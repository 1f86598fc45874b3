#include "prompt_parts.h"

#include "error.h"

namespace attnx {

std::vector<InputPart> composePromptParts(const PromptLayout& layout) {
  const bool soft = layout.softCount > 0;
  if (layout.bosAfterSoft && !soft) throw Error("a BOS after the soft tokens needs soft tokens");
  std::vector<InputPart> parts;
  if (soft) {
    InputPart p;
    p.kind = SegmentKind::Soft;
    p.rows = layout.softCount;
    p.embeddings = layout.softRows;
    parts.push_back(std::move(p));
    if (layout.bosAfterSoft) {
      InputPart bos;
      bos.kind = SegmentKind::Bos;
      parts.push_back(std::move(bos));
    }
  }
  if (layout.anchor) {
    InputPart p;
    p.kind = SegmentKind::Anchor;
    p.text = *layout.anchor;
    parts.push_back(std::move(p));
  }
  InputPart prompt;
  prompt.kind = SegmentKind::Text;
  if (!layout.promptIds.empty()) {
    prompt.ids = layout.promptIds;
  } else {
    prompt.text = layout.prompt;
    // The prompt alone is tokenized as Hugging Face does, with BOS / CLS and SEP; after soft
    // tokens or an anchor the caller decides where BOS goes.
    prompt.addSpecialTokens = parts.empty();
  }
  parts.push_back(std::move(prompt));
  return parts;
}

}  // namespace attnx
