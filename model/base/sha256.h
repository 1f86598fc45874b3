#pragma once
// SHA-256 (FIPS 180-4) without Qt or OpenSSL: provenance hashes are taken on the inference
// thread and by the Qt-free command line, of config files, safetensors headers and soft-token
// files.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace attnx {

class Sha256 {
 public:
  Sha256();
  void add(const void* data, std::size_t size);
  void add(std::string_view bytes) { add(bytes.data(), bytes.size()); }
  // The digest as 64 lowercase hex digits; the object is spent afterwards.
  std::string hex();

 private:
  void block(const uint8_t* p);
  std::array<uint32_t, 8> h_;
  std::array<uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  uint64_t length_ = 0;  // bytes added
};

std::string sha256Hex(std::string_view bytes);
// The digest of the first `limit` bytes of a file (the whole file when limit < 0); nullopt when
// it cannot be read.
std::optional<std::string> sha256OfFile(const std::string& path, int64_t limit = -1);

}  // namespace attnx
