#pragma once
// Reading tokenizer.json / tokenizer_config.json, with errors that name the file.
#include <nlohmann/json.hpp>
#include <string>

namespace attnx::tok {

using Json = nlohmann::json;

// Throws attnx::Error naming `path` when the file is missing, unreadable or not valid JSON.
Json readJsonFile(const std::string& path);

// The value of an optional string-or-object token field of tokenizer_config.json ("<s>" or
// {"content": "<s>", ...}); empty when absent or null.
std::string tokenContent(const Json& value);

// Whether a component description (or any nested Sequence member) has "type": `type`.
bool hasComponentType(const Json& component, const std::string& type);

}  // namespace attnx::tok
