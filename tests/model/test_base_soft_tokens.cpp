// Soft-token files: safetensors, torch.save (.pt) and NumPy (.npy), every float dtype, both ranks,
// and broken inputs.
//
// There is no Python or torch here, so the .pt files are built byte for byte by the writer below,
// mirroring what torch.save (1.13 and 2.x, default zip serialization, pickle protocol 2) produces:
//   - a zip archive whose entries sit in one folder: the file's stem in torch 1.13
//     ("<stem>/data.pkl", "<stem>/data/0", "<stem>/version"), "archive/" plus "archive/byteorder"
//     and ".data/serialization_id" in torch 2.x; every entry STORED (no compression), data aligned
//     to 64 bytes by padding the local header's extra field (id "FB"), as torch's writer does;
//   - data.pkl: the pickle Python's Pickler emits for Tensor.__reduce_ex__, i.e.
//     GLOBAL torch._utils._rebuild_tensor_v2, then the args tuple (storage persistent id
//     ('storage', torch.FloatStorage, '0', 'cpu', numel) via BINPERSID, offset, size, stride,
//     requires_grad, OrderedDict()), REDUCE; strings and globals memoized (BINPUT/BINGET) exactly
//     as Python's memo does; ints as BININT1/BININT2/BININT/LONG1 by magnitude.
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "check.h"
#include "error.h"
#include "half.h"
#include "safetensors.h"
#include "soft_tokens.h"
#include "zip_archive.h"

using namespace attnx;

namespace {

struct TempDir {
  std::string path;
  std::vector<std::string> files;
  TempDir() {
    std::string tmpl = "/tmp/attnx-soft-XXXXXX";
    path = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    for (const auto& f : files) ::unlink(f.c_str());
    ::rmdir(path.c_str());
  }
  std::string write(const std::string& name, const std::string& bytes) {
    const std::string p = path + "/" + name;
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    files.push_back(p);
    return p;
  }
};

void putLE(std::string& s, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// ---- element encodings ----

enum class Fmt { F32, F16, BF16, F64 };

std::string encode(Fmt f, const std::vector<float>& v) {
  std::string s;
  for (float x : v) {
    switch (f) {
      case Fmt::F32: {
        uint32_t b;
        std::memcpy(&b, &x, 4);
        putLE(s, b, 4);
        break;
      }
      case Fmt::F64: {
        double d = x;
        uint64_t b;
        std::memcpy(&b, &d, 8);
        putLE(s, b, 8);
        break;
      }
      case Fmt::F16:
        putLE(s, floatToHalf(x), 2);
        break;
      case Fmt::BF16:
        putLE(s, floatToBf16(x), 2);
        break;
    }
  }
  return s;
}

// What the file holds after rounding to its dtype: the loader must return exactly this.
float rounded(Fmt f, float x) {
  switch (f) {
    case Fmt::F16:
      return halfToFloat(floatToHalf(x));
    case Fmt::BF16:
      return bf16ToFloat(floatToBf16(x));
    default:
      return x;
  }
}

const char* storageName(Fmt f) {
  switch (f) {
    case Fmt::F32:
      return "FloatStorage";
    case Fmt::F16:
      return "HalfStorage";
    case Fmt::BF16:
      return "BFloat16Storage";
    case Fmt::F64:
      return "DoubleStorage";
  }
  return "";
}

DType dtypeOf(Fmt f) {
  switch (f) {
    case Fmt::F32:
      return DType::F32;
    case Fmt::F16:
      return DType::F16;
    case Fmt::BF16:
      return DType::BF16;
    case Fmt::F64:
      return DType::F64;
  }
  return DType::F32;
}

std::vector<float> sampleValues(std::size_t n) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = std::sin(0.37f * i + 0.1f) * (1.0f + 0.01f * i);
  return v;
}

// ---- a minimal zip writer (STORED entries, torch's 64-byte data alignment) ----

struct ZipOptions {
  bool zip64 = false;           // write zip64 records as for archives over 4 GiB
  bool dataDescriptor = false;  // sizes after the data, zeros in the local header
  bool deflateFlag = false;     // mark entries as deflated (method 8)
};

std::string makeZip(const std::vector<std::pair<std::string, std::string>>& entries,
                    ZipOptions opt = {}) {
  std::string out, central;
  for (const auto& [name, data] : entries) {
    const uint64_t offset = out.size();
    const uint32_t crc = crc32(data);
    const uint16_t flags = opt.dataDescriptor ? 0x8 : 0;
    const uint16_t method = opt.deflateFlag ? 8 : 0;
    // Local header, padded with an "FB" extra field so that the data starts on 64 bytes.
    std::size_t pad = (64 - (out.size() + 30 + name.size() + 4) % 64) % 64;
    out += "PK\x03\x04";
    putLE(out, 20, 2);
    putLE(out, flags, 2);
    putLE(out, method, 2);
    putLE(out, 0, 4);  // time, date
    putLE(out, opt.dataDescriptor ? 0 : crc, 4);
    putLE(out, opt.dataDescriptor ? 0 : data.size(), 4);
    putLE(out, opt.dataDescriptor ? 0 : data.size(), 4);
    putLE(out, name.size(), 2);
    putLE(out, 4 + pad, 2);
    out += name;
    out += "FB";
    putLE(out, pad, 2);
    out.append(pad, 'Z');
    out += data;
    if (opt.dataDescriptor) {
      out += "PK\x07\x08";
      putLE(out, crc, 4);
      putLE(out, data.size(), 4);
      putLE(out, data.size(), 4);
    }
    // Central directory entry.
    central += "PK\x01\x02";
    putLE(central, 0x031E, 2);
    putLE(central, opt.zip64 ? 45 : 20, 2);
    putLE(central, flags, 2);
    putLE(central, method, 2);
    putLE(central, 0, 4);
    putLE(central, crc, 4);
    const uint32_t big = 0xFFFFFFFFu;
    putLE(central, opt.zip64 ? big : data.size(), 4);
    putLE(central, opt.zip64 ? big : data.size(), 4);
    putLE(central, name.size(), 2);
    putLE(central, opt.zip64 ? 4 + 24 : 0, 2);
    putLE(central, 0, 2);  // comment
    putLE(central, 0, 2);  // disk
    putLE(central, 0, 2);
    putLE(central, 0, 4);
    putLE(central, opt.zip64 ? big : offset, 4);
    central += name;
    if (opt.zip64) {
      putLE(central, 0x0001, 2);
      putLE(central, 24, 2);
      putLE(central, data.size(), 8);
      putLE(central, data.size(), 8);
      putLE(central, offset, 8);
    }
  }
  const uint64_t dirOffset = out.size();
  out += central;
  if (opt.zip64) {
    const uint64_t rec = out.size();
    out += "PK\x06\x06";
    putLE(out, 44, 8);
    putLE(out, 45, 2);
    putLE(out, 45, 2);
    putLE(out, 0, 4);
    putLE(out, 0, 4);
    putLE(out, entries.size(), 8);
    putLE(out, entries.size(), 8);
    putLE(out, central.size(), 8);
    putLE(out, dirOffset, 8);
    out += "PK\x06\x07";
    putLE(out, 0, 4);
    putLE(out, rec, 8);
    putLE(out, 1, 4);
  }
  out += "PK\x05\x06";
  putLE(out, 0, 4);
  putLE(out, opt.zip64 ? 0xFFFF : entries.size(), 2);
  putLE(out, opt.zip64 ? 0xFFFF : entries.size(), 2);
  putLE(out, opt.zip64 ? 0xFFFFFFFFu : central.size(), 4);
  putLE(out, opt.zip64 ? 0xFFFFFFFFu : dirOffset, 4);
  putLE(out, 0, 2);
  return out;
}

// ---- a minimal pickle writer, memoizing like Python's Pickler ----

class Pickler {
 public:
  Pickler() { out_ = "\x80\x02"; }  // PROTO 2

