#pragma once
// Per-layer curves of two groups of a dataset run (correct vs incorrect by default): for each
// group the mean over its examples of the head-mean attention mass to the chosen kind of segment
// (soft, anchor, BOS, text), with the 95% confidence interval of that mean as a filled band.
// The legend names each group with its size. Clicking selects the nearest layer.
#include <QPointer>
#include <QWidget>
#include <vector>

#include "dataset_document.h"
#include "figure_view.h"

class QCustomPlot;
class QCPGraph;
class QCPItemStraightLine;
class QCPTextElement;
class QLabel;
class QStackedWidget;
class QMouseEvent;

namespace attnx {

class RedrawThrottle;

class GroupCurvesView : public QWidget, public IDatasetViewer, public IFigureView {
  Q_OBJECT
 public:
  explicit GroupCurvesView(DatasetDocument* doc, QWidget* parent = nullptr);
  ~GroupCurvesView() override;

  void onDatasetChanged(const DatasetDocument& doc) override;
  void onDatasetSelectionChanged(const DatasetDocument& doc) override;

  // What is plotted, read back from the plot's graphs: the model layers on the x axis and, per
  // side (0: A, 1: B), the means and the band's lower and upper edges (empty when the group is
  // empty).
  std::vector<int> plottedLayers() const { return layers_; }
  std::vector<double> plottedMeans(int side) const;
  std::vector<double> plottedLower(int side) const;
  std::vector<double> plottedUpper(int side) const;
  QString legendText(int side) const;
  QString titleText() const;
  // Pixel position (this widget's coordinates) of side's mean at layer index i.
  QPoint pointFor(int side, int layerIndex) const;

  // IFigureView
  void refreshNow() override;
  void renderTo(QPainter& painter, const QRectF& target) override;
  QCustomPlot* figurePlot() const override { return plot_; }
  QString figureViewName() const override { return QStringLiteral("group_layers"); }
  QCustomPlot* plot() const { return plot_; }

 private:
  void rebuild();
  void onMouseRelease(QMouseEvent* event);
  void onMouseMove(QMouseEvent* event);

  QPointer<DatasetDocument> doc_;
  RedrawThrottle* throttle_ = nullptr;
  QStackedWidget* stack_ = nullptr;
  QLabel* empty_ = nullptr;
  QCustomPlot* plot_ = nullptr;
  QCPTextElement* title_ = nullptr;
  QCPItemStraightLine* marker_ = nullptr;
  std::vector<int> layers_;
  QCPGraph* mean_[2] = {nullptr, nullptr};
  QCPGraph* lower_[2] = {nullptr, nullptr};
  QCPGraph* upper_[2] = {nullptr, nullptr};
};

}  // namespace attnx
