#pragma once
// A checkpoint's tensors by role, on the run device and in the run dtype. Only *_torch.cpp files
// include this header.
#include <array>
#include <string>
#include <vector>

#include "arch_table.h"
#include "safetensors.h"
#include "torch_compat.h"

namespace attnx {

struct Weights {
  std::array<at::Tensor, kRoleCount> global;               // roles before Role::LayerBegin
  std::vector<std::array<at::Tensor, kRoleCount>> layers;  // per layer
  std::vector<SafetensorsFile> files;  // kept mapped: CPU float32 weights may view them directly
  int64_t parameters = 0;
  std::size_t bytes = 0;

  const at::Tensor& get(Role r) const { return global[static_cast<int>(r)]; }
  const at::Tensor& get(Role r, int layer) const {
    return layers[static_cast<std::size_t>(layer)][static_cast<int>(r)];
  }
};

// Reads DIR/model.safetensors or the shards listed in DIR/model.safetensors.index.json, looks up
// every tensor of `arch` by name and checks its shape against `hp`. Throws attnx::Error naming the
// file, the tensor, and the expected and actual shapes.
Weights loadWeights(const std::string& dir, const HParams& hp, const ArchSpec& arch,
                    at::Device device, at::ScalarType dtype);

}  // namespace attnx
