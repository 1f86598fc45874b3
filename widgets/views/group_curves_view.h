#pragma once
// Per-layer curves of two groups of a dataset run (correct vs incorrect by default): for each
// group the mean over its examples of the head-mean attention mass to the chosen kind of segment
// (soft, anchor, BOS, text), with the 95% confidence interval of that mean as a filled band.
// The legend names each group with its size. Clicking selects the nearest layer.
#include <QPointer>
#include <vector>

#include "dataset_document.h"
#include "stable_names.h"
#include "document_view.h"
#include "layer_curves_plot.h"

class QCustomPlot;

namespace attnx {

class GroupCurvesView : public DocumentView {
  Q_OBJECT
 public:
  explicit GroupCurvesView(DatasetDocument* doc, QWidget* parent = nullptr);

  // What is plotted, read back from the plot's graphs: the model layers on the x axis and, per
  // side (0: A, 1: B), the means and the band's lower and upper edges (empty when the group is
  // empty).
  std::vector<int> plottedLayers() const { return curves_->layers(); }
  std::vector<double> plottedMeans(int side) const;
  std::vector<double> plottedLower(int side) const;
  std::vector<double> plottedUpper(int side) const;
  QString legendText(int side) const;
  QString titleText() const;
  // Pixel position (this widget's coordinates) of side's mean at layer index i.
  QPoint pointFor(int side, int layerIndex) const;

  QCustomPlot* figurePlot() const override { return curves_->plot(); }
  QString figureViewName() const override { return view_names::kGroupLayers; }
  QCustomPlot* plot() const { return curves_->plot(); }

 protected:
  void rebuild() override;
  void renderContentTo(QPainter& painter, const QRectF& target) override;

 private:
  QPointer<DatasetDocument> doc_;
  LayerCurvesPlot* curves_ = nullptr;
  LayerCurvesPlot::CurveGraphs graphs_[2];
};

}  // namespace attnx
