#include "tok_unicode.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "error.h"

namespace attnx::tok {
namespace {

void checkIcu(UErrorCode status, const char* what) {
  if (U_FAILURE(status))
    throw Error(std::string("Unicode ") + what + " failed: " + u_errorName(status));
}

std::u16string toUtf16(std::string_view text) {
  std::u16string out(text.size(), u'\0');  // UTF-16 never needs more units than UTF-8 bytes
  int32_t length = 0;
  UErrorCode status = U_ZERO_ERROR;
  u_strFromUTF8(reinterpret_cast<UChar*>(out.data()), static_cast<int32_t>(out.size()), &length,
                text.data(), static_cast<int32_t>(text.size()), &status);
  checkIcu(status, "conversion");
  out.resize(length);
  return out;
}

std::string toUtf8(const std::u16string& text) {
  std::string out(text.size() * 3, '\0');  // one UTF-16 unit never needs more than 3 bytes
  int32_t length = 0;
  UErrorCode status = U_ZERO_ERROR;
  u_strToUTF8(out.data(), static_cast<int32_t>(out.size()), &length,
              reinterpret_cast<const UChar*>(text.data()), static_cast<int32_t>(text.size()),
              &status);
  checkIcu(status, "conversion");
  out.resize(length);
  return out;
}

// Runs an ICU string transformation with the usual preflight: retry once with the exact size.
template <typename Fn>
std::u16string transform(const std::u16string& in, Fn fn, const char* what) {
  std::u16string out(in.size() + 16, u'\0');
  UErrorCode status = U_ZERO_ERROR;
  int32_t n = fn(in, out, status);
  if (status == U_BUFFER_OVERFLOW_ERROR) {
    out.assign(n, u'\0');
    status = U_ZERO_ERROR;
    n = fn(in, out, status);
  }
  checkIcu(status, what);
  out.resize(n);
  return out;
}

bool isAscii(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

}  // namespace

std::string normalizeUnicode(std::string_view text, NormalForm form) {
  // Every normal form leaves ASCII unchanged: skip the conversions on the common case.
  if (isAscii(text)) return std::string(text);
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2* norm = nullptr;
  switch (form) {
    case NormalForm::NFC:
      norm = unorm2_getNFCInstance(&status);
      break;
    case NormalForm::NFD:
      norm = unorm2_getNFDInstance(&status);
      break;
    case NormalForm::NFKC:
      norm = unorm2_getNFKCInstance(&status);
      break;
    case NormalForm::NFKD:
      norm = unorm2_getNFKDInstance(&status);
      break;
  }
  checkIcu(status, "normalizer");
  auto out = transform(
      toUtf16(text),
      [norm](const std::u16string& in, std::u16string& o, UErrorCode& st) {
        return unorm2_normalize(norm, reinterpret_cast<const UChar*>(in.data()),
                                static_cast<int32_t>(in.size()), reinterpret_cast<UChar*>(o.data()),
                                static_cast<int32_t>(o.size()), &st);
      },
      "normalization");
  return toUtf8(out);
}

std::string toLowerCase(std::string_view text) {
  if (isAscii(text)) {
    std::string out(text);
    for (char& c : out)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
  }
  auto out = transform(
      toUtf16(text),
      [](const std::u16string& in, std::u16string& o, UErrorCode& st) {
        return u_strToLower(reinterpret_cast<UChar*>(o.data()), static_cast<int32_t>(o.size()),
                            reinterpret_cast<const UChar*>(in.data()),
                            static_cast<int32_t>(in.size()), "", &st);
      },
      "lowercasing");
  return toUtf8(out);
}

bool isNonspacingMark(char32_t cp) {
  return u_charType(static_cast<UChar32>(cp)) == U_NON_SPACING_MARK;
}

bool isControlOrFormat(char32_t cp) {
  switch (u_charType(static_cast<UChar32>(cp))) {
    case U_CONTROL_CHAR:
    case U_FORMAT_CHAR:
    case U_PRIVATE_USE_CHAR:
    case U_SURROGATE:
      return true;
    default:
      return false;
  }
}

bool isBertWhitespace(char32_t cp) {
  if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f') return true;
  auto type = u_charType(static_cast<UChar32>(cp));
  return type == U_SPACE_SEPARATOR || type == U_LINE_SEPARATOR || type == U_PARAGRAPH_SEPARATOR;
}

bool isWhiteSpace(char32_t cp) { return u_isUWhiteSpace(static_cast<UChar32>(cp)); }

bool isWordChar(char32_t cp) {
  if (cp < 0x80)
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           cp == '_';
  auto type = u_charType(static_cast<UChar32>(cp));
  return u_isalnum(static_cast<UChar32>(cp)) || type == U_NON_SPACING_MARK ||
         type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK ||
         type == U_CONNECTOR_PUNCTUATION;
}

}  // namespace attnx::tok
