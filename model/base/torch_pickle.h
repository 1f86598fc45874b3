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

// Everything the pickled object holds, flattened: tensors and strings named by their path
// through dicts, tuples and lists ("attentions.3", "0" for a tuple's first item, "input_ids").
// A list or tuple of strings is one entry of `strings`, a lone string an entry of one; numbers,
// booleans and None are left out. Same subset and errors as parseTorchPickle.
struct TorchPickleTree {
  std::vector<TorchTensorRef> tensors;
  std::vector<std::pair<std::string, std::vector<std::string>>> strings;
};
TorchPickleTree parseTorchPickleTree(const std::string& path, std::string_view pickle);

}  // namespace attnx
