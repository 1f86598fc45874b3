// safetensors reader and writer: round trips, every reference fixture, and a corpus of broken
// files that must each be refused with a message naming the file and the defect.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "atomic_file.h"
#include "half.h"
#include "run_types.h"
#include "safetensors.h"
#include "check.h"
#include "shared_dir.h"

using namespace attnx;

namespace {

using attnx::fixtures::sharedDir;

// A fresh private folder per test, removed with its contents at the end.
struct TempDir {
  std::string path;
  TempDir() {
    std::string tmpl = "/tmp/attnx-st-XXXXXX";
    path = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    for (const auto& f : list()) ::unlink((path + "/" + f).c_str());
    ::rmdir(path.c_str());
  }
  std::vector<std::string> list() const {
    std::vector<std::string> out;
    if (DIR* d = ::opendir(path.c_str())) {
      while (dirent* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n != "." && n != "..") out.push_back(n);
      }
      ::closedir(d);
    }
    return out;
  }
  std::string file(const std::string& name) const { return path + "/" + name; }
};

void writeRaw(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string u64le(uint64_t v) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  return s;
}

// A file with `header` as its JSON text and `data` bytes after it.
std::string stFile(const std::string& header, const std::string& data) {
  return u64le(header.size()) + header + data;
}

std::string readAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

}  // namespace

// ---- half / bfloat16 helpers ----

TEST(half_to_float_matches_formula_for_every_bit_pattern) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const int sign = (h >> 15) ? -1 : 1;
    const int exp = (h >> 10) & 0x1F;
    const int mant = h & 0x3FF;
    const float got = halfToFloat(static_cast<uint16_t>(h));
    if (exp == 0x1F) {
      CHECK(mant ? std::isnan(got) : std::isinf(got));
      continue;
    }
    const double expected =
        exp == 0 ? sign * std::ldexp(mant, -24) : sign * std::ldexp(1024 + mant, exp - 25);
    CHECK_MSG(got == static_cast<float>(expected),
              "half " << h << ": " << got << " vs " << expected);
    CHECK_MSG(std::signbit(got) == (sign < 0), "half " << h << " lost its sign");
    // Every finite half survives float -> half unchanged.
    CHECK_EQ(floatToHalf(got), static_cast<uint16_t>(h));
  }
}

TEST(float_to_half_rounds_to_nearest_even) {
  CHECK_EQ(floatToHalf(1.0f), 0x3C00);
  CHECK_EQ(floatToHalf(65504.0f), 0x7BFF);
  CHECK_EQ(floatToHalf(65519.99f), 0x7BFF);
  CHECK_EQ(floatToHalf(65520.0f), 0x7C00);  // halfway to 2^16: rounds up to infinity
  CHECK_EQ(floatToHalf(-1e30f), 0xFC00);
  CHECK_EQ(floatToHalf(std::ldexp(1.0f, -24)), 0x0001);
  CHECK_EQ(floatToHalf(std::ldexp(1.0f, -25)), 0x0000);         // tie -> even (zero)
  CHECK_EQ(floatToHalf(std::ldexp(3.0f, -25)), 0x0002);         // tie 1.5 ulp -> 2
  CHECK_EQ(floatToHalf(1.0f + std::ldexp(1.0f, -11)), 0x3C00);  // tie -> even mantissa 0
  CHECK_EQ(floatToHalf(1.0f + std::ldexp(3.0f, -11)), 0x3C02);  // tie -> even mantissa 2
  CHECK(std::isnan(halfToFloat(floatToHalf(std::nanf("")))));
  // Random floats: the result must be the nearest half (ties checked above), found here by
  // brute-force bisection over the ordered positive half values.
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> expo(-26.0f, 16.5f);
  for (int i = 0; i < 200000; ++i) {
    const float f = std::exp2(expo(rng)) * ((rng() & 1) ? 1.0f : -1.0f);
    const uint16_t h = floatToHalf(f);
    const float a = std::fabs(f);
    if (a >= 65520.0f) {  // beyond the largest half plus half an ulp: infinity
      CHECK_MSG((h & 0x7FFF) == 0x7C00, "float " << f << " -> half " << h);
      continue;
    }
    uint32_t lo = 0, hi = 0x7C00;  // halfToFloat is increasing on [0, 0x7C00]
    while (hi - lo > 1) {
      const uint32_t mid = (lo + hi) / 2;
      (halfToFloat(static_cast<uint16_t>(mid)) <= a ? lo : hi) = mid;
    }
    const double dlo = a - halfToFloat(static_cast<uint16_t>(lo));
    const double dhi = halfToFloat(static_cast<uint16_t>(hi)) - a;
    const float got = std::fabs(halfToFloat(h));
    const double dgot = std::fabs(got - static_cast<double>(a));
    CHECK_MSG(dgot <= std::min(dlo, dhi), "float " << f << " -> half " << h);
  }
}

