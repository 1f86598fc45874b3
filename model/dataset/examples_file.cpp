// Examples files (JSONL): one JSON object per line, checked field by field so that a mistake in
// line 4,017 of an evaluation set is reported as exactly that, before any model runs.
#include "examples_file.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <algorithm>
#include <cstdint>
#include <map>

#include "error.h"
#include "tok_utf8.h"

namespace attnx {
namespace {

using nlohmann::json;

class LineReader {
 public:
  LineReader(std::string path, int line) : path_(std::move(path)), line_(line) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(path_ + ":" + std::to_string(line_) + ": " + what);
  }

  // A field that is absent or null reads as absent.
  const json* field(const json& obj, const char* name) const {
    auto it = obj.find(name);
    return it == obj.end() || it->is_null() ? nullptr : &*it;
  }

  std::string string(const json& v, const std::string& name) const {
    if (!v.is_string()) fail("\"" + name + "\" must be a string, not " + v.type_name());
    return v.get<std::string>();
  }

  int64_t integer(const json& v, const std::string& name, int64_t min) const {
    if (!v.is_number_integer())
      fail("\"" + name + "\" must be an integer, not " + std::string(v.type_name()));
    const int64_t x =
        v.is_number_unsigned() && v.get<uint64_t>() > INT64_MAX ? INT64_MAX : v.get<int64_t>();
    if (x < min) fail("\"" + name + "\" must be at least " + std::to_string(min));
    return x;
  }

  std::vector<int64_t> ids(const json& v, const std::string& name) const {
    if (!v.is_array()) fail("\"" + name + "\" must be a list of token ids");
    std::vector<int64_t> out;
    for (std::size_t i = 0; i < v.size(); ++i)
      out.push_back(integer(v[i], name + "[" + std::to_string(i) + "]", 0));
    return out;
  }

  std::vector<InputPart> segments(const json& v) const {
    if (!v.is_array() || v.empty()) fail("\"segments\" must be a non-empty list of objects");
    std::vector<InputPart> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const std::string where = "segments[" + std::to_string(i) + "]";
      if (!v[i].is_object()) fail("\"" + where + "\" must be an object");
      const json* kind = field(v[i], "kind");
      if (!kind) fail("\"" + where + "\" has no \"kind\"");
      const std::string k = string(*kind, where + ".kind");
      InputPart p;
      // Generated and padding positions come from a run, never from an input.
      const std::optional<SegmentKind> parsed = segmentKindFromName(k);
      if (parsed && *parsed != SegmentKind::Generated && *parsed != SegmentKind::Pad)
        p.kind = *parsed;
      else
        fail("\"" + where + ".kind\" must be soft, bos, anchor, text or special, not \"" + k +
             "\"");
      if (const json* t = field(v[i], "text")) p.text = string(*t, where + ".text");
      if (const json* ids = field(v[i], "ids")) p.ids = this->ids(*ids, where + ".ids");
      const bool textual = p.kind == SegmentKind::Anchor || p.kind == SegmentKind::Text;
      if (textual && p.text.empty() && p.ids.empty())
        fail("\"" + where + "\" (" + k + ") needs \"text\" or \"ids\"");
      if (p.kind == SegmentKind::Special && p.ids.empty())
        fail("\"" + where + "\" (special) needs \"ids\"");
      out.push_back(std::move(p));
    }
    return out;
  }

 private:
  std::string path_;
  int line_;
};