  void str(const std::string& s) {
    if (get(s)) return;
    out_ += 'X';
    putLE(out_, s.size(), 4);
    out_ += s;
    put(s);
  }
  void global(const std::string& module, const std::string& name) {
    const std::string key = "global:" + module + "." + name;
    if (get(key)) return;
    out_ += 'c' + module + "\n" + name + "\n";
    put(key);
  }
  void integer(int64_t v) {
    if (v >= 0 && v <= 0xFF) {
      out_ += 'K';
      putLE(out_, v, 1);
    } else if (v >= 0 && v <= 0xFFFF) {
      out_ += 'M';
      putLE(out_, v, 2);
    } else if (v >= INT32_MIN && v <= INT32_MAX) {
      out_ += 'J';
      putLE(out_, static_cast<uint32_t>(v), 4);
    } else {
      out_ += "\x8a\x08";
      putLE(out_, static_cast<uint64_t>(v), 8);
    }
  }
  // A tuple of ints, as Python writes it: TUPLE1..3 for short ones, MARK ... TUPLE otherwise.
  void intTuple(const std::vector<int64_t>& v) {
    if (v.empty()) {
      out_ += ')';
      return;  // the empty tuple is a singleton: Python does not memoize it
    }
    if (v.size() > 3) out_ += '(';
    for (int64_t x : v) integer(x);
    out_ += v.size() > 3 ? std::string("t") : std::string(1, static_cast<char>(0x84 + v.size()));
    memoize();
  }
  // torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, OrderedDict())
  void tensor(Fmt f, const std::string& key, int64_t storageNumel, int64_t offset,
              const std::vector<int64_t>& size, const std::vector<int64_t>& stride) {
    global("torch._utils", "_rebuild_tensor_v2");
    out_ += '(';  // args tuple
    out_ += '(';  // persistent id tuple
    str("storage");
    global("torch", storageName(f));
    str(key);
    str("cpu");
    integer(storageNumel);
    out_ += 't';
    memoize();
    out_ += 'Q';  // BINPERSID
    integer(offset);
    intTuple(size);
    intTuple(stride);
    out_ += '\x89';  // False
    global("collections", "OrderedDict");
    out_ += ')';
    out_ += 'R';
    memoize();
    out_ += 't';
    memoize();
    out_ += 'R';
    memoize();
  }
  std::string& raw() { return out_; }
  void memoize() {
    out_ += 'q';
    putLE(out_, next_++, 1);
  }
  std::string finish() { return out_ + "."; }

