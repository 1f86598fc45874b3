#include "run_inputs.h"

#include "error.h"
#include "soft_tokens.h"

namespace attnx::cli {

const std::set<std::string>& inputValuedOptions() {
  static const std::set<std::string> names = {"prompt",       "input-ids",     "soft-tokens",
                                              "soft-index",   "anchor",        "prompt-pair",
                                              "token-type-ids"};
  return names;
}

const std::set<std::string>& inputFlagOptions() {
  static const std::set<std::string> names = {"bos-after-soft"};
  return names;
}

std::set<std::string> withInputOptions(std::set<std::string> own, bool flags) {
  const auto& extra = flags ? inputFlagOptions() : inputValuedOptions();
  own.insert(extra.begin(), extra.end());
  return own;
}

InputFields inputFieldsFrom(const Args& args) {
  if (args.has("prompt") && args.has("input-ids"))
    throw UsageError("give at most one of --prompt and --input-ids");
  const bool soft = args.has("soft-tokens");
  if (args.has("bos-after-soft") && !soft) throw UsageError("--bos-after-soft needs --soft-tokens");
  if (args.has("soft-index") && !soft) throw UsageError("--soft-index needs --soft-tokens");
  if (args.has("prompt-pair") && !args.has("prompt"))
    throw UsageError("--prompt-pair needs --prompt (the first sentence of the pair)");
  InputFields f;
  if (soft) {
    const int index = args.integer("soft-index", -1);
    if (args.has("soft-index") && index < 0) throw UsageError("--soft-index must be 0 or more");
    const SoftTokenSet set = SoftTokenSet::load(*args.get("soft-tokens"));
    f.softRows = set.prefix(index, "choose one with --soft-index N");
    f.softCount = set.rows();
    f.softSource = set.source(index);
    f.bosAfterSoft = args.has("bos-after-soft");
  }
  f.anchor.text = args.value("anchor", "");
  if (args.has("input-ids")) {
    f.prompt.ids = parseIntList(*args.get("input-ids"), "--input-ids");
    if (f.prompt.ids.empty()) throw UsageError("--input-ids is empty");
  } else {
    f.prompt.text = args.value("prompt", "");
  }
  f.promptPair = args.value("prompt-pair", "");
  if (auto types = args.get("token-type-ids"))
    f.tokenTypeIds = parseIntList(*types, "--token-type-ids");
  return f;
}

RunRequest inputRequestFrom(const Args& args) {
  InputParts composed = composeInputParts(inputFieldsFrom(args));
  RunRequest request;
  request.parts = std::move(composed.parts);
  request.tokenTypeIds = std::move(composed.tokenTypeIds);
  request.softTokens = std::move(composed.softTokens);
  return request;
}

LoadOptions loadOptionsFrom(const Args& args) {
  LoadOptions o;
  o.device = args.value("device", "auto");
  o.dtype = args.value("dtype", "float32");
  o.threads = args.integer("threads", 0);
  return o;
}

}  // namespace attnx::cli
