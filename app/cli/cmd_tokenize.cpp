// attnx tokenize: text -> token ids and token strings as JSON, with only the tokenizer files of
// a model folder (no weights are read, no libtorch work is done).
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "args.h"
#include "cli.h"
#include "error.h"
#include "tokenizer.h"

namespace attnx::cli {
namespace {

std::string encodingJson(const Encoding& e, bool pair) {
  nlohmann::json out = {{"ids", e.ids}, {"tokens", e.tokens}};
  if (pair) out["token_type_ids"] = e.typeIds;
  // Vocabulary strings are UTF-8 already; keep them readable rather than \u-escaped.
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void tokenizeJsonl(const Tokenizer& tok, const std::string& path, bool addSpecial) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open file");
  std::string line;
  size_t lineNumber = 0;
  while (std::getline(in, line)) {
    ++lineNumber;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const std::string where = path + ":" + std::to_string(lineNumber);
    nlohmann::json value;
    try {
      value = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {  // parse_error; out_of_range for 1e999
      throw Error(where + ": not valid JSON (" + e.what() + ")");
    }
    if (!value.is_string())
      throw Error(where + ": expected a JSON string, got " + value.type_name());
    try {
      std::cout << encodingJson(tok.encode(value.get_ref<const std::string&>(), addSpecial), false)
                << "\n";
    } catch (const Error& e) {
      throw Error(where + ": " + e.what());
    }
  }
  if (in.bad()) throw Error(path + ": read error");
}

}  // namespace

int cmdTokenize(const std::vector<std::string>& args) {
  Args a(args, {"model", "text", "text-pair", "jsonl"}, {"no-special"});
  const std::string dir = a.require("model");
  if (a.has("text") == a.has("jsonl"))
    throw UsageError("give exactly one of --text TEXT or --jsonl FILE");
  if (a.has("text-pair") && !a.has("text")) throw UsageError("--text-pair needs --text");
  const bool addSpecial = !a.has("no-special");
  auto tok = Tokenizer::fromDirectory(dir);
  if (auto pair = a.get("text-pair"))
    std::cout << encodingJson(tok->encodePair(*a.get("text"), *pair, addSpecial), true) << "\n";
  else if (auto text = a.get("text"))
    std::cout << encodingJson(tok->encode(*text, addSpecial), false) << "\n";
  else
    tokenizeJsonl(*tok, *a.get("jsonl"), addSpecial);
  std::cout.flush();
  if (!std::cout) throw Error("cannot write to standard output");
  return 0;
}

}  // namespace attnx::cli
