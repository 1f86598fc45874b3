#pragma once
// Unicode normalization, case mapping and character categories, through ICU (never hand-written
// tables). All strings are UTF-8 and assumed valid.
#include <string>
#include <string_view>

namespace attnx::tok {

enum class NormalForm { NFC, NFD, NFKC, NFKD };

std::string normalizeUnicode(std::string_view text, NormalForm form);

// Full, locale-independent lowercase mapping (final sigma included), as JavaScript's
// String.prototype.toLowerCase and Rust's str::to_lowercase do.
std::string toLowerCase(std::string_view text);

bool isNonspacingMark(char32_t cp);  // general category Mn
// Categories Cc, Cf, Co and Cs: what BERT's text cleaning removes (tab, LF and CR excepted).
bool isControlOrFormat(char32_t cp);
// Whitespace as BERT's cleaning sees it: ASCII whitespace, Zs, line/paragraph separators.
bool isBertWhitespace(char32_t cp);
// The Unicode White_Space property (Rust's char::is_whitespace).
bool isWhiteSpace(char32_t cp);
// Letters, marks, digits and connector punctuation: what \w means for single_word matching.
bool isWordChar(char32_t cp);

}  // namespace attnx::tok
