#include "foreign_tensors.h"

#include <cmath>
#include <cstring>
#include <fstream>

#include "error.h"
#include "half.h"
#include "raw_tensor.h"

namespace attnx {

std::string readWholeFile(const std::string& path, uint64_t maxBytes, const std::string& what) {
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  if (!f) throw Error(path + ": cannot open the file");
  const std::streamoff size = f.tellg();
  if (size < 0) throw Error(path + ": cannot read the file");
  if (static_cast<uint64_t>(size) > maxBytes)
    throw Error(path + ": " + std::to_string(size) + " bytes is too large for " + what);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  f.seekg(0);
  if (!f.read(bytes.data(), size)) throw Error(path + ": cannot read the file");
  return bytes;
}

bool looksLikeSafetensors(std::string_view b) {
  return b.size() >= 10 && b[8] == '{' && static_cast<unsigned char>(b[7]) == 0;
}

std::vector<float> finiteFloats(const std::string& where, DType dtype,
                                const std::vector<int64_t>& shape, const std::byte* data,
                                std::size_t nbytes) {
  if (dtype != DType::F32 && dtype != DType::F16 && dtype != DType::BF16 && dtype != DType::F64)
    throw Error(where + "dtype " + std::string(dtypeName(dtype)) +
                " is not floating point; expected F32, F16, BF16 or F64");
  const int64_t numel = shapeNumel(shape);
  if (numel < 0 || static_cast<uint64_t>(numel) * dtypeSize(dtype) != nbytes)
    throw Error(where + "shape " + shapeText(shape) + " does not match the data size");
  std::vector<float> out(static_cast<std::size_t>(numel));
  for (int64_t i = 0; i < numel; ++i) {
    float v = 0;
    switch (dtype) {
      case DType::F32:
        std::memcpy(&v, data + i * 4, 4);
        break;
      case DType::F64: {
        double d;
        std::memcpy(&d, data + i * 8, 8);
        v = static_cast<float>(d);
        break;
      }
      case DType::F16:
      case DType::BF16: {
        uint16_t h;
        std::memcpy(&h, data + i * 2, 2);
        v = dtype == DType::F16 ? halfToFloat(h) : bf16ToFloat(h);
        break;
      }
      default:
        break;
    }
    if (!std::isfinite(v)) {
      const int64_t d = shape.empty() ? 1 : std::max<int64_t>(1, shape.back());
      throw Error(where + "element " + std::to_string(i) + " (row " + std::to_string(i / d) +
                  ", column " + std::to_string(i % d) + ") is " +
                  (std::isnan(v) ? "NaN" : "infinite") +
                  (dtype == DType::F64 && !std::isnan(v) ? " in float32" : ""));
    }
    out[static_cast<std::size_t>(i)] = v;
  }
  return out;
}

}  // namespace attnx
