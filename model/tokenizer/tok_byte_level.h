#pragma once
// GPT-2's reversible byte <-> character mapping: every byte gets a printable code point (bytes
// that are printable Latin-1 map to themselves, the others to U+0100 and up), so byte-level
// BPE vocabularies are plain strings.
#include <optional>
#include <string>
#include <string_view>

namespace attnx::tok {

// The UTF-8 string of the character that stands for `byte`.
const std::string& byteToChars(unsigned char byte);

// Every byte of `text` replaced by its character.
std::string bytesToChars(std::string_view text);

// The byte a character stands for, or nothing when it is not one of the 256.
std::optional<unsigned char> charToByte(char32_t cp);

// The inverse of bytesToChars for one token, appended to `bytes`: characters that stand for a
// byte become that byte; any other character (an added token's text) is kept as it is.
void appendCharsAsBytes(std::string_view token, std::string& bytes);

}  // namespace attnx::tok
