#pragma once
// The per-layer curves plot of the explorer's layer view and the comparison's group curves: a
// title row, the model layers on an integer axis, the legend inside the plot, a dashed marker at
// one layer, and curves each drawn as a mean line over a filled band. Clicks select the nearest
// layer and hovering reads the values there, through the owner's callbacks.
#include <QColor>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>
#include <functional>
#include <optional>
#include <vector>
#include <qcustomplot.h>

class QWidget;

namespace attnx {

class LayerCurvesPlot : public QObject {
  Q_OBJECT
 public:
  explicit LayerCurvesPlot(QWidget* parent);

  QCustomPlot* plot() const { return plot_; }
  QCPTextElement* title() const { return title_; }

  struct Curve {
    QString name;    // in the legend
    QColor color;
    QVector<double> mean, lower, upper;  // per layer of layers()
    QCPScatterStyle::ScatterShape marker = QCPScatterStyle::ssCircle;
    int bandAlpha = 45;
    bool bandEdges = false;  // thin edges keep a narrow or overlapped band visible
  };
  // Removes every curve; `layers` are the x positions of the curves added next.
  void reset(std::vector<int> layers);
  const std::vector<int>& layers() const { return layers_; }
  // The graphs of a curve, which hold the plotted values.
  struct CurveGraphs {
    QCPGraph* mean = nullptr;
    QCPGraph* lower = nullptr;
    QCPGraph* upper = nullptr;
  };
  CurveGraphs addCurve(const Curve& curve);
  // Adds a thin line without band or legend entry (min / max over heads).
  void addLine(const QVector<double>& values, const QPen& pen);

  void setMarker(std::optional<int> layer);
  void setYRange(double lower, double upper);
  void replot();

  // Pixel position (in `widget`) of value `index` of `graph`.
  QPoint pointFor(const QCPGraph* graph, int index, const QWidget* widget) const;
  // The values a graph plots.
  static std::vector<double> values(const QCPGraph* graph);

  // The layer the user clicked, and the lines to show for the layer hovered (by index).
  std::function<void(int layer)> onLayerClicked;
  std::function<QStringList(std::size_t index)> hoverLines;

 private:
  std::optional<std::size_t> indexAt(const QPointF& pixel) const;

  QCustomPlot* plot_ = nullptr;
  QCPTextElement* title_ = nullptr;
  QCPItemStraightLine* marker_ = nullptr;
  std::vector<int> layers_;
};

}  // namespace attnx
