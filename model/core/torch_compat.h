#pragma once
// The one place where libtorch version differences live (Debian's 1.13 CPU build here, CUDA 2.x
// builds on GPU machines). Include this instead of ATen headers directly.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <torch/cuda.h>  // torch::cuda::device_count(): declared the same way in 1.13 and 2.x
#include <torch/version.h>

#include <string>
#include <vector>

#if defined(ATTNX_HAS_CUDA_HEADERS)
#include <ATen/cuda/CUDAContext.h>
#endif

#define ATTNX_TORCH_AT_LEAST(major, minor) \
  (TORCH_VERSION_MAJOR > (major) ||        \
   (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

namespace attnx::compat {

inline bool cudaAvailable() { return at::hasCUDA() && at::globalContext().hasCUDA(); }

inline int cudaDeviceCount() {
  return cudaAvailable() ? static_cast<int>(torch::cuda::device_count()) : 0;
}

// Device names need the CUDA headers; without them the devices are only numbered.
inline std::string cudaDeviceName(int index) {
#if defined(ATTNX_HAS_CUDA_HEADERS)
  return at::cuda::getDeviceProperties(index)->name;
#else
  return "cuda:" + std::to_string(index);
#endif
}

// A GPU's total memory in bytes; 0 without the CUDA headers (unknown).
inline uint64_t cudaTotalMemory(int index) {
#if defined(ATTNX_HAS_CUDA_HEADERS)
  return static_cast<uint64_t>(at::cuda::getDeviceProperties(index)->totalGlobalMem);
#else
  (void)index;
  return 0;
#endif
}

// No autograd bookkeeping during inference (InferenceMode exists from 1.9 on; also in 2.x).
using InferenceGuard = c10::InferenceMode;

// A libtorch exception's message without the C++ backtrace 1.13 appends.
inline std::string errorText(const c10::Error& e) { return e.what_without_backtrace(); }

}  // namespace attnx::compat
