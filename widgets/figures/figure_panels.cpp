#include "figure_panels.h"

#include <QJsonObject>
#include <QWidget>
#include <algorithm>
#include <cmath>

#include "compared_curves_view.h"
#include "difference_heatmap_view.h"
#include "error.h"
#include "head_grid_view.h"
#include "heatmap_view.h"
#include "layer_curves_view.h"
#include "run_difference_grid_view.h"
#include "stable_names.h"

namespace attnx {


QString panelLetter(int index) {
  QString letters;
  for (int i = index; i >= 0; i = i / 26 - 1) letters.prepend(QChar('a' + i % 26));
  return QStringLiteral("(%1)").arg(letters);
}

QSize figureViewSize(const QString& viewName, const ModelInfo& model) {
  if (viewName == view_names::kLayers) return {800, 520};
  if (viewName == view_names::kGrid) {
    // Square cells: an aspect that fits layers x heads leaves no blank band.
    const double aspect =
        std::clamp(0.95 * model.layers / std::max(1, model.heads) + 0.2, 0.3, 1.5);
    return {800, static_cast<int>(std::lround(800 * aspect))};
  }
  return {720, 640};
}

FigurePanelSet::FigurePanelSet(const FigureLook& look) : look_(look) {}

FigurePanelSet::~FigurePanelSet() {
  // Views first: they unregister from their documents.
  views_.clear();
  docs_.clear();
}

QWidget* FigurePanelSet::add(const QString& viewName, std::shared_ptr<const RunResult> result,
                             const Selection& selection, const QString& caption,
                             const QJsonObject& describe) {
  auto doc = std::make_unique<RunDocument>();
  std::unique_ptr<QWidget> view;
  if (viewName == view_names::kHeatmap) {
    auto* h = new HeatmapView(doc.get());
    h->setColorMap(look_.colorMap);
    h->setScaleKind(look_.scale, look_.gamma);
    view.reset(h);
  } else if (viewName == view_names::kLayers) {
    view.reset(new LayerCurvesView(doc.get()));
  } else if (viewName == view_names::kGrid) {
    auto* g = new HeadGridView(doc.get());
    g->setColorMap(look_.colorMap);
    g->setMetric(HeadGridView::Metric::SegmentMass, look_.gridKind);
    view.reset(g);
  } else {
    throw Error("unknown figure view '" + viewName.toStdString() + "'");
  }
  // The widget's size sets the figure's aspect (height / width); it is never shown.
  view->setAttribute(Qt::WA_DontShowOnScreen);
  view->resize(figureViewSize(viewName, result ? result->model : ModelInfo{}));
  doc->setResult(std::move(result));
  doc->setSelection(selection);
  viewDocs_.push_back(doc.get());
  docs_.push_back(std::move(doc));
  views_.push_back(std::move(view));
  captions_.push_back(caption);
  describe_.push_back(describe);
  return views_.back().get();
}

QWidget* FigurePanelSet::addComparison(const QString& viewName, int first, int second,
                                       std::array<QString, 2> labels, const QString& caption,
                                       const QJsonObject& describe) {
  RunDocument* a = viewDocs_.at(static_cast<std::size_t>(first));
  RunDocument* b = viewDocs_.at(static_cast<std::size_t>(second));
  std::unique_ptr<QWidget> view;
  if (viewName == view_names::kLayers)
    view.reset(new ComparedCurvesView(a, b, std::move(labels)));
  else if (viewName == view_names::kHeatmap) {
    auto* d = new DifferenceHeatmapView(a, b);
    d->setBarLabel(QObject::tr("weight difference"));  // the caption says which minus which
    view.reset(d);
  } else if (viewName == view_names::kGrid)
    view.reset(new RunDifferenceGridView(a, b, std::move(labels), look_.gridKind));
  else
    throw Error("unknown figure view '" + viewName.toStdString() + "'");
  view->setAttribute(Qt::WA_DontShowOnScreen);
  QSize size = figureViewSize(viewName, a->result() ? a->result()->model : ModelInfo{});
  // The overlay's legend names kinds and runs: more entries, above the plot in a column, so the
  // figure is higher than a single run's to leave the curves their room.
  if (viewName == view_names::kLayers) size.setHeight(size.width() * 4 / 5);
  view->resize(size);
  viewDocs_.push_back(a);
  views_.push_back(std::move(view));
  captions_.push_back(caption);
  describe_.push_back(describe);
  return views_.back().get();
}

double FigurePanelSet::applyColorRange() {
  std::vector<HeatmapView*> heatmaps;
  for (const auto& v : views_)
    if (auto* h = qobject_cast<HeatmapView*>(v.get())) heatmaps.push_back(h);
  if (heatmaps.empty()) return 1.0;
  double upper = look_.rangeUpper;
  if (!(upper > 0)) {
    upper = 0.0;
    for (HeatmapView* h : heatmaps) {
      h->refreshNow();  // the matrix of the panel's selection, not a pending one
      upper = std::max(upper, h->fittedUpper());
    }
    if (!(upper > 0)) upper = 1.0;
  }
  for (HeatmapView* h : heatmaps) h->setRangeUpper(upper);
  return upper;
}

QList<FigurePanel> FigurePanelSet::panels() const {
  QList<FigurePanel> list;
  for (std::size_t i = 0; i < views_.size(); ++i) list.append({views_[i].get(), captions_[i]});
  return list;
}

QJsonArray FigurePanelSet::manifestPanels() const {
  QJsonArray list;
  for (std::size_t i = 0; i < views_.size(); ++i) {
    QJsonObject p = describe_[i];
    writeManifestSelection(*viewDocs_[i], &p);
    list.append(p);
  }
  return list;
}

}  // namespace attnx
