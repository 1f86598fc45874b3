#include "tok_json.h"

#include <fstream>

#include "error.h"

namespace attnx::tok {

Json readJsonFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open file");
  std::string text;
  in.seekg(0, std::ios::end);
  auto size = in.tellg();
  if (size > 0) {
    text.resize(static_cast<size_t>(size));
    in.seekg(0);
    in.read(text.data(), size);
  }
  if (!in) throw Error(path + ": read error");
  try {
    return Json::parse(text);
  } catch (const Json::exception& e) {  // parse_error; out_of_range for 1e999
    throw Error(path + ": not valid JSON (" + e.what() + ")");
  }
}

std::string tokenContent(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_object() && value.contains("content") && value["content"].is_string())
    return value["content"].get<std::string>();
  return {};
}

bool hasComponentType(const Json& component, const std::string& type) {
  if (component.is_array()) {
    for (const auto& item : component)
      if (hasComponentType(item, type)) return true;
    return false;
  }
  if (!component.is_object()) return false;
  if (component.value("type", std::string()) == type) return true;
  // Sequence members live under a key that depends on the component kind.
  for (const char* key : {"normalizers", "pretokenizers", "processors", "decoders"})
    if (component.contains(key) && hasComponentType(component[key], type)) return true;
  return false;
}

}  // namespace attnx::tok
