#include "layer_curves_view.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPicture>
#include <QStackedWidget>
#include <QToolTip>
#include <QVBoxLayout>
#include <cmath>
#include <qcustomplot.h>

#include "plot_figure.h"
#include "redraw_throttle.h"
#include "segment_style.h"
#include "view_data.h"

namespace attnx {

LayerCurvesView::LayerCurvesView(RunDocument* doc, QWidget* parent) : QWidget(parent), doc_(doc) {
  throttle_ = new RedrawThrottle([this] { rebuild(); }, this);
  rangeBox_ = new QCheckBox(tr("Show min / max over heads"), this);
  rangeBox_->setToolTip(tr("Add dotted curves for the smallest and largest head of each layer"));

  plot_ = new QCustomPlot(this);
  plot_->setMouseTracking(true);
  title_ =
      new QCPTextElement(plot_, QString(), QFont(font().family(), font().pointSize(), QFont::Bold));
  plot_->plotLayout()->insertRow(0);
  plot_->plotLayout()->addElement(0, 0, title_);
  plot_->xAxis->setLabel(tr("layer"));
  plot_->yAxis->setLabel(tr("attention mass"));
  plot_->yAxis->setRange(0, 1);
  auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
  ticker->setTickStep(1.0);
  ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
  plot_->xAxis->setTicker(ticker);
  plot_->xAxis->setSubTicks(false);
  plot_->legend->setVisible(true);
  plot_->legend->setBrush(QColor(255, 255, 255, 210));
  plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
  marker_ = new QCPItemStraightLine(plot_);
  marker_->setPen(QPen(QColor(40, 40, 40), 1.5, Qt::DashLine));
  marker_->setSelectable(false);

  empty_ = new QLabel(tr("No run yet.\nThe per-layer attention curves appear after a run."), this);
  empty_->setAlignment(Qt::AlignCenter);
  empty_->setWordWrap(true);
  empty_->setEnabled(false);
  auto* page = new QWidget(this);
  auto* pageLayout = new QVBoxLayout(page);
  pageLayout->setContentsMargins(0, 0, 0, 0);
  auto* controls = new QHBoxLayout;
  controls->addWidget(rangeBox_);
  controls->addStretch(1);
  pageLayout->addLayout(controls);
  pageLayout->addWidget(plot_, 1);
  stack_ = new QStackedWidget(this);
  stack_->addWidget(empty_);
  stack_->addWidget(page);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(stack_);
  setToolTip(
      tr("How much of the selected query's attention goes to each kind of token, layer "
         "by layer. Click near a layer to select it."));

  connect(rangeBox_, &QCheckBox::toggled, this, [this] { rebuild(); });
  connect(plot_, &QCustomPlot::mouseRelease, this, &LayerCurvesView::onMouseRelease);
  connect(plot_, &QCustomPlot::mouseMove, this, &LayerCurvesView::onMouseMove);
  if (doc_) doc_->addViewer(this);
  rebuild();
}

LayerCurvesView::~LayerCurvesView() {
  if (doc_) doc_->removeViewer(this);
}

void LayerCurvesView::onRunChanged(const RunDocument&) { throttle_->request(); }
void LayerCurvesView::onSelectionChanged(const RunDocument&) { throttle_->request(); }
void LayerCurvesView::refreshNow() { throttle_->flush(); }

void LayerCurvesView::setShowRange(bool on) {
  rangeBox_->setChecked(on);
  refreshNow();
}

void LayerCurvesView::rebuild() {
  plot_->clearGraphs();
  meanGraphs_.clear();
  layers_.clear();
  const std::optional<SegmentMass> m = doc_ ? selectedSegmentMass(*doc_) : std::nullopt;
  if (!m || m->layers.empty()) {
    empty_->setText(!doc_ || !doc_->result()
                        ? tr("No run yet.\nThe per-layer attention curves appear after a run.")
                        : tr("The selected query's row was not captured in this run."));
    stack_->setCurrentWidget(empty_);
    return;
  }
  stack_->setCurrentIndex(1);
  layers_ = m->layers;
  const RunResult& r = *doc_->result();
  const Selection& s = doc_->selection();
  QVector<double> x;
  for (int l : layers_) x.append(l);

  for (SegmentKind kind : allSegmentKinds()) {
    if (kind == SegmentKind::Pad || !m->has(kind)) continue;
    QVector<double> mean, lo, hi, mn, mx;
    for (std::size_t i = 0; i < layers_.size(); ++i) {
      const HeadSummary h = m->summary(kind, i);
      mean.append(h.mean);
      lo.append(h.mean - h.std);
      hi.append(h.mean + h.std);
      mn.append(h.min);
      mx.append(h.max);
    }
    const QColor c = segmentColor(kind);
    QColor band = c;
    band.setAlpha(45);
    // The ±1 sd band: a lower edge and an upper edge filled down to it.
    QCPGraph* lower = plot_->addGraph();
    lower->setData(x, lo, true);
    lower->setPen(Qt::NoPen);
    lower->removeFromLegend();
    QCPGraph* upper = plot_->addGraph();
    upper->setData(x, hi, true);
    upper->setPen(Qt::NoPen);
    upper->setBrush(band);
    upper->setChannelFillGraph(lower);
    upper->removeFromLegend();
    if (rangeBox_->isChecked()) {
      for (const QVector<double>* v : {&mn, &mx}) {
        QCPGraph* g = plot_->addGraph();
        g->setData(x, *v, true);
        g->setPen(QPen(c, 1.0, Qt::DotLine));
        g->removeFromLegend();
      }
    }
    QCPGraph* g = plot_->addGraph();
    g->setData(x, mean, true);
    g->setPen(QPen(c, 2.0));
    g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, c, Qt::white, 6));
    g->setName(segmentLabel(kind));
    meanGraphs_[kind] = g;
  }
  plot_->xAxis->setRange(layers_.front() - 0.5, layers_.back() + 0.5);
  plot_->yAxis->setRange(-0.02, 1.02);
  marker_->point1->setCoords(s.layer, 0);
  marker_->point2->setCoords(s.layer, 1);
  const QString from = s.step < 0
                           ? tr("query %1 %2")
                                 .arg(m->queryPosition)
                                 .arg(visibleToken(tokenText(r, s.batchRow, m->queryPosition), 16))
                           : tr("step %1 (query %2)").arg(s.step).arg(m->queryPosition);
  title_->setText(tr("Attention from %1 by layer (mean over heads, band ±1 sd) · "
                     "selected layer %2")
                      .arg(from)
                      .arg(s.layer));
  plot_->replot();
}

