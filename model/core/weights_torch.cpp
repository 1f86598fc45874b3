// Checkpoint loading: the architecture table says which names to look up; this file finds them in
// one safetensors file or in the shards of an index, checks them and moves them to the device.
#include "weights_torch.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "error.h"
#include "family_table.h"

namespace attnx {
namespace {

namespace fs = std::filesystem;

std::string shapeString(const std::vector<int64_t>& s) {
  std::string out = "[";
  for (std::size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + "]";
}

std::optional<at::ScalarType> scalarType(DType t) {
  switch (t) {
    case DType::F64:
      return at::kDouble;
    case DType::F32:
      return at::kFloat;
    case DType::F16:
      return at::kHalf;
    case DType::BF16:
      return at::kBFloat16;
    default:
      return std::nullopt;
  }
}

// Where each tensor name lives: one file, or the shards an index lists.
struct Checkpoint {
  std::vector<SafetensorsFile> files;
  std::map<std::string, std::size_t, std::less<>> where;  // name -> index into files

  const TensorView* find(const std::string& name, std::size_t* file) const {
    auto it = where.find(name);
    if (it == where.end()) return nullptr;
    *file = it->second;
    return files[it->second].find(name);
  }
};

Checkpoint openCheckpoint(const std::string& dir) {
  Checkpoint ck;
  const fs::path single = fs::path(dir) / "model.safetensors";
  const fs::path index = fs::path(dir) / "model.safetensors.index.json";
  if (fs::exists(single)) {
    ck.files.push_back(SafetensorsFile::open(single.string()));
    for (const auto& t : ck.files.back().tensors()) ck.where.emplace(t.name, 0);
    return ck;
  }
  if (!fs::exists(index)) {
    std::string hint;
    if (fs::exists(fs::path(dir) / "pytorch_model.bin"))
      hint = " (pytorch_model.bin is not read: convert the checkpoint to safetensors)";
    throw Error(single.string() + ": missing, and no model.safetensors.index.json either" + hint);
  }
  std::ifstream in(index, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const auto j = nlohmann::json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("weight_map") ||
      !j.at("weight_map").is_object())
    throw Error(index.string() + ": not valid JSON with a \"weight_map\" object");
  std::map<std::string, std::size_t> shardIndex;
  for (const auto& [name, shard] : j.at("weight_map").items()) {
    if (!shard.is_string())
      throw Error(index.string() + ": weight_map['" + name + "'] is not a file name");
    const std::string file = shard.get<std::string>();
    // Shards are plain file names next to the index; anything else is refused.
    if (file.empty() || file.find('/') != std::string::npos || file == "." || file == "..")
      throw Error(index.string() + ": weight_map['" + name + "'] names '" + file +
                  "', which is not a file in the model folder");
    auto [it, added] = shardIndex.emplace(file, ck.files.size());
    if (added) ck.files.push_back(SafetensorsFile::open((fs::path(dir) / file).string()));
    if (!ck.files[it->second].find(name))
      throw Error((fs::path(dir) / file).string() + ": lacks tensor '" + name +
                  "' that model.safetensors.index.json places there");
    ck.where.emplace(name, it->second);
  }
  return ck;
}

// A view of the mapped bytes as a CPU tensor (no copy). The mapping is read-only: the forward pass
// never writes to weights.
at::Tensor viewOf(const TensorView& v, at::ScalarType type) {
  return at::from_blob(const_cast<std::byte*>(v.data), v.shape,
                       at::TensorOptions().dtype(type).device(at::kCPU));
}

}  // namespace

Weights loadWeights(const std::string& dir, const HParams& hp, const ArchSpec& arch,
                    at::Device device, at::ScalarType dtype) {
  Checkpoint ck = openCheckpoint(dir);
  Weights w;
  w.layers.resize(static_cast<std::size_t>(hp.layers));

  auto load = [&](const TensorSpec& spec, int layer) -> at::Tensor {
    const std::string name = tensorName(spec.name, layer);
    const TensorView* view = nullptr;
    std::size_t file = 0;
    for (const auto& candidate : candidateNames(arch, name))
      if ((view = ck.find(candidate, &file))) break;
    if (!view) {
      if (required(spec, hp))
        throw Error(fs::path(dir).append("model.safetensors").string() + ": tensor '" + name +
                    "' is missing (" + std::string(familyName(hp.family)) + " " +
                    std::string(roleName(spec.role)) + ")");
      return {};
    }
    const std::string& path = ck.files[file].path();
    const auto type = scalarType(view->dtype);
    if (!type)
      throw Error(path + ": tensor '" + view->name + "' has dtype " +
                  std::string(dtypeName(view->dtype)) + ", expected F32, F16, BF16 or F64");
    std::vector<int64_t> expected = expectedShape(spec.role, hp);
    if (spec.transposed) std::reverse(expected.begin(), expected.end());
    if (view->shape != expected)
      throw Error(path + ": tensor '" + view->name + "' has shape " + shapeString(view->shape) +
                  ", expected " + shapeString(expected) + " from config.json");

    at::Tensor t = viewOf(*view, *type);
    if (spec.transposed) t = t.t();
    const bool aligned = reinterpret_cast<std::uintptr_t>(view->data) % at::elementSize(*type) == 0;
    if (device.is_cpu() && *type == dtype && aligned && t.is_contiguous()) {
      w.bytes += view->nbytes;  // shared with the page cache
    } else {
      // A copy in the run dtype on the run device, contiguous (also for transposed Conv1D).
      t = t.to(device, dtype, /*non_blocking=*/false, /*copy=*/true).contiguous();
      w.bytes += static_cast<std::size_t>(t.numel()) * t.element_size();
    }
    w.parameters += t.numel();
    return t;
  };

  for (const auto& spec : arch.tensors) {
    const auto role = static_cast<std::size_t>(spec.role);
    if (isLayerRole(spec.role)) {
      for (int l = 0; l < hp.layers; ++l)
        w.layers[static_cast<std::size_t>(l)][role] = load(spec, l);
    } else {
      w.global[role] = load(spec, -1);
    }
  }
  // Tied embeddings: the LM head is the token embedding (as transformers ties them, even when a
  // checkpoint also carries a copy).
  if (arch.lmHead && (hp.tieWordEmbeddings || !w.get(Role::LmHead).defined())) {
    w.global[static_cast<int>(Role::LmHead)] = w.get(Role::TokEmbed);
  }
  // The pooler is all or nothing.
  if (w.get(Role::PoolerWeight).defined() != w.get(Role::PoolerBias).defined()) {
    w.global[static_cast<int>(Role::PoolerWeight)] = at::Tensor();
    w.global[static_cast<int>(Role::PoolerBias)] = at::Tensor();
  }
  w.files = std::move(ck.files);
  return w;
}

}  // namespace attnx
