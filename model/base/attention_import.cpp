#include "attention_import.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "error.h"
#include "foreign_tensors.h"
#include "npy_file.h"
#include "raw_tensor.h"
#include "safetensors.h"
#include "torch_file.h"
#include "zip_archive.h"

namespace attnx {
namespace {

using json = nlohmann::json;

// Saved attention of a long input can be large; this only stops a wrong file from exhausting
// memory before its shapes are checked.
constexpr uint64_t kMaxFileBytes = 64ull << 30;
constexpr int64_t kMaxLayers = 4096;

// Every tensor of the file, whatever format it came from, is a TensorView into `Contents`.
using Named = TensorView;

// What a file holds, before it is understood as attention.
struct Contents {
  std::vector<Named> tensors;
  std::map<std::string, std::vector<std::string>> strings;  // "tokens", "layout"
  std::vector<RawTensor> owned;                             // backing storage of `tensors`
  std::optional<SafetensorsFile> mapped;                    // idem, for safetensors
  std::string bytes;                                        // idem, for .npy / .npz / .pt
};

void addOwned(Contents& c) {
  for (const RawTensor& t : c.owned)
    c.tensors.push_back({t.name, t.dtype, t.shape, t.bytes.data(), t.bytes.size()});
}

// .npz: a zip of .npy files, one per array, named "<key>.npy".
void readNpz(const std::string& path, Contents& c) {
  const ZipArchive zip(path, c.bytes);
  for (const ZipArchive::Entry& e : zip.entries()) {
    if (e.method != 0)
      throw Error(path + ": entry '" + e.name +
                  "' is compressed; save it with numpy.savez, not numpy.savez_compressed");
    std::string key = e.name;
    if (key.size() > 4 && key.ends_with(".npy")) key.resize(key.size() - 4);
    RawTensor t = readNpy(path + ": " + e.name, zip.read(e));
    t.name = key;
    c.owned.push_back(std::move(t));
  }
  addOwned(c);
}

bool zipHoldsNpy(std::string_view bytes, const std::string& path) {
  const ZipArchive zip(path, bytes);
  return !zip.entries().empty() &&
         std::all_of(zip.entries().begin(), zip.entries().end(),
                     [](const ZipArchive::Entry& e) { return e.name.ends_with(".npy"); });
}

Contents readContents(const std::string& path) {
  Contents c;
  c.bytes = readWholeFile(path, kMaxFileBytes, "an attention file");
  if (looksLikeNpy(c.bytes)) {
    c.owned.push_back(readNpy(path, c.bytes));
    addOwned(c);
  } else if (looksLikeZip(c.bytes) && zipHoldsNpy(c.bytes, path)) {
    readNpz(path, c);
  } else if (looksLikeZip(c.bytes) || looksLikeLegacyTorch(c.bytes)) {
    TorchSaveTree tree = readTorchSaveTree(path, c.bytes);
    c.owned = std::move(tree.tensors);
    for (auto& [name, list] : tree.strings) c.strings[name] = std::move(list);
    addOwned(c);
  } else if (looksLikeSafetensors(c.bytes)) {
    std::string().swap(c.bytes);  // the mapping holds the data; free the copy
    c.mapped = SafetensorsFile::open(path);
    for (const TensorView& v : c.mapped->tensors())
      c.tensors.push_back({v.name, v.dtype, v.shape, v.data, v.nbytes});
    const auto& meta = c.mapped->metadata();
    if (auto it = meta.find("layout"); it != meta.end()) c.strings["layout"] = {it->second};
    if (auto it = meta.find("tokens"); it != meta.end()) {
      const json j = json::parse(it->second, nullptr, false);
      if (!j.is_array()) throw Error(path + ": metadata \"tokens\" is not a JSON list");
      std::vector<std::string> list;
      for (const json& t : j) {
        if (!t.is_string()) throw Error(path + ": metadata \"tokens\" holds a non-string");
        list.push_back(t.get<std::string>());
      }
      c.strings["tokens"] = std::move(list);
    }
  } else {
    throw Error(path +
                ": not an attention file: expected torch.save (.pt), NumPy (.npy, .npz) or "
                "safetensors");
  }
  return c;
}

// The layer a tensor's name gives it: "attentions.3", "attentions_3", "attentions/3", "3",
// "arr_3" (numpy.savez of positional arrays); nullopt for any other name.
std::optional<int> layerOfName(std::string_view name) {
  for (std::string_view prefix : {"attentions.", "attentions_", "attentions/", "arr_", ""}) {
    if (!name.starts_with(prefix)) continue;
    const std::string_view digits = name.substr(prefix.size());
    int layer = -1;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), layer);
    if (!digits.empty() && ec == std::errc() && end == digits.data() + digits.size() && layer >= 0)
      return layer;
  }
  return std::nullopt;
}

