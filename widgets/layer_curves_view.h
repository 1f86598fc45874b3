#pragma once
// Per-layer curves of the attention mass from the selected query to each kind of segment (soft,
// BOS, anchor, text, generated ...): the mean over heads with a ±1 standard deviation band, and
// optionally the minimum and maximum over heads. Clicking selects the nearest layer.
#include <QPointer>
#include <QWidget>
#include <map>
#include <vector>

#include "figure_view.h"
#include "run_document.h"
#include "stable_names.h"

class QCustomPlot;
class QCPGraph;
class QCPItemStraightLine;
class QCPTextElement;
class QCheckBox;
class QLabel;
class QStackedWidget;
class QMouseEvent;

namespace attnx {

class RedrawThrottle;

class LayerCurvesView : public QWidget, public IRunViewer, public IFigureView {
  Q_OBJECT
 public:
  explicit LayerCurvesView(RunDocument* doc, QWidget* parent = nullptr);
  ~LayerCurvesView() override;

  void onRunChanged(const RunDocument& doc) override;
  void onSelectionChanged(const RunDocument& doc) override;

  // What is plotted, read back from the plot's graphs: the model layers on the x axis and the
  // mean over heads per segment kind (empty for kinds not plotted).
  std::vector<int> plottedLayers() const { return layers_; }
  std::vector<double> plottedMeans(SegmentKind kind) const;
  std::vector<SegmentKind> plottedKinds() const;

  void setShowRange(bool on);  // min / max over heads
  // Pixel position (this widget's coordinates) of the mean of `kind` at layer index i.
  QPoint pointFor(SegmentKind kind, int layerIndex) const;

  QCustomPlot* plot() const { return plot_; }
  void renderTo(QPainter& painter, const QRectF& target) override;
  void refreshNow() override;
  QCustomPlot* figurePlot() const override { return plot_; }
  QString figureViewName() const override { return view_names::kLayers; }

 private:
  void rebuild();
  void onMouseRelease(QMouseEvent* event);
  void onMouseMove(QMouseEvent* event);

  QPointer<RunDocument> doc_;
  RedrawThrottle* throttle_ = nullptr;
  QStackedWidget* stack_ = nullptr;
  QLabel* empty_ = nullptr;
  QCustomPlot* plot_ = nullptr;
  QCPTextElement* title_ = nullptr;
  QCPItemStraightLine* marker_ = nullptr;
  QCheckBox* rangeBox_ = nullptr;
  std::vector<int> layers_;
  std::map<SegmentKind, QCPGraph*> meanGraphs_;
};

}  // namespace attnx
