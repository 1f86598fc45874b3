#pragma once
// The per-layer curves plot of the explorer's layer view and the comparison's group curves: a
// title row, the model layers on an integer axis, a legend that never covers data (in the first
// corner of the plot free of lines, markers and bands, else above or beside it; placed after
// every layout, so at every figure size), a dashed marker at one layer, and curves each drawn as a
// mean line over a filled band. Clicks select the nearest
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
class QPainter;

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
    Qt::PenStyle line = Qt::SolidLine;  // of the mean; a second run overlaid is dashed
    bool inLegend = true;               // false: the legend names it through another entry
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
  // Adds a legend entry without data: how a line style or marker reads (a run of an overlay).
  void addLegendEntry(const QString& name, const QPen& pen, QCPScatterStyle::ScatterShape marker);

  void setMarker(std::optional<int> layer);
  // Draws the plot into `target` for a figure: the marker only when `markLayer`.
  void renderTo(QPainter& painter, const QRectF& target, bool markLayer);
  void setYRange(double lower, double upper);
  void replot();

  // Pixel position (in `widget`) of value `index` of `graph`.
  QPoint pointFor(const QCPGraph* graph, int index, const QWidget* widget) const;
  // The values a graph plots.
  static std::vector<double> values(const QCPGraph* graph);

  // Where the legend sits: inside, in a corner free of data; else above the plot, or beside it
  // when the plot is much wider than high.
  enum class LegendPlace { Inside, Above, Beside };
  LegendPlace legendPlace() const { return legendPlace_; }

  // The layer the user clicked, and the lines to show for the layer hovered (by index).
  std::function<void(int layer)> onLayerClicked;
  std::function<QStringList(std::size_t index)> hoverLines;

 private:
  std::optional<std::size_t> indexAt(const QPointF& pixel) const;
  // After each layout: moves the legend to where it covers no data.
  void placeLegend();
  void setLegendPlace(LegendPlace place);
  // Whether anything plotted (a line with its markers, a band) enters `box` (pixels).
  bool coversData(const QRectF& box) const;

  QCustomPlot* plot_ = nullptr;
  QCPTextElement* title_ = nullptr;
  QCPItemStraightLine* marker_ = nullptr;
  std::vector<int> layers_;
  LegendPlace legendPlace_ = LegendPlace::Inside;
  // Outside the plot the legend sits in this grid, which keeps it at its own size, centred on the
  // side of the plot it is on (a grid cell would stretch it to the cell).
  QCPLayoutGrid* body_ = nullptr;  // the axis rect and the holder, in the axis rect's cell
  QCPLayoutGrid* holder_ = nullptr;
};

}  // namespace attnx
