#include "safetensors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "atomic_file.h"
#include "error.h"

namespace attnx {

static_assert(std::endian::native == std::endian::little,
              "safetensors data is little-endian; views are handed out without conversion");

namespace {

// A header larger than this is not a real checkpoint (the largest real ones hold a few MB).
constexpr uint64_t kMaxHeaderBytes = 100ull * 1024 * 1024;

struct DTypeEntry {
  DType type;
  std::string_view name;
  std::size_t size;
};

constexpr DTypeEntry kDTypes[] = {
    {DType::F64, "F64", 8},   {DType::F32, "F32", 4}, {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2}, {DType::I64, "I64", 8}, {DType::I32, "I32", 4},
    {DType::I16, "I16", 2},   {DType::I8, "I8", 1},   {DType::U8, "U8", 1},
    {DType::Bool, "BOOL", 1},
};

const DTypeEntry* findDType(std::string_view name) {
  for (const auto& e : kDTypes)
    if (e.name == name) return &e;
  return nullptr;
}

std::string named(std::string_view s) { return "'" + std::string(s) + "'"; }

// numel of `shape`, or -1 when a dimension is negative or the product overflows int64.
int64_t checkedNumel(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) return -1;
    if (__builtin_mul_overflow(n, d, &n)) return -1;
  }
  return n;
}

// Owns the mapping; unmaps when the last SafetensorsFile copy goes away.
struct Mapping {
  const std::byte* base = nullptr;
  std::size_t size = 0;
  Mapping() = default;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() {
    if (base) ::munmap(const_cast<std::byte*>(base), size);
  }
};

}  // namespace

std::size_t dtypeSize(DType t) {
  for (const auto& e : kDTypes)
    if (e.type == t) return e.size;
  return 0;
}

std::string_view dtypeName(DType t) {
  for (const auto& e : kDTypes)
    if (e.type == t) return e.name;
  return "?";
}

int64_t TensorView::numel() const { return checkedNumel(shape); }

struct SafetensorsFile::Impl {
  std::string path;
  Mapping map;
  std::vector<TensorView> tensors;  // sorted by name
  std::map<std::string, std::string> metadata;
};

namespace {

class HeaderParser {
 public:
  // Fills `tensors` and `metadata` of the file `path` mapped at [base, base + size).
  HeaderParser(const std::string& path, const std::byte* base, uint64_t size, uint64_t dataBegin,
               std::vector<TensorView>& tensors, std::map<std::string, std::string>& metadata)
      : path_(path),
        base_(base),
        size_(size),
        dataBegin_(dataBegin),
        dataSize_(size - dataBegin),
        tensors_(tensors),
        metadata_(metadata) {}

  void parse(std::string_view text) {
    // Duplicate names would silently shadow each other in a JSON object: reject them while parsing.
    std::set<std::string> seen;
    std::string dup;
    auto cb = [&](int depth, nlohmann::json::parse_event_t ev, nlohmann::json& parsed) {
      if (depth == 1 && ev == nlohmann::json::parse_event_t::key && dup.empty()) {
        const auto& k = parsed.get_ref<const std::string&>();
        if (!seen.insert(k).second) dup = k;
      }
      return true;
    };
    nlohmann::json header;
    try {
      header = nlohmann::json::parse(text.begin(), text.end(), cb);
    } catch (const nlohmann::json::exception& e) {
      fail("the header is not valid JSON (" + std::string(e.what()) + ")");
    }
    if (!dup.empty()) fail("the header names " + named(dup) + " twice");
    if (!header.is_object()) fail("the header is not a JSON object");

    for (auto it = header.begin(); it != header.end(); ++it) {
      if (it.key() == "__metadata__") {
        readMetadata(it.value());
      } else {
        readTensor(it.key(), it.value());
      }
    }
    checkOverlaps();
    std::sort(tensors_.begin(), tensors_.end(),
              [](const TensorView& a, const TensorView& b) { return a.name < b.name; });
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw Error(path_ + ": " + what); }
  [[noreturn]] void failTensor(const std::string& name, const std::string& what) const {
    fail("tensor " + named(name) + ": " + what);
  }

  void readMetadata(const nlohmann::json& m) {
    if (!m.is_object()) fail("__metadata__ is not a JSON object");
    for (auto it = m.begin(); it != m.end(); ++it) {
      if (!it.value().is_string())
        fail("__metadata__ entry " + named(it.key()) + " is not a string");
      metadata_.emplace(it.key(), it.value().get<std::string>());
    }
  }

