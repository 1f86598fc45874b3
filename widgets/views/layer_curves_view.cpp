#include "layer_curves_view.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include "layer_curves_plot.h"
#include "plot_figure.h"
#include "segment_style.h"
#include "view_data.h"

namespace attnx {

LayerCurvesPlot::Curve massCurve(const SegmentMass& m, SegmentKind kind) {
  LayerCurvesPlot::Curve c;
  c.name = segmentLabel(kind);
  c.color = segmentColor(kind);
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    const HeadSummary h = m.summary(kind, i);
    c.mean.append(h.mean);
    c.lower.append(h.mean - h.std);
    c.upper.append(h.mean + h.std);
  }
  return c;
}

LayerCurvesView::LayerCurvesView(RunDocument* doc, QWidget* parent)
    : DocumentView(parent), doc_(doc) {
  auto* page = new QWidget(this);
  rangeBox_ = new QCheckBox(tr("Show min / max over heads"), page);
  rangeBox_->setToolTip(tr("Add dotted curves for the smallest and largest head of each layer"));
  curves_ = new LayerCurvesPlot(page);
  curves_->plot()->yAxis->setLabel(tr("attention mass"));
  auto* pageLayout = new QVBoxLayout(page);
  pageLayout->setContentsMargins(0, 0, 0, 0);
  auto* controls = new QHBoxLayout;
  controls->addWidget(rangeBox_);
  controls->addStretch(1);
  pageLayout->addLayout(controls);
  pageLayout->addWidget(curves_->plot(), 1);
  setContent(page);
  setToolTip(
      tr("How much of the selected query's attention goes to each kind of token, layer "
         "by layer. Click near a layer to select it."));

  curves_->onLayerClicked = [this](int layer) {
    if (doc_) doc_->setLayer(layer);
  };
  curves_->hoverLines = [this](std::size_t i) {
    QStringList lines{tr("Layer %1").arg(curves_->layers()[i])};
    for (const auto& [kind, graph] : meanGraphs_)
      lines << tr("%1: %2")
                   .arg(segmentLabel(kind))
                   .arg(graph->data()->at(static_cast<int>(i))->value, 0, 'f', 3);
    return lines;
  };
  connect(rangeBox_, &QCheckBox::toggled, this, [this] { rebuild(); });
  follow(doc_);
  rebuild();
}

QCustomPlot* LayerCurvesView::plot() const { return curves_->plot(); }

std::vector<int> LayerCurvesView::plottedLayers() const { return curves_->layers(); }

bool LayerCurvesView::showRange() const { return rangeBox_->isChecked(); }

void LayerCurvesView::setShowRange(bool on) {
  rangeBox_->setChecked(on);
  refreshNow();
}

void LayerCurvesView::rebuild() {
  meanGraphs_.clear();
  static const std::optional<SegmentMass> kNone;
  const std::optional<SegmentMass>& m = doc_ ? doc_->selectedMass() : kNone;
  if (!m || m->layers.empty()) {
    curves_->reset({});
    showEmpty(!doc_ || !doc_->result()
                  ? tr("No run yet.\nThe per-layer attention curves appear after a run.")
                  : tr("The selected query's row was not captured in this run."));
    return;
  }
  showContent();
  curves_->reset(m->layers);
  const RunResult& r = *doc_->result();
  const Selection& s = doc_->selection();
  for (SegmentKind kind : allSegmentKinds()) {
    if (kind == SegmentKind::Pad || !m->has(kind)) continue;
    const LayerCurvesPlot::Curve c = massCurve(*m, kind);
    QVector<double> mn, mx;
    for (std::size_t i = 0; i < m->layers.size(); ++i) {
      const HeadSummary h = m->summary(kind, i);
      mn.append(h.min);
      mx.append(h.max);
    }
    if (rangeBox_->isChecked())
      for (const QVector<double>* v : {&mn, &mx}) curves_->addLine(*v, QPen(c.color, 1.0, Qt::DotLine));
    meanGraphs_[kind] = curves_->addCurve(c).mean;
  }
  curves_->setYRange(-0.02, 1.02);
  curves_->setMarker(s.layer);
  const QString from = !s.step
                           ? tr("query %1 %2")
                                 .arg(m->queryPosition)
                                 .arg(quotedToken(tokenText(r, s.batchRow, m->queryPosition), 16))
                           : tr("step %1 (query %2)").arg(*s.step).arg(m->queryPosition);
  curves_->title()->setText(
      tr("Attention from %1 by layer (mean over heads, band ±1 sd)").arg(from));
  curves_->replot();
}

std::vector<double> LayerCurvesView::plottedMeans(SegmentKind kind) const {
  const auto it = meanGraphs_.find(kind);
  return it == meanGraphs_.end() ? std::vector<double>{} : LayerCurvesPlot::values(it->second);
}

std::vector<SegmentKind> LayerCurvesView::plottedKinds() const {
  std::vector<SegmentKind> out;
  for (const auto& [kind, graph] : meanGraphs_) out.push_back(kind);
  return out;
}

QPoint LayerCurvesView::pointFor(SegmentKind kind, int layerIndex) const {
  const auto it = meanGraphs_.find(kind);
  return it == meanGraphs_.end() ? QPoint() : curves_->pointFor(it->second, layerIndex, this);
}

void LayerCurvesView::renderContentTo(QPainter& painter, const QRectF& target) {
  curves_->renderTo(painter, target, figureMarks().layer);
}

}  // namespace attnx
