#pragma once
// Soft tokens: learned prefix embeddings, [M, d] or [B, M, d], read from the files people save
// them in. The format is recognised by content, whatever the extension:
//   safetensors  one tensor, named "soft_tokens" when there are several
//   torch.save   (zip format) a tensor, an nn.Parameter or a dict of them ("soft_tokens" preferred)
//   NumPy .npy   '<f2', '<f4' or '<f8'
// Values are converted to float32 and must all be finite.
#include <cstdint>
#include <string>
#include <vector>

#include "provenance.h"

namespace attnx {

struct FloatTensor {
  std::vector<int64_t> shape;
  std::vector<float> data;  // row-major
};

// Throws attnx::Error naming the file (and the tensor) on any problem.
FloatTensor loadSoftTokens(const std::string& path);

// The one soft-token loader of every command, the window and dataset runs: a file of one prefix
// [M, d] (or [1, M, d]) or of N prefixes [N, M, d] (one per example of a dataset).
struct SoftTokenSet {
  FloatTensor tensor;
  std::string path;    // for messages; empty when built in memory
  std::string sha256;  // of the file, taken when it was read
  // loadSoftTokens, checked to be [M, d] or [N, M, d]; throws attnx::Error naming the file.
  static SoftTokenSet load(const std::string& path);
  bool empty() const { return tensor.data.empty(); }
  int count() const;  // N (1 for a single prefix)
  int rows() const;   // M
  int dim() const;    // d
  // The rows of prefix `index`, [M, d] row-major. index -1 stands for the file's only prefix;
  // for a file of several it is an error whose message ends with `howToChoose` (the caller's
  // words: "choose one with --soft-index N"). Throws attnx::Error naming the file.
  std::vector<float> prefix(int index, const std::string& howToChoose = "choose one") const;
  // The file (its absolute path) and prefix `index` as a result records them.
  SoftTokenSource source(int index) const;
};

}  // namespace attnx
