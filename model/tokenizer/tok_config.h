#pragma once
// The parts of tokenizer_config.json that change tokenization: BOS/EOS tokens, the Llama-style
// add_bos_token / add_eos_token switches, extra special tokens, and the decode clean-up.
#include <optional>
#include <string>
#include <vector>

namespace attnx::tok {

struct TokenizerConfig {
  std::string bosToken, eosToken;  // empty when absent or null
  std::optional<bool> addBosToken, addEosToken;
  std::optional<bool> cleanUpTokenizationSpaces;
  std::vector<std::string> additionalSpecialTokens;
};

// An empty path gives the defaults; a missing or malformed file throws attnx::Error naming it.
TokenizerConfig readTokenizerConfig(const std::string& path);

}  // namespace attnx::tok
