#include "zip_archive.h"

#include <array>
#include <cstring>
#include <set>

#include "error.h"

namespace attnx {
namespace {

// Record signatures (APPNOTE.TXT 4.3).
constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr uint32_t kCentralHeader = 0x02014b50;
constexpr uint32_t kEndOfCentralDir = 0x06054b50;
constexpr uint32_t kZip64EndOfCentralDir = 0x06064b50;
constexpr uint32_t kZip64Locator = 0x07064b50;
constexpr uint16_t kZip64ExtraId = 0x0001;

constexpr std::size_t kEocdSize = 22;
constexpr std::size_t kCentralSize = 46;
constexpr std::size_t kLocalSize = 30;

// Little-endian field readers on a bounds-checked range.
class Cursor {
 public:
  Cursor(std::string_view b, std::size_t at) : b_(b), at_(at) {}
  bool has(std::size_t n) const { return at_ <= b_.size() && n <= b_.size() - at_; }
  uint16_t u16(std::size_t off) const { return static_cast<uint16_t>(u(off, 2)); }
  uint32_t u32(std::size_t off) const { return static_cast<uint32_t>(u(off, 4)); }
  uint64_t u64(std::size_t off) const { return u(off, 8); }

 private:
  uint64_t u(std::size_t off, int n) const {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b_[at_ + off + i]);
    return v;
  }
  std::string_view b_;
  std::size_t at_;
};

const std::array<uint32_t, 256>& crcTable() {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  return table;
}

}  // namespace

uint32_t crc32(std::string_view bytes) {
  const auto& t = crcTable();
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char ch : bytes) c = t[(c ^ ch) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

void ZipArchive::fail(const std::string& what) const {
  throw Error(path_ + ": zip archive: " + what);
}

ZipArchive::ZipArchive(std::string path, std::string_view bytes)
    : path_(std::move(path)), bytes_(bytes) {
  if (bytes.size() < kEocdSize) fail("too short to hold an end-of-directory record");

  // The end record sits at the very end, followed only by a comment of at most 64 KiB.
  std::size_t eocd = std::string::npos;
  const std::size_t lowest =
      bytes.size() > kEocdSize + 0xFFFF ? bytes.size() - kEocdSize - 0xFFFF : 0;
  for (std::size_t p = bytes.size() - kEocdSize + 1; p-- > lowest;) {
    if (Cursor(bytes, p).u32(0) == kEndOfCentralDir &&
        p + kEocdSize + Cursor(bytes, p).u16(20) == bytes.size()) {
      eocd = p;
      break;
    }
  }
  if (eocd == std::string::npos) fail("no end-of-central-directory record (truncated file?)");

  const Cursor end(bytes, eocd);
  if (end.u16(4) != 0 || end.u16(6) != 0) fail("multi-disk archives are not supported");
  uint64_t count = end.u16(10);
  uint64_t dirSize = end.u32(12);
  uint64_t dirOffset = end.u32(16);
  if (count == 0xFFFF || dirSize == 0xFFFFFFFFu || dirOffset == 0xFFFFFFFFu) {
    // zip64: a locator right before the end record points at the 64-bit end record.
    if (eocd < 20 || Cursor(bytes, eocd - 20).u32(0) != kZip64Locator)
      fail("zip64 sizes announced but no zip64 locator found");
    const uint64_t rec = Cursor(bytes, eocd - 20).u64(8);
    if (rec > bytes.size() || !Cursor(bytes, rec).has(56) ||
        Cursor(bytes, rec).u32(0) != kZip64EndOfCentralDir)
      fail("zip64 end-of-central-directory record missing or out of bounds");
    const Cursor z(bytes, rec);
    count = z.u64(32);
    dirSize = z.u64(40);
    dirOffset = z.u64(48);
  }
  if (dirOffset > bytes.size() || dirSize > bytes.size() - dirOffset)
    fail("central directory [" + std::to_string(dirOffset) + ", +" + std::to_string(dirSize) +
         ") lies outside the file (size " + std::to_string(bytes.size()) + ")");
  // Each central entry takes at least 46 bytes: bounds the count before reserving memory.
  if (count > dirSize / kCentralSize) fail("entry count exceeds what the central directory holds");

  std::set<std::string> names;
  std::size_t p = dirOffset;
  const std::size_t dirEnd = dirOffset + dirSize;
  entries_.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    const Cursor c(bytes, p);
    if (p + kCentralSize > dirEnd || c.u32(0) != kCentralHeader)
      fail("central directory entry " + std::to_string(i) + " is damaged");
    Entry e;
    e.flags = c.u16(8);
    e.method = c.u16(10);
    e.crc32 = c.u32(16);
    e.compressedSize = c.u32(20);
    e.size = c.u32(24);
    const std::size_t nameLen = c.u16(28), extraLen = c.u16(30), commentLen = c.u16(32);
    e.localHeaderOffset = c.u32(42);
    if (p + kCentralSize + nameLen + extraLen + commentLen > dirEnd)
      fail("central directory entry " + std::to_string(i) + " runs past the directory");
    e.name.assign(bytes.substr(p + kCentralSize, nameLen));

    // zip64 extra field: holds, in order, exactly those fields that are 0xFFFFFFFF above.
    std::size_t x = p + kCentralSize + nameLen;
    const std::size_t xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const uint16_t id = Cursor(bytes, x).u16(0);
      const uint16_t len = Cursor(bytes, x).u16(2);
      if (x + 4 + len > xEnd) fail("entry '" + e.name + "': extra field runs past its entry");
      if (id == kZip64ExtraId) {
        std::size_t f = x + 4;
        auto take = [&](uint64_t& field) {
          if (field != 0xFFFFFFFFu) return;
          if (f + 8 > x + 4 + len) fail("entry '" + e.name + "': zip64 extra field too short");
          field = Cursor(bytes, f).u64(0);
          f += 8;
        };
        take(e.size);
        take(e.compressedSize);
        take(e.localHeaderOffset);
      }
      x += 4 + len;
    }
    if (!names.insert(e.name).second) fail("entry '" + e.name + "' appears twice");
    entries_.push_back(std::move(e));
    p += kCentralSize + nameLen + extraLen + commentLen;
  }
}

