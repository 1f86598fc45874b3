#pragma once
// Short printable labels for tokens on plot axes: byte-level and SentencePiece markers become
// real spaces, byte tokens their characters, and invisible characters visible symbols.
#include <string>

namespace attnx::tok {

enum class TokenStyle {
  Plain,          // WordPiece and others: the vocabulary string as it is
  ByteLevel,      // GPT-2 style: every character stands for one byte
  SentencePiece,  // U+2581 for spaces, <0xNN> byte-fallback tokens
};

// `added`: an added/special token, shown as written.
std::string displayLabel(const std::string& token, TokenStyle style, bool added);

}  // namespace attnx::tok