TEST(bfloat16_conversions) {
  CHECK_EQ(floatToBf16(1.0f), 0x3F80);
  CHECK_EQ(bf16ToFloat(0x3F80), 1.0f);
  CHECK_EQ(bf16ToFloat(0xC040), -3.0f);
  CHECK_EQ(floatToBf16(1.0f + std::ldexp(1.0f, -8)), 0x3F80);  // tie -> even
  CHECK_EQ(floatToBf16(1.0f + std::ldexp(3.0f, -8)), 0x3F82);
  CHECK(std::isnan(bf16ToFloat(floatToBf16(std::nanf("")))));
}

// ---- run_types ----

TEST(attention_tensor_reads_float_and_half_storage) {
  AttentionTensor a;
  a.batch = 1, a.heads = 2, a.queries = 2, a.keys = 3;
  for (int i = 0; i < 12; ++i) a.f32.push_back(0.125f * i);
  CHECK_EQ(a.at(0, 1, 1, 2), 0.125f * 11);
  CHECK_EQ(a.bytes(), 12 * sizeof(float));
  AttentionTensor h = a;
  h.f32.clear();
  for (int i = 0; i < 12; ++i) h.f16.push_back(floatToHalf(0.125f * i));
  CHECK_EQ(h.at(0, 1, 0, 1), 0.125f * 7);
  CHECK_EQ(h.bytes(), 12 * sizeof(uint16_t));
  CHECK(segmentKindName(SegmentKind::Soft) == "soft");
  CHECK(segmentKindName(SegmentKind::Generated) == "generated");
  CHECK(segmentKindName(SegmentKind::Pad) == "pad");

  RunResult r;
  const std::size_t empty = r.bytes();
  r.attentions.push_back(a);
  r.logits.resize(1000);
  CHECK(r.bytes() >= empty + 12 * sizeof(float) + 1000 * sizeof(float));
}

// ---- round trip ----

TEST(round_trip_keeps_every_byte) {
  TempDir dir;
  const std::string path = dir.file("rt.safetensors");
  std::vector<float> w(6);
  for (int i = 0; i < 6; ++i) w[i] = 0.5f * i - 1.0f;
  const std::vector<int64_t> ids = {3, -1, 1LL << 40};
  OwnedTensor half{"h", DType::F16, {2}, {}};
  for (uint16_t v : {floatToHalf(1.5f), floatToHalf(-2.0f)}) {
    half.bytes.push_back(std::byte(v & 0xFF));
    half.bytes.push_back(std::byte(v >> 8));
  }
  OwnedTensor empty{"empty", DType::F32, {0, 5}, {}};
  writeSafetensors(path,
                   {OwnedTensor::fromFloats("w", {2, 3}, w.data()),
                    OwnedTensor::fromInt64("ids", {3}, ids.data()), half, empty},
                   {{"format", "pt"}, {"note", "ünïcode"}});
  CHECK_EQ(dir.list().size(), 1u);  // no temporary file left behind

  const std::string raw = readAll(path);
  uint64_t hlen = 0;
  std::memcpy(&hlen, raw.data(), 8);
  CHECK_EQ(hlen % 8, 0u);

  auto f = SafetensorsFile::open(path);
  CHECK_EQ(f.tensors().size(), 4u);
  CHECK_EQ(f.metadata().at("note"), "ünïcode");
  const TensorView& tw = f.at("w");
  CHECK(tw.dtype == DType::F32);
  CHECK(tw.shape == (std::vector<int64_t>{2, 3}));
  CHECK_EQ(tw.numel(), 6);
  CHECK_EQ(tw.nbytes, 24u);
  CHECK(std::memcmp(tw.data, w.data(), 24) == 0);
  CHECK(reinterpret_cast<uintptr_t>(tw.data) % 4 == 0);
  const TensorView& ti = f.at("ids");
  CHECK(ti.dtype == DType::I64);
  CHECK(std::memcmp(ti.data, ids.data(), 24) == 0);
  uint16_t h1 = 0;
  std::memcpy(&h1, f.at("h").data + 2, 2);
  CHECK_EQ(halfToFloat(h1), -2.0f);
  CHECK_EQ(f.at("empty").numel(), 0);
  CHECK_EQ(f.at("empty").nbytes, 0u);
  CHECK(f.find("nope") == nullptr);
  CHECK_THROWS_WITH(f.at("nope"), "tensor 'nope' is missing");
  CHECK_THROWS_WITH(f.at("nope"), "rt.safetensors");

  // Views outlive the original handle as long as a copy lives.
  SafetensorsFile copy = f;
  f = SafetensorsFile::open(path);
  CHECK(std::memcmp(copy.at("w").data, w.data(), 24) == 0);

  // Overwriting replaces the file in one step.
  writeSafetensors(path, {OwnedTensor::fromFloats("only", {1}, w.data())});
  CHECK_EQ(SafetensorsFile::open(path).tensors().size(), 1u);
  CHECK(SafetensorsFile::open(path).metadata().empty());
  CHECK_EQ(copy.at("w").nbytes, 24u);  // the old mapping stays readable
}

