// `attnx-cli tokenize` as a user runs it: ids against the reference tokenizer_cases.json for a
// single --text, a --jsonl file of several lines, --no-special, and bad invocations that must
// exit non-zero with one clear line on stderr.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "check.h"
#include "shared_dir.h"

using Json = nlohmann::json;

namespace {

using attnx::fixtures::tokenizerDir;
const Json& cases() { return attnx::fixtures::tokenizerCases(); }

const Json& referenceCase(const std::string& name, const std::string& text) {
  for (const auto& c : cases()["tokenizers"][name]["cases"])
    if (c["text"] == text) return c;
  throw std::runtime_error("no reference case for " + Json(text).dump());
}

std::string tempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("attnx_test_cli_tok_" + std::to_string(getpid()) + "_" + name))
      .string();
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Single-quotes an argument for /bin/sh.
std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

struct Result {
  int status = -1;
  std::string out, err;
};

Result runCli(const std::vector<std::string>& args) {
  std::string outPath = tempPath("stdout"), errPath = tempPath("stderr");
  std::string cmd = quote(ATTNX_CLI_PATH);
  for (const auto& a : args) cmd += " " + quote(a);
  cmd += " >" + quote(outPath) + " 2>" + quote(errPath) + " </dev/null";
  int raw = std::system(cmd.c_str());
  Result r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = readFile(outPath);
  r.err = readFile(errPath);
  std::filesystem::remove(outPath);
  std::filesystem::remove(errPath);
  return r;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

TEST(tokenize_text_matches_reference) {
  // One run per tokenizer (each start loads the whole program): special tokens written in the
  // text, accents, and BERT's [CLS]/[SEP].
  const std::pair<std::string, std::string> runs[] = {
      {"llama3", "<|begin_of_text|>Hello<|eot_id|>"},
      {"gpt2", "naïve café résumé façade"},
      {"bert_base_uncased", "Hello world"}};
  for (const auto& [name, text] : runs) {
    Result r = runCli({"tokenize", "--model", tokenizerDir(name), "--text", text});
    CHECK_MSG(r.status == 0, name << ": exit " << r.status << ", stderr: " << r.err);
    auto out = lines(r.out);
    CHECK_EQ(out.size(), size_t{1});
    Json got = Json::parse(out[0]);
    const Json& want = referenceCase(name, text);
    CHECK_MSG(got["ids"] == want["ids"],
              name << " " << text << ": ids " << got["ids"].dump() << " vs " << want["ids"].dump());
    CHECK_MSG(got["tokens"] == want["tokens"], name << " " << text << ": tokens differ");
  }
}

TEST(tokenize_no_special) {
  const std::string text = "Hello world";
  Result r =
      runCli({"tokenize", "--model", tokenizerDir("mistral_sp"), "--text", text, "--no-special"});
  CHECK_MSG(r.status == 0, "stderr: " << r.err);
  Json got = Json::parse(r.out);
  CHECK_EQ(got["ids"].dump(), referenceCase("mistral_sp", text)["ids_no_special"].dump());
  Result with = runCli({"tokenize", "--model", tokenizerDir("mistral_sp"), "--text=" + text});
  CHECK_EQ(Json::parse(with.out)["ids"].dump(), referenceCase("mistral_sp", text)["ids"].dump());
}

TEST(tokenize_jsonl_keeps_order) {
  std::vector<std::string> texts = {"Hello world", "line1\n\nline3\r\nwindows",
                                    "日本語のテキストです。", "", "🤗🚀👍🏽 emoji"};
  std::string path = tempPath("input.jsonl");
  {
    std::ofstream out(path, std::ios::binary);
    for (const auto& t : texts) out << Json(t).dump() << "\n";
  }
  Result r = runCli({"tokenize", "--model", tokenizerDir("qwen3"), "--jsonl", path});
  std::filesystem::remove(path);
  CHECK_MSG(r.status == 0, "stderr: " << r.err);
  auto out = lines(r.out);
  CHECK_EQ(out.size(), texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    Json got = Json::parse(out[i]);
    const Json& want = referenceCase("qwen3", texts[i]);
    CHECK_MSG(got["ids"] == want["ids"],
              "line " << i + 1 << ": " << got["ids"].dump() << " vs " << want["ids"].dump());
    CHECK_MSG(got["tokens"] == want["tokens"], "line " << i + 1 << ": tokens differ");
  }
}

TEST(tokenize_bad_invocations_fail_clearly) {
  // Usage errors: exit 2.
  Result noModel = runCli({"tokenize", "--text", "hi"});
  CHECK_EQ(noModel.status, 2);
  CHECK_MSG(noModel.err.find("--model") != std::string::npos, noModel.err);
  Result both =
      runCli({"tokenize", "--model", tokenizerDir("gpt2"), "--text", "a", "--jsonl", "x"});
  CHECK_EQ(both.status, 2);
  Result unknown = runCli({"tokenize", "--model", tokenizerDir("gpt2"), "--txet", "a"});
  CHECK_EQ(unknown.status, 2);
  CHECK_MSG(unknown.err.find("--txet") != std::string::npos, unknown.err);

  // Bad input: exit 1, one line naming the problem, nothing on stdout.
  Result missing = runCli({"tokenize", "--model", "/nonexistent/model", "--text", "hi"});
  CHECK_EQ(missing.status, 1);
  CHECK_MSG(missing.err.find("/nonexistent/model/tokenizer.json") != std::string::npos,
            missing.err);
  CHECK_EQ(lines(missing.err).size(), size_t{1});
  CHECK(missing.out.empty());

  Result invalid = runCli({"tokenize", "--model", tokenizerDir("gpt2"), "--text", "a\xFFz"});
  CHECK_EQ(invalid.status, 1);
  CHECK_MSG(invalid.err.find("not valid UTF-8 at byte 1") != std::string::npos, invalid.err);

  std::string path = tempPath("bad.jsonl");
  {
    std::ofstream out(path, std::ios::binary);
    out << "\"fine\"\n42\n";
  }
  Result badLine = runCli({"tokenize", "--model", tokenizerDir("gpt2"), "--jsonl", path});
  std::filesystem::remove(path);
  CHECK_EQ(badLine.status, 1);
  CHECK_MSG(badLine.err.find(path + ":2") != std::string::npos, badLine.err);
}

TEST_MAIN()
