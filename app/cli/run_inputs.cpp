#include "run_inputs.h"

#include <string>

#include "error.h"
#include "soft_tokens.h"

namespace attnx::cli {

std::vector<InputPart> composeInputParts(const Args& args) {
  const bool hasPrompt = args.has("prompt"), hasIds = args.has("input-ids");
  if (hasPrompt == hasIds) throw UsageError("give exactly one of --prompt and --input-ids");
  const bool soft = args.has("soft-tokens");
  if (args.has("bos-after-soft") && !soft) throw UsageError("--bos-after-soft needs --soft-tokens");
  std::vector<InputPart> parts;
  if (soft) {
    const FloatTensor t = loadSoftTokens(*args.get("soft-tokens"));
    if (t.shape.size() == 3 && t.shape[0] != 1)
      throw Error(*args.get("soft-tokens") + ": holds a batch of " + std::to_string(t.shape[0]) +
                  " soft prefixes; attnx run takes one");
    InputPart p;
    p.kind = SegmentKind::Soft;
    p.rows = static_cast<int>(t.shape[t.shape.size() - 2]);
    p.embeddings = t.data;
    parts.push_back(std::move(p));
    if (args.has("bos-after-soft")) {
      InputPart bos;
      bos.kind = SegmentKind::Bos;
      parts.push_back(std::move(bos));
    }
  }
  if (auto anchor = args.get("anchor")) {
    InputPart p;
    p.kind = SegmentKind::Anchor;
    p.text = *anchor;
    parts.push_back(std::move(p));
  }
  InputPart prompt;
  prompt.kind = SegmentKind::Text;
  if (hasIds) {
    prompt.ids = parseIntList(*args.get("input-ids"), "--input-ids");
    if (prompt.ids.empty()) throw UsageError("--input-ids is empty");
  } else {
    prompt.text = *args.get("prompt");
    prompt.addSpecialTokens = parts.empty();  // the prompt alone: as Hugging Face does
  }
  parts.push_back(std::move(prompt));
  return parts;
}

}  // namespace attnx::cli
