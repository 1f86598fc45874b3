#include "npy_file.h"

#include <cstring>

#include "error.h"

namespace attnx {
namespace {

constexpr std::string_view kMagic = "\x93NUMPY";

// Parser for the header: {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
class HeaderReader {
 public:
  HeaderReader(const std::string& path, std::string_view text) : path_(path), t_(text) {}

  void parse(std::string& descr, bool& fortran, std::vector<int64_t>& shape) {
    bool haveDescr = false, haveOrder = false, haveShape = false;
    expect('{');
    while (true) {
      skipSpace();
      if (peek() == '}') {
        ++p_;
        break;
      }
      const std::string key = str();
      expect(':');
      if (key == "descr") {
        descr = str();
        haveDescr = true;
      } else if (key == "fortran_order") {
        fortran = boolean();
        haveOrder = true;
      } else if (key == "shape") {
        shape = tuple();
        haveShape = true;
      } else {
        fail("unexpected header key '" + key + "'");
      }
      skipSpace();
      if (peek() == ',') {
        ++p_;
      } else if (peek() != '}') {
        fail("expected ',' or '}'");
      }
    }
    if (!haveDescr || !haveOrder || !haveShape)
      fail("the header lacks 'descr', 'fortran_order' or 'shape'");
    skipSpace();
    if (p_ != t_.size()) fail("unexpected text after the header dict");
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(path_ + ": bad .npy header: " + what);
  }
  void skipSpace() {
    while (p_ < t_.size() && (t_[p_] == ' ' || t_[p_] == '\n' || t_[p_] == '\t')) ++p_;
  }
  char peek() {
    if (p_ >= t_.size()) fail("header ends early");
    return t_[p_];
  }
  void expect(char c) {
    skipSpace();
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++p_;
  }
  std::string str() {
    skipSpace();
    const char q = peek();
    if (q != '\'' && q != '"') fail("expected a string");
    const std::size_t end = t_.find(q, p_ + 1);
    if (end == std::string_view::npos) fail("unterminated string");
    std::string s(t_.substr(p_ + 1, end - p_ - 1));
    p_ = end + 1;
    return s;
  }
  bool boolean() {
    skipSpace();
    if (t_.substr(p_, 4) == "True") {
      p_ += 4;
      return true;
    }
    if (t_.substr(p_, 5) == "False") {
      p_ += 5;
      return false;
    }
    fail("expected True or False");
  }
  std::vector<int64_t> tuple() {
    std::vector<int64_t> out;
    expect('(');
    while (true) {
      skipSpace();
      if (peek() == ')') {
        ++p_;
        return out;
      }
      int64_t v = 0;
      if (peek() < '0' || peek() > '9') fail("shape entries must be non-negative integers");
      while (p_ < t_.size() && t_[p_] >= '0' && t_[p_] <= '9') {
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, t_[p_] - '0', &v))
          fail("shape entry too large");
        ++p_;
      }
      if (p_ < t_.size() && t_[p_] == 'L') ++p_;  // Python 2 long suffix
      out.push_back(v);
      skipSpace();
      if (peek() == ',') {
        ++p_;
      } else if (peek() != ')') {
        fail("expected ',' or ')' in shape");
      }
    }
  }

  const std::string& path_;
  std::string_view t_;
  std::size_t p_ = 0;
};

bool dtypeFromDescr(std::string_view d, DType& out) {
  struct Known {
    std::string_view descr;
    DType type;
  };
  static const Known known[] = {
      {"<f8", DType::F64}, {"<f4", DType::F32}, {"<f2", DType::F16},
      {"<i8", DType::I64}, {"<i4", DType::I32}, {"<i2", DType::I16},
      {"|i1", DType::I8},  {"|u1", DType::U8},  {"|b1", DType::Bool},
  };
  for (const auto& k : known)
    if (k.descr == d) {
      out = k.type;
      return true;
    }
  return false;
}

}  // namespace

bool looksLikeNpy(std::string_view bytes) { return bytes.substr(0, kMagic.size()) == kMagic; }

RawTensor readNpy(const std::string& path, std::string_view bytes) {
  if (!looksLikeNpy(bytes) || bytes.size() < 10) throw Error(path + ": not a .npy file");
  const unsigned major = static_cast<unsigned char>(bytes[6]);
  std::size_t headerLen = 0, prelude = 0;
  if (major == 1) {
    headerLen = static_cast<unsigned char>(bytes[8]) | static_cast<unsigned char>(bytes[9]) << 8;
    prelude = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) throw Error(path + ": truncated .npy header");
    for (int i = 3; i >= 0; --i)
      headerLen = headerLen << 8 | static_cast<unsigned char>(bytes[8 + i]);
    prelude = 12;
  } else {
    throw Error(path + ": unsupported .npy format version " + std::to_string(major));
  }
  if (headerLen > bytes.size() - prelude)
    throw Error(path + ": .npy header of " + std::to_string(headerLen) +
                " bytes runs past the end of the file");

  std::string descr;
  bool fortran = false;
  RawTensor t;
  HeaderReader(path, bytes.substr(prelude, headerLen)).parse(descr, fortran, t.shape);
  if (!dtypeFromDescr(descr, t.dtype)) {
    std::string why = "unsupported dtype '" + descr + "'";
    if (!descr.empty() && descr[0] == '>') why += " (big-endian)";
    throw Error(path + ": " + why);
  }
  const int64_t numel = shapeNumel(t.shape);
  const std::size_t item = dtypeSize(t.dtype);
  const std::size_t dataBegin = prelude + headerLen;
  const std::size_t have = bytes.size() - dataBegin;
  if (numel < 0 || static_cast<uint64_t>(numel) > have / item ||
      static_cast<uint64_t>(numel) * item != have)
    throw Error(path + ": shape " + shapeText(t.shape) + " of " + descr + " needs " +
                (numel < 0 ? std::string("too many") : std::to_string(numel * item)) +
                " bytes, the file holds " + std::to_string(have) + " after its header");
  const std::byte* src = reinterpret_cast<const std::byte*>(bytes.data() + dataBegin);
  t.bytes.assign(src, src + have);
  if (fortran && t.shape.size() > 1) {
    // Column-major on disk: element (i0, i1, ...) sits at i0 + s0 * (i1 + s1 * (...)).
    std::vector<std::byte> rowMajor(t.bytes.size());
    const std::size_t rank = t.shape.size();
    std::vector<int64_t> idx(rank, 0);
    for (int64_t r = 0; r < numel; ++r) {
      int64_t f = 0;
      for (std::size_t d = rank; d-- > 0;) f = f * t.shape[d] + idx[d];
      std::memcpy(rowMajor.data() + r * item, t.bytes.data() + f * item, item);
      for (std::size_t d = rank; d-- > 0;) {  // next row-major index
        if (++idx[d] < t.shape[d]) break;
        idx[d] = 0;
      }
    }
    t.bytes = std::move(rowMajor);
  }
  return t;
}

}  // namespace attnx
