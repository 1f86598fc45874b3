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

namespace {

// The matrix's colour bar. It shares the matrix's margins on the sides they have in common
// (top and bottom beside the matrix, left and right below a strip) through a margin group, which
// gives both the larger of their automatic margins. A plain QCPLayoutElement's automatic margin
// is its current margin, so a bar that once shared a large one (a figure in the slide style)
// would hold every later layout to it: the matrix of the next paper figure, and of the window,
// squeezed by a slide's margins. The bar's own is its minimum: its ticks and label lie inside it.
class MatrixColorBar : public QCPColorScale {
 public:
  using QCPColorScale::QCPColorScale;

 protected:
  int calculateAutoMargin(QCP::MarginSide side) override {
    return QCP::getMarginValue(minimumMargins(), side);
  }
};

}  // namespace

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
  // Room for the first query's and the last key's labels, which reach half a line beyond the
  // matrix; QCustomPlot's default of 15 units would leave a band above and right of it that, in
  // a panel 1.3 in wide, takes a sixth of the plot.
  rect->setMinimumMargins(QMargins(4, 6, 6, 4));
  m.rectMinimum = rect->minimumSize();
  m.rectMaximum = rect->maximumSize();
  m.map = new CellColorMap(plot->xAxis, plot->yAxis);
  m.map->setInterpolate(false);
  m.map->setTightBoundary(false);
  m.colorBar = new MatrixColorBar(plot);
  // The matrix and its colour bar share a row of their own, so that the title above spans the
  // whole width (a cell of the outer grid would be only as wide as the matrix's column).
  auto* body = m.body = new QCPLayoutGrid;
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
  auto* group = m.group = new QCPMarginGroup(plot);
  rect->setMarginGroup(QCP::msTop | QCP::msBottom, group);
  m.colorBar->setMarginGroup(QCP::msTop | QCP::msBottom, group);
  // As many colour-bar ticks as its length has room for (a panel of a multi-panel figure).
  QCPColorScale* bar = m.colorBar;
  QObject::connect(plot, &QCustomPlot::afterLayout, bar, [plot, bar] {
    const QRect r = bar->axis()->axisRect()->rect();
    if (fitTickCount(bar->axis(), bar->type() == QCPAxis::atBottom ? r.width() / 1.6 : r.height()))
      layOutAgain(plot);
  });

  m.xTicker = QSharedPointer<TokenTicker>::create(plot->xAxis);
  m.yTicker = QSharedPointer<TokenTicker>::create(plot->yAxis);
  plot->xAxis->setTicker(m.xTicker);
  plot->yAxis->setTicker(m.yTicker);
  plot->xAxis->setTickLabelRotation(90);
  m.xLabel = QCoreApplication::translate("attnx::HeatmapView", "key (attended to)");
  plot->xAxis->setLabel(m.xLabel);
  m.yLabel = QCoreApplication::translate("attnx::HeatmapView", "query (attending from)");
  plot->yAxis->setLabel(m.yLabel);
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

namespace {

// QCPColorScale::setType moves the bar to another of its axes, which takes over only the range,
// label and ticker: the scale type (a logarithmic bar), number format and fonts are carried here,
// and the gradient is set anew, so that its cached image is redrawn for the new orientation
// whether or not the QCustomPlot version does that itself.
void setBarType(QCPColorScale* bar, QCPAxis::AxisType type) {
  const QCPAxis* old = bar->axis();
  const QCPAxis::ScaleType scale = old->scaleType();
  const QString format = old->numberFormat();
  const int precision = old->numberPrecision();
  const QFont tickFont = old->tickLabelFont(), labelFont = old->labelFont();
  bar->setType(type);
  QCPAxis* now = bar->axis();
  now->setScaleType(scale);
  now->setNumberFormat(format);
  now->setNumberPrecision(precision);
  now->setTickLabelFont(tickFont);
  now->setLabelFont(labelFont);
  const QCPColorGradient gradient = bar->gradient();
  bar->setGradient(QCPColorGradient());  // differs from any map: invalidates the image
  bar->setGradient(gradient);
}

// Puts the bar into the body, right of the matrix or below a strip, when it is shown; before, it
// leaves its cell (if it has one).
void placeBar(TokenMatrixPlot& m, bool strip) {
  if (m.colorBar->layout() == m.body) m.body->take(m.colorBar);
  m.body->simplify();
  m.colorBar->setVisible(m.barShown);
  // A hidden bar's last margins must not widen the matrix's.
  const QCP::MarginSides shared = strip ? QCP::msLeft | QCP::msRight : QCP::msTop | QCP::msBottom;
  m.colorBar->setMarginGroup(shared, m.barShown ? m.group : nullptr);
  if (strip) {
    if (m.barShown) m.body->addElement(1, 0, m.colorBar);
    m.body->setColumnStretchFactors({1.0});
    QList<double> rows;
    for (int row = 0; row < m.body->rowCount(); ++row) rows << 0.001;
    m.body->setRowStretchFactors(rows);
  } else {
    if (m.barShown) m.body->addElement(0, 1, m.colorBar);
    m.body->setRowStretchFactors({1.0});
    // The bar's column keeps its minimum width.
    m.body->setColumnStretchFactors(m.barShown ? QList<double>{1.0, 0.001} : QList<double>{1.0});
  }
}

}  // namespace