 private:
  bool get(const std::string& key) {
    auto it = memo_.find(key);
    if (it == memo_.end()) return false;
    out_ += 'h';
    putLE(out_, it->second, 1);
    return true;
  }
  void put(const std::string& key) {
    memo_[key] = next_;
    memoize();
  }
  std::string out_;
  std::map<std::string, int> memo_;
  int next_ = 0;
};

enum class TorchLayout { V1_13, V2 };

// A torch.save archive around `pickle` and its storages.
std::string torchArchive(TorchLayout layout, const std::string& stem, const std::string& pickle,
                         const std::vector<std::pair<std::string, std::string>>& storages,
                         ZipOptions opt = {}) {
  const std::string prefix = layout == TorchLayout::V1_13 ? stem + "/" : "archive/";
  std::vector<std::pair<std::string, std::string>> entries;
  entries.emplace_back(prefix + "data.pkl", pickle);
  if (layout == TorchLayout::V2) entries.emplace_back(prefix + "byteorder", "little");
  for (const auto& [key, data] : storages) entries.emplace_back(prefix + "data/" + key, data);
  entries.emplace_back(prefix + "version", "3\n");
  if (layout == TorchLayout::V2)
    entries.emplace_back(prefix + ".data/serialization_id", "1234567890");
  return makeZip(entries, opt);
}

// torch.save(tensor) of a contiguous tensor.
std::string torchSaveTensor(TorchLayout layout, Fmt f, const std::vector<int64_t>& shape,
                            const std::vector<float>& v, ZipOptions opt = {}) {
  std::vector<int64_t> stride(shape.size(), 1);
  for (std::size_t d = shape.size(); d-- > 1;) stride[d - 1] = stride[d] * shape[d];
  Pickler p;
  p.tensor(f, "0", static_cast<int64_t>(v.size()), 0, shape, stride);
  return torchArchive(layout, "soft", p.finish(), {{"0", encode(f, v)}}, opt);
}

// ---- NumPy writer ----

std::string npyFile(const std::string& descr, const std::vector<int64_t>& shape,
                    const std::string& data, int version = 1, bool fortran = false) {
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
                     ", 'shape': (";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    dict += std::to_string(shape[i]);
    if (shape.size() == 1 || i + 1 < shape.size()) dict += ", ";
  }
  dict += "), }";
  const std::size_t prelude = version == 1 ? 10 : 12;
  // numpy pads with spaces and ends with '\n' so that the data starts on 64 bytes.
  const std::size_t total = (prelude + dict.size() + 1 + 63) / 64 * 64;
  dict.append(total - prelude - dict.size() - 1, ' ');
  dict += '\n';
  std::string out = "\x93NUMPY";
  out += static_cast<char>(version);
  out += '\0';
  putLE(out, dict.size(), version == 1 ? 2 : 4);
  return out + dict + data;
}

std::string safetensorsFile(TempDir& dir, const std::string& name,
                            const std::vector<OwnedTensor>& tensors) {
  const std::string p = dir.path + "/" + name;
  writeSafetensors(p, tensors);
  dir.files.push_back(p);
  return p;
}

OwnedTensor owned(const std::string& name, Fmt f, const std::vector<int64_t>& shape,
                  const std::vector<float>& v) {
  const std::string b = encode(f, v);
  OwnedTensor t{name, dtypeOf(f), shape, {}};
  for (char c : b) t.bytes.push_back(static_cast<std::byte>(c));
  return t;
}

void expectTensor(const FloatTensor& t, Fmt f, const std::vector<int64_t>& shape,
                  const std::vector<float>& v, const std::string& what) {
  CHECK_MSG(t.shape == shape, what << ": wrong shape");
  CHECK_MSG(t.data.size() == v.size(), what << ": wrong size");
  for (std::size_t i = 0; i < v.size(); ++i)
    CHECK_MSG(t.data[i] == rounded(f, v[i]),
              what << ": element " << i << " " << t.data[i] << " vs " << rounded(f, v[i]));
}

const std::vector<std::vector<int64_t>> kShapes = {{5, 8}, {2, 3, 8}};

}  // namespace

TEST(safetensors_round_trip_all_dtypes_and_ranks) {
  TempDir dir;
  int n = 0;
  for (Fmt f : {Fmt::F32, Fmt::F16, Fmt::BF16, Fmt::F64}) {
    for (const auto& shape : kShapes) {
      int64_t numel = 1;
      for (auto d : shape) numel *= d;
      const auto vals = sampleValues(static_cast<std::size_t>(numel));
      // Named anything: a single tensor is taken whatever its name; stored without extension.
      const auto p =
          safetensorsFile(dir, "st" + std::to_string(n++), {owned("prefix", f, shape, vals)});
      expectTensor(loadSoftTokens(p), f, shape, vals, p);
    }
  }
}

TEST(safetensors_prefers_soft_tokens_and_lists_names_otherwise) {
  TempDir dir;
  const auto v = sampleValues(16);
  const auto w = sampleValues(32);
  const auto p = safetensorsFile(
      dir, "two.safetensors",
      {owned("other", Fmt::F32, {4, 4}, v), owned("soft_tokens", Fmt::F32, {4, 8}, w)});
  expectTensor(loadSoftTokens(p), Fmt::F32, {4, 8}, w, p);
  const auto q =
      safetensorsFile(dir, "ambiguous.safetensors",
                      {owned("a", Fmt::F32, {4, 4}, v), owned("b", Fmt::F32, {4, 4}, v)});
  CHECK_THROWS_WITH(loadSoftTokens(q), "'a', 'b'");
  CHECK_THROWS_WITH(loadSoftTokens(q), "none is named 'soft_tokens'");
}

