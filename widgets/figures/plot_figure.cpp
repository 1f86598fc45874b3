#include "plot_figure.h"

#include <QPainter>
#include <QPicture>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <qcustomplot.h>

#include "cell_color_map.h"
#include "figure_style.h"

namespace attnx {

namespace {

// An axis title longer than its axis (a rotated "query (attending from)" beside a short matrix)
// would run past the plot's data into the caption or panel above it: it keeps the words before
// its parenthesis if those fit, else it goes. Returns what puts the titles back.
std::vector<std::pair<QCPAxis*, QString>> fitAxisTitles(QCustomPlot* plot) {
  std::vector<std::pair<QCPAxis*, QString>> changed;
  if (plot->axisRectCount() == 0) return changed;
  for (QCPAxis* axis : plot->axisRect()->axes()) {
    const QString title = axis->label();
    if (title.isEmpty()) continue;
    const QRect data = plot->axisRect()->rect();
    const double length = axis->orientation() == Qt::Vertical ? data.height() : data.width();
    const QFontMetricsF fm = logicalMetrics(axis->labelFont());
    if (fm.horizontalAdvance(title) <= length) continue;
    QString shorter = title.section(QStringLiteral(" ("), 0, 0).trimmed();
    if (fm.horizontalAdvance(shorter) > length) shorter.clear();
    changed.emplace_back(axis, title);
    axis->setLabel(shorter);
  }
  return changed;
}

}  // namespace

QRectF renderPlotTo(QCustomPlot* plot, QPainter& painter, const QRectF& target, int passes) {
  const int w = std::max(1, static_cast<int>(std::lround(target.width())));
  const int h = std::max(1, static_cast<int>(std::lround(target.height())));
  // Figures draw colour-map cells as rectangles in every format, so that PNG, PDF and SVG of a
  // figure place them identically (the screen keeps QCustomPlot's faster image).
  const QList<CellColorMap*> maps = plot->findChildren<CellColorMap*>();
  for (CellColorMap* m : maps) m->setVectorCells(true);
  QPicture picture;
  std::vector<std::pair<QCPAxis*, QString>> titles;
  for (int pass = 0; pass < std::max(1, passes); ++pass) {
    picture = QPicture();
    QCPPainter p(&picture);
    plot->toPainter(&p, w, h);
    p.end();
    // Titles are fitted to the axes of the first layout; the last pass draws with them.
    if (pass == 0) {
      titles = fitAxisTitles(plot);
      if (!titles.empty() && passes < 2) passes = 2;
    }
  }
  for (const auto& [axis, title] : titles) axis->setLabel(title);
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
