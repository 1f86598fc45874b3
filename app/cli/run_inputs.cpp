#include "run_inputs.h"

#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "error.h"
#include "soft_tokens.h"
#include "tok_utf8.h"

namespace attnx::cli {
namespace {

// A whole text file (one argument holds at most 128 KiB on Linux: 32k ids or a long prompt come
// from files). attnx::Error when it cannot be read.
std::string fileText(const std::string& path, const std::string& option) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw Error(option + ": cannot read '" + path + "': not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(option + ": cannot read '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error(option + ": cannot read '" + path + "'");
  return text.str();
}

// UTF-8 text from FILE without the one line end editors put at the end of a file (it would
// become the last token, the query row); attnx::Error naming the file and the byte when it is
// not UTF-8.
std::string utf8File(const std::string& path, const std::string& option) {
  std::string text = fileText(path, option);
  if (const size_t bad = tok::findInvalidUtf8(text); bad != tok::kValidUtf8)
    throw Error(option + ": '" + path + "' is not valid UTF-8 at byte " + std::to_string(bad));
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

// Token ids separated by commas and/or white space.
std::vector<int64_t> idsFile(const std::string& path) {
  const std::string text = fileText(path, "--input-ids");
  std::vector<int64_t> ids;
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == ',' || std::isspace(c)) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && text[end] != ',' &&
           !std::isspace(static_cast<unsigned char>(text[end])))
      ++end;
    int64_t v = 0;
    const auto [p, ec] = std::from_chars(text.data() + i, text.data() + end, v);
    if (ec != std::errc() || p != text.data() + end || v < 0)
      throw Error("--input-ids: '" + path + "' holds '" +
                  text.substr(i, std::min<std::size_t>(end - i, 40)) + "' at byte " +
                  std::to_string(i) + ", not a token id");
    ids.push_back(v);
    i = end;
  }
  return ids;
}

}  // namespace

const std::set<std::string>& inputValuedOptions() {
  static const std::set<std::string> names = {"prompt",      "prompt-file", "input-ids",
                                              "soft-tokens", "soft-index",  "anchor",
                                              "anchor-file", "prompt-pair", "token-type-ids"};
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
  if (int(args.has("prompt")) + int(args.has("input-ids")) + int(args.has("prompt-file")) > 1)
    throw UsageError("give at most one of --prompt, --prompt-file and --input-ids");
  if (args.has("anchor") && args.has("anchor-file"))
    throw UsageError("give at most one of --anchor and --anchor-file");
  const bool soft = args.has("soft-tokens");
  if (args.has("bos-after-soft") && !soft) throw UsageError("--bos-after-soft needs --soft-tokens");
  if (args.has("soft-index") && !soft) throw UsageError("--soft-index needs --soft-tokens");
  if (args.has("prompt-pair") && !args.has("prompt") && !args.has("prompt-file"))
    throw UsageError("--prompt-pair needs --prompt or --prompt-file (the first sentence)");
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
  f.anchor.text = args.has("anchor-file") ? utf8File(*args.get("anchor-file"), "--anchor-file")
                                          : args.value("anchor", "");
  if (args.has("input-ids")) {
    const std::string ids = args.value("input-ids", "");
    // --input-ids @FILE: the ids from FILE, separated by commas or white space.
    f.prompt.ids = !ids.empty() && ids.front() == '@' ? idsFile(ids.substr(1))
                                                      : parseIntList(ids, "--input-ids");
    if (f.prompt.ids.empty()) throw UsageError("--input-ids is empty");
  } else if (args.has("prompt-file")) {
    f.prompt.text = utf8File(*args.get("prompt-file"), "--prompt-file");
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
