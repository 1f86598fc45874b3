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

namespace attnx {

struct FloatTensor {
  std::vector<int64_t> shape;
  std::vector<float> data;  // row-major
};

// Throws attnx::Error naming the file (and the tensor) on any problem.
FloatTensor loadSoftTokens(const std::string& path);

}  // namespace attnx