std::vector<double> LayerCurvesView::plottedMeans(SegmentKind kind) const {
  std::vector<double> out;
  const auto it = meanGraphs_.find(kind);
  if (it == meanGraphs_.end()) return out;
  for (auto d = it->second->data()->constBegin(); d != it->second->data()->constEnd(); ++d)
    out.push_back(d->value);
  return out;
}

std::vector<SegmentKind> LayerCurvesView::plottedKinds() const {
  std::vector<SegmentKind> out;
  for (const auto& [kind, graph] : meanGraphs_) out.push_back(kind);
  return out;
}

QPoint LayerCurvesView::pointFor(SegmentKind kind, int layerIndex) const {
  const std::vector<double> means = plottedMeans(kind);
  if (layerIndex < 0 || layerIndex >= static_cast<int>(means.size())) return QPoint();
  const QPointF p(plot_->xAxis->coordToPixel(layers_[static_cast<std::size_t>(layerIndex)]),
                  plot_->yAxis->coordToPixel(means[static_cast<std::size_t>(layerIndex)]));
  return plot_->mapTo(this, p.toPoint());
}

void LayerCurvesView::onMouseRelease(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton || layers_.empty() || !doc_) return;
  if (!plot_->axisRect()->rect().contains(event->position().toPoint())) return;
  doc_->setLayer(nearestLayer(plot_, layers_, event->position().x()));
}

void LayerCurvesView::onMouseMove(QMouseEvent* event) {
  if (layers_.empty() || !plot_->axisRect()->rect().contains(event->position().toPoint())) {
    QToolTip::hideText();
    return;
  }
  const double x = plot_->xAxis->pixelToCoord(event->position().x());
  std::size_t best = 0;
  for (std::size_t i = 0; i < layers_.size(); ++i)
    if (std::abs(layers_[i] - x) < std::abs(layers_[best] - x)) best = i;
  QStringList lines{tr("Layer %1").arg(layers_[best])};
  for (const auto& [kind, graph] : meanGraphs_) {
    const auto d = graph->data()->at(static_cast<int>(best));
    lines << tr("%1: %2").arg(segmentLabel(kind)).arg(d->value, 0, 'f', 3);
  }
  QToolTip::showText(event->globalPosition().toPoint(), lines.join(QLatin1Char('\n')), plot_);
}

void LayerCurvesView::renderTo(QPainter& painter, const QRectF& target) {
  refreshNow();
  renderPlotTo(plot_, painter, target);
}

}  // namespace attnx
