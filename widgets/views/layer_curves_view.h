#pragma once
// Per-layer curves of the attention mass from the selected query to each kind of segment (soft,
// BOS, anchor, text, generated ...): the mean over heads with a ±1 standard deviation band, and
// optionally the minimum and maximum over heads. Clicking selects the nearest layer.
#include <QPointer>
#include <map>
#include <vector>

#include "document_view.h"
#include "layer_curves_plot.h"
#include "run_document.h"
#include "stable_names.h"

class QCustomPlot;
class QCPGraph;
class QCheckBox;

namespace attnx {

// The curve of one kind of segment in `m`: per layer the mean over heads with a ±1 sd band, in
// the kind's colour and name (the explorer's curves and the overlay of two runs).
LayerCurvesPlot::Curve massCurve(const SegmentMass& m, SegmentKind kind);

class LayerCurvesView : public DocumentView {
  Q_OBJECT
 public:
  explicit LayerCurvesView(RunDocument* doc, QWidget* parent = nullptr);

  // What is plotted, read back from the plot's graphs: the model layers on the x axis and the
  // mean over heads per segment kind (empty for kinds not plotted).
  std::vector<int> plottedLayers() const;
  std::vector<double> plottedMeans(SegmentKind kind) const;
  std::vector<SegmentKind> plottedKinds() const;

  void setShowRange(bool on);  // min / max over heads
  bool showRange() const;
  // Pixel position (this widget's coordinates) of the mean of `kind` at layer index i.
  QPoint pointFor(SegmentKind kind, int layerIndex) const;

  QCustomPlot* plot() const;
  QCustomPlot* figurePlot() const override { return plot(); }
  QString figureViewName() const override { return view_names::kLayers; }

 protected:
  void rebuild() override;
  void renderContentTo(QPainter& painter, const QRectF& target) override;

 private:
  QPointer<RunDocument> doc_;
  LayerCurvesPlot* curves_ = nullptr;
  QCheckBox* rangeBox_ = nullptr;
  std::map<SegmentKind, QCPGraph*> meanGraphs_;
};

}  // namespace attnx
