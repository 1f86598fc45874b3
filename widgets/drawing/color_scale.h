#pragma once
// Colour maps and value scales shared by the heatmap, the head grid and the token strip.
// One ColorScale turns a weight into a colour the same way for QImage painting (lookup) and for
// QCustomPlot (QCPColorGradient), so a thumbnail and the big heatmap agree.
#include <QColor>
#include <QString>
#include <QVector>
#include <vector>
#include <qcustomplot.h>

namespace attnx {

enum class ColorMapKind { Viridis, Magma, Cividis, Grays };
enum class ScaleKind { Linear, Logarithmic, Power };

// Their stable names and translated labels: stable_names.h.

// The colour of map `kind` at t in [0, 1] (clamped), interpolated between its stops.
QColor colorMapAt(ColorMapKind kind, double t);

struct ColorScale {
  ColorMapKind map = ColorMapKind::Viridis;
  ScaleKind scale = ScaleKind::Linear;
  double lower = 0.0;      // value drawn with the first colour
  double upper = 1.0;      // value drawn with the last colour
  double gamma = 0.5;      // Power: t = x^gamma (< 1 lifts small weights)
  double logFloor = 1e-4;  // Logarithmic: values below are drawn as the floor

  // Position of `v` on the colour map, in [0, 1].
  double normalize(double v) const;
  QRgb rgb(double v) const;
  // 256 entries over [0, 1] of the normalised position (for fast QImage painting).
  QVector<QRgb> lookup() const;
  QRgb rgbFromLookup(const QVector<QRgb>& table, double v) const;

  // For a QCPColorMap with a QCPColorScale: linear and logarithmic scales use the map itself
  // (the colour scale's axis is set logarithmic by the caller); the power scale is folded into
  // the gradient's stops so the colour bar axis stays linear in the weight.
  QCPColorGradient gradient() const;
  // The data range the QCP colour map should use.
  QCPRange dataRange() const;
};

// A diverging map for signed differences (group A - group B, left - right): blue below zero,
// a near-white centre exactly at zero, red above; the range is symmetric, [-range, +range], so
// equal magnitudes get equally strong colours whatever their sign.
QColor divergingColorAt(double t);  // t in [-1, 1] (clamped); 0 is the centre colour
QColor divergingCenterColor();

struct DivergingScale {
  double range = 1.0;  // |value| drawn with the end colours

  // Position of `v` on the map, in [-1, 1] (0 for NaN).
  double normalize(double v) const;
  QRgb rgb(double v) const;
  // For a QCPColorMap: gradient over [-range, range] with the centre colour at 0.
  QCPColorGradient gradient() const;
  QCPRange dataRange() const { return QCPRange(-range, range); }
  // The symmetric range for `values`: the largest magnitude, or `fallback` when all are 0 / NaN.
  static double symmetricRange(const std::vector<float>& values, double fallback = 1e-3);
};

}  // namespace attnx
