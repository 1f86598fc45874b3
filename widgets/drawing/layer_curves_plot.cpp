#include "layer_curves_plot.h"

#include <QToolTip>
#include <QWidget>
#include <cmath>

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
  mean->setPen(QPen(c.color, 2.0));
  mean->setScatterStyle(QCPScatterStyle(c.marker, c.color, Qt::white, 6));
  mean->setName(c.name);
  return {mean, lower, upper};
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