  static bool readUInt(const nlohmann::json& v, uint64_t& out) {
    if (v.is_number_unsigned()) {
      out = v.get<uint64_t>();
      return true;
    }
    if (v.is_number_integer() && v.get<int64_t>() >= 0) {
      out = static_cast<uint64_t>(v.get<int64_t>());
      return true;
    }
    return false;
  }

  void readTensor(const std::string& name, const nlohmann::json& e) {
    if (!e.is_object()) failTensor(name, "the entry is not a JSON object");
    TensorView t;
    t.name = name;

    const auto dt = e.find("dtype");
    if (dt == e.end() || !dt->is_string()) failTensor(name, "missing or non-string \"dtype\"");
    const DTypeEntry* d = findDType(dt->get_ref<const std::string&>());
    if (!d) failTensor(name, "unknown dtype " + named(dt->get_ref<const std::string&>()));
    t.dtype = d->type;

    const auto sh = e.find("shape");
    if (sh == e.end() || !sh->is_array()) failTensor(name, "missing or non-array \"shape\"");
    for (const auto& dim : *sh) {
      uint64_t v = 0;
      if (!readUInt(dim, v) || v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        failTensor(name,
                   "shape " + sh->dump() + " has a dimension that is not a non-negative integer");
      t.shape.push_back(static_cast<int64_t>(v));
    }
    const int64_t numel = checkedNumel(t.shape);
    uint64_t expected = 0;
    if (numel < 0 || __builtin_mul_overflow(static_cast<uint64_t>(numel), d->size, &expected))
      failTensor(name, "shape " + sh->dump() + " is too large (element count overflows)");

    const auto off = e.find("data_offsets");
    uint64_t begin = 0, end = 0;
    if (off == e.end() || !off->is_array() || off->size() != 2 || !readUInt((*off)[0], begin) ||
        !readUInt((*off)[1], end))
      failTensor(name, "\"data_offsets\" must be [begin, end] with non-negative integers");
    if (begin > end)
      failTensor(name, "data range [" + std::to_string(begin) + ", " + std::to_string(end) +
                           ") ends before it begins");
    if (end > dataSize_)
      failTensor(name, "data range [" + std::to_string(begin) + ", " + std::to_string(end) +
                           ") is outside the file (data section of " + std::to_string(dataSize_) +
                           " bytes, file size " + std::to_string(size_) + ")");
    if (end - begin != expected)
      failTensor(name, "shape " + sh->dump() + " x " + std::to_string(d->size) + " bytes (" +
                           d->name.data() + ") = " + std::to_string(expected) +
                           " bytes, but the data range holds " + std::to_string(end - begin));
    t.data = base_ + dataBegin_ + begin;
    t.nbytes = static_cast<std::size_t>(end - begin);
    tensors_.push_back(std::move(t));
  }

  void checkOverlaps() const {
    std::vector<const TensorView*> byOffset;
    for (const auto& t : tensors_)
      if (t.nbytes > 0) byOffset.push_back(&t);  // empty tensors occupy no bytes
    std::sort(byOffset.begin(), byOffset.end(),
              [](const TensorView* a, const TensorView* b) { return a->data < b->data; });
    for (std::size_t i = 1; i < byOffset.size(); ++i) {
      const TensorView* prev = byOffset[i - 1];
      const TensorView* cur = byOffset[i];
      if (prev->data + prev->nbytes > cur->data)
        fail("tensors " + named(prev->name) + " and " + named(cur->name) +
             " have overlapping data ranges");
    }
  }

  const std::string& path_;
  const std::byte* base_;
  uint64_t size_;
  uint64_t dataBegin_;
  uint64_t dataSize_;
  std::vector<TensorView>& tensors_;
  std::map<std::string, std::string>& metadata_;
};

}  // namespace

SafetensorsFile SafetensorsFile::open(const std::string& path) {
  auto impl = std::make_shared<Impl>();
  impl->path = path;

  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    throw Error(path + ": cannot stat: " + why);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error(path + ": not a regular file");
  }
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size < 8) {
    ::close(fd);
    throw Error(path + ": not a safetensors file: " + std::to_string(size) +
                " bytes, shorter than the 8-byte header length");
  }
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  const std::string mmapError = p == MAP_FAILED ? std::strerror(errno) : "";
  ::close(fd);  // the mapping keeps the file alive
  if (p == MAP_FAILED) throw Error(path + ": cannot map the file: " + mmapError);
  impl->map.base = static_cast<const std::byte*>(p);
  impl->map.size = size;

  uint64_t headerLen = 0;
  std::memcpy(&headerLen, impl->map.base, 8);  // little-endian u64 (asserted above)
  if (headerLen > kMaxHeaderBytes)
    throw Error(path + ": header length " + std::to_string(headerLen) +
                " bytes is implausibly large (limit " + std::to_string(kMaxHeaderBytes) +
                "); not a safetensors file?");
  if (headerLen > size - 8)
    throw Error(path + ": header length " + std::to_string(headerLen) +
                " bytes runs past the end of the file (size " + std::to_string(size) + ")");
  if (headerLen < 2)
    throw Error(path + ": header of " + std::to_string(headerLen) + " bytes is too short");

  const std::string_view text(reinterpret_cast<const char*>(impl->map.base) + 8, headerLen);
  HeaderParser(path, impl->map.base, size, 8 + headerLen, impl->tensors, impl->metadata)
      .parse(text);

  SafetensorsFile f;
  f.impl_ = std::move(impl);
  return f;
}