// One layer's [H,T,T] weights, from a [B,H,T,T] (B = 1) or [H,T,T] tensor.
struct Layer {
  int layer = 0;
  std::string where;  // for messages: "file: tensor 'attentions.3'"
  DType dtype = DType::F32;
  std::vector<int64_t> shape;  // [H,T,T]
  const std::byte* data = nullptr;
  std::size_t nbytes = 0;
};

std::string tensorWhere(const std::string& path, const std::string& name) {
  return path + ": " + (name.empty() ? std::string("the array") : "tensor '" + name + "'");
}

Layer layerOf(const std::string& path, const Named& t, int layer) {
  const std::string where = tensorWhere(path, t.name);
  std::vector<int64_t> s = t.shape;
  if (s.size() == 4) {
    if (s[0] != 1)
      throw Error(where + " holds a batch of " + std::to_string(s[0]) + " (shape " +
                  shapeText(t.shape) + "); import one example at a time ([1,H,T,T])");
    s.erase(s.begin());
  }
  if (s.size() != 3)
    throw Error(where + " has shape " + shapeText(t.shape) +
                "; a layer's attention is [B,H,T,T] or [H,T,T]");
  return {layer, where, t.dtype, s, t.data, t.nbytes};
}

// The layers of the file, by layer index.
std::vector<Layer> findLayers(const std::string& path, const Contents& c) {
  std::vector<Layer> layers;
  for (const Named& t : c.tensors)
    if (auto l = layerOfName(t.name)) layers.push_back(layerOf(path, t, *l));
  if (layers.empty()) {
    // One stacked tensor: named "attentions", or the file's only tensor.
    const Named* stacked = nullptr;
    for (const Named& t : c.tensors)
      if (t.name == "attentions") stacked = &t;
    if (!stacked && c.tensors.size() == 1) stacked = &c.tensors.front();
    if (!stacked) {
      std::string names;
      for (const Named& t : c.tensors) names += (names.empty() ? "'" : ", '") + t.name + "'";
      throw Error(path + ": no attention found among the tensors " +
                  (names.empty() ? std::string("(none)") : names) +
                  "; expected a tuple of layers, attentions.<l>, or one stacked 'attentions'");
    }
    const std::vector<int64_t>& s = stacked->shape;
    if (s.size() != 4 && s.size() != 5)
      throw Error(tensorWhere(path, stacked->name) + " has shape " + shapeText(s) +
                  "; stacked attention is [L,B,H,T,T] or [L,H,T,T]");
    const std::size_t item = dtypeSize(stacked->dtype);
    const int64_t per = shapeNumel(std::vector<int64_t>(s.begin() + 1, s.end()));
    if (s[0] > kMaxLayers || per == 0)
      throw Error(tensorWhere(path, stacked->name) + " has shape " + shapeText(s) +
                  ": no attention is that shape (an empty dimension, or more than " +
                  std::to_string(kMaxLayers) + " layers)");
    if (s[0] < 1 || per < 0 || static_cast<uint64_t>(s[0]) * per * item != stacked->nbytes)
      throw Error(tensorWhere(path, stacked->name) + " has shape " + shapeText(s) +
                  " that does not match its data");
    for (int64_t l = 0; l < s[0]; ++l) {
      Named one{stacked->name + "[" + std::to_string(l) + "]", stacked->dtype,
                std::vector<int64_t>(s.begin() + 1, s.end()),
                stacked->data + static_cast<std::size_t>(l * per) * item,
                static_cast<std::size_t>(per) * item};
      layers.push_back(layerOf(path, one, static_cast<int>(l)));
    }
  }
  std::sort(layers.begin(), layers.end(),
            [](const Layer& a, const Layer& b) { return a.layer < b.layer; });
  for (std::size_t i = 0; i < layers.size(); ++i)
    if (layers[i].layer != static_cast<int>(i))
      throw Error(path + ": the layers are not 0.." + std::to_string(layers.size() - 1) +
                  " each once (" +
                  (layers[i].layer < static_cast<int>(i)
                       ? "layer " + std::to_string(layers[i].layer) + " appears twice"
                       : "layer " + std::to_string(i) + " is missing") +
                  ")");
  return layers;
}

