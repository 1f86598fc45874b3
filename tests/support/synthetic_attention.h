#pragma once
// Random causal attention for view tests that need a result without running a model: each row
// holds exponential draws over keys 0..q, normalised to sum to 1.
#include <cstddef>
#include <random>

#include "run_types.h"

namespace attnx::synthetic {

inline AttentionTensor causalAttention(int layer, int heads, int T, std::mt19937& rng) {
  std::exponential_distribution<float> e(1.0f);
  AttentionTensor a;
  a.layer = layer;
  a.batch = 1;
  a.heads = heads;
  a.queries = T;
  a.keys = T;
  for (int q = 0; q < T; ++q) a.queryPositions.push_back(q);
  a.f32.assign(static_cast<std::size_t>(heads) * T * T, 0.0f);
  for (int h = 0; h < heads; ++h)
    for (int q = 0; q < T; ++q) {
      float sum = 0;
      for (int k = 0; k <= q; ++k) sum += (a.f32[a.index(0, h, q, k)] = e(rng));
      for (int k = 0; k <= q; ++k) a.f32[a.index(0, h, q, k)] /= sum;
    }
  return a;
}

}  // namespace attnx::synthetic
