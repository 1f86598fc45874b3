#include "tok_config.h"

#include "error.h"
#include "tok_json.h"

namespace attnx::tok {
namespace {

std::optional<bool> optionalBool(const Json& j, const char* key) {
  if (j.contains(key) && j[key].is_boolean()) return j[key].get<bool>();
  return std::nullopt;
}

}  // namespace

TokenizerConfig readTokenizerConfig(const std::string& path) {
  TokenizerConfig config;
  if (path.empty()) return config;
  Json j = readJsonFile(path);
  if (!j.is_object()) throw Error(path + ": expected a JSON object");
  if (j.contains("bos_token")) config.bosToken = tokenContent(j["bos_token"]);
  if (j.contains("eos_token")) config.eosToken = tokenContent(j["eos_token"]);
  config.addBosToken = optionalBool(j, "add_bos_token");
  config.addEosToken = optionalBool(j, "add_eos_token");
  config.cleanUpTokenizationSpaces = optionalBool(j, "clean_up_tokenization_spaces");
  if (j.contains("additional_special_tokens") && j["additional_special_tokens"].is_array())
    for (const auto& t : j["additional_special_tokens"])
      if (std::string c = tokenContent(t); !c.empty()) config.additionalSpecialTokens.push_back(c);
  return config;
}

}  // namespace attnx::tok
