#include "group_curves_view.h"

#include <algorithm>
#include <qcustomplot.h>

#include "dataset_view_data.h"
#include "plot_figure.h"

namespace attnx {

GroupCurvesView::GroupCurvesView(DatasetDocument* doc, QWidget* parent)
    : DocumentView(parent), doc_(doc) {
  curves_ = new LayerCurvesPlot(this);
  setContent(curves_->plot());
  setToolTip(
      tr("Per layer: the mean over a group's examples of the attention mass (mean over heads) "
         "from the query to one kind of token, with the 95% confidence interval of that mean. "
         "Click near a layer to select it."));
  curves_->onLayerClicked = [this](int layer) {
    if (doc_) doc_->setLayer(layer);
  };
  curves_->hoverLines = [this](std::size_t i) {
    QStringList lines{tr("Layer %1").arg(curves_->layers()[i])};
    if (!doc_) return lines;
    const std::size_t k = kindIndex(doc_->kind());
    for (int side = 0; side < 2; ++side) {
      const std::vector<MeanCi>& by = doc_->group(side).byLayer[k];
      if (!graphs_[side].mean || i >= by.size()) continue;
      lines << tr("%1: %2 [%3, %4]")
                   .arg(doc_->groupName(side))
                   .arg(by[i].mean, 0, 'f', 3)
                   .arg(by[i].lo, 0, 'f', 3)
                   .arg(by[i].hi, 0, 'f', 3);
    }
    return lines;
  };
  follow(doc_);
  rebuild();
}

void GroupCurvesView::rebuild() {
  for (auto& g : graphs_) g = {};
  if (!doc_ || !doc_->results(0)) {
    curves_->reset({});
    showEmpty(tr("No dataset results loaded.\nRun a dataset or open its stats.json."));
    return;
  }
  const SegmentKind kind = doc_->kind();
  const std::size_t k = kindIndex(kind);
  std::vector<int> layers;
  for (int side = 0; side < 2 && layers.empty(); ++side)
    if (doc_->group(side).n() > 0 && !doc_->group(side).byLayer[k].empty())
      layers = groupLayers(*doc_, side, doc_->group(side).byLayer[k].size());
  if (layers.empty()) {
    curves_->reset({});
    showEmpty(tr("Both groups are empty.\nChoose other groups in the toolbar."));
    return;
  }
  showContent();
  curves_->reset(layers);
  double lowest = 1.0, highest = 0.0;
  for (int side = 0; side < 2; ++side) {
    const GroupStats& g = doc_->group(side);
    const std::vector<MeanCi>& by = g.byLayer[k];
    if (g.n() == 0 || by.empty()) continue;
    LayerCurvesPlot::Curve c;
    c.name = doc_->groupName(side);
    c.color = groupColor(side);
    c.marker = side == 0 ? QCPScatterStyle::ssCircle : QCPScatterStyle::ssSquare;
    c.bandAlpha = 55;
    c.bandEdges = true;
    for (const MeanCi& m : by) {
      c.mean.append(m.mean);
      c.lower.append(m.lo);
      c.upper.append(m.hi);
      lowest = std::min(lowest, static_cast<double>(m.lo));
      highest = std::max(highest, static_cast<double>(m.hi));
    }
    graphs_[side] = curves_->addCurve(c);
  }
  // The data's own range with a margin (room for the legend above), never beyond [0, 1]: group
  // differences are often a few hundredths and would vanish on the full scale.
  const double span = std::max(highest - lowest, 0.02);
  curves_->setYRange(std::max(0.0, lowest - 0.12 * span), std::min(1.0, highest + 0.45 * span));
  curves_->plot()->yAxis->setLabel(massName(kind));
  const int layer = doc_->layer();
  curves_->setMarker(layer >= 0 ? std::optional<int>(layer) : std::nullopt);
  curves_->title()->setText(
      tr("Attention %1 by layer · mean over examples, band 95% CI").arg(massName(kind)));
  curves_->replot();
}

std::vector<double> GroupCurvesView::plottedMeans(int side) const {
  return LayerCurvesPlot::values(side == 0 || side == 1 ? graphs_[side].mean : nullptr);
}
std::vector<double> GroupCurvesView::plottedLower(int side) const {
  return LayerCurvesPlot::values(side == 0 || side == 1 ? graphs_[side].lower : nullptr);
}
std::vector<double> GroupCurvesView::plottedUpper(int side) const {
  return LayerCurvesPlot::values(side == 0 || side == 1 ? graphs_[side].upper : nullptr);
}

QString GroupCurvesView::legendText(int side) const {
  if ((side != 0 && side != 1) || !graphs_[side].mean) return {};
  return graphs_[side].mean->name();
}

QString GroupCurvesView::titleText() const { return curves_->title()->text(); }

QPoint GroupCurvesView::pointFor(int side, int layerIndex) const {
  if (side != 0 && side != 1) return QPoint();
  return curves_->pointFor(graphs_[side].mean, layerIndex, this);
}

void GroupCurvesView::renderContentTo(QPainter& painter, const QRectF& target) {
  curves_->renderTo(painter, target, figureMarks().layer);
}

}  // namespace attnx