// The unit roundoff of the dtype the weights were stored in (float64 is read as float32).
double unitRoundoff(DType d) {
  switch (d) {
    case DType::F16:
      return 0x1p-11;
    case DType::BF16:
      return 0x1p-8;
    default:
      return 0x1p-24;
  }
}

// A row of softmax weights sums to 1 up to: the producer's float32 normalisation (gamma_T =
// T u / (1 - T u), u = 2^-24), one rounding of each weight to the stored dtype (u_d times the
// row's sum of 1), and our float32 reading of float64 (2^-24); doubled, because the file's
// producer and attnx each round. Rows of unnormalised scores or of another axis are far off.
double rowSumTolerance(DType d, int T) {
  const double u = 0x1p-24;
  const double gammaT = T * u / (1.0 - T * u);
  return 2.0 * (gammaT + unitRoundoff(d) + u);
}

AttentionTensor checkedLayer(const Layer& l, int T, int H) {
  if (l.shape[1] != l.shape[2])
    throw Error(l.where + " has shape " + shapeText(l.shape) +
                ": queries and keys differ; import the full [T,T] matrices");
  if (l.shape[1] != T)
    throw Error(l.where + " covers " + std::to_string(l.shape[1]) + " positions, layer 0 " +
                std::to_string(T) + ": every layer must have the same T");
  if (l.shape[0] != H)
    throw Error(l.where + " has " + std::to_string(l.shape[0]) + " heads, layer 0 " +
                std::to_string(H));
  AttentionTensor a;
  a.layer = l.layer;
  a.batch = 1;
  a.heads = H;
  a.queries = a.keys = T;
  for (int q = 0; q < T; ++q) a.queryPositions.push_back(q);
  a.f32 = finiteFloats(l.where + ": ", l.dtype, l.shape, l.data, l.nbytes);
  const double tol = rowSumTolerance(l.dtype, T);
  for (int h = 0; h < H; ++h)
    for (int q = 0; q < T; ++q) {
      const float* row = a.f32.data() + a.index(0, h, q, 0);
      double sum = 0;
      for (int k = 0; k < T; ++k) {
        if (row[k] < 0 || row[k] > 1 + tol)
          throw Error(l.where + ": head " + std::to_string(h) + ", query " + std::to_string(q) +
                      ", key " + std::to_string(k) + " holds " + std::to_string(row[k]) +
                      ", not a weight in [0, 1]");
        sum += row[k];
      }
      if (std::abs(sum - 1.0) > tol)
        throw Error(l.where + ": the row of head " + std::to_string(h) + ", query " +
                    std::to_string(q) + " sums to " + std::to_string(sum) +
                    ", not 1: these are not softmax weights over the keys (scores before the "
                    "softmax, or another axis last)");
    }
  return a;
}

std::vector<std::string> tokensFromFile(const std::string& file) {
  const std::string text = readWholeFile(file, 1ull << 30, "a tokens file");
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_array()) throw Error(file + ": not a JSON list of strings");
  std::vector<std::string> out;
  for (const json& t : j) {
    if (!t.is_string()) throw Error(file + ": holds a non-string; expected a JSON list of strings");
    out.push_back(t.get<std::string>());
  }
  return out;
}

const std::vector<std::string>* stringsNamed(const Contents& c, const std::string& name) {
  auto it = c.strings.find(name);
  return it == c.strings.end() ? nullptr : &it->second;
}

std::vector<int64_t> inputIdsOf(const std::string& path, const Contents& c, int T) {
  for (const Named& t : c.tensors) {
    if (t.name != "input_ids") continue;
    const std::string where = tensorWhere(path, t.name);
    const int64_t n = shapeNumel(t.shape);
    if (t.shape.empty() || t.shape.size() > 2 || n != T)
      throw Error(where + " has shape " + shapeText(t.shape) + "; expected [" + std::to_string(T) +
                  "] or [1, " + std::to_string(T) + "]");
    std::vector<int64_t> ids(static_cast<std::size_t>(T));
    for (int i = 0; i < T; ++i) {
      if (t.dtype == DType::I64 && t.nbytes == std::size_t(T) * 8)
        std::memcpy(&ids[i], t.data + i * 8, 8);
      else if (t.dtype == DType::I32 && t.nbytes == std::size_t(T) * 4) {
        int32_t v;
        std::memcpy(&v, t.data + i * 4, 4);
        ids[i] = v;
      } else {
        throw Error(where + " must hold 64- or 32-bit integers");
      }
      if (ids[i] < -1) throw Error(where + " holds " + std::to_string(ids[i]));
    }
    return ids;
  }
  return std::vector<int64_t>(static_cast<std::size_t>(T), -1);  // no ids recorded
}

}  // namespace