TEST(writer_refuses_bad_tensors_and_leaves_nothing) {
  TempDir dir;
  const std::string path = dir.file("bad.safetensors");
  OwnedTensor wrong{"x", DType::F32, {3}, std::vector<std::byte>(8)};
  CHECK_THROWS_WITH(writeSafetensors(path, {wrong}), "tensor 'x'");
  float v = 1;
  CHECK_THROWS_WITH(writeSafetensors(path, {OwnedTensor::fromFloats("a", {1}, &v),
                                            OwnedTensor::fromFloats("a", {1}, &v)}),
                    "used twice");
  CHECK_THROWS_WITH(writeSafetensors(path, {OwnedTensor::fromFloats("__metadata__", {1}, &v)}),
                    "invalid tensor name");
  CHECK_THROWS_WITH(writeSafetensors(path, {OwnedTensor::fromFloats("bad\xff", {1}, &v)}),
                    "not valid UTF-8");
  CHECK(dir.list().empty());
  CHECK_THROWS_WITH(writeSafetensors(dir.file("missing/sub/x.safetensors"),
                                     {OwnedTensor::fromFloats("a", {1}, &v)}),
                    "missing/sub/x.safetensors");
  CHECK(dir.list().empty());
}

TEST(atomic_text_write) {
  TempDir dir;
  const std::string path = dir.file("a.txt");
  writeFileAtomically(path, "first");
  writeFileAtomically(path, "second version");
  CHECK_EQ(readAll(path), "second version");
  CHECK_EQ(dir.list().size(), 1u);
  {
    AtomicFileWriter w(dir.file("b.txt"));
    w.write("abc", 3);
    CHECK_EQ(dir.list().size(), 2u);  // the temporary file exists while writing...
  }                                   // ...and is removed when abandoned without commit
  CHECK_EQ(dir.list().size(), 1u);
  struct stat st {};
  CHECK(::stat(path.c_str(), &st) == 0);
  CHECK_EQ(st.st_mode & 0777, 0644u);
}

// ---- the reference fixtures ----

namespace {

DType dtypeFromManifest(const std::string& s) {
  if (s == "float32") return DType::F32;
  if (s == "int64") return DType::I64;
  if (s == "float16") return DType::F16;
  if (s == "bfloat16") return DType::BF16;
  throw check::Failure{"manifest dtype " + s + " unknown to the test"};
}

void checkEntries(const SafetensorsFile& f, const nlohmann::json& entries,
                  const std::string& prefix, int& checked) {
  for (auto it = entries.begin(); it != entries.end(); ++it) {
    const TensorView& t = f.at(prefix + it.key());
    CHECK_MSG(t.shape == it.value()["shape"].get<std::vector<int64_t>>(),
              f.path() << ": " << it.key() << " shape differs from manifest");
    CHECK_MSG(t.dtype == dtypeFromManifest(it.value()["dtype"].get<std::string>()),
              f.path() << ": " << it.key() << " dtype differs from manifest");
    ++checked;
  }
}

}  // namespace

