#pragma once
// UTF-8 helpers for the tokenizer: strict validation (the error names the byte), code point
// iteration, and the lossy decoding that byte-level decoders need for partial characters.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace attnx::tok {

inline constexpr size_t kValidUtf8 = static_cast<size_t>(-1);

// Byte offset of the first invalid sequence, or kValidUtf8. Rejects overlong forms, surrogates
// and code points above U+10FFFF, as the Unicode standard requires.
size_t findInvalidUtf8(std::string_view s);

// Throws attnx::Error("text is not valid UTF-8 at byte N") on invalid input.
void requireUtf8(std::string_view s);

// Decodes the code point at s[i] of valid UTF-8 and advances i past it.
char32_t nextCodepoint(std::string_view s, size_t& i);

void appendUtf8(std::string& out, char32_t cp);

// Byte offsets where each code point starts, plus s.size() at the end.
std::vector<size_t> codepointOffsets(std::string_view s);

size_t codepointCount(std::string_view s);

// Decodes bytes as a WHATWG TextDecoder does: every maximal invalid subpart becomes U+FFFD.
// Byte-level tokens can end inside a character, so decoded text must survive that.
std::string decodeLossy(std::string_view bytes);

}  // namespace attnx::tok