std::vector<Segment> parseLayoutSpec(std::string_view spec, int T) {
  std::vector<Segment> out;
  int at = 0;
  std::size_t pos = 0;
  while (pos <= spec.size()) {
    const std::size_t comma = std::min(spec.find(',', pos), spec.size());
    const std::string_view part = spec.substr(pos, comma - pos);
    const std::size_t colon = part.find(':');
    const std::string whole(part);
    if (colon == std::string_view::npos)
      throw Error("layout part '" + whole + "' is not KIND:COUNT (e.g. soft:8)");
    const std::optional<SegmentKind> kind = segmentKindFromName(part.substr(0, colon));
    if (!kind)
      throw Error("layout part '" + whole +
                  "': the kind must be soft, bos, anchor, text, special, generated or pad");
    const std::string_view digits = part.substr(colon + 1);
    int n = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || n < 1)
      throw Error("layout part '" + whole + "': the count must be a whole number of 1 or more");
    if (n > T - at)
      throw Error("layout '" + std::string(spec) + "' covers more than the " + std::to_string(T) +
                  " positions");
    out.push_back({*kind, at, at + n});
    at += n;
    pos = comma + 1;
  }
  if (at != T)
    throw Error("layout '" + std::string(spec) + "' covers " + std::to_string(at) + " of the " +
                std::to_string(T) + " positions");
  return out;
}

std::string layoutInFile(const std::string& path) {
  const Contents c = readContents(path);
  const auto* layout = stringsNamed(c, "layout");
  return layout && layout->size() == 1 ? layout->front() : std::string();
}

bool isAttentionImportFile(std::string_view path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char ch) { return std::tolower(ch); });
  if (ext == ".pt" || ext == ".pth" || ext == ".bin" || ext == ".npz" || ext == ".npy") return true;
  if (ext != ".safetensors") return false;
  try {
    return SafetensorsFile::open(std::string(path)).find("input_ids") == nullptr;
  } catch (const Error&) {
    return false;  // not readable: the run-file reader says why
  }
}

RunResult importAttention(const std::string& path, const ImportOptions& options) {
  const Contents c = readContents(path);
  const std::vector<Layer> layers = findLayers(path, c);
  if (static_cast<int64_t>(layers.size()) > kMaxLayers)
    throw Error(path + ": " + std::to_string(layers.size()) + " layers is more than any model has");
  const int64_t T64 = layers.front().shape[1], H64 = layers.front().shape[0];
  if (T64 < 1 || H64 < 1) throw Error(layers.front().where + " is empty");
  if (T64 > (1 << 20) || H64 > 4096)
    throw Error(layers.front().where + " has shape " + shapeText(layers.front().shape) +
                ": more positions or heads than attnx imports");
  const int T = static_cast<int>(T64), H = static_cast<int>(H64);

  RunResult r;
  r.batch = 1;
  r.seqLen = T;
  for (const Layer& l : layers) r.attentions.push_back(checkedLayer(l, T, H));
  r.inputIds = inputIdsOf(path, c, T);
  r.attentionMask.assign(static_cast<std::size_t>(T), 1);

  std::string layout = options.layout;
  if (layout.empty())
    if (const auto* inFile = stringsNamed(c, "layout")) {
      if (inFile->size() != 1) throw Error(path + ": \"layout\" must be one string");
      layout = inFile->front();
    }
  try {
    r.layout = {layout.empty() ? std::vector<Segment>{{SegmentKind::Text, 0, T}}
                               : parseLayoutSpec(layout, T)};
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }

  if (!options.tokensFile.empty())
    r.tokens = tokensFromFile(options.tokensFile);
  else if (const auto* tokens = stringsNamed(c, "tokens"))
    r.tokens = *tokens;
  if (r.tokens.empty())
    for (int i = 0; i < T; ++i)
      r.tokens.push_back(r.inputIds[i] >= 0 ? "#" + std::to_string(r.inputIds[i])
                                            : "[" + std::to_string(i) + "]");
  if (static_cast<int>(r.tokens.size()) != T)
    throw Error((options.tokensFile.empty() ? path : options.tokensFile) + ": holds " +
                std::to_string(r.tokens.size()) + " tokens for " + std::to_string(T) +
                " positions");

  r.model.family = "imported";
  r.model.layers = static_cast<int>(layers.size());
  r.model.heads = r.model.kvHeads = H;
  return r;
}

}  // namespace attnx
