#include "soft_tokens.h"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string_view>

#include "error.h"
#include "foreign_tensors.h"
#include "half.h"
#include "npy_file.h"
#include "raw_tensor.h"
#include "safetensors.h"
#include "sha256.h"
#include "torch_file.h"

namespace attnx {
namespace {

constexpr std::string_view kPreferredName = "soft_tokens";
// Soft tokens are a few hundred rows at most; this only stops a wrong file from exhausting memory.
constexpr uint64_t kMaxFileBytes = 4ull << 30;

// "soft_tokens" when present, else the only tensor; several without that name is ambiguous.
template <typename T, typename NameOf>
const T& pickTensor(const std::string& path, const std::vector<T>& all, NameOf nameOf) {
  for (const auto& t : all)
    if (nameOf(t) == kPreferredName) return t;
  if (all.size() == 1) return all.front();
  if (all.empty()) throw Error(path + ": the file holds no tensor");
  std::string names;
  for (const auto& t : all) names += (names.empty() ? "'" : ", '") + std::string(nameOf(t)) + "'";
  throw Error(path + ": holds " + std::to_string(all.size()) + " tensors (" + names +
              ") and none is named 'soft_tokens'; keep one tensor or name it 'soft_tokens'");
}

FloatTensor toFloats(const std::string& where, DType dtype, const std::vector<int64_t>& shape,
                     const std::byte* data, std::size_t nbytes) {
  if (shape.size() != 2 && shape.size() != 3)
    throw Error(where + "shape " + shapeText(shape) + " has rank " + std::to_string(shape.size()) +
                "; soft tokens are [M, d] or [B, M, d]");
  for (int64_t d : shape)
    if (d <= 0) throw Error(where + "shape " + shapeText(shape) + " has an empty dimension");

  FloatTensor out;
  out.shape = shape;
  out.data = finiteFloats(where, dtype, shape, data, nbytes);
  return out;
}

std::string tensorWhere(const std::string& path, const std::string& name) {
  return path + ": " + (name.empty() ? std::string() : "tensor '" + name + "': ");
}

}  // namespace

FloatTensor loadSoftTokens(const std::string& path) {
  const std::string bytes = readWholeFile(path, kMaxFileBytes, "a soft-token file");
  if (looksLikeNpy(bytes)) {
    const RawTensor t = readNpy(path, bytes);
    return toFloats(path + ": ", t.dtype, t.shape, t.bytes.data(), t.bytes.size());
  }
  if (looksLikeZip(bytes) || looksLikeLegacyTorch(bytes)) {
    const std::vector<RawTensor> all = readTorchSave(path, bytes);
    const RawTensor& t = pickTensor(path, all, [](const RawTensor& r) { return r.name; });
    return toFloats(tensorWhere(path, t.name), t.dtype, t.shape, t.bytes.data(), t.bytes.size());
  }
  if (looksLikeSafetensors(bytes)) {
    const SafetensorsFile f = SafetensorsFile::open(path);
    const TensorView& t = pickTensor(
        path, f.tensors(), [](const TensorView& v) -> const std::string& { return v.name; });
    return toFloats(tensorWhere(path, t.name), t.dtype, t.shape, t.data, t.nbytes);
  }
  throw Error(path +
              ": not a soft-token file: expected safetensors, a torch.save (.pt) file or a "
              "NumPy .npy file");
}

SoftTokenSet SoftTokenSet::load(const std::string& path) {
  SoftTokenSet s;
  s.tensor = loadSoftTokens(path);  // checks rank 2 or 3 and non-empty dimensions
  s.path = path;
  // Once per load (callers keep the set while the file is unchanged), so that every result
  // computed from it carries the file's identity.
  s.sha256 = sha256OfFile(path).value_or("");
  return s;
}

SoftTokenSource SoftTokenSet::source(int index) const {
  std::error_code ec;
  const std::filesystem::path abs = std::filesystem::absolute(path, ec);
  return {{ec ? path : abs.lexically_normal().string(), sha256}, index};
}

int SoftTokenSet::count() const {
  if (empty()) return 0;
  return tensor.shape.size() == 3 ? static_cast<int>(tensor.shape[0]) : 1;
}

int SoftTokenSet::rows() const {
  return empty() ? 0 : static_cast<int>(tensor.shape[tensor.shape.size() - 2]);
}

int SoftTokenSet::dim() const { return empty() ? 0 : static_cast<int>(tensor.shape.back()); }

std::vector<float> SoftTokenSet::prefix(int index, const std::string& howToChoose) const {
  const std::string file = path.empty() ? std::string("the soft-token file") : path;
  if (empty()) throw Error(file + ": holds no soft tokens");
  const int n = count();
  if (index < 0 && n > 1)
    throw Error(file + ": holds " + std::to_string(n) + " soft prefixes " +
                shapeText(tensor.shape) + "; " + howToChoose + " (0 to " +
                std::to_string(n - 1) + ")");
  const int i = index < 0 ? 0 : index;
  if (i >= n)
    throw Error(file + ": has no soft prefix " + std::to_string(i) + ": it holds " +
                (n == 1 ? std::string("one") : std::to_string(n) + " (0 to " +
                                                   std::to_string(n - 1) + ")"));
  const std::size_t size = static_cast<std::size_t>(rows()) * static_cast<std::size_t>(dim());
  const auto begin = tensor.data.begin() + static_cast<std::ptrdiff_t>(i * size);
  return std::vector<float>(begin, begin + static_cast<std::ptrdiff_t>(size));
}

}  // namespace attnx
