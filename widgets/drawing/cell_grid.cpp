#include "cell_grid.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "color_scale.h"
#include "segment_style.h"
#include "text_wrap.h"

namespace attnx {

QString signedNumber(double v, int decimals) {
  // A zero shown as "-0.000" would read as a (tiny) negative difference.
  if (std::abs(v) < 0.5 * std::pow(10.0, -decimals)) v = 0.0;
  return (v > 0 ? QStringLiteral("+") : QString()) + QString::number(v, 'f', decimals);
}

double setDifferenceCells(CellGrid& g, const std::vector<double>& values, const QString& barLabel) {
  DivergingScale scale;
  const double range = scale.range =
      DivergingScale::symmetricRange(std::vector<float>(values.begin(), values.end()));
  const int rows = static_cast<int>(g.layers.size());
  g.cells = QImage(g.heads, rows, QImage::Format_RGB32);
  for (int l = 0; l < rows; ++l) {
    auto* line = reinterpret_cast<QRgb*>(g.cells.scanLine(l));
    for (int h = 0; h < g.heads; ++h)
      line[h] = scale.rgb(values[static_cast<std::size_t>(l) * g.heads + h]);
  }
  g.bar = QImage(256, 1, QImage::Format_RGB32);
  for (int i = 0; i < 256; ++i) g.bar.setPixel(i, 0, divergingColorAt(2.0 * i / 255.0 - 1.0).rgb());
  const int decimals = range >= 0.1 ? 2 : 3;
  g.barTicks = {signedNumber(-range, decimals), QStringLiteral("0"), signedNumber(range, decimals)};
  g.barLabel = barLabel;
  return range;
}

bool hasCells(const CellGrid& g) {
  return !g.layers.empty() && g.heads > 0 && (!g.cells.isNull() || !g.thumbnails.empty());
}

QRectF cellGridCell(const CellGridGeometry& geo, int row, int head) {
  return QRectF(geo.grid.left() + head * geo.cell, geo.grid.top() + row * geo.cell, geo.cell,
                geo.cell);
}

CellGridGeometry cellGridGeometry(const CellGrid& g, const QRectF& area, const QFontMetricsF& fm) {
  CellGridGeometry geo;
  // The caption's lines broken to the width: a grid in a third of a journal column has room
  // for about 20 characters per line.
  for (const QString& line : g.caption.split(QLatin1Char('\n')))
    geo.caption += fm.horizontalAdvance(line) <= area.width()
                       ? QStringList{line}
                       : wrapPieces(line.split(QLatin1Char(' '), Qt::SkipEmptyParts),
                                    QStringLiteral(" "), fm, area.width())
                             .split(QLatin1Char('\n'));
  const int rows = static_cast<int>(g.layers.size());
  if (rows == 0 || g.heads == 0) return geo;
  const double line = fm.height();
  const double left = fm.horizontalAdvance(QStringLiteral("L000")) + 6;
  const double top = line * (geo.caption.size() + 1) + 6;  // caption, then the head numbers
  const bool bar = !g.bar.isNull();
  const double labelW = fm.horizontalAdvance(g.barLabel) + 12;
  // The bar's label sits on its right when that leaves the bar at least 40% of the area's
  // width, else below the tick labels, so that narrow figures never clip it.
  const bool labelBelow = bar && area.width() - left - labelW < 0.4 * area.width();
  const double bottom = bar ? line * (labelBelow ? 3 : 2) + 14 : 0;
  const double w = area.width() - left - 2, h = area.height() - top - bottom;
  geo.cell = std::max(1.0, std::min({w / g.heads, h / rows, g.maxCell}));
  const double shift = g.centered ? std::max(0.0, (w - geo.cell * g.heads) / 2) : 0.0;
  geo.grid =
      QRectF(area.left() + left + shift, area.top() + top, geo.cell * g.heads, geo.cell * rows);
  if (bar) {
    const double room = area.right() - geo.grid.left() - (labelBelow ? 2 : labelW);
    geo.colorBar = QRectF(
        geo.grid.left(), geo.grid.bottom() + 10,
        std::max(40.0, std::min({geo.grid.width(), std::max(240.0, geo.grid.width() / 2), room})),
        line * 0.8);
    geo.barLabel = labelBelow
                       ? QRectF(area.left(), geo.colorBar.bottom() + 3 + line, area.width(), line)
                       : QRectF(geo.colorBar.right() + 8, geo.colorBar.top() - 3,
                                std::max(0.0, area.right() - geo.colorBar.right() - 8), line);
  }
  geo.labelEvery = std::max(1, static_cast<int>(std::ceil((line + 1) / geo.cell)));
  return geo;
}

void paintCellGrid(QPainter& p, const CellGrid& g, const QRectF& area, const QFont& font,
                   const QColor& text, const QColor& separator) {
  p.save();
  p.setFont(font);
  const QFontMetricsF fm(font);
  const CellGridGeometry geo = cellGridGeometry(g, area, fm);
  p.setPen(text);
  const QStringList& captionLines = geo.caption;
  for (int i = 0; i < captionLines.size(); ++i)
    p.drawText(QRectF(area.left(), area.top() + i * fm.height(), area.width(), fm.height()),
               Qt::AlignLeft | Qt::AlignVCenter,
               fm.elidedText(captionLines[i], Qt::ElideRight, area.width()));
  if (!geo.valid() || !hasCells(g)) {
    p.restore();
    return;
  }
  const int rows = static_cast<int>(g.layers.size());
  if (!g.thumbnails.empty()) {
    // Small thumbnails are smoothed (a matrix reduced to a few pixels), large ones drawn sharp.
    p.setRenderHint(QPainter::SmoothPixmapTransform, geo.cell < 24);
    const double pad = geo.cell >= 8 ? 1.0 : 0.0;
    for (int l = 0; l < rows; ++l)
      for (int h = 0; h < g.heads; ++h) {
        const std::size_t i = static_cast<std::size_t>(l) * g.heads + h;
        if (i < g.thumbnails.size())
          p.drawImage(cellGridCell(geo, l, h).adjusted(pad, pad, -pad, -pad), g.thumbnails[i]);
      }
  } else {
    paintCellRects(p, g.cells, geo.grid, geo.cell);
  }
  if (g.thumbnails.empty() && geo.cell >= 6) {  // separators between cells
    p.setPen(QPen(separator, geo.cell >= 16 ? 1.0 : 0.5));
    for (int h = 1; h < g.heads; ++h)
      p.drawLine(QPointF(geo.grid.left() + h * geo.cell, geo.grid.top()),
                 QPointF(geo.grid.left() + h * geo.cell, geo.grid.bottom()));
    for (int l = 1; l < rows; ++l)
      p.drawLine(QPointF(geo.grid.left(), geo.grid.top() + l * geo.cell),
                 QPointF(geo.grid.right(), geo.grid.top() + l * geo.cell));
  }
  // Numbers inside the cells when there is room for them.
  if (g.thumbnails.empty() && g.cellText && geo.cell >= fm.horizontalAdvance(g.cellTextSample) + 6 &&
      geo.cell >= fm.height()) {
    for (int l = 0; l < rows; ++l)
      for (int h = 0; h < g.heads; ++h) {
        p.setPen(textColorOn(QColor::fromRgb(g.cells.pixel(h, l))));
        p.drawText(QRectF(geo.grid.left() + h * geo.cell, geo.grid.top() + l * geo.cell, geo.cell,
                          geo.cell),
                   Qt::AlignCenter, g.cellText(l, h));
      }
  }

  // Labels, thinned so that they never overlap.
  p.setPen(text);
  const double labelTop = area.top() + fm.height() * captionLines.size() + 4;
  for (int h = 0; h < g.heads; h += geo.labelEvery)
    p.drawText(QRectF(geo.grid.left() + h * geo.cell - 20, labelTop, geo.cell + 40, fm.height()),
               Qt::AlignHCenter | Qt::AlignBottom, QString::number(h));
  for (int l = 0; l < rows; l += geo.labelEvery)
    p.drawText(QRectF(area.left(), geo.grid.top() + l * geo.cell, geo.grid.left() - area.left() - 4,
                      geo.cell),
               Qt::AlignRight | Qt::AlignVCenter,
               QCoreApplication::translate("attnx::CellGrid", "L%1").arg(g.layers[l]));

  if (g.selectedRow >= 0 && g.selectedRow < rows) {
    QRectF sel = g.selectedHead >= 0 && g.selectedHead < g.heads
                     ? cellGridCell(geo, g.selectedRow, g.selectedHead)
                     : QRectF(geo.grid.left(), geo.grid.top() + g.selectedRow * geo.cell,
                              geo.grid.width(), geo.cell);
    sel.adjust(-1, -1, 1, 1);
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(Qt::black, 3.0));
    p.drawRect(sel);
    p.setPen(QPen(QColor(255, 255, 255), 1.2));
    p.drawRect(sel);
  }

