#pragma once
// A restricted reader for the data.pkl that torch.save puts in its zip archive. It understands
// exactly the pickle opcodes and callables that torch.save emits for a tensor, an nn.Parameter
// or a (Ordered)dict of them, and refuses everything else: a pickle is a program, and this one
// never imports or calls anything beyond that short allow-list.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "safetensors.h"  // DType

namespace attnx {

// One tensor as the pickle describes it; its bytes live in the archive entry data/<storageKey>.
struct TorchTensorRef {
  std::string name;  // dict key; empty for a file holding a single tensor
  std::string storageKey;
  DType dtype = DType::F32;
  int64_t storageNumel = 0;  // elements in the whole storage
  int64_t offset = 0;        // in elements
  std::vector<int64_t> shape;
  std::vector<int64_t> stride;  // in elements
};

// Throws attnx::Error naming `path` on any opcode, callable or structure outside the subset.
std::vector<TorchTensorRef> parseTorchPickle(const std::string& path, std::string_view pickle);

}  // namespace attnx
