#include "provenance.h"

#include <filesystem>
#include <fstream>

#include "sha256.h"

namespace attnx {

namespace fs = std::filesystem;

namespace {

// The safetensors header: an 8-byte little-endian length, then that much JSON.
FileDigest safetensorsHeader(const std::string& path) {
  FileDigest d{"model.safetensors (header)", {}};
  std::ifstream in(path, std::ios::binary);
  unsigned char len[8];
  if (!in.read(reinterpret_cast<char*>(len), 8)) return d;
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | len[i];
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  // A header of more than 100 MB, or longer than the file, is no header: nothing to identify.
  if (ec || n > 100u * 1024 * 1024 || n + 8 > size) return d;
  d.sha256 = sha256OfFile(path, static_cast<int64_t>(n + 8)).value_or("");
  return d;
}

}  // namespace

ModelProvenance modelProvenance(const std::string& dir) {
  ModelProvenance p;
  const fs::path root(dir);
  p.configSha256 = sha256OfFile((root / "config.json").string()).value_or("");
  const fs::path index = root / "model.safetensors.index.json";
  std::error_code ec;
  if (fs::exists(index, ec))
    p.weights = {"model.safetensors.index.json", sha256OfFile(index.string()).value_or("")};
  else if (fs::exists(root / "model.safetensors", ec))
    p.weights = safetensorsHeader((root / "model.safetensors").string());
  return p;
}

}  // namespace attnx
