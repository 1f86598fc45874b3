#pragma once
// Layout and painting of a layer x head grid of coloured cells (or of thumbnails) with row and
// column labels, a caption, an optional selection outline (a cell or a row) and a horizontal
// colour bar under the grid. Painting
// works at any size on any device (widget, image, PDF, SVG): views keep only their values and
// colours and call these functions from paintEvent and from their figure rendering.
#include <QColor>
#include <QFont>
#include <QImage>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <functional>
#include <vector>

class QPainter;
class QFontMetricsF;

namespace attnx {

struct CellGrid {
  QString caption;          // above the grid; may hold several lines (\n)
  std::vector<int> layers;  // model layer of each row
  int heads = 0;
  QImage cells;  // heads x rows, one pixel per cell (drawn scaled, never smoothed)
  // Instead of cells: one image per cell, [row * heads + head], drawn scaled into its square.
  std::vector<QImage> thumbnails;
  // Text inside a cell when there is room (empty: no numbers); `cellTextSample` is the widest
  // text it returns, to decide whether there is room.
  std::function<QString(int row, int head)> cellText;
  QString cellTextSample = QStringLiteral("0.00");
  // The largest side of a cell, and whether the grid is centred across the area: the screen keeps
  // cells small at the left; a figure fills its width.
  double maxCell = 96.0;
  bool centered = false;
  int selectedRow = -1;   // outlined row, -1: none
  int selectedHead = -1;  // with selectedRow: the one cell outlined; -1: the whole row

  // Colour bar under the grid: `bar` is a 1-pixel-high image of the map from left to right,
  // labelled with `barTicks` spread evenly from its left end to its right end, and `barLabel`
  // on its right. No bar when `bar` is null.
  QImage bar;
  QStringList barTicks;
  QString barLabel;
};

// Whether there is something to paint: rows, heads and cells or thumbnails.
bool hasCells(const CellGrid& g);

// A difference with its sign ("+0.012", "-0.300", "0.000"): a zero never reads "-0.000".
QString signedNumber(double v, int decimals);
// The cells and colour bar of a difference grid: `values` ([row * heads + head], NaN: not shown,
// painted as the centre) on the diverging map over the symmetric range of the values (their
// largest magnitude, so that equal magnitudes look equally strong whatever their sign), the bar
// labelled -range, 0, +range and `barLabel`. Returns the range.
double setDifferenceCells(CellGrid& g, const std::vector<double>& values, const QString& barLabel);

struct CellGridGeometry {
  QRectF grid;      // the cells
  QRectF colorBar;  // empty when there is none
  QRectF barLabel;  // where the bar's label goes: on its right, or below its ticks when narrow
  QStringList caption;  // the caption's lines, each broken to fit the area's width
  double cell = 0;  // side of a cell
  int labelEvery = 1;
  bool valid() const { return cell > 0; }
};

// Where grid, cells and bar go in `area` with labels measured in `fm`.
CellGridGeometry cellGridGeometry(const CellGrid& g, const QRectF& area, const QFontMetricsF& fm);

// Paints the grid into `area`: caption, labels ("L3", head numbers), cells, numbers, selection,
// colour bar. `text` is the colour of labels; `separator` that of the lines between cells.
void paintCellGrid(QPainter& p, const CellGrid& g, const QRectF& area, const QFont& font,
                   const QColor& text, const QColor& separator);

// Paints pixel (x, y) of `cells` as the square of side `cell` at column x, row y of `grid`: one
// filled rectangle per cell on every device, so that PDF and SVG keep exact colours (a scaled-up
// image of one pixel per cell is smoothed into gradients by their viewers).
void paintCellRects(QPainter& p, const QImage& cells, const QRectF& grid, double cell);

// The square of the cell at (row index, head).
QRectF cellGridCell(const CellGridGeometry& geo, int row, int head);

// The cell under `pos` (row index, head), or false outside the cells.
bool cellGridHit(const CellGrid& g, const CellGridGeometry& geo, const QPointF& pos, int* row,
                 int* head);
// The row whose label is under `pos` (left of the cells), or false.
bool cellGridLabelHit(const CellGrid& g, const CellGridGeometry& geo, const QPointF& pos,
                      int* row);

}  // namespace attnx