TEST(reads_every_fixture_with_manifest_shapes) {
  const std::string root = sharedDir() + "/fixtures";
  std::ifstream mf(root + "/manifest.json");
  CHECK_MSG(mf.good(), "cannot read " << root << "/manifest.json");
  const auto manifest = nlohmann::json::parse(mf);
  int models = 0, cases = 0, entries = 0, rows = 0;
  double worstRowSum = 0;
  for (const auto& [name, m] : manifest["models"].items()) {
    const auto model =
        SafetensorsFile::open(root + "/" + m["dir"].get<std::string>() + "/model.safetensors");
    std::set<std::string> names;
    for (const auto& t : model.tensors()) {
      names.insert(t.name);
      CHECK(t.dtype == DType::F32);
      CHECK_EQ(static_cast<int64_t>(t.nbytes), t.numel() * 4);
    }
    const auto expected = m["safetensors_keys"].get<std::set<std::string>>();
    CHECK_MSG(names == expected, name << ": tensor names differ from manifest");
    ++models;

    for (const auto& c : m["cases"]) {
      const auto f = SafetensorsFile::open(root + "/" + c["file"].get<std::string>());
      checkEntries(f, c["inputs"], "in.", entries);
      checkEntries(f, c["outputs"], "out.", entries);
      // The data really is what the header says: every attention row is a softmax (sums to 1).
      for (const auto& t : f.tensors()) {
        if (t.name.rfind("out.attentions.", 0) != 0) continue;
        const int64_t k = t.shape.back();
        const auto* p = reinterpret_cast<const float*>(t.data);
        for (int64_t r = 0; r < t.numel() / k; ++r) {
          double s = 0;
          for (int64_t j = 0; j < k; ++j) s += p[r * k + j];
          worstRowSum = std::max(worstRowSum, std::fabs(s - 1.0));
          ++rows;
        }
      }
      ++cases;
    }
  }
  std::printf(
      "  fixtures: %d models, %d cases, %d manifest entries, %d attention rows, "
      "max |row sum - 1| = %.3g\n",
      models, cases, entries, rows, worstRowSum);
  CHECK(models >= 7);
  CHECK(cases >= 33);
  CHECK(worstRowSum < 1e-5);
}

// ---- broken files ----

namespace {

struct BrokenCase {
  const char* file;
  std::string bytes;
  std::vector<std::string> needles;  // every one must appear in the message
};

std::string good(const std::string& name, const std::string& dtype, const std::string& shape,
                 uint64_t b, uint64_t e) {
  return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape +
         ",\"data_offsets\":[" + std::to_string(b) + "," + std::to_string(e) + "]}";
}

}  // namespace