TEST(torch_save_round_trip_all_dtypes_ranks_and_layouts) {
  TempDir dir;
  int n = 0;
  for (TorchLayout layout : {TorchLayout::V1_13, TorchLayout::V2}) {
    for (Fmt f : {Fmt::F32, Fmt::F16, Fmt::BF16, Fmt::F64}) {
      for (const auto& shape : kShapes) {
        int64_t numel = 1;
        for (auto d : shape) numel *= d;
        const auto v = sampleValues(static_cast<std::size_t>(numel));
        const auto p =
            dir.write("t" + std::to_string(n++) + ".bin", torchSaveTensor(layout, f, shape, v));
        expectTensor(loadSoftTokens(p), f, shape, v, p);
      }
    }
  }
}

TEST(torch_save_zip64_and_data_descriptors) {
  TempDir dir;
  const auto v = sampleValues(24);
  ZipOptions z64;
  z64.zip64 = true;
  auto p = dir.write("z64.pt", torchSaveTensor(TorchLayout::V2, Fmt::F32, {3, 8}, v, z64));
  expectTensor(loadSoftTokens(p), Fmt::F32, {3, 8}, v, p);
  ZipOptions dd;
  dd.dataDescriptor = true;
  p = dir.write("dd.pt", torchSaveTensor(TorchLayout::V1_13, Fmt::F16, {3, 8}, v, dd));
  expectTensor(loadSoftTokens(p), Fmt::F16, {3, 8}, v, p);
}

TEST(torch_save_strided_views_and_parameters) {
  TempDir dir;
  // A transposed view: storage holds [8, 3] row-major, the tensor is its [3, 8] transpose.
  const auto s = sampleValues(24);
  {
    Pickler p;
    p.tensor(Fmt::F32, "0", 24, 0, {3, 8}, {1, 3});
    const auto path = dir.write("transposed.pt", torchArchive(TorchLayout::V2, "x", p.finish(),
                                                              {{"0", encode(Fmt::F32, s)}}));
    const FloatTensor t = loadSoftTokens(path);
    CHECK(t.shape == (std::vector<int64_t>{3, 8}));
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 8; ++j) CHECK_EQ(t.data[i * 8 + j], s[j * 3 + i]);
  }
  // A slice with a storage offset: rows 1..2 of a [3, 8] storage.
  {
    Pickler p;
    p.tensor(Fmt::F32, "0", 24, 8, {2, 8}, {8, 1});
    const auto path = dir.write("slice.pt", torchArchive(TorchLayout::V1_13, "slice", p.finish(),
                                                         {{"0", encode(Fmt::F32, s)}}));
    const FloatTensor t = loadSoftTokens(path);
    CHECK(t.shape == (std::vector<int64_t>{2, 8}));
    for (int i = 0; i < 16; ++i) CHECK_EQ(t.data[i], s[8 + i]);
  }
  // nn.Parameter: _rebuild_parameter(tensor, True, OrderedDict())
  {
    Pickler p;
    p.global("torch._utils", "_rebuild_parameter");
    p.tensor(Fmt::BF16, "0", 24, 0, {3, 8}, {8, 1});
    p.raw() += '\x88';  // True
    p.global("collections", "OrderedDict");
    p.raw() += ")R";
    p.memoize();
    p.raw() += '\x87';  // TUPLE3
    p.memoize();
    p.raw() += 'R';
    p.memoize();
    const auto path = dir.write(
        "param.pt", torchArchive(TorchLayout::V2, "p", p.finish(), {{"0", encode(Fmt::BF16, s)}}));
    expectTensor(loadSoftTokens(path), Fmt::BF16, {3, 8}, s, path);
  }
}

namespace {

// torch.save({name: tensor, ...}); values may also be plain ints (saved alongside).
std::string torchSaveDict(const std::vector<std::pair<std::string, std::vector<float>>>& tensors,
                          bool withStep) {
  Pickler p;
  p.raw() += '}';
  p.memoize();
  const std::size_t items = tensors.size() + (withStep ? 1 : 0);
  if (items > 1) p.raw() += '(';
  std::vector<std::pair<std::string, std::string>> storages;
  int key = 0;
  for (const auto& [name, v] : tensors) {
    p.str(name);
    p.tensor(Fmt::F32, std::to_string(key), static_cast<int64_t>(v.size()), 0,
             {static_cast<int64_t>(v.size() / 4), 4}, {4, 1});
    storages.emplace_back(std::to_string(key++), encode(Fmt::F32, v));
  }
  if (withStep) {
    p.str("step");
    p.integer(100000);
  }
  p.raw() += items > 1 ? 'u' : 's';
  return torchArchive(TorchLayout::V2, "d", p.finish(), storages);
}

}  // namespace

