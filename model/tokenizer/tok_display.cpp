#include "tok_display.h"

#include <cstdio>

#include "tok_byte_level.h"
#include "tok_utf8.h"

namespace attnx::tok {
namespace {

constexpr size_t kMaxLabelChars = 24;

std::string hexByte(unsigned char b) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "\\x%02X", b);
  return buffer;
}

// Bytes as text: valid UTF-8 stays, each stray byte of a partial character becomes "\xNN".
std::string bytesToLabel(std::string_view bytes) {
  std::string out;
  size_t i = 0;
  while (i < bytes.size()) {
    size_t bad = findInvalidUtf8(bytes.substr(i));
    if (bad == kValidUtf8) {
      out.append(bytes.substr(i));
      break;
    }
    out.append(bytes.substr(i, bad));
    out += hexByte(static_cast<unsigned char>(bytes[i + bad]));
    i += bad + 1;
  }
  return out;
}

// Control characters get a visible symbol: newline "↵", tab "⇥", others their Control Pictures.
std::string makeVisible(const std::string& text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    char32_t cp = nextCodepoint(text, i);
    if (cp == '\n')
      out += "\u21B5";
    else if (cp == '\t')
      out += "\u21E5";
    else if (cp < 0x20)
      appendUtf8(out, 0x2400 + cp);
    else if (cp == 0x7F)
      out += "\u2421";
    else
      out.append(text, start, i - start);
  }
  return out;
}

std::string truncate(const std::string& text) {
  auto offsets = codepointOffsets(text);
  if (offsets.size() - 1 <= kMaxLabelChars) return text;
  return text.substr(0, offsets[kMaxLabelChars - 1]) + "\u2026";
}

int byteTokenValue(const std::string& t) {
  if (t.size() != 6 || t.compare(0, 3, "<0x") != 0 || t[5] != '>') return -1;
  unsigned value = 0;
  if (std::sscanf(t.c_str() + 3, "%2X", &value) != 1) return -1;
  return static_cast<int>(value);
}

}  // namespace

std::string displayLabel(const std::string& token, TokenStyle style, bool added) {
  std::string label;
  if (added || style == TokenStyle::Plain) {
    label = token;
  } else if (style == TokenStyle::ByteLevel) {
    std::string bytes;
    appendCharsAsBytes(token, bytes);
    label = bytesToLabel(bytes);
  } else {
    int byte = byteTokenValue(token);
    if (byte >= 0) {
      // A lone byte of a longer character has no text of its own: keep its name.
      label = byte < 0x80 ? std::string(1, static_cast<char>(byte)) : token;
    } else {
      for (size_t pos = 0; pos < token.size();) {
        if (token.compare(pos, 3, "\u2581") == 0) {
          label += ' ';
          pos += 3;
        } else {
          label += token[pos++];
        }
      }
    }
  }
  return truncate(makeVisible(label));
}

}  // namespace attnx::tok
