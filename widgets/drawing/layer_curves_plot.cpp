#include "layer_curves_plot.h"

#include <QScopeGuard>
#include <QToolTip>
#include <QWidget>
#include <algorithm>
#include <cmath>

#include "plot_figure.h"

namespace attnx {

LayerCurvesPlot::LayerCurvesPlot(QWidget* parent) : QObject(parent) {
  plot_ = new QCustomPlot(parent);
  plot_->setMouseTracking(true);
  plot_->setToolTip(QString());  // the plot shows read-outs instead
  const QFont font = parent->font();
  title_ = new QCPTextElement(plot_, QString(), QFont(font.family(), font.pointSize(), QFont::Bold));
  plot_->plotLayout()->insertRow(0);
  plot_->plotLayout()->addElement(0, 0, title_);
  plot_->xAxis->setLabel(tr("layer"));
  auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
  ticker->setTickStep(1.0);
  ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
  plot_->xAxis->setTicker(ticker);
  plot_->xAxis->setSubTicks(false);
  plot_->legend->setVisible(true);
  plot_->legend->setBrush(QColor(255, 255, 255, 215));
  plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
  connect(plot_, &QCustomPlot::afterLayout, this, &LayerCurvesPlot::placeLegend);
  marker_ = new QCPItemStraightLine(plot_);
  marker_->setPen(QPen(QColor(40, 40, 40), 1.3, Qt::DashLine));
  marker_->setSelectable(false);

  connect(plot_, &QCustomPlot::mouseRelease, this, [this](QMouseEvent* e) {
    if (e->button() != Qt::LeftButton || !onLayerClicked) return;
    if (const auto i = indexAt(e->position())) onLayerClicked(layers_[*i]);
  });
  connect(plot_, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
    const auto i = indexAt(e->position());
    if (!i || !hoverLines) {
      QToolTip::hideText();
      return;
    }
    QToolTip::showText(e->globalPosition().toPoint(), hoverLines(*i).join(QLatin1Char('\n')),
                       plot_);
  });
}

void LayerCurvesPlot::reset(std::vector<int> layers) {
  plot_->clearGraphs();
  layers_ = std::move(layers);
  if (!layers_.empty()) {
    const auto [lo, hi] = std::minmax_element(layers_.begin(), layers_.end());
    plot_->xAxis->setRange(*lo - 0.5, *hi + 0.5);
  }
}

LayerCurvesPlot::CurveGraphs LayerCurvesPlot::addCurve(const Curve& c) {
  QVector<double> x;
  for (int l : layers_) x.append(l);
  QColor edge = c.color, band = c.color;
  edge.setAlpha(140);
  band.setAlpha(c.bandAlpha);
  // The band: its lower edge, and its upper edge filled down to it.
  QCPGraph* lower = plot_->addGraph();
  lower->setData(x, c.lower, true);
  lower->setPen(c.bandEdges ? QPen(edge, 0.8) : QPen(Qt::NoPen));
  lower->removeFromLegend();
  QCPGraph* upper = plot_->addGraph();
  upper->setData(x, c.upper, true);
  upper->setPen(c.bandEdges ? QPen(edge, 0.8) : QPen(Qt::NoPen));
  upper->setBrush(band);
  upper->setChannelFillGraph(lower);
  upper->removeFromLegend();
  QCPGraph* mean = plot_->addGraph();
  mean->setData(x, c.mean, true);
  mean->setPen(QPen(c.color, 2.0, c.line));
  mean->setScatterStyle(QCPScatterStyle(c.marker, c.color, Qt::white, 6));
  mean->setName(c.name);
  if (!c.inLegend) mean->removeFromLegend();
  return {mean, lower, upper};
}

void LayerCurvesPlot::addLegendEntry(const QString& name, const QPen& pen,
                                     QCPScatterStyle::ScatterShape marker) {
  QCPGraph* g = plot_->addGraph();  // no data: nothing to plot, nothing to cover
  g->setPen(pen);
  g->setScatterStyle(QCPScatterStyle(marker, pen.color(), Qt::white, 6));
  g->setName(name);
}

void LayerCurvesPlot::addLine(const QVector<double>& values, const QPen& pen) {
  QVector<double> x;
  for (int l : layers_) x.append(l);
  QCPGraph* g = plot_->addGraph();
  g->setData(x, values, true);
  g->setPen(pen);
  g->removeFromLegend();
}

void LayerCurvesPlot::setMarker(std::optional<int> layer) {
  marker_->setVisible(layer.has_value());
  marker_->point1->setCoords(layer.value_or(0), 0);
  marker_->point2->setCoords(layer.value_or(0), 1);
}