TEST(torch_save_dicts) {
  TempDir dir;
  const auto a = sampleValues(8), b = sampleValues(12);
  auto p = dir.write("one.pt", torchSaveDict({{"prefix", a}}, false));
  expectTensor(loadSoftTokens(p), Fmt::F32, {2, 4}, a, p);
  p = dir.write("named.pt", torchSaveDict({{"other", a}, {"soft_tokens", b}}, true));
  expectTensor(loadSoftTokens(p), Fmt::F32, {3, 4}, b, p);
  p = dir.write("step.pt", torchSaveDict({{"emb", b}}, true));
  expectTensor(loadSoftTokens(p), Fmt::F32, {3, 4}, b, p);
  p = dir.write("ambiguous.pt", torchSaveDict({{"x", a}, {"y", b}}, false));
  CHECK_THROWS_WITH(loadSoftTokens(p), "'x', 'y'");
}

TEST(npy_round_trip_all_dtypes_ranks_and_versions) {
  TempDir dir;
  int n = 0;
  const std::pair<Fmt, const char*> dtypes[] = {
      {Fmt::F32, "<f4"}, {Fmt::F16, "<f2"}, {Fmt::F64, "<f8"}};
  for (int version : {1, 2, 3}) {
    for (const auto& [f, descr] : dtypes) {
      for (const auto& shape : kShapes) {
        int64_t numel = 1;
        for (auto d : shape) numel *= d;
        const auto v = sampleValues(static_cast<std::size_t>(numel));
        const auto p = dir.write("n" + std::to_string(n++) + ".dat",
                                 npyFile(descr, shape, encode(f, v), version));
        expectTensor(loadSoftTokens(p), f, shape, v, p);
      }
    }
  }
  // Fortran order: the file holds the column-major layout.
  const auto v = sampleValues(12);
  std::vector<float> colMajor(12);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j) colMajor[j * 3 + i] = v[i * 4 + j];
  const auto p =
      dir.write("fortran.npy", npyFile("<f4", {3, 4}, encode(Fmt::F32, colMajor), 1, true));
  expectTensor(loadSoftTokens(p), Fmt::F32, {3, 4}, v, p);
}

namespace {

// Golden pickles written by CPython 3.11's pickle.Pickler (protocol 2, the protocol torch.save
// uses) with torch.save's persistent_id convention, for stand-in objects whose __reduce_ex__
// returns what torch's Tensor and Parameter return. They pin the test's Pickler to the real one.
//   1. a FloatStorage tensor of size (3, 8), stride (8, 1)
//   2. {'other': [2, 4] on storage '0', 'soft_tokens': [3, 4] on storage '1', 'step': 100000}
//      (the two (4, 1) strides were one tuple object, hence a BINGET where torch writes a new one)
//   3. nn.Parameter around a HalfStorage tensor of size (3, 8)
const std::string kPythonTensor = std::string(
    "\x80\x02\x63\x74\x6f\x72\x63\x68\x2e\x5f\x75\x74\x69\x6c\x73\x0a\x5f\x72\x65\x62\x75\x69\x6c"
    "\x64\x5f\x74\x65\x6e\x73\x6f\x72\x5f"
    "\x76\x32\x0a\x71\x00\x28\x28\x58\x07\x00\x00\x00\x73\x74\x6f\x72\x61\x67\x65\x71\x01\x63\x74"
    "\x6f\x72\x63\x68\x0a\x46\x6c\x6f\x61"
    "\x74\x53\x74\x6f\x72\x61\x67\x65\x0a\x71\x02\x58\x01\x00\x00\x00\x30\x71\x03\x58\x03\x00\x00"
    "\x00\x63\x70\x75\x71\x04\x4b\x18\x74"
    "\x71\x05\x51\x4b\x00\x4b\x03\x4b\x08\x86\x71\x06\x4b\x08\x4b\x01\x86\x71\x07\x89\x63\x63\x6f"
    "\x6c\x6c\x65\x63\x74\x69\x6f\x6e\x73"
    "\x0a\x4f\x72\x64\x65\x72\x65\x64\x44\x69\x63\x74\x0a\x71\x08\x29\x52\x71\x09\x74\x71\x0a\x52"
    "\x71\x0b\x2e",
    154);
const std::string kPythonDict = std::string(
    "\x80\x02\x7d\x71\x00\x28\x58\x05\x00\x00\x00\x6f\x74\x68\x65\x72\x71\x01\x63\x74\x6f\x72\x63"
    "\x68\x2e\x5f\x75\x74\x69\x6c\x73\x0a"
    "\x5f\x72\x65\x62\x75\x69\x6c\x64\x5f\x74\x65\x6e\x73\x6f\x72\x5f\x76\x32\x0a\x71\x02\x28\x28"
    "\x58\x07\x00\x00\x00\x73\x74\x6f\x72"
    "\x61\x67\x65\x71\x03\x63\x74\x6f\x72\x63\x68\x0a\x46\x6c\x6f\x61\x74\x53\x74\x6f\x72\x61\x67"
    "\x65\x0a\x71\x04\x58\x01\x00\x00\x00"
    "\x30\x71\x05\x58\x03\x00\x00\x00\x63\x70\x75\x71\x06\x4b\x18\x74\x71\x07\x51\x4b\x00\x4b\x02"
    "\x4b\x04\x86\x71\x08\x4b\x04\x4b\x01"
    "\x86\x71\x09\x89\x63\x63\x6f\x6c\x6c\x65\x63\x74\x69\x6f\x6e\x73\x0a\x4f\x72\x64\x65\x72\x65"
    "\x64\x44\x69\x63\x74\x0a\x71\x0a\x29"
    "\x52\x71\x0b\x74\x71\x0c\x52\x71\x0d\x58\x0b\x00\x00\x00\x73\x6f\x66\x74\x5f\x74\x6f\x6b\x65"
    "\x6e\x73\x71\x0e\x68\x02\x28\x28\x68"
    "\x03\x68\x04\x58\x01\x00\x00\x00\x31\x71\x0f\x68\x06\x4b\x0c\x74\x71\x10\x51\x4b\x00\x4b\x03"
    "\x4b\x04\x86\x71\x11\x68\x09\x89\x68"
    "\x0a\x29\x52\x71\x12\x74\x71\x13\x52\x71\x14\x58\x04\x00\x00\x00\x73\x74\x65\x70\x71\x15\x4a"
    "\xa0\x86\x01\x00\x75\x2e",
    253);
const std::string kPythonParameter = std::string(
    "\x80\x02\x63\x74\x6f\x72\x63\x68\x2e\x5f\x75\x74\x69\x6c\x73\x0a\x5f\x72\x65\x62\x75\x69\x6c"
    "\x64\x5f\x70\x61\x72\x61\x6d\x65\x74"
    "\x65\x72\x0a\x71\x00\x63\x74\x6f\x72\x63\x68\x2e\x5f\x75\x74\x69\x6c\x73\x0a\x5f\x72\x65\x62"
    "\x75\x69\x6c\x64\x5f\x74\x65\x6e\x73"
    "\x6f\x72\x5f\x76\x32\x0a\x71\x01\x28\x28\x58\x07\x00\x00\x00\x73\x74\x6f\x72\x61\x67\x65\x71"
    "\x02\x63\x74\x6f\x72\x63\x68\x0a\x48"
    "\x61\x6c\x66\x53\x74\x6f\x72\x61\x67\x65\x0a\x71\x03\x58\x01\x00\x00\x00\x30\x71\x04\x58\x03"
    "\x00\x00\x00\x63\x70\x75\x71\x05\x4b"
    "\x18\x74\x71\x06\x51\x4b\x00\x4b\x03\x4b\x08\x86\x71\x07\x4b\x08\x4b\x01\x86\x71\x08\x89\x63"
    "\x63\x6f\x6c\x6c\x65\x63\x74\x69\x6f"
    "\x6e\x73\x0a\x4f\x72\x64\x65\x72\x65\x64\x44\x69\x63\x74\x0a\x71\x09\x29\x52\x71\x0a\x74\x71"
    "\x0b\x52\x71\x0c\x88\x68\x09\x29\x52"
    "\x71\x0d\x87\x71\x0e\x52\x71\x0f\x2e",
    201);

}  // namespace

