#include "plot_figure.h"

#include <QPainter>
#include <QPicture>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <qcustomplot.h>

#include "cell_color_map.h"

namespace attnx {

QRectF renderPlotTo(QCustomPlot* plot, QPainter& painter, const QRectF& target, int passes) {
  const int w = std::max(1, static_cast<int>(std::lround(target.width())));
  const int h = std::max(1, static_cast<int>(std::lround(target.height())));
  // Figures draw colour-map cells as rectangles in every format, so that PNG, PDF and SVG of a
  // figure place them identically (the screen keeps QCustomPlot's faster image).
  const QList<CellColorMap*> maps = plot->findChildren<CellColorMap*>();
  for (CellColorMap* m : maps) m->setVectorCells(true);
  QPicture picture;
  for (int pass = 0; pass < std::max(1, passes); ++pass) {
    picture = QPicture();
    QCPPainter p(&picture);
    plot->toPainter(&p, w, h);
    p.end();
  }
  const QRectF data = plot->axisRectCount() > 0
                          ? QRectF(plot->axisRect()->rect()).translated(target.topLeft())
                          : QRectF();
  painter.save();
  painter.drawPicture(target.topLeft(), picture);
  painter.restore();
  for (CellColorMap* m : maps) m->setVectorCells(false);
  plot->replot();  // back to the widget's own layout
  return data;
}

void layOutForFigure(QCustomPlot* plot, int w, int h, int passes) {
  for (int pass = 0; pass < std::max(1, passes); ++pass) {
    QPicture picture;
    QCPPainter p(&picture);
    plot->toPainter(&p, w, h);
  }
}

bool fitTickCount(QCPAxis* axis, double length) {
  // 12 pt at 96 per inch is 16 units, and a line is 1.2 of that.
  const double label = axis->tickLabelFont().pointSizeF() * 96.0 / 72.0 * 1.2;
  const int ticks = std::clamp(static_cast<int>(length / (2.5 * label)), 2, 5);
  if (axis->ticker()->tickCount() == ticks) return false;
  axis->ticker()->setTickCount(ticks);
  return true;
}

void layOutAgain(QCustomPlot* plot) {
  QCPLayoutGrid* layout = plot->plotLayout();
  layout->update(QCPLayoutElement::upPreparation);
  layout->update(QCPLayoutElement::upMargins);
  layout->update(QCPLayoutElement::upLayout);
}

void renderNoteTo(QPainter& painter, const QRectF& target, const QString& text) {
  painter.save();
  painter.fillRect(target, Qt::white);
  painter.setPen(Qt::gray);
  painter.drawText(target.adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, text);
  painter.restore();
}

int nearestLayer(const QCustomPlot* plot, const std::vector<int>& layers, double x) {
  const double coord = plot->xAxis->pixelToCoord(x);
  int best = layers.front();
  for (int l : layers)
    if (std::abs(l - coord) < std::abs(best - coord)) best = l;
  return best;
}

}  // namespace attnx
