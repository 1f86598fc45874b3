#include "torch_file.h"

#include <cstring>

#include "error.h"
#include "torch_pickle.h"
#include "zip_archive.h"

namespace attnx {
namespace {

// Copies the strided view `r` of `storage` into row-major order, checking every index.
RawTensor gather(const std::string& path, const TorchTensorRef& r, std::string_view storage) {
  const std::string where = path + ": tensor" + (r.name.empty() ? "" : " '" + r.name + "'") + ": ";
  const std::size_t item = dtypeSize(r.dtype);
  if (storage.size() % item != 0 || static_cast<uint64_t>(r.storageNumel) != storage.size() / item)
    throw Error(where + "storage data/" + r.storageKey + " holds " +
                std::to_string(storage.size()) + " bytes, the pickle announces " +
                std::to_string(r.storageNumel) + " elements of " + std::to_string(item) + " bytes");
  const int64_t numel = shapeNumel(r.shape);
  if (numel < 0) throw Error(where + "invalid size " + shapeText(r.shape));
  RawTensor t;
  t.name = r.name;
  t.dtype = r.dtype;
  t.shape = r.shape;
  if (numel == 0) return t;
  // A stride of 0 repeats elements: a tiny storage could claim any size. The gathered bytes
  // must fit size_t and stay within a bound (64 GiB) no honest file of attention reaches.
  uint64_t bytes = 0;
  if (__builtin_mul_overflow(static_cast<uint64_t>(numel), static_cast<uint64_t>(item), &bytes) ||
      bytes > (64ull << 30))
    throw Error(where + "size " + shapeText(r.shape) + " is too large");

  // The largest element index the view reaches must lie inside the storage.
  if (r.offset < 0) throw Error(where + "negative storage offset");
  int64_t last = r.offset;
  for (std::size_t d = 0; d < r.shape.size(); ++d) {
    int64_t span = 0;
    if (r.stride[d] < 0 || __builtin_mul_overflow(r.shape[d] - 1, r.stride[d], &span) ||
        __builtin_add_overflow(last, span, &last))
      throw Error(where + "invalid stride " + shapeText(r.stride));
  }
  if (last >= r.storageNumel)
    throw Error(where + "size " + shapeText(r.shape) + " with stride " + shapeText(r.stride) +
                " and offset " + std::to_string(r.offset) + " reaches past its storage of " +
                std::to_string(r.storageNumel) + " elements");

  t.bytes.resize(static_cast<std::size_t>(numel) * item);
  const std::size_t rank = r.shape.size();
  std::vector<int64_t> idx(rank, 0);
  for (int64_t i = 0; i < numel; ++i) {
    int64_t src = r.offset;
    for (std::size_t d = 0; d < rank; ++d) src += idx[d] * r.stride[d];
    std::memcpy(t.bytes.data() + i * item, storage.data() + src * item, item);
    for (std::size_t d = rank; d-- > 0;) {
      if (++idx[d] < r.shape[d]) break;
      idx[d] = 0;
    }
  }
  return t;
}

}  // namespace

bool looksLikeZip(std::string_view bytes) {
  return bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4);
}

bool looksLikeLegacyTorch(std::string_view bytes) {
  // The legacy format starts with a pickled magic number (0x1950a86a20f9469cfc6c) by LONG1.
  return bytes.substr(0, 13) ==
         std::string_view("\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50", 13);
}

namespace {

// The archive's data.pkl and its folder prefix ("archive/"), checked.
struct TorchArchive {
  ZipArchive zip;
  std::string_view pickle;
  std::string prefix;
};

TorchArchive openTorchArchive(const std::string& path, std::string_view bytes) {
  if (looksLikeLegacyTorch(bytes))
    throw Error(path +
                ": legacy torch.save format (torch < 1.6 or "
                "_use_new_zipfile_serialization=False); save it again with a current torch");
  ZipArchive zip(path, bytes);
  // The archive folder is named after the file at save time ("archive" for file objects):
  // find it through data.pkl instead of guessing.
  const ZipArchive::Entry* pkl = nullptr;
  for (const auto& e : zip.entries()) {
    const bool match =
        e.name == "data.pkl" || (e.name.size() > 9 && e.name.ends_with("/data.pkl") &&
                                 e.name.find('/') == e.name.size() - 9);
    if (!match) continue;
    if (pkl) throw Error(path + ": zip archive holds more than one data.pkl");
    pkl = &e;
  }
  if (!pkl) throw Error(path + ": zip archive without data.pkl: not a torch.save file");
  std::string prefix = pkl->name.substr(0, pkl->name.size() - 8);
  if (const auto* order = zip.find(prefix + "byteorder")) {
    const std::string_view v = zip.read(*order);
    if (v != "little")
      throw Error(path + ": saved with byte order '" + std::string(v.substr(0, 16)) +
                  "'; only little-endian files are supported");
  }
  const std::string_view pickle = zip.read(*pkl);
  return {std::move(zip), pickle, std::move(prefix)};
}

std::vector<RawTensor> gatherAll(const std::string& path, const TorchArchive& a,
                                 const std::vector<TorchTensorRef>& refs) {
  std::vector<RawTensor> out;
  for (const auto& ref : refs) {
    const auto* entry = a.zip.find(a.prefix + "data/" + ref.storageKey);
    if (!entry)
      throw Error(path + ": storage data/" + ref.storageKey + " is missing from the archive");
    out.push_back(gather(path, ref, a.zip.read(*entry)));
  }
  return out;
}

}  // namespace

std::vector<RawTensor> readTorchSave(const std::string& path, std::string_view bytes) {
  const TorchArchive a = openTorchArchive(path, bytes);
  return gatherAll(path, a, parseTorchPickle(path, a.pickle));
}

TorchSaveTree readTorchSaveTree(const std::string& path, std::string_view bytes) {
  const TorchArchive a = openTorchArchive(path, bytes);
  TorchPickleTree tree = parseTorchPickleTree(path, a.pickle);
  return {gatherAll(path, a, tree.tensors), std::move(tree.strings)};
}

}  // namespace attnx