TEST(reads_pickles_written_by_cpython) {
  TempDir dir;
  const auto v = sampleValues(24);
  Pickler mine;
  mine.tensor(Fmt::F32, "0", 24, 0, {3, 8}, {8, 1});
  CHECK_MSG(mine.finish() == kPythonTensor, "the test's Pickler differs from CPython's");
  auto p = dir.write(
      "py1.pt", torchArchive(TorchLayout::V2, "a", kPythonTensor, {{"0", encode(Fmt::F32, v)}}));
  expectTensor(loadSoftTokens(p), Fmt::F32, {3, 8}, v, p);

  const auto w = sampleValues(12);
  p = dir.write("py2.pt", torchArchive(TorchLayout::V1_13, "py2", kPythonDict,
                                       {{"0", encode(Fmt::F32, v)}, {"1", encode(Fmt::F32, w)}}));
  expectTensor(loadSoftTokens(p), Fmt::F32, {3, 4}, w, p);

  p = dir.write("py3.pt",
                torchArchive(TorchLayout::V2, "a", kPythonParameter, {{"0", encode(Fmt::F16, v)}}));
  expectTensor(loadSoftTokens(p), Fmt::F16, {3, 8}, v, p);
}

TEST(rejects_bad_dtypes_ranks_and_values) {
  TempDir dir;
  const auto v = sampleValues(24);
  std::string ints;
  for (int i = 0; i < 24; ++i) putLE(ints, i, 8);
  CHECK_THROWS_WITH(loadSoftTokens(dir.write("int.npy", npyFile("<i8", {3, 8}, ints))),
                    "not floating point");
  CHECK_THROWS_WITH(
      loadSoftTokens(dir.write("be.npy", npyFile(">f4", {3, 8}, encode(Fmt::F32, v)))),
      "big-endian");
  CHECK_THROWS_WITH(
      loadSoftTokens(dir.write("rank1.npy", npyFile("<f4", {24}, encode(Fmt::F32, v)))), "rank 1");
  CHECK_THROWS_WITH(
      loadSoftTokens(dir.write("rank4.npy", npyFile("<f4", {1, 2, 3, 4}, encode(Fmt::F32, v)))),
      "[M, d] or [B, M, d]");
  CHECK_THROWS_WITH(loadSoftTokens(dir.write("empty.npy", npyFile("<f4", {0, 8}, ""))),
                    "empty dimension");
  CHECK_THROWS_WITH(
      loadSoftTokens(dir.write("short.npy", npyFile("<f4", {4, 8}, encode(Fmt::F32, v)))),
      "needs 128 bytes, the file holds 96");
  CHECK_THROWS_WITH(loadSoftTokens(dir.write("hdr.npy", npyFile("<f4", {3, 8}, "").substr(0, 40))),
                    "runs past the end");
  auto nan = v;
  nan[13] = std::nanf("");
  CHECK_THROWS_WITH(
      loadSoftTokens(dir.write("nan.npy", npyFile("<f4", {3, 8}, encode(Fmt::F32, nan)))),
      "element 13 (row 1, column 5) is NaN");
  auto inf = v;
  inf[2] = INFINITY;
  CHECK_THROWS_WITH(
      loadSoftTokens(dir.write("inf.pt", torchSaveTensor(TorchLayout::V2, Fmt::F16, {3, 8}, inf))),
      "is infinite");
  auto huge = v;
  huge[0] = 0;
  std::string f64 = encode(Fmt::F64, huge);
  const double big = 1e300;
  std::memcpy(f64.data(), &big, 8);
  CHECK_THROWS_WITH(loadSoftTokens(dir.write("huge.npy", npyFile("<f8", {3, 8}, f64))),
                    "infinite in float32");
  const std::vector<int64_t> idv(24, 7);
  const auto ip = safetensorsFile(dir, "ids.safetensors",
                                  {OwnedTensor::fromInt64("soft_tokens", {3, 8}, idv.data())});
  CHECK_THROWS_WITH(loadSoftTokens(ip), "tensor 'soft_tokens': dtype I64 is not floating point");
  const auto rp = safetensorsFile(dir, "r1.safetensors", {owned("x", Fmt::F32, {24}, v)});
  CHECK_THROWS_WITH(loadSoftTokens(rp), "rank 1");
}