  if (!geo.colorBar.isEmpty()) {
    p.drawImage(geo.colorBar, g.bar);
    p.setPen(QPen(text, 0.8));
    p.setBrush(Qt::NoBrush);
    p.drawRect(geo.colorBar);
    // Ticks spread evenly along the bar, each label centred on its tick (the end labels are
    // kept inside the area).
    const int n = static_cast<int>(g.barTicks.size());
    for (int i = 0; i < n; ++i) {
      const double x = n == 1 ? geo.colorBar.center().x()
                              : geo.colorBar.left() + geo.colorBar.width() * i / (n - 1);
      p.drawLine(QPointF(x, geo.colorBar.bottom()), QPointF(x, geo.colorBar.bottom() + 3));
      const double tw = fm.horizontalAdvance(g.barTicks[i]);
      const double left = std::clamp(x - tw / 2, area.left(), area.right() - tw);
      p.drawText(QRectF(left, geo.colorBar.bottom() + 3, tw + 1, fm.height()),
                 Qt::AlignLeft | Qt::AlignTop, g.barTicks[i]);
    }
    const bool below = geo.barLabel.top() > geo.colorBar.bottom();
    p.drawText(geo.barLabel, Qt::AlignVCenter | (below ? Qt::AlignHCenter : Qt::AlignLeft),
               fm.elidedText(g.barLabel, Qt::ElideRight, geo.barLabel.width()));
  }
  p.restore();
}

