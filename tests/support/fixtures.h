#pragma once
// Access to the reference fixtures (manifest, case files) and tolerance comparisons, shared by the
// Qt-free model and command-line tests.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "safetensors.h"
#include "shared_dir.h"

namespace attnx::fixtures {

inline std::string fixturesDir() { return sharedDir() + "/fixtures"; }

inline nlohmann::json manifest() {
  std::ifstream in(fixturesDir() + "/manifest.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());
}

inline std::vector<float> floats(const TensorView& v) {
  std::vector<float> out(static_cast<std::size_t>(v.numel()));
  if (v.dtype != DType::F32 || v.nbytes != out.size() * sizeof(float))
    throw std::runtime_error("fixture tensor " + v.name + " is not F32");
  std::memcpy(out.data(), v.data, v.nbytes);
  return out;
}

inline std::vector<int64_t> longs(const TensorView& v) {
  std::vector<int64_t> out(static_cast<std::size_t>(v.numel()));
  if (v.dtype != DType::I64 || v.nbytes != out.size() * sizeof(int64_t))
    throw std::runtime_error("fixture tensor " + v.name + " is not I64");
  std::memcpy(out.data(), v.data, v.nbytes);
  return out;
}

struct Tolerance {
  double atol = 0, rtol = 0;
};

inline Tolerance tolerance(const nlohmann::json& c, const std::string& kind) {
  const auto& t = c.at("tolerance").at(kind);
  return {t.at("atol").get<double>(), t.at("rtol").get<double>()};
}

// Result of comparing ours (a) with the reference (b): |a-b| <= atol + rtol*|b| everywhere.
struct Diff {
  double maxAbs = 0;
  std::size_t compared = 0, bad = 0;
  std::string firstBad;
  bool ok() const { return bad == 0 && compared > 0; }
};

// Tensors laid out [B, inner, rows, len] (inner = heads for attentions, 1 otherwise); only the
// rows for which valid(b, row) holds are compared.
inline Diff compareRows(const std::vector<float>& a, const std::vector<float>& b, int B, int inner,
                        int rows, int len, Tolerance tol,
                        const std::function<bool(int, int)>& valid = {}) {
  Diff d;
  const std::size_t n = static_cast<std::size_t>(B) * inner * rows * len;
  if (a.size() != n || b.size() != n) {
    d.bad = 1;
    d.firstBad = "size " + std::to_string(a.size()) + " vs " + std::to_string(b.size()) +
                 " (expected " + std::to_string(n) + ")";
    return d;
  }
  for (int bi = 0; bi < B; ++bi)
    for (int h = 0; h < inner; ++h)
      for (int r = 0; r < rows; ++r) {
        if (valid && !valid(bi, r)) continue;
        const std::size_t base = ((static_cast<std::size_t>(bi) * inner + h) * rows + r) * len;
        for (int k = 0; k < len; ++k) {
          const double x = a[base + k], y = b[base + k];
          const double diff = std::fabs(x - y);
          ++d.compared;
          if (!(diff <= tol.atol + tol.rtol * std::fabs(y))) {
            if (d.bad++ == 0)
              d.firstBad = "at [" + std::to_string(bi) + "," + std::to_string(h) + "," +
                           std::to_string(r) + "," + std::to_string(k) + "]: " + std::to_string(x) +
                           " vs " + std::to_string(y);
          }
          if (!(diff <= d.maxAbs)) d.maxAbs = std::isnan(diff) ? INFINITY : diff;
        }
      }
  return d;
}

}  // namespace attnx::fixtures
