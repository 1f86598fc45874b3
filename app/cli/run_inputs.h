#pragma once
// The input options shared by the subcommands that run a model (run, stats):
// --prompt / --input-ids, --soft-tokens, --bos-after-soft, --anchor.
#include <vector>

#include "args.h"
#include "run_types.h"

namespace attnx::cli {

// [soft][BOS if --bos-after-soft][anchor][prompt] with soft tokens (text without special tokens);
// without soft tokens, the prompt as Hugging Face tokenizes it alone, after the anchor if any.
std::vector<InputPart> composeInputParts(const Args& args);

}  // namespace attnx::cli