TEST(rejects_unknown_and_legacy_formats) {
  TempDir dir;
  CHECK_THROWS_WITH(loadSoftTokens(dir.path + "/absent.pt"), "cannot open");
  CHECK_THROWS_WITH(loadSoftTokens(dir.write("text.pt", "hello, world\n")),
                    "not a soft-token file");
  CHECK_THROWS_WITH(loadSoftTokens(dir.write("empty.pt", "")), "not a soft-token file");
  const std::string legacy("\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19.", 15);
  CHECK_THROWS_WITH(loadSoftTokens(dir.write("legacy.pt", legacy)), "legacy torch.save format");
  // A zip that is not a torch file.
  CHECK_THROWS_WITH(loadSoftTokens(dir.write("other.zip", makeZip({{"readme.txt", "hi"}}))),
                    "without data.pkl");
}

TEST(rejects_broken_zip_archives) {
  TempDir dir;
  const auto v = sampleValues(24);
  const std::string good = torchSaveTensor(TorchLayout::V2, Fmt::F32, {3, 8}, v);
  // Every truncation must be refused with an attnx::Error, never a crash.
  int refused = 0;
  for (std::size_t n = 0; n < good.size(); ++n) {
    const auto p = dir.write("cut.pt", good.substr(0, n));
    try {
      (void)loadSoftTokens(p);
    } catch (const Error&) {
      ++refused;
    }
  }
  CHECK_EQ(refused, static_cast<int>(good.size()));
  CHECK_THROWS_WITH(loadSoftTokens(dir.write("t.pt", good.substr(0, good.size() / 2))),
                    "end-of-central-directory");

  ZipOptions deflated;
  deflated.deflateFlag = true;
  CHECK_THROWS_WITH(
      loadSoftTokens(
          dir.write("deflate.pt", torchSaveTensor(TorchLayout::V2, Fmt::F32, {3, 8}, v, deflated))),
      "only stored (uncompressed) entries");
  // One flipped byte inside the storage: the CRC check catches it.
  std::string bad = good;
  const std::size_t at = bad.find(encode(Fmt::F32, v));
  CHECK(at != std::string::npos);
  bad[at + 5] ^= 0x40;
  CHECK_THROWS_WITH(loadSoftTokens(dir.write("crc.pt", bad)), "CRC-32 mismatch");
  // Storage smaller than the pickle says.
  Pickler p;
  p.tensor(Fmt::F32, "0", 30, 0, {3, 8}, {8, 1});
  CHECK_THROWS_WITH(
      loadSoftTokens(dir.write(
          "size.pt", torchArchive(TorchLayout::V2, "s", p.finish(), {{"0", encode(Fmt::F32, v)}}))),
      "storage data/0 holds 96 bytes, the pickle announces 30 elements");
  // A view reaching past its storage.
  Pickler q;
  q.tensor(Fmt::F32, "0", 24, 8, {3, 8}, {8, 1});
  CHECK_THROWS_WITH(
      loadSoftTokens(dir.write(
          "view.pt", torchArchive(TorchLayout::V2, "s", q.finish(), {{"0", encode(Fmt::F32, v)}}))),
      "reaches past its storage");
  // A storage the archive lacks.
  Pickler r;
  r.tensor(Fmt::F32, "7", 24, 0, {3, 8}, {8, 1});
  CHECK_THROWS_WITH(
      loadSoftTokens(dir.write("nostorage.pt", torchArchive(TorchLayout::V2, "s", r.finish(),
                                                            {{"0", encode(Fmt::F32, v)}}))),
      "storage data/7 is missing");
  // Big-endian archives (torch 2.x byteorder record).
  CHECK_THROWS_WITH(
      loadSoftTokens(dir.write("be.pt", makeZip({{"archive/data.pkl", Pickler().finish()},
                                                 {"archive/byteorder", "big"}}))),
      "only little-endian");
}