void paintCellRects(QPainter& p, const QImage& cells, const QRectF& grid, double cell) {
  p.save();
  // Cells meet exactly: antialiased edges would let the background show through as seams, and
  // each cell reaches a little under its right and lower neighbours, which are painted after it.
  p.setRenderHint(QPainter::Antialiasing, false);
  const double overlap = std::min(0.5, cell / 4);
  for (int y = 0; y < cells.height(); ++y)
    for (int x = 0; x < cells.width(); ++x) {
      const QRectF r(grid.left() + x * cell, grid.top() + y * cell,
                     cell + (x + 1 < cells.width() ? overlap : 0.0),
                     cell + (y + 1 < cells.height() ? overlap : 0.0));
      p.fillRect(r, QColor::fromRgba(cells.pixel(x, y)));
    }
  p.restore();
}

bool cellGridHit(const CellGrid& g, const CellGridGeometry& geo, const QPointF& pos, int* row,
                 int* head) {
  if (!geo.valid() || !geo.grid.contains(pos)) return false;
  *head = std::clamp(static_cast<int>((pos.x() - geo.grid.left()) / geo.cell), 0, g.heads - 1);
  *row = std::clamp(static_cast<int>((pos.y() - geo.grid.top()) / geo.cell), 0,
                    static_cast<int>(g.layers.size()) - 1);
  return true;
}

bool cellGridLabelHit(const CellGrid& g, const CellGridGeometry& geo, const QPointF& pos,
                      int* row) {
  if (!geo.valid() || pos.x() >= geo.grid.left() || pos.y() < geo.grid.top() ||
      pos.y() >= geo.grid.bottom())
    return false;
  *row = std::clamp(static_cast<int>((pos.y() - geo.grid.top()) / geo.cell), 0,
                    static_cast<int>(g.layers.size()) - 1);
  return true;
}

}  // namespace attnx
