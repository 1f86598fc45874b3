#pragma once
// IEEE 754 binary16 ("half") and bfloat16 conversions on raw bits. Captured attention may be kept
// as half to halve its memory; soft-token files and checkpoints may store F16 or BF16.
// Written on plain integers so that they are exact and independent of compiler support for
// _Float16 or F16C instructions.
#include <bit>
#include <cstdint>

namespace attnx {

// Exact: every half value is representable as a float.
inline float halfToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exp = (h >> 10) & 0x1Fu;
  uint32_t mant = h & 0x3FFu;
  uint32_t bits;
  if (exp == 0x1F) {
    bits = sign | 0x7F800000u | (mant << 13);  // inf or NaN (payload kept)
  } else if (exp != 0) {
    bits = sign | ((exp + 112u) << 23) | (mant << 13);  // normal: rebias 15 -> 127
  } else if (mant == 0) {
    bits = sign;  // signed zero
  } else {
    // Subnormal half: shift the mantissa up until its leading one becomes the implicit bit.
    uint32_t e = 113;  // exponent of 2^-14 in float bias, before normalisation
    while ((mant & 0x400u) == 0) {
      mant <<= 1;
      --e;
    }
    bits = sign | (e << 23) | ((mant & 0x3FFu) << 13);
  }
  return std::bit_cast<float>(bits);
}

// Round to nearest, ties to even; overflow gives infinity; NaN stays NaN (quiet).
inline uint16_t floatToHalf(float f) {
  const uint32_t x = std::bit_cast<uint32_t>(f);
  const uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000u);
  const uint32_t absx = x & 0x7FFFFFFFu;
  if (absx >= 0x7F800000u) {  // inf or NaN
    return sign | (absx > 0x7F800000u ? 0x7E00u : 0x7C00u);
  }
  if (absx >= 0x477FF000u) return sign | 0x7C00u;  // rounds to >= 65520: infinity
  if (absx >= 0x38800000u) {                       // normal half range (>= 2^-14)
    uint32_t m = absx + 0xC8000000u;               // rebias exponent 127 -> 15 (minus 112 << 23)
    m += 0x0FFFu + ((m >> 13) & 1u);               // round to nearest even on the 13 dropped bits
    return sign | static_cast<uint16_t>(m >> 13);
  }
  if (absx < 0x33000000u) return sign;  // below half the smallest subnormal: zero
  // Subnormal half: value = mant * 2^-24. Make the implicit bit explicit, shift, round.
  const uint32_t exp = absx >> 23;
  const uint32_t mant = (absx & 0x7FFFFFu) | 0x800000u;
  const uint32_t shift = 126u - exp;  // 14 + (127 - exp) - 1 + ... aligns to units of 2^-24
  // value = mant * 2^(exp-150); in units of 2^-24: mant >> (126 - exp)
  uint32_t q = mant >> shift;
  const uint32_t rem = mant & ((1u << shift) - 1u);
  const uint32_t halfway = 1u << (shift - 1);
  if (rem > halfway || (rem == halfway && (q & 1u))) ++q;
  return sign | static_cast<uint16_t>(q);
}

// bfloat16 is the upper half of a float: widening is exact.
inline float bf16ToFloat(uint16_t b) {
  return std::bit_cast<float>(static_cast<uint32_t>(b) << 16);
}

inline uint16_t floatToBf16(float f) {
  uint32_t x = std::bit_cast<uint32_t>(f);
  if ((x & 0x7FFFFFFFu) > 0x7F800000u) return static_cast<uint16_t>((x >> 16) | 0x40u);  // NaN
  x += 0x7FFFu + ((x >> 16) & 1u);  // round to nearest even
  return static_cast<uint16_t>(x >> 16);
}

}  // namespace attnx