Example parseExample(const json& obj, const LineReader& r, int line,
                     const ExamplesOptions& options) {
  if (!obj.is_object())
    r.fail(std::string("each line must be a JSON object, not ") + obj.type_name());
  Example ex;
  ex.line = line;
  if (const json* id = r.field(obj, "id")) {
    if (id->is_string())
      ex.id = id->get<std::string>();
    else if (id->is_number_integer())
      ex.id = id->dump();
    else
      r.fail(std::string("\"id\" must be a string or an integer, not ") + id->type_name());
    if (ex.id.empty()) r.fail("\"id\" is empty");
  } else {
    ex.id = "line " + std::to_string(line);
  }

  const json* prompt = r.field(obj, "prompt");
  const char* promptName = "prompt";
  if (!prompt) {
    prompt = r.field(obj, "prompt_raw");
    promptName = "prompt_raw";
  }
  const json* inputIds = r.field(obj, "input_ids");
  const json* segments = r.field(obj, "segments");
  const int given = (prompt != nullptr) + (inputIds != nullptr) + (segments != nullptr);
  if (given == 0) r.fail("no \"prompt\" (or \"prompt_raw\", \"input_ids\", \"segments\")");
  if (given > 1) r.fail("give only one of \"prompt\", \"input_ids\" and \"segments\"");
  if (prompt) ex.prompt = r.string(*prompt, promptName);
  if (inputIds) {
    ex.inputIds = r.ids(*inputIds, "input_ids");
    if (ex.inputIds.empty()) r.fail("\"input_ids\" is empty");
  }
  if (segments) ex.segments = r.segments(*segments);

  if (const json* a = r.field(obj, "anchor")) ex.anchor = r.string(*a, "anchor");
  if (const json* g = r.field(obj, "gold")) {
    if (g->is_string()) {
      ex.gold.push_back(g->get<std::string>());
    } else if (g->is_array()) {
      for (std::size_t i = 0; i < g->size(); ++i)
        ex.gold.push_back(r.string((*g)[i], "gold[" + std::to_string(i) + "]"));
    } else {
      r.fail(std::string("\"gold\" must be a string or a list of strings, not ") + g->type_name());
    }
  }
  if (const json* p = r.field(obj, options.predictionField.c_str()))
    ex.prediction = r.string(*p, options.predictionField);
  if (const json* c = r.field(obj, "correct")) {
    // Evaluation scripts write booleans or 0 / 1.
    if (c->is_boolean())
      ex.correct = c->get<bool>();
    else if (c->is_number_integer() && (c->get<int64_t>() == 0 || c->get<int64_t>() == 1))
      ex.correct = c->get<int64_t>() == 1;
    else
      r.fail(std::string("\"correct\" must be true, false, 0 or 1, not ") + c->dump());
  }
  if (const json* s = r.field(obj, "soft_index"))
    ex.softIndex = static_cast<int>(std::min<int64_t>(r.integer(*s, "soft_index", 0), INT32_MAX));
  return ex;
}

}  // namespace

std::vector<Example> readExamples(const std::string& path, const ExamplesOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open the examples file");
  std::vector<Example> out;
  std::map<std::string, int> ids;  // id -> line
  std::string text;
  int line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (line == 1 && text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // UTF-8 BOM
    if (!text.empty() && text.back() == '\r') text.pop_back();              // CRLF files
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    const LineReader r(path, line);
    // Checked before parsing so that the message names the byte, not a JSON token.
    if (const std::size_t bad = tok::findInvalidUtf8(text); bad != tok::kValidUtf8)
      r.fail("invalid UTF-8 at byte " + std::to_string(bad + 1) + " of the line");
    nlohmann::json obj;
    try {
      obj = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {  // parse_error; out_of_range for 1e999
      // "[json.exception.parse_error.101] parse error at ..." without the library's tag.
      std::string what = e.what();
      if (auto tag = what.find("] "); what.rfind("[json.exception", 0) == 0 && tag != what.npos)
        what.erase(0, tag + 2);
      r.fail("broken JSON: " + what);
    }
    Example ex = parseExample(obj, r, line, options);
    if (auto [it, fresh] = ids.emplace(ex.id, line); !fresh)
      r.fail("duplicate id \"" + ex.id + "\" (first on line " + std::to_string(it->second) + ")");
    out.push_back(std::move(ex));
  }
  if (in.bad()) throw Error(path + ": read error");
  if (out.empty()) throw Error(path + ": holds no examples");
  return out;
}

}  // namespace attnx