const std::string& SafetensorsFile::path() const { return impl_->path; }
const std::vector<TensorView>& SafetensorsFile::tensors() const { return impl_->tensors; }
const std::map<std::string, std::string>& SafetensorsFile::metadata() const {
  return impl_->metadata;
}

const TensorView* SafetensorsFile::find(std::string_view name) const {
  const auto& ts = impl_->tensors;
  auto it = std::lower_bound(ts.begin(), ts.end(), name,
                             [](const TensorView& t, std::string_view n) { return t.name < n; });
  return it != ts.end() && it->name == name ? &*it : nullptr;
}

const TensorView& SafetensorsFile::at(std::string_view name) const {
  if (const TensorView* t = find(name)) return *t;
  throw Error(impl_->path + ": tensor " + named(name) + " is missing");
}

// ---- writing ----

namespace {

std::vector<std::byte> copyBytes(const void* data, std::size_t n) {
  std::vector<std::byte> out(n);
  if (n) std::memcpy(out.data(), data, n);
  return out;
}

std::size_t numelOrThrow(const std::string& name, const std::vector<int64_t>& shape) {
  const int64_t n = checkedNumel(shape);
  if (n < 0) throw Error("tensor " + named(name) + ": invalid shape");
  return static_cast<std::size_t>(n);
}

}  // namespace

OwnedTensor OwnedTensor::fromFloats(std::string name, std::vector<int64_t> shape,
                                    const float* data) {
  const std::size_t n = numelOrThrow(name, shape);
  OwnedTensor t{std::move(name), DType::F32, std::move(shape), copyBytes(data, n * sizeof(float))};
  return t;
}

OwnedTensor OwnedTensor::copyOf(const TensorView& v) {
  return OwnedTensor{v.name, v.dtype, v.shape, std::vector<std::byte>(v.data, v.data + v.nbytes)};
}

OwnedTensor OwnedTensor::fromInt64(std::string name, std::vector<int64_t> shape,
                                   const int64_t* data) {
  const std::size_t n = numelOrThrow(name, shape);
  OwnedTensor t{std::move(name), DType::I64, std::move(shape),
                copyBytes(data, n * sizeof(int64_t))};
  return t;
}

void writeSafetensors(const std::string& path, const std::vector<OwnedTensor>& tensors,
                      const std::map<std::string, std::string>& metadata) {
  // Validate and lay out everything before touching the disk.
  nlohmann::json header = nlohmann::json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  uint64_t offset = 0;
  for (const auto& t : tensors) {
    const std::string where = path + ": tensor " + named(t.name) + ": ";
    if (t.name.empty() || t.name == "__metadata__") throw Error(where + "invalid tensor name");
    if (header.contains(t.name)) throw Error(where + "name used twice");
    const int64_t numel = checkedNumel(t.shape);
    if (numel < 0) throw Error(where + "invalid shape");
    const uint64_t expected = static_cast<uint64_t>(numel) * dtypeSize(t.dtype);
    if (t.bytes.size() != expected)
      throw Error(where + "holds " + std::to_string(t.bytes.size()) + " bytes, its shape needs " +
                  std::to_string(expected));
    header[t.name] = {{"dtype", std::string(dtypeName(t.dtype))},
                      {"shape", t.shape},
                      {"data_offsets", {offset, offset + expected}}};
    offset += expected;
  }
  std::string text;
  try {
    text = header.dump();
  } catch (const nlohmann::json::exception&) {
    throw Error(path + ": a tensor name or metadata string is not valid UTF-8");
  }
  // The format allows trailing spaces; padding keeps the data section 8-byte aligned.
  text.append((8 - text.size() % 8) % 8, ' ');
  const uint64_t len = text.size();

  AtomicFileWriter w(path);
  w.write(&len, 8);
  w.write(text.data(), text.size());
  for (const auto& t : tensors) w.write(t.bytes.data(), t.bytes.size());
  w.commit();
}

}  // namespace attnx