namespace {

// The y pixel range a graph covers over the pixel columns [x0, x1] (its points sorted by x):
// false when the graph has no data there.
bool graphSpan(const QCPGraph* g, double x0, double x1, double* lo, double* hi) {
  const QCPAxis* kx = g->keyAxis();
  const QCPAxis* vy = g->valueAxis();
  bool any = false;
  QPointF prev;
  bool havePrev = false;
  auto take = [&](double y) {
    *lo = any ? std::min(*lo, y) : y;
    *hi = any ? std::max(*hi, y) : y;
    any = true;
  };
  for (auto d = g->data()->constBegin(); d != g->data()->constEnd(); ++d) {
    if (std::isnan(d->value)) {
      havePrev = false;
      continue;
    }
    const QPointF p(kx->coordToPixel(d->key), vy->coordToPixel(d->value));
    if (havePrev) {
      const double a = std::min(prev.x(), p.x()), b = std::max(prev.x(), p.x());
      const double l = std::max(a, x0), r = std::min(b, x1);
      if (l <= r) {  // the segment's y at the ends of its part inside the columns
        auto yAt = [&](double x) {
          return b > a ? prev.y() + (p.y() - prev.y()) * (x - prev.x()) / (p.x() - prev.x())
                       : p.y();
        };
        take(yAt(l));
        take(yAt(r));
      }
    } else if (p.x() >= x0 && p.x() <= x1) {
      take(p.y());  // a lone point
    }
    prev = p;
    havePrev = true;
  }
  return any;
}

}  // namespace

bool LayerCurvesPlot::coversData(const QRectF& box) const {
  // Column by column (one pixel wide): the vertical extent of every line, thickened by its pen
  // and markers, and of every band between its two edges.
  for (int i = 0; i < plot_->graphCount(); ++i) {
    const QCPGraph* g = plot_->graph(i);
    if (!g->visible() || g->data()->isEmpty()) continue;
    const double pad = g->pen().style() == Qt::NoPen && g->scatterStyle().isNone()
                           ? 0.0
                           : std::max(g->pen().widthF(), 1.0) / 2 + g->scatterStyle().size() / 2;
    const QCPGraph* other = g->channelFillGraph();
    for (double x = std::floor(box.left() - pad); x < box.right() + pad; x += 1.0) {
      double lo = 0, hi = 0;
      if (!graphSpan(g, x, x + 1.0, &lo, &hi)) continue;
      if (other && g->brush().style() != Qt::NoBrush) {
        double olo = 0, ohi = 0;
        if (graphSpan(other, x, x + 1.0, &olo, &ohi)) {
          lo = std::min(lo, olo);
          hi = std::max(hi, ohi);
        }
      }
      // The loop's columns already reach `pad` beyond the box on both sides (a marker beside it).
      const QRectF inside = box.adjusted(-pad, -pad, pad, pad);
      if (hi >= inside.top() && lo <= inside.bottom()) return true;
    }
  }
  return false;
}

void LayerCurvesPlot::setLegendPlace(LegendPlace place) {
  if (place == legendPlace_) return;
  QCPLegend* legend = plot_->legend;
  QCPAxisRect* axes = plot_->axisRect();
  QCPLayoutInset* inset = axes->insetLayout();
  QCPLayoutGrid* layout = plot_->plotLayout();
  const int row = layout->rowCount() - 1;  // under the title: the axis rect, or the body
  // Back inside first: the layout is then the title row over the axis rect again.
  if (legendPlace_ != LegendPlace::Inside) {
    holder_->take(legend);
    body_->take(axes);
    layout->remove(body_);  // deletes it and the holder
    body_ = holder_ = nullptr;
    layout->addElement(row, 0, axes);
    legend->setWrap(0);
    legend->setFillOrder(QCPLayoutGrid::foRowsFirst);
    inset->addElement(legend, Qt::AlignTop | Qt::AlignRight);
  }
  if (place != LegendPlace::Inside) {
    // The axis rect's cell becomes a body grid of the axis rect and the holder of the legend:
    // the title keeps the full width above both. Grids go into the layout while still empty
    // (adopting a grid walks its cells, which must not be empty ones), then get their cells.
    const bool above = place == LegendPlace::Above;
    inset->take(legend);
    layout->take(axes);
    body_ = new QCPLayoutGrid;
    layout->addElement(row, 0, body_);
    holder_ = new QCPLayoutGrid;
    if (above) {
      body_->addElement(0, 0, holder_);
      body_->addElement(1, 0, axes);
      body_->setRowStretchFactors({0.001, 1.0});  // the legend's row as high as it, no more
    } else {
      body_->addElement(0, 0, axes);
      body_->addElement(0, 1, holder_);
      body_->setColumnStretchFactors({1.0, 0.001});  // the legend's column as wide as it
    }
    // The legend between two empty stretching cells: as large as its entries, centred.
    holder_->expandTo(above ? 1 : 3, above ? 3 : 1);
    for (int i = 0; i < 3; ++i) {
      if (above)
        holder_->setColumnStretchFactor(i, i == 1 ? 0.001 : 1.0);
      else
        holder_->setRowStretchFactor(i, i == 1 ? 0.001 : 1.0);
    }
    holder_->addElement(above ? 0 : 1, above ? 1 : 0, legend);
    if (above) {
      // The entries in rows as wide as the plot: the most columns whose widths (each that of
      // its widest entry; entry i goes to column i % columns) and spacing fit.
      std::vector<double> widths;
      for (int i = 0; i < legend->itemCount(); ++i)
        if (QCPAbstractLegendItem* item = legend->item(i))  // a wrapped grid has empty cells
          widths.push_back(item->minimumOuterSizeHint().width());
      // The plot's width less the legend's own margins and a little air.
      const double room =
          layout->outerRect().width() - legend->margins().left() - legend->margins().right() - 12;
      int columns = std::max<int>(1, static_cast<int>(widths.size()));
      for (; columns > 1; --columns) {
        std::vector<double> column(static_cast<std::size_t>(columns), 0.0);
        for (std::size_t i = 0; i < widths.size(); ++i)
          column[i % columns] = std::max(column[i % columns], widths[i]);
        double total = (columns - 1) * legend->columnSpacing();
        for (double w : column) total += w;
        if (total <= room) break;
      }
      // The wrap first: setFillOrder rearranges the entries by it (setWrap alone does not).
      legend->setWrap(columns);
      legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
    }
  }
  legendPlace_ = place;
  layOutAgain(plot_);  // with the legend where it now is
}

