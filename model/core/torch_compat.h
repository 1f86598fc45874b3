#pragma once
// The one place where libtorch version differences live (Debian's 1.13 CPU build here, CUDA 2.x
// builds on GPU machines). Include this instead of ATen headers directly.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/version.h>

#if defined(ATTNX_HAS_CUDA_HEADERS)
#include <ATen/cuda/CUDAContext.h>
#endif

#define ATTNX_TORCH_AT_LEAST(major, minor) \
  (TORCH_VERSION_MAJOR > (major) ||        \
   (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

namespace attnx::compat {

inline bool cudaAvailable() { return at::hasCUDA() && at::globalContext().hasCUDA(); }

}  // namespace attnx::compat
