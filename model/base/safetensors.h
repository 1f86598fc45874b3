#pragma once
// safetensors reader (memory-mapped, validated before trusted) and writer (temporary file +
// rename). Plain C++: no libtorch here; model/torch_bridge turns views into tensors.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace attnx {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, Bool };

std::size_t dtypeSize(DType t);
std::string_view dtypeName(DType t);  // "F32", "BF16", ... as spelled in safetensors headers

// A tensor inside a mapped file. `data` stays valid while the owning SafetensorsFile lives.
struct TensorView {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  const std::byte* data = nullptr;
  std::size_t nbytes = 0;
  int64_t numel() const;
};

class SafetensorsFile {
 public:
  // Maps and validates `path`; throws attnx::Error naming the file (and tensor) on any defect:
  // header length bounded and inside the file, valid JSON, known dtype, shape x itemsize equal to
  // the byte range, ranges inside the data section, not overlapping.
  static SafetensorsFile open(const std::string& path);

  const std::string& path() const;
  const std::vector<TensorView>& tensors() const;
  const TensorView* find(std::string_view name) const;  // nullptr when absent
  const TensorView& at(std::string_view name) const;    // throws attnx::Error when absent
  const std::map<std::string, std::string>& metadata() const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

// A tensor owned in memory, for writing.
struct OwnedTensor {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  std::vector<std::byte> bytes;

  static OwnedTensor fromFloats(std::string name, std::vector<int64_t> shape, const float* data);
  static OwnedTensor fromInt64(std::string name, std::vector<int64_t> shape, const int64_t* data);
  // A copy of a tensor of a mapped file, to write again (possibly changed) after it is closed.
  static OwnedTensor copyOf(const TensorView& v);
};

// Writes a complete file next to `path`, then renames it over `path`: a failure never leaves a
// half-written file behind. Throws attnx::Error.
void writeSafetensors(const std::string& path, const std::vector<OwnedTensor>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

}  // namespace attnx
