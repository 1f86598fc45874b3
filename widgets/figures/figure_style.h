#pragma once
// The fonts and units figures are laid out in: one place for the export, the panel layout and
// the shared colour bar, so that every part of a figure agrees on sizes.
#include <QFont>
#include <QFontMetricsF>

#include "figure_export.h"

class QCPAxis;

namespace attnx {

// Views lay out in units of 1/96 inch (the offscreen and QPicture default), so a 9 pt font is
// 12 units and the figure is drawn once at this logical size and scaled onto the device.
constexpr double kLogicalDpi = 96.0;

// Metrics of `font` on a device of the logical DPI, where figures are laid out and drawn. The
// screen's DPI can differ (the offscreen platform reports 72), which would misjudge widths.
QFontMetricsF logicalMetrics(const QFont& font);

// The application's font at `pt` points, unhinted (see the definition).
QFont styleFont(double pt, bool bold = false);

// The style's text and title sizes for a view `width` logical units wide.
double baseFontPt(FigureStyle style, double width);
double titleFontPt(FigureStyle style, double width);

// Gives an axis the style's text font (`pt`) and its thin lines (0.75 logical units = 0.56 pt
// on paper, twice that on slides).
void applyFigureAxisStyle(QCPAxis* axis, FigureStyle style, double pt);

}  // namespace attnx
