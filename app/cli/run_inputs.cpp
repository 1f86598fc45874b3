#include "run_inputs.h"

#include <string>

#include "error.h"
#include "prompt_parts.h"
#include "soft_tokens.h"

namespace attnx::cli {

std::vector<InputPart> composeInputParts(const Args& args) {
  const bool hasPrompt = args.has("prompt"), hasIds = args.has("input-ids");
  if (hasPrompt == hasIds) throw UsageError("give exactly one of --prompt and --input-ids");
  const bool soft = args.has("soft-tokens");
  if (args.has("bos-after-soft") && !soft) throw UsageError("--bos-after-soft needs --soft-tokens");
  PromptLayout layout;
  if (soft) {
    FloatTensor t = loadSoftTokens(*args.get("soft-tokens"));
    if (t.shape.size() == 3 && t.shape[0] != 1)
      throw Error(*args.get("soft-tokens") + ": holds a batch of " + std::to_string(t.shape[0]) +
                  " soft prefixes; attnx run takes one");
    layout.softCount = static_cast<int>(t.shape[t.shape.size() - 2]);
    layout.softRows = std::move(t.data);
    layout.bosAfterSoft = args.has("bos-after-soft");
  }
  layout.anchor = args.get("anchor");
  if (hasIds) {
    layout.promptIds = parseIntList(*args.get("input-ids"), "--input-ids");
    if (layout.promptIds.empty()) throw UsageError("--input-ids is empty");
  } else {
    layout.prompt = *args.get("prompt");
  }
  return composePromptParts(layout);
}

}  // namespace attnx::cli
