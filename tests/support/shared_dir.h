#pragma once
// Where the shared fixtures are (ATTNX_SHARED_DIR, else the folder configured at build time) and
// the tokenizer reference cases in them; dependency-free, for every Qt-free test.
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace attnx::fixtures {

inline std::string sharedDir() {
  if (const char* env = std::getenv("ATTNX_SHARED_DIR"); env && *env) return env;
#ifdef ATTNX_SHARED_DIR_DEFAULT
  return ATTNX_SHARED_DIR_DEFAULT;
#else
  return "../shared";
#endif
}

// The demo model of resources/demo (ATTNX_SOURCE_DIR, else this source tree): the one small
// checkpoint with a tokenizer, for tests that give text.
inline std::string demoModelDir() {
  if (const char* s = std::getenv("ATTNX_SOURCE_DIR"); s && *s)
    return std::string(s) + "/resources/demo";
  const std::string here = __FILE__;  // tests/support/shared_dir.h
  return here.substr(0, here.rfind("/tests/")) + "/resources/demo";
}

inline const nlohmann::json& tokenizerCases() {
  static const nlohmann::json j = [] {
    const std::string path = sharedDir() + "/fixtures/tokenizer_cases.json";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    return nlohmann::json::parse(in);
  }();
  return j;
}

// A reference tokenizer's folder; its "dir" is relative to the folder that holds shared/.
inline std::string tokenizerDir(const std::string& name) {
  return sharedDir() + "/../" + tokenizerCases()["tokenizers"][name]["dir"].get<std::string>();
}

}  // namespace attnx::fixtures