void LayerCurvesPlot::placeLegend() {
  QCPLegend* legend = plot_->legend;
  if (!legend || !legend->visible() || legend->itemCount() == 0) return;
  // Value ticks for the axis height the legend's final place leaves (whatever the previous
  // layout was), on every way out.
  struct FitTicks {
    QCustomPlot* plot;
    ~FitTicks() {
      if (fitTickCount(plot->yAxis, plot->axisRect()->height())) layOutAgain(plot);
    }
  } fitTicks{plot_};
  setLegendPlace(LegendPlace::Inside);
  QCPLayoutInset* inset = plot_->axisRect()->insetLayout();
  const int index = inset->elementCount() - 1;  // the legend, the inset's only element
  for (Qt::Alignment corner :
       {Qt::AlignTop | Qt::AlignRight, Qt::AlignTop | Qt::AlignLeft,
        Qt::AlignBottom | Qt::AlignRight, Qt::AlignBottom | Qt::AlignLeft,
        Qt::AlignTop | Qt::AlignHCenter, Qt::AlignBottom | Qt::AlignHCenter}) {
    inset->setInsetAlignment(index, corner);
    inset->update(QCPLayoutElement::upLayout);
    if (!coversData(legend->outerRect())) return;
  }
  // Beside a plot much wider than high, unless the legend would take more than a third of its
  // width (long run names at 3.25 in): above it then, in rows.
  const QRect area = plot_->axisRect()->rect();
  const bool beside =
      area.width() > 2 * area.height() && legend->outerRect().width() < area.width() / 3;
  setLegendPlace(beside ? LegendPlace::Beside : LegendPlace::Above);
}

void LayerCurvesPlot::renderTo(QPainter& painter, const QRectF& target, bool markLayer) {
  const bool shown = marker_->visible();
  const auto restore = qScopeGuard([this, shown] {  // also when drawing throws
    marker_->setVisible(shown);
    plot_->replot();
  });
  marker_->setVisible(shown && markLayer);
  renderPlotTo(plot_, painter, target);
}

void LayerCurvesPlot::setYRange(double lower, double upper) { plot_->yAxis->setRange(lower, upper); }

void LayerCurvesPlot::replot() { plot_->replot(); }

QPoint LayerCurvesPlot::pointFor(const QCPGraph* graph, int index, const QWidget* widget) const {
  const std::vector<double> v = values(graph);
  if (index < 0 || index >= static_cast<int>(v.size()) ||
      index >= static_cast<int>(layers_.size()))
    return QPoint();
  const QPointF p(plot_->xAxis->coordToPixel(layers_[static_cast<std::size_t>(index)]),
                  plot_->yAxis->coordToPixel(v[static_cast<std::size_t>(index)]));
  return plot_->mapTo(widget, p.toPoint());
}

std::vector<double> LayerCurvesPlot::values(const QCPGraph* g) {
  std::vector<double> out;
  if (!g) return out;
  for (auto d = g->data()->constBegin(); d != g->data()->constEnd(); ++d) out.push_back(d->value);
  return out;
}

std::optional<std::size_t> LayerCurvesPlot::indexAt(const QPointF& pixel) const {
  if (layers_.empty() || !plot_->axisRect()->rect().contains(pixel.toPoint())) return std::nullopt;
  const double x = plot_->xAxis->pixelToCoord(pixel.x());
  std::size_t best = 0;
  for (std::size_t i = 0; i < layers_.size(); ++i)
    if (std::abs(layers_[i] - x) < std::abs(layers_[best] - x)) best = i;
  return best;
}

}  // namespace attnx