TEST(rejects_pickles_outside_the_subset) {
  using namespace std::string_literals;  // pickles hold NUL bytes
  TempDir dir;
  const auto v = sampleValues(24);
  auto archive = [&](const std::string& pickle) {
    return dir.write("p.pt",
                     torchArchive(TorchLayout::V2, "p", pickle, {{"0", encode(Fmt::F32, v)}}));
  };
  // The classic exploit: GLOBAL os.system + REDUCE.
  CHECK_THROWS_WITH(loadSoftTokens(archive("\x80\x02"
                                           "cos\nsystem\nX\x02\x00\x00\x00lsR."s)),
                    "refusing to load 'os.system'");
  CHECK_THROWS_WITH(loadSoftTokens(archive(std::string("\x80\x02") + "cbuiltins\neval\n.")),
                    "refusing to load 'builtins.eval'");
  // INST (protocol 0 call) and NEWOBJ are not part of the subset.
  CHECK_THROWS_WITH(loadSoftTokens(archive(std::string("\x80\x02(ios\nsystem\n."))),
                    "pickle opcode 0x69 is not allowed");
  CHECK_THROWS_WITH(loadSoftTokens(archive(std::string("\x80\x02\x81."))), "opcode 0x81");
  // Truncated pickle: every prefix of a valid one is refused.
  Pickler p;
  p.tensor(Fmt::F32, "0", 24, 0, {3, 8}, {8, 1});
  const std::string full = p.finish();
  for (std::size_t n = 0; n + 1 < full.size(); ++n)
    CHECK_THROWS_WITH(loadSoftTokens(archive(full.substr(0, n))), "data.pkl");
  expectTensor(loadSoftTokens(archive(full)), Fmt::F32, {3, 8}, v, "full pickle");
  // Not a tensor at all.
  CHECK_THROWS_WITH(loadSoftTokens(archive(std::string("\x80\x02K\x05."))), "holds an int");
  // Deep nesting cannot exhaust the stack: EMPTY_TUPLE then TUPLE1 a million times.
  CHECK_THROWS_WITH(loadSoftTokens(archive("\x80\x02)" + std::string(1000000, '\x85') + ".")),
                    "too deeply nested");
  // Nesting a list, then growing it through the memo (the way to build unbounded depth) is refused.
  const std::string grow =
      "\x80\x02]q\x00]q\x01h\x00"
      "ah\x00h\x01"
      "a."s;
  CHECK_THROWS_WITH(loadSoftTokens(archive(grow)), "modifies a container after nesting it");
  // Memo lookups of entries never stored.
  CHECK_THROWS_WITH(loadSoftTokens(archive(std::string("\x80\x02h\x09."))),
                    "memo entry 9 is missing");
  // A persistent id that is not a storage reference.
  CHECK_THROWS_WITH(loadSoftTokens(archive(std::string("\x80\x02K\x01Q."))), "persistent id");
  // Unsupported protocol.
  CHECK_THROWS_WITH(loadSoftTokens(archive(std::string("\x80\x09."))), "protocol 9");
}

TEST(random_corruption_never_crashes) {
  // Random bytes flipped in a .pt and a .npy file: each load returns or throws attnx::Error.
  // Under AddressSanitizer this shows that no offset is trusted unchecked.
  TempDir dir;
  const auto v = sampleValues(24);
  Pickler pk;
  pk.raw() += '}';
  pk.memoize();
  pk.str("soft_tokens");
  pk.tensor(Fmt::F32, "0", 24, 0, {3, 8}, {8, 1});
  pk.raw() += 's';
  // The zip is rebuilt around the corrupted pickle so that the CRC does not hide pickle bugs.
  const std::string pickle = pk.finish();
  const std::string npy = npyFile("<f4", {3, 8}, encode(Fmt::F32, v));
  std::mt19937 rng(5);
  int loaded = 0, refused = 0;
  for (int i = 0; i < 1200; ++i) {
    std::string bytes;
    if (i % 2 == 0) {
      std::string pkl = pickle;
      for (int j = 0, n = 1 + static_cast<int>(rng() % 3); j < n; ++j)
        pkl[rng() % pkl.size()] = static_cast<char>(rng() & 0xFF);
      bytes = torchArchive(TorchLayout::V2, "f", pkl, {{"0", encode(Fmt::F32, v)}});
      if (i % 4 == 0) bytes[rng() % bytes.size()] = static_cast<char>(rng() & 0xFF);
    } else {
      bytes = npy;
      const std::size_t at = rng() % 128;  // the header
      bytes[at] = static_cast<char>(rng() & 0xFF);
    }
    const auto p = dir.write("fuzz.bin", bytes);
    try {
      const FloatTensor t = loadSoftTokens(p);
      CHECK(t.data.size() == static_cast<std::size_t>(t.shape[0] * t.shape[1] *
                                                      (t.shape.size() == 3 ? t.shape[2] : 1)));
      ++loaded;
    } catch (const Error&) {
      ++refused;
    }
  }
  std::printf("  corrupted files: %d loaded, %d refused\n", loaded, refused);
  CHECK(refused > 0 && loaded > 0);
}

TEST_MAIN()
