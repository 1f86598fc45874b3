#pragma once
// Reads the table of contents of a zip archive held in memory and hands out views of its STORED
// (uncompressed) entries, as torch.save writes them. Sizes come from the central directory (torch's
// writer puts zeros in the local headers); zip64 records are understood. Every offset is checked
// against the buffer before use; CRC-32 of an entry is verified when it is read.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace attnx {

class ZipArchive {
 public:
  struct Entry {
    std::string name;
    uint16_t method = 0;  // 0 = stored
    uint16_t flags = 0;
    uint32_t crc32 = 0;
    uint64_t compressedSize = 0;
    uint64_t size = 0;
    uint64_t localHeaderOffset = 0;
  };

  // `bytes` must outlive the archive. `path` is used only in error messages.
  ZipArchive(std::string path, std::string_view bytes);

  const std::vector<Entry>& entries() const { return entries_; }
  const Entry* find(std::string_view name) const;
  // The entry's bytes; throws attnx::Error when it is compressed, encrypted, out of bounds or
  // fails its CRC check.
  std::string_view read(const Entry& e) const;

 private:
  [[noreturn]] void fail(const std::string& what) const;

  std::string path_;
  std::string_view bytes_;
  std::vector<Entry> entries_;
};

uint32_t crc32(std::string_view bytes);

}  // namespace attnx