TEST(broken_files_are_refused_with_clear_messages) {
  TempDir dir;
  const std::string d16(16, '\x01');
  std::vector<BrokenCase> corpus = {
      {"empty.safetensors", "", {"shorter than the 8-byte header length"}},
      {"four.safetensors", "abcd", {"4 bytes"}},
      {"beyond.safetensors", u64le(1000) + "{}", {"header length 1000", "past the end"}},
      {"huge.safetensors", u64le(~0ull) + "{}", {"implausibly large"}},
      {"notjson.safetensors", stFile("{not json", ""), {"not valid JSON"}},
      {"badutf8.safetensors", stFile("{\"a\xff\":1}", ""), {"not valid JSON"}},
      {"array.safetensors", stFile("[1,2,3]", ""), {"not a JSON object"}},
      {"entry.safetensors", stFile("{\"t\":5}", ""), {"tensor 't'", "not a JSON object"}},
      {"dtype.safetensors",
       stFile("{" + good("t", "F8_E4M3", "[4]", 0, 4) + "}", d16),
       {"tensor 't'", "unknown dtype 'F8_E4M3'"}},
      {"nodtype.safetensors",
       stFile("{\"t\":{\"shape\":[1],\"data_offsets\":[0,4]}}", d16),
       {"tensor 't'", "dtype"}},
      {"negshape.safetensors",
       stFile("{" + good("t", "F32", "[-1,4]", 0, 16) + "}", d16),
       {"tensor 't'", "non-negative integer"}},
      {"floatshape.safetensors",
       stFile("{" + good("t", "F32", "[2.5]", 0, 16) + "}", d16),
       {"tensor 't'", "non-negative integer"}},
      {"overflow.safetensors",
       stFile("{" + good("t", "F32", "[4294967296,4294967296]", 0, 16) + "}", d16),
       {"tensor 't'", "overflows"}},
      {"overflow2.safetensors",
       stFile("{" + good("t", "F64", "[4611686018427387904]", 0, 16) + "}", d16),
       {"tensor 't'", "overflows"}},
      {"mismatch.safetensors",
       stFile("{" + good("t", "F32", "[3]", 0, 16) + "}", d16),
       {"tensor 't'", "12 bytes", "holds 16"}},
      {"outside.safetensors",
       stFile("{" + good("h.0.attn.c_attn.weight", "F32", "[8]", 0, 32) + "}", d16),
       {"tensor 'h.0.attn.c_attn.weight'", "data range [0, 32) is outside the file"}},
      {"reversed.safetensors",
       stFile("{" + good("t", "F32", "[1]", 8, 4) + "}", d16),
       {"tensor 't'", "ends before it begins"}},
      {"offsets.safetensors",
       stFile("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", d16),
       {"tensor 't'", "data_offsets"}},
      {"negoffset.safetensors",
       stFile("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", d16),
       {"tensor 't'", "data_offsets"}},
      {"overlap.safetensors",
       stFile("{" + good("a", "F32", "[2]", 0, 8) + "," + good("b", "F32", "[2]", 4, 12) + "}",
              d16),
       {"'a'", "'b'", "overlapping"}},
      {"truncated.safetensors",
       stFile("{" + good("a", "F32", "[2]", 0, 8) + "," + good("b", "F32", "[4]", 8, 24) + "}",
              d16),
       {"tensor 'b'", "outside the file"}},
      {"meta.safetensors",
       stFile("{\"__metadata__\":{\"format\":1}}", ""),
       {"__metadata__", "'format'", "not a string"}},
      {"meta2.safetensors", stFile("{\"__metadata__\":[\"x\"]}", ""), {"__metadata__"}},
      {"dup.safetensors",
       stFile("{" + good("a", "F32", "[1]", 0, 4) + "," + good("a", "F32", "[1]", 4, 8) + "}", d16),
       {"'a'", "twice"}},
  };
  for (auto& c : corpus) {
    const std::string path = dir.file(c.file);
    writeRaw(path, c.bytes);
    bool thrown = false;
    try {
      (void)SafetensorsFile::open(path);
    } catch (const Error& e) {
      thrown = true;
      const std::string msg = e.what();
      CHECK_MSG(msg.find(path) != std::string::npos, c.file << ": message lacks the path: " << msg);
      for (const auto& n : c.needles)
        CHECK_MSG(msg.find(n) != std::string::npos,
                  c.file << ": '" << msg << "' lacks '" << n << "'");
    }
    CHECK_MSG(thrown, c.file << " was accepted");
  }
  CHECK_THROWS_WITH(SafetensorsFile::open(dir.file("absent.safetensors")), "cannot open");
  CHECK_THROWS_WITH(SafetensorsFile::open(dir.path), "not a regular file");

  // Every truncation of a valid file is refused cleanly (or, for the full length, accepted).
  const std::string validPath = dir.file("valid.safetensors");
  float v[4] = {1, 2, 3, 4};
  writeSafetensors(validPath, {OwnedTensor::fromFloats("t", {4}, v)}, {{"k", "v"}});
  const std::string valid = readAll(validPath);
  int refused = 0;
  for (std::size_t n = 0; n < valid.size(); ++n) {
    const std::string p = dir.file("cut.safetensors");
    writeRaw(p, valid.substr(0, n));
    try {
      (void)SafetensorsFile::open(p);
    } catch (const Error&) {
      ++refused;
    }
  }
  CHECK_EQ(refused, static_cast<int>(valid.size()));
}

TEST(random_corruption_never_crashes) {
  // Flip random bytes of a valid file: each open either succeeds with consistent views or throws
  // attnx::Error. Run under AddressSanitizer/valgrind this proves no out-of-bounds read.
  TempDir dir;
  const std::string path = dir.file("fuzz.safetensors");
  std::vector<float> v(32, 0.25f);
  writeSafetensors(path,
                   {OwnedTensor::fromFloats("a", {4, 4}, v.data()),
                    OwnedTensor::fromFloats("b", {16}, v.data())},
                   {{"format", "pt"}});
  const std::string base = readAll(path);
  std::mt19937 rng(11);
  int ok = 0, refused = 0;
  for (int i = 0; i < 800; ++i) {
    std::string bytes = base;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int j = 0; j < flips; ++j) {
      // Mostly the header, where the structure is.
      const bool inHeader = rng() % 4 != 0;
      const std::size_t span =
          inHeader ? std::min<std::size_t>(bytes.size(), 8 + 160) : bytes.size();
      const std::size_t at = rng() % span;
      bytes[at] = static_cast<char>(rng() & 0xFF);
    }
    writeRaw(path, bytes);
    try {
      auto f = SafetensorsFile::open(path);
      for (const auto& t : f.tensors()) {
        CHECK(t.nbytes == static_cast<std::size_t>(t.numel()) * dtypeSize(t.dtype));
        unsigned sum = 0;
        for (std::size_t k = 0; k < t.nbytes; ++k) sum += static_cast<unsigned char>(t.data[k]);
        CHECK(sum <= 255u * t.nbytes);  // reads every byte of the view
      }
      ++ok;
    } catch (const Error&) {
      ++refused;
    }
  }
  std::printf("  corrupted files: %d opened, %d refused\n", ok, refused);
  CHECK(refused > 0);
}

TEST_MAIN()
