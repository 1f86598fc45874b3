#pragma once
// What a result was computed from, recorded where it is computed (the inference thread, the
// command line) and carried with the result, so that a figure's manifest never hashes files at
// export time: the model's config and weights, and the soft-token file with its prefix.
#include <string>

namespace attnx {

// A file named by a result, with the SHA-256 of what identifies it; empty sha256: unreadable.
struct FileDigest {
  std::string file;
  std::string sha256;
  bool empty() const { return file.empty(); }
  bool operator==(const FileDigest&) const = default;
};

struct ModelProvenance {
  std::string configSha256;  // of config.json
  // The weights by their index (sharded checkpoints) or by the safetensors header (names,
  // shapes, offsets): hashing gigabytes of weights per load would be too slow.
  FileDigest weights;  // file: "model.safetensors.index.json" or "model.safetensors (header)"
};

struct SoftTokenSource {
  FileDigest file;  // empty: no soft-token file
  int index = -1;   // the prefix of a file of several; -1: the file's only one
};

// The provenance of the checkpoint in `dir`: a few kilobytes read, whatever the model's size.
ModelProvenance modelProvenance(const std::string& dir);

}  // namespace attnx
