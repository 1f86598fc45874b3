#include "color_scale.h"

#include <QCoreApplication>
#include <algorithm>
#include <array>
#include <cmath>
#include <span>

namespace attnx {

namespace {

// Stops sampled evenly over [0, 1] from the published maps (matplotlib's viridis and magma by
// van der Walt and Smith, cividis by Nuñez, Anderton and Renslow); values in between are
// interpolated linearly in sRGB, which differs from the published tables by less than one step.
constexpr std::array<QRgb, 20> kViridis = {0x440154, 0x481568, 0x482677, 0x453781, 0x3f4788,
                                           0x39558c, 0x32648e, 0x2d718e, 0x287d8e, 0x238a8d,
                                           0x1f968b, 0x20a386, 0x29af7f, 0x3cbc75, 0x56c667,
                                           0x75d054, 0x95d840, 0xbade28, 0xdde318, 0xfde725};
constexpr std::array<QRgb, 20> kMagma = {0x000004, 0x07061c, 0x150e38, 0x29115a, 0x3f0f72,
                                         0x56147d, 0x6a1c81, 0x802582, 0x952c80, 0xab337c,
                                         0xc03a76, 0xd6456c, 0xe85362, 0xf4685c, 0xfa815f,
                                         0xfd9a6a, 0xfeb37b, 0xfecc8f, 0xfde4a6, 0xfcfdbf};
constexpr std::array<QRgb, 10> kCividis = {0x00204d, 0x00336f, 0x39486b, 0x575c6d, 0x707173,
                                           0x8a8779, 0xa69d75, 0xc4b56c, 0xe4cf5b, 0xffea46};
// Grays run from white (no attention) to black, like ink on paper.
constexpr std::array<QRgb, 2> kGrays = {0xffffff, 0x000000};
// Brewer's RdBu, ordered blue (negative) to red (positive); the middle stop is the centre.
constexpr std::array<QRgb, 11> kDiverging = {0x053061, 0x2166ac, 0x4393c3, 0x92c5de,
                                             0xd1e5f0, 0xf7f7f7, 0xfddbc7, 0xf4a582,
                                             0xd6604d, 0xb2182b, 0x67001f};

QColor interpolateStops(std::span<const QRgb> s, double t) {
  if (!(t > 0.0)) t = 0.0;  // also catches NaN
  t = std::min(t, 1.0);
  const double x = t * static_cast<double>(s.size() - 1);
  const std::size_t i = std::min(static_cast<std::size_t>(x), s.size() - 2);
  const double f = x - static_cast<double>(i);
  auto mix = [f](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * f)); };
  return QColor(mix(qRed(s[i]), qRed(s[i + 1])), mix(qGreen(s[i]), qGreen(s[i + 1])),
                mix(qBlue(s[i]), qBlue(s[i + 1])));
}

std::span<const QRgb> stops(ColorMapKind kind) {
  switch (kind) {
    case ColorMapKind::Viridis:
      return kViridis;
    case ColorMapKind::Magma:
      return kMagma;
    case ColorMapKind::Cividis:
      return kCividis;
    case ColorMapKind::Grays:
      return kGrays;
  }
  return kViridis;
}

// A gradient of `levels` colours from 65 RGB stops, colourAt(x) at stop x in [0, 1].
template <typename ColourAt>
QCPColorGradient sampledGradient(int levels, ColourAt colourAt) {
  QCPColorGradient g;
  g.clearColorStops();
  g.setColorInterpolation(QCPColorGradient::ciRGB);
  g.setLevelCount(levels);
  const int n = 64;
  for (int i = 0; i <= n; ++i) {
    const double x = static_cast<double>(i) / n;
    g.setColorStopAt(x, colourAt(x));
  }
  return g;
}

}  // namespace

QColor colorMapAt(ColorMapKind kind, double t) { return interpolateStops(stops(kind), t); }

double ColorScale::normalize(double v) const {
  if (std::isnan(v)) return 0.0;
  double t = 0.0;
  switch (scale) {
    case ScaleKind::Linear:
    case ScaleKind::Power: {
      const double span = upper - lower;
      t = span > 0 ? (v - lower) / span : 0.0;
      t = std::clamp(t, 0.0, 1.0);
      if (scale == ScaleKind::Power) t = std::pow(t, gamma > 0 ? gamma : 1.0);
      break;
    }
    case ScaleKind::Logarithmic: {
      const double lo = std::log10(std::max(logFloor, std::max(lower, 1e-12)));
      const double hi = std::log10(std::max(upper, std::pow(10.0, lo) * 10.0));
      t = (std::log10(std::max(v, std::pow(10.0, lo))) - lo) / (hi - lo);
      t = std::clamp(t, 0.0, 1.0);
      break;
    }
  }
  return t;
}

QRgb ColorScale::rgb(double v) const { return colorMapAt(map, normalize(v)).rgb(); }

QVector<QRgb> ColorScale::lookup() const {
  QVector<QRgb> table(256);
  for (int i = 0; i < 256; ++i) table[i] = colorMapAt(map, i / 255.0).rgb();
  return table;
}

QRgb ColorScale::rgbFromLookup(const QVector<QRgb>& table, double v) const {
  const int i = static_cast<int>(std::lround(normalize(v) * (table.size() - 1)));
  return table[std::clamp(i, 0, static_cast<int>(table.size()) - 1)];
}

QCPColorGradient ColorScale::gradient() const {
  return sampledGradient(350, [this](double x) {
    // The gradient position x is linear in the weight (or its logarithm); the power scale
    // bends it here so the colour bar shows true weights.
    const double t = scale == ScaleKind::Power ? std::pow(x, gamma > 0 ? gamma : 1.0) : x;
    return colorMapAt(map, t);
  });
}

QCPRange ColorScale::dataRange() const {
  if (scale == ScaleKind::Logarithmic) {
    const double lo = std::max(logFloor, std::max(lower, 1e-12));
    return QCPRange(lo, std::max(upper, lo * 10.0));
  }
  return QCPRange(lower, upper > lower ? upper : lower + 1.0);
}

QColor divergingColorAt(double t) {
  if (std::isnan(t)) t = 0.0;
  return interpolateStops(kDiverging, (std::clamp(t, -1.0, 1.0) + 1.0) / 2.0);
}

QColor divergingCenterColor() { return QColor::fromRgb(kDiverging[kDiverging.size() / 2]); }

double DivergingScale::normalize(double v) const {
  if (std::isnan(v) || !(range > 0)) return 0.0;
  return std::clamp(v / range, -1.0, 1.0);
}

QRgb DivergingScale::rgb(double v) const { return divergingColorAt(normalize(v)).rgb(); }

QCPColorGradient DivergingScale::gradient() const {
  // Odd numbers of levels and of stops put one of each exactly on the centre, so that 0 is
  // drawn with the centre colour and not its neighbour.
  return sampledGradient(351, [](double x) { return divergingColorAt(2.0 * x - 1.0); });
}

double DivergingScale::symmetricRange(const std::vector<float>& values, double fallback) {
  double m = 0.0;
  for (float v : values)
    if (std::isfinite(v)) m = std::max(m, static_cast<double>(std::abs(v)));
  return m > 0 ? m : fallback;
}

}  // namespace attnx