double squareCellAspect(const TokenMatrixPlot& m) {
  const double keys = m.plot->xAxis->range().size();
  return m.strip() || !(keys > 0) ? 0.0 : m.plot->yAxis->range().size() / keys;
}

QString tokenAxesKey(const TokenMatrixPlot& m) {
  if (m.strip() || m.xTicker->labels().isEmpty() || m.yTicker->labels().isEmpty()) return {};
  const QChar sep(0x1f);  // in no token's text
  const QCPRange x = m.plot->xAxis->range(), y = m.plot->yAxis->range();
  return m.xTicker->labels().join(sep) + sep + sep + m.yTicker->labels().join(sep) + sep + sep +
         QStringList{QString::number(x.lower, 'g', 17), QString::number(x.upper, 'g', 17),
                     QString::number(y.lower, 'g', 17), QString::number(y.upper, 'g', 17)}
             .join(sep);
}

void setTickLabelsShown(TokenMatrixPlot& m, bool x, bool y) {
  m.plot->xAxis->setTickLabels(x);
  m.plot->xAxis->setLabel(x ? m.xLabel : QString());
  m.plot->yAxis->setTickLabels(y);
  m.plot->yAxis->setLabel(y && !m.strip() ? m.yLabel : QString());
}

void setColorBarShown(TokenMatrixPlot& m, bool shown) {
  if (shown == m.barShown) return;
  m.barShown = shown;
  placeBar(m, m.strip());
  m.plot->replot(QCustomPlot::rpQueuedReplot);
}

void setRowStrip(TokenMatrixPlot& m, bool strip) {
  if (strip == m.strip()) return;
  QCPLayoutGrid* layout = m.plot->plotLayout();
  QCPAxisRect* rect = m.plot->axisRect();
  // The bar leaves its cell, and the two align on the sides they now share.
  m.body->take(m.colorBar);
  m.body->simplify();
  for (QCPLayoutElement* e :
       {static_cast<QCPLayoutElement*>(rect), static_cast<QCPLayoutElement*>(m.colorBar)}) {
    e->setMarginGroup(QCP::msAll, nullptr);
    // A layout element's automatic margin never shrinks below its current one: start afresh,
    // or the bar would keep the margins the matrix's side lent it.
    e->setMargins(QMargins());
  }
  const QCP::MarginSides shared = strip ? QCP::msLeft | QCP::msRight : QCP::msTop | QCP::msBottom;
  rect->setMarginGroup(shared, m.group);
  m.colorBar->setMarginGroup(shared, m.group);
  if (strip) {
    rect->setMinimumSize(m.rectMinimum.width(), kStripHeight);
    rect->setMaximumSize(QWIDGETSIZE_MAX, kStripHeight);
    setBarType(m.colorBar, QCPAxis::atBottom);
    placeBar(m, true);
    // The query axis's title would be higher than the strip; the row's label names the token.
    m.plot->yAxis->setLabel(QString());
    m.filler = new QCPLayoutElement(m.plot);
    layout->addElement(layout->rowCount(), 0, m.filler);
    QList<double> stretch;
    for (int row = 0; row < layout->rowCount(); ++row)
      stretch << (layout->element(row, 0) == m.filler ? 1.0 : 0.001);
    layout->setRowStretchFactors(stretch);
  } else {
    layout->remove(m.filler);  // deletes it
    layout->simplify();
    m.filler = nullptr;
    QList<double> stretch;
    for (int row = 0; row < layout->rowCount(); ++row) stretch << 1.0;
    layout->setRowStretchFactors(stretch);
    rect->setMinimumSize(m.rectMinimum);
    rect->setMaximumSize(m.rectMaximum);
    setBarType(m.colorBar, QCPAxis::atRight);
    placeBar(m, false);
    m.plot->yAxis->setLabel(m.yLabel);
  }
}

QRectF renderTokenMatrixPlot(const TokenMatrixPlot& m, QPainter& painter, const QRectF& target,
                             bool markRow) {
  const int selected = m.overlay->selectedRow();
  const auto restore = qScopeGuard([&m, selected] {
    m.overlay->setSelectedRow(selected);
    m.plot->replot();
  });
  if (!markRow) m.overlay->setSelectedRow(-1);
  return renderPlotTo(m.plot, painter, target, 2);
}

}  // namespace attnx
