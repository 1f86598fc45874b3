#pragma once
// The plot of a query x key attention matrix, shared by the heatmap and the difference heatmap:
// a title row, the colour map with its colour bar in a row of their own (so the title spans the
// whole width), token labels on both axes (thinned to stay legible), query 0 at the top, and the
// segment ribbons and boundaries drawn over it.
#include <QSharedPointer>
#include <QSize>
#include <QString>

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPLayoutElement;
class QCPLayoutGrid;
class QCPMarginGroup;
class QCPTextElement;
class QFont;
class QPainter;
class QRectF;
class QWidget;

namespace attnx {

class SegmentOverlayItem;
class TokenTicker;

struct TokenMatrixPlot {
  QCustomPlot* plot = nullptr;
  QCPTextElement* title = nullptr;
  QCPColorMap* map = nullptr;
  QCPColorScale* colorBar = nullptr;
  SegmentOverlayItem* overlay = nullptr;
  QSharedPointer<TokenTicker> xTicker, yTicker;
  // The row of the matrix and its bar, the margin group that aligns them, and in a row strip the
  // empty element under it that takes the rest of the height.
  QCPLayoutGrid* body = nullptr;
  QCPMarginGroup* group = nullptr;
  QCPLayoutElement* filler = nullptr;
  QString xLabel, yLabel;          // the axes' titles (the query axis's is hidden in a strip)
  QSize rectMinimum, rectMaximum;  // the matrix's own size limits, restored after a strip
  bool barShown = true;            // false while a figure draws one bar for several panels
  bool strip() const { return filler != nullptr; }
};

// A matrix of a single query row (a generation step, a last-row capture) is drawn as a row strip:
// cells about as high as kStripHeight (logical units) instead of one row stretched over the
// plot's height, the colour bar horizontal under the key labels, the empty rest below (which a
// figure leaves out).
constexpr int kStripHeight = 36;
void setRowStrip(TokenMatrixPlot& m, bool strip);

// Height / width of the shown rows and keys (zoom included): square cells at that aspect; 0 for
// a row strip, whose height is its own.
double squareCellAspect(const TokenMatrixPlot& m);

// Takes the colour bar out of the layout (and out of sight), or puts it back where it belongs:
// right of the matrix, or below a row strip.
void setColorBarShown(TokenMatrixPlot& m, bool shown);

// What the axes show, for figures: plots with equal keys show the same tokens on both axes at the
// same zoom, so that a figure of them as panels labels the axes once per row and column. Empty
// for a row strip (it lays out on its own) and a plot without tokens.
QString tokenAxesKey(const TokenMatrixPlot& m);

// Shows or hides the tick labels and title of the key axis (x) and the query axis (y); the
// ticks and segment ribbons stay.
void setTickLabelsShown(TokenMatrixPlot& m, bool x, bool y);

// Builds the plot as a child of `parent`; `barLabel` names the colour bar's quantity. Drag and
// zoom are on; the plot lays itself out again (at most twice) while thinned labels settle.
TokenMatrixPlot buildTokenMatrixPlot(QWidget* parent, const QFont& titleFont,
                                     const QString& barLabel);

// Draws the plot into `target` for a figure, the selected row outlined only when `markRow`.
// Twice: label thinning reads the layout of the previous pass, so the first pass lays the plot
// out at the target size and the second draws it with labels that fit. The selection and the
// widget's own layout come back afterwards, also when drawing throws. Returns where the matrix
// was drawn, in the painter's coordinates.
QRectF renderTokenMatrixPlot(const TokenMatrixPlot& m, QPainter& painter, const QRectF& target,
                             bool markRow);

}  // namespace attnx
