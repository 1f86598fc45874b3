#pragma once
// The input options shared by the subcommands that run a model on one input (run, stats,
// figure): --prompt / --input-ids, --soft-tokens [--soft-index N], --bos-after-soft, --anchor,
// --prompt-pair and --token-type-ids, turned into InputFields and composed by the one composer
// (input_fields.h).
#include <set>
#include <string>
#include <vector>

#include "args.h"
#include "input_fields.h"
#include "model.h"

namespace attnx::cli {

// Option names for Args: those that take a value and the flags.
const std::set<std::string>& inputValuedOptions();
const std::set<std::string>& inputFlagOptions();
// `own` plus the input options.
std::set<std::string> withInputOptions(std::set<std::string> own, bool flags);

// The fields the options give. UsageError for contradictions (--prompt with --input-ids,
// --bos-after-soft or --soft-index without --soft-tokens); attnx::Error for a file that cannot be
// read, or a batch soft-token file without --soft-index.
InputFields inputFieldsFrom(const Args& args);

// The composed request (parts and token types); capture and generation are the caller's.
RunRequest inputRequestFrom(const Args& args);

// --device (default auto), --dtype (default float32) and --threads (default 0: all).
LoadOptions loadOptionsFrom(const Args& args);

}  // namespace attnx::cli
