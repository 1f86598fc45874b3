#include "figure_style.h"

#include <QApplication>
#include <QImage>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

namespace attnx {

QFontMetricsF logicalMetrics(const QFont& font) {
  static const QImage device = [] {
    QImage image(1, 1, QImage::Format_ARGB32_Premultiplied);
    const int dpm = static_cast<int>(std::lround(kLogicalDpi / 0.0254));
    image.setDotsPerMeterX(dpm);
    image.setDotsPerMeterY(dpm);
    return image;
  }();
  return QFontMetricsF(font, &device);
}

QFont styleFont(double pt, bool bold) {
  QFont f = QApplication::font();
  f.setPointSizeF(pt);
  f.setBold(bold);
  // Unhinted outlines: PNG text then has the advances the PDF and SVG viewers lay out with, so
  // the formats of one figure agree (hinting rounds each advance to whole device pixels).
  f.setHintingPreference(QFont::PreferNoHinting);
  return f;
}

namespace {

// Fonts shrink with narrow panels (a grid of heatmaps in one journal column), down to 3/4 of
// the style's size: 6 pt text and 6.75 pt captions on paper, still legible in print. Slides are
// sized for 10 in (kSlideWidthIn): a narrower slide figure is a part of a slide, and its fonts
// shrink with it (8 pt at 3.25 in, never below 0.55 of 14 pt), else they would not fit beside the
// data.
double fontScale(FigureStyle style, double width) {
  if (style == FigureStyle::Slide)
    return std::clamp(std::sqrt(width / (kSlideWidthIn * kLogicalDpi)), 0.55, 1.0);
  return std::clamp(std::sqrt(width / 300.0), 0.75, 1.0);
}

}  // namespace

double baseFontPt(FigureStyle style, double width) {
  return (style == FigureStyle::Paper ? 8.0 : 14.0) * fontScale(style, width);
}

double titleFontPt(FigureStyle style, double width) {
  return (style == FigureStyle::Paper ? 9.0 : 16.0) * fontScale(style, width);
}

void applyFigureAxisStyle(QCPAxis* a, FigureStyle style, double pt) {
  a->setTickLabelFont(styleFont(pt));
  a->setLabelFont(styleFont(pt));
  for (auto [get, set] : {std::pair{&QCPAxis::basePen, &QCPAxis::setBasePen},
                          std::pair{&QCPAxis::tickPen, &QCPAxis::setTickPen},
                          std::pair{&QCPAxis::subTickPen, &QCPAxis::setSubTickPen}}) {
    QPen p = (a->*get)();
    p.setWidthF(style == FigureStyle::Paper ? 0.75 : 1.5);
    (a->*set)(p);
  }
}

}  // namespace attnx
