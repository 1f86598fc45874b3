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

constexpr const char* kUsage =
    "usage: attnx tokenize --model DIR (--text TEXT | --jsonl FILE) [--no-special]\n"
    "  --model DIR     folder with tokenizer.json (and tokenizer_config.json when present)\n"
    "  --text TEXT     the text to tokenize\n"
    "  --jsonl FILE    one JSON string per line; one output object per line, in order\n"
    "                  (empty lines are skipped)\n"
    "  --no-special    do not add BOS / [CLS] / [SEP] (special tokens written in the text\n"
    "                  are still recognised)\n"
    "Prints {\"ids\": [...], \"tokens\": [...]} per text on standard output.\n";

std::string encodingJson(const Tokenizer& tok, std::string_view text, bool addSpecial) {
  Encoding e = tok.encode(text, addSpecial);
  nlohmann::json out = {{"ids", e.ids}, {"tokens", e.tokens}};
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
    } catch (const nlohmann::json::parse_error& e) {
      throw Error(where + ": not valid JSON (" + e.what() + ")");
    }
    if (!value.is_string())
      throw Error(where + ": expected a JSON string, got " + value.type_name());
    try {
      std::cout << encodingJson(tok, value.get_ref<const std::string&>(), addSpecial) << "\n";
    } catch (const Error& e) {
      throw Error(where + ": " + e.what());
    }
  }
  if (in.bad()) throw Error(path + ": read error");
}

}  // namespace

int cmdTokenize(const std::vector<std::string>& args) {
  Args a(args, {"model", "text", "jsonl"}, {"no-special", "help"});
  if (a.has("help")) {
    std::cout << kUsage;
    return 0;
  }
  const std::string dir = a.require("model");
  if (a.has("text") == a.has("jsonl"))
    throw UsageError("give exactly one of --text TEXT or --jsonl FILE");
  const bool addSpecial = !a.has("no-special");
  auto tok = Tokenizer::fromDirectory(dir);
  if (auto text = a.get("text"))
    std::cout << encodingJson(*tok, *text, addSpecial) << "\n";
  else
    tokenizeJsonl(*tok, *a.get("jsonl"), addSpecial);
  std::cout.flush();
  if (!std::cout) throw Error("cannot write to standard output");
  return 0;
}

}  // namespace attnx::cli
