#pragma once
// A tensor read from a foreign file format (NumPy, torch.save) as contiguous little-endian bytes,
// before conversion to floats.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "safetensors.h"  // DType

namespace attnx {

struct RawTensor {
  std::string name;  // dict key in a torch.save dict, empty otherwise
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  std::vector<std::byte> bytes;  // row-major, numel * dtypeSize(dtype)
};

// Element count of `shape`, or -1 when a dimension is negative or the product overflows.
int64_t shapeNumel(const std::vector<int64_t>& shape);
std::string shapeText(const std::vector<int64_t>& shape);  // "[2, 3]"

}  // namespace attnx
