#include "cell_grid.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "segment_style.h"

namespace attnx {

bool hasCells(const CellGrid& g) {
  return !g.layers.empty() && g.heads > 0 && (!g.cells.isNull() || !g.thumbnails.empty());
}

QRectF cellGridCell(const CellGridGeometry& geo, int row, int head) {
  return QRectF(geo.grid.left() + head * geo.cell, geo.grid.top() + row * geo.cell, geo.cell,
                geo.cell);
}

CellGridGeometry cellGridGeometry(const CellGrid& g, const QRectF& area, const QFontMetricsF& fm) {
  CellGridGeometry geo;
  const int rows = static_cast<int>(g.layers.size());
  if (rows == 0 || g.heads == 0) return geo;
  const double line = fm.height();
  const double left = fm.horizontalAdvance(QStringLiteral("L000")) + 6;
  const int captionLines = static_cast<int>(g.caption.count(QLatin1Char('\n'))) + 1;
  const double top = line * (captionLines + 1) + 6;  // caption, then the head numbers
  const bool bar = !g.bar.isNull();
  const double bottom = bar ? line * 2 + 14 : 0;
  const double w = area.width() - left - 2, h = area.height() - top - bottom;
  geo.cell = std::max(1.0, std::min({w / g.heads, h / rows, g.maxCell}));
  const double shift = g.centered ? std::max(0.0, (w - geo.cell * g.heads) / 2) : 0.0;
  geo.grid =
      QRectF(area.left() + left + shift, area.top() + top, geo.cell * g.heads, geo.cell * rows);
  if (bar) {
    // The bar's label sits on its right: leave room for it so that narrow figures never clip it.
    const double label = fm.horizontalAdvance(g.barLabel) + 12;
    const double room = area.right() - geo.grid.left() - label;
    geo.colorBar = QRectF(
        geo.grid.left(), geo.grid.bottom() + 10,
        std::max(40.0, std::min({geo.grid.width(), std::max(240.0, geo.grid.width() / 2), room})),
        line * 0.8);
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
  const QStringList captionLines = g.caption.split(QLatin1Char('\n'));
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
    p.drawText(QRectF(geo.colorBar.right() + 8, geo.colorBar.top() - 3,
                      std::max(0.0, area.right() - geo.colorBar.right() - 8), fm.height()),
               Qt::AlignLeft | Qt::AlignVCenter, g.barLabel);
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