const ZipArchive::Entry* ZipArchive::find(std::string_view name) const {
  for (const auto& e : entries_)
    if (e.name == name) return &e;
  return nullptr;
}

std::string_view ZipArchive::read(const Entry& e) const {
  const std::string where = "entry '" + e.name + "': ";
  if (e.flags & 0x1) fail(where + "encrypted entries are not supported");
  if (e.method != 0)
    fail(where + "compressed with method " + std::to_string(e.method) +
         "; only stored (uncompressed) entries, as torch.save writes, are supported");
  if (e.compressedSize != e.size) fail(where + "stored entry with differing sizes");
  const uint64_t lh = e.localHeaderOffset;
  if (lh > bytes_.size() || !Cursor(bytes_, lh).has(kLocalSize) ||
      Cursor(bytes_, lh).u32(0) != kLocalHeader)
    fail(where + "local header missing or out of bounds");
  const Cursor l(bytes_, lh);
  // The local extra field may differ from the central one (torch pads it to align data).
  const uint64_t data = lh + kLocalSize + l.u16(26) + l.u16(28);
  if (data > bytes_.size() || e.size > bytes_.size() - data)
    fail(where + "data [" + std::to_string(data) + ", +" + std::to_string(e.size) +
         ") lies outside the file (size " + std::to_string(bytes_.size()) + "; truncated?)");
  const std::string_view out = bytes_.substr(data, e.size);
  if (crc32(out) != e.crc32) fail(where + "CRC-32 mismatch (corrupted data)");
  return out;
}

}  // namespace attnx
