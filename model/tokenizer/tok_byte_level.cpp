#include "tok_byte_level.h"

#include <array>

#include "tok_utf8.h"

namespace attnx::tok {
namespace {

struct Tables {
  std::array<std::string, 256> byteToString;
  std::array<int, 512> charToByte;  // every mapped code point is below 0x200; -1 = none

  Tables() {
    charToByte.fill(-1);
    std::array<char32_t, 256> cps{};
    std::array<bool, 256> direct{};
    // Printable ranges keep their own code point: '!'..'~', '¡'..'¬', '®'..'ÿ'.
    for (int b = 0; b < 256; ++b)
      direct[b] = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    // The rest take U+0100, U+0101, ... in byte order.
    char32_t next = 0x100;
    for (int b = 0; b < 256; ++b) cps[b] = direct[b] ? static_cast<char32_t>(b) : next++;
    for (int b = 0; b < 256; ++b) {
      appendUtf8(byteToString[b], cps[b]);
      charToByte[cps[b]] = b;
    }
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

}  // namespace

const std::string& byteToChars(unsigned char byte) { return tables().byteToString[byte]; }

std::string bytesToChars(std::string_view text) {
  const auto& t = tables();
  std::string out;
  out.reserve(text.size() * 2);
  for (char c : text) out += t.byteToString[static_cast<unsigned char>(c)];
  return out;
}

std::optional<unsigned char> charToByte(char32_t cp) {
  if (cp >= 512) return std::nullopt;
  int b = tables().charToByte[cp];
  if (b < 0) return std::nullopt;
  return static_cast<unsigned char>(b);
}

void appendCharsAsBytes(std::string_view token, std::string& bytes) {
  size_t i = 0;
  while (i < token.size()) {
    const size_t start = i;
    const char32_t cp = nextCodepoint(token, i);
    if (auto b = charToByte(cp))
      bytes += static_cast<char>(*b);
    else
      bytes.append(token.substr(start, i - start));
  }
}

}  // namespace attnx::tok
