#include "hparams.h"

#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "error.h"
#include "family_table.h"

namespace attnx {

using nlohmann::json;

// ---- ConfigReader ----

void ConfigReader::fail(const std::string& key, const std::string& what) const {
  throw Error(file_ + ": key '" + key + "' " + what);
}

bool ConfigReader::has(const std::string& key) const { return j_.contains(key); }
bool ConfigReader::present(const std::string& key) const {
  return j_.contains(key) && !j_.at(key).is_null();
}

int64_t ConfigReader::integer(const std::string& key) const {
  if (!j_.contains(key)) fail(key, "is missing");
  const json& v = j_.at(key);
  if (!v.is_number_integer()) fail(key, "must be an integer");
  return v.get<int64_t>();
}
int64_t ConfigReader::integer(const std::string& key, int64_t fallback) const {
  return present(key) ? integer(key) : fallback;
}
int ConfigReader::size(const std::string& key, int64_t limit) const {
  const int64_t v = integer(key);
  if (v < 1 || v > limit)
    fail(key, "is " + std::to_string(v) + ", outside 1.." + std::to_string(limit));
  return static_cast<int>(v);
}
int ConfigReader::size(const std::string& key, int64_t fallback, int64_t limit) const {
  return present(key) ? size(key, limit) : static_cast<int>(fallback);
}
double ConfigReader::number(const std::string& key, double fallback) const {
  if (!present(key)) return fallback;
  const json& v = j_.at(key);
  if (!v.is_number()) fail(key, "must be a number");
  return v.get<double>();
}
double ConfigReader::number(const std::string& key) const {
  if (!j_.contains(key)) fail(key, "is missing");
  return number(key, 0.0);
}
bool ConfigReader::boolean(const std::string& key, bool fallback) const {
  if (!present(key)) return fallback;
  const json& v = j_.at(key);
  if (!v.is_boolean()) fail(key, "must be true or false");
  return v.get<bool>();
}
std::string ConfigReader::string(const std::string& key, const std::string& fallback) const {
  if (!present(key)) return fallback;
  const json& v = j_.at(key);
  if (!v.is_string()) fail(key, "must be a string");
  return v.get<std::string>();
}
std::optional<int64_t> ConfigReader::optionalId(const std::string& key) const {
  if (!present(key)) return std::nullopt;
  const json& v = j_.at(key);
  if (v.is_array()) {  // some configs list several; the first is the canonical one
    if (v.empty()) return std::nullopt;
    if (!v.at(0).is_number_integer()) fail(key, "must hold integers");
    return v.at(0).get<int64_t>();
  }
  return integer(key);
}
std::vector<int64_t> ConfigReader::ids(const std::string& key) const {
  std::vector<int64_t> out;
  if (!present(key)) return out;
  const json& v = j_.at(key);
  if (v.is_number_integer()) return {v.get<int64_t>()};
  if (!v.is_array()) fail(key, "must be an integer or a list of integers");
  for (const auto& e : v) {
    if (!e.is_number_integer()) fail(key, "must be an integer or a list of integers");
    out.push_back(e.get<int64_t>());
  }
  return out;
}
const json& ConfigReader::object(const std::string& key) const { return j_.at(key); }

void from_json(const json& j, HParams& hp) {
  const std::string file = "config.json";
  if (!j.is_object()) throw Error(file + ": the top level must be a JSON object");
  ConfigReader r(j, file);
  if (!j.contains("model_type")) r.fail("model_type", "is missing");
  hp.modelType = r.string("model_type", "");
  const FamilyEntry* entry = familyEntry(hp.modelType);
  if (!entry)
    r.fail("model_type", "is '" + hp.modelType + "', which is not supported (" +
                             supportedModelTypes() + ")");
  hp.family = entry->family;
  entry->readConfig(r, hp);
  if (hp.headDim == 0) {
    if (hp.hidden % hp.heads != 0) r.fail("hidden_size", "is not a multiple of the head count");
    hp.headDim = hp.hidden / hp.heads;
  }
  if (hp.heads % hp.kvHeads != 0) r.fail("num_key_value_heads", "must divide num_attention_heads");
  if (entry->generates) {
    hp.bosId = r.optionalId("bos_token_id");
    hp.eosIds = r.ids("eos_token_id");
  }
}

HParams parseHParams(std::string_view text, const std::string& file) {
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw Error(file + ": not valid JSON");
  try {
    HParams hp = j.get<HParams>();
    return hp;
  } catch (const Error& e) {
    // from_json names "config.json"; name the real path.
    std::string msg = e.what();
    if (msg.rfind("config.json", 0) == 0) msg = file + msg.substr(11);
    throw Error(msg);
  } catch (const json::exception& e) {
    throw Error(file + ": " + e.what());
  }
}

namespace {

std::string readText(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw Error(p.string() + ": cannot be read");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

HParams loadHParams(const std::string& dir) {
  namespace fs = std::filesystem;
  const fs::path config = fs::path(dir) / "config.json";
  if (!fs::is_directory(dir)) throw Error(dir + ": not a folder");
  if (!fs::exists(config)) throw Error(config.string() + ": missing (not a model folder?)");
  HParams hp = parseHParams(readText(config), config.string());

  // generation_config.json overrides the end-of-sequence ids for generation.
  const fs::path gen = fs::path(dir) / "generation_config.json";
  if (fs::exists(gen)) {
    const std::string text = readText(gen);
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw Error(gen.string() + ": not valid JSON");
    ConfigReader r(j, gen.string());
    if (r.present("eos_token_id")) hp.eosIds = r.ids("eos_token_id");
    if (!hp.bosId && r.present("bos_token_id")) hp.bosId = r.optionalId("bos_token_id");
  }
  return hp;
}

}  // namespace attnx
