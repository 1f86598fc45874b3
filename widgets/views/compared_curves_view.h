#pragma once
// The per-layer curves of two runs of one input overlaid in one plot (`attnx figure --view
// layers --compare-…`): per kind of segment the mean over heads with its ±1 sd band, the first
// run solid with circles, the second dashed with squares, in the kind's colour. The legend names
// each kind once and each run once by its line style, so it stays small. A kind that only one run
// has (the soft tokens when the other run has none) is drawn for that run only. Follows both
// documents; each uses its own query (the same token, moved by a different prefix length).
#include <QPointer>
#include <QString>
#include <array>
#include <map>
#include <vector>

#include "document_view.h"
#include "run_document.h"
#include "stable_names.h"

class QCustomPlot;
class QCPGraph;

namespace attnx {

class LayerCurvesPlot;

class ComparedCurvesView : public DocumentView {
  Q_OBJECT
 public:
  // `labels` name the runs in the legend (e.g. "with soft tokens", "without soft tokens").
  ComparedCurvesView(RunDocument* first, RunDocument* second, std::array<QString, 2> labels,
                     QWidget* parent = nullptr);

  // What is plotted, read back from the plot's graphs: the model layers, and per run (0, 1) and
  // kind the mean over heads (empty when that run has no such kind).
  std::vector<int> plottedLayers() const;
  std::vector<double> plottedMeans(int run, SegmentKind kind) const;
  // The legend's entries, top to bottom.
  QStringList legendNames() const;
  QString titleText() const;

  QCustomPlot* plot() const;
  QCustomPlot* figurePlot() const override { return plot(); }
  QString figureViewName() const override { return view_names::kLayersComparison; }

 protected:
  void rebuild() override;
  void renderContentTo(QPainter& painter, const QRectF& target) override;

 private:
  std::array<QPointer<RunDocument>, 2> docs_;
  std::array<QString, 2> labels_;
  LayerCurvesPlot* curves_ = nullptr;
  std::array<std::map<SegmentKind, QCPGraph*>, 2> meanGraphs_;
};

}  // namespace attnx
