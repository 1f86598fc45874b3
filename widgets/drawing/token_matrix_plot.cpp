#include "token_matrix_plot.h"

#include <QCoreApplication>
#include <QScopeGuard>
#include <memory>
#include <qcustomplot.h>

#include "cell_color_map.h"
#include "plot_figure.h"
#include "segment_overlay_item.h"
#include "token_ticker.h"

namespace attnx {

TokenMatrixPlot buildTokenMatrixPlot(QWidget* parent, const QFont& titleFont,
                                     const QString& barLabel) {
  TokenMatrixPlot m;
  QCustomPlot* plot = m.plot = new QCustomPlot(parent);
  plot->setToolTip(QString());
  plot->setMouseTracking(true);
  plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  plot->setNoAntialiasingOnDrag(true);
  m.title = new QCPTextElement(plot, QString(), titleFont);
  plot->plotLayout()->insertRow(0);
  plot->plotLayout()->addElement(0, 0, m.title);

  QCPAxisRect* rect = plot->axisRect();
  m.map = new CellColorMap(plot->xAxis, plot->yAxis);
  m.map->setInterpolate(false);
  m.map->setTightBoundary(false);
  m.colorBar = new QCPColorScale(plot);
  // The matrix and its colour bar share a row of their own, so that the title above spans the
  // whole width (a cell of the outer grid would be only as wide as the matrix's column).
  auto* body = new QCPLayoutGrid;
  plot->plotLayout()->take(rect);
  plot->plotLayout()->addElement(1, 0, body);
  body->addElement(0, 0, rect);
  body->addElement(0, 1, m.colorBar);
  body->setColumnStretchFactor(1, 0.001);  // the bar's column keeps its minimum width
  m.colorBar->setType(QCPAxis::atRight);
  m.colorBar->axis()->setLabel(barLabel);
  m.colorBar->setBarWidth(12);
  m.map->setColorScale(m.colorBar);
  // The colour bar spans exactly the height of the matrix.
  auto* group = new QCPMarginGroup(plot);
  rect->setMarginGroup(QCP::msTop | QCP::msBottom, group);
  m.colorBar->setMarginGroup(QCP::msTop | QCP::msBottom, group);
  // As many colour-bar ticks as its length has room for (a panel of a multi-panel figure).
  QCPColorScale* bar = m.colorBar;
  QObject::connect(plot, &QCustomPlot::afterLayout, bar, [plot, bar] {
    if (fitTickCount(bar->axis(), bar->axis()->axisRect()->height())) layOutAgain(plot);
  });

  m.xTicker = QSharedPointer<TokenTicker>::create(plot->xAxis);
  m.yTicker = QSharedPointer<TokenTicker>::create(plot->yAxis);
  plot->xAxis->setTicker(m.xTicker);
  plot->yAxis->setTicker(m.yTicker);
  plot->xAxis->setTickLabelRotation(90);
  plot->xAxis->setLabel(QCoreApplication::translate("attnx::HeatmapView", "key (attended to)"));
  plot->yAxis->setLabel(
      QCoreApplication::translate("attnx::HeatmapView", "query (attending from)"));
  plot->yAxis->setRangeReversed(true);  // query 0 at the top, as in a printed matrix
  for (QCPAxis* a : {plot->xAxis, plot->yAxis}) {
    a->grid()->setVisible(false);
    a->setOffset(SegmentOverlayItem::kRibbon + 1);  // room for the segment ribbons
    a->setTickLengthOut(3);
    a->setTickLengthIn(0);
    a->setSubTicks(false);
  }
  rect->setRangeDrag(Qt::Horizontal | Qt::Vertical);
  rect->setRangeZoom(Qt::Horizontal | Qt::Vertical);
  m.overlay = new SegmentOverlayItem(plot);
  m.overlay->setClipAxisRect(rect);

  // Label thinning reads the previous layout: lay out again while a ticker is stale, at most
  // twice in a row, so that a size where thinning flips back and forth cannot loop.
  auto relayouts = std::make_shared<int>(0);
  QObject::connect(plot, &QCustomPlot::afterLayout, plot,
                   [plot, relayouts, x = m.xTicker, y = m.yTicker] {
                     if ((x->stale() || y->stale()) && *relayouts < 2) {
                       ++*relayouts;
                       plot->replot(QCustomPlot::rpQueuedReplot);
                     } else {
                       *relayouts = 0;
                     }
                   });
  return m;
}

void renderTokenMatrixPlot(const TokenMatrixPlot& m, QPainter& painter, const QRectF& target,
                           bool markRow) {
  const int selected = m.overlay->selectedRow();
  const auto restore = qScopeGuard([&m, selected] {
    m.overlay->setSelectedRow(selected);
    m.plot->replot();
  });
  if (!markRow) m.overlay->setSelectedRow(-1);
  renderPlotTo(m.plot, painter, target, 2);
}

}  // namespace attnx
