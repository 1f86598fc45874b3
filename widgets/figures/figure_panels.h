#pragma once
// Offscreen views for figures made outside the window's own views (`attnx figure`, multi-panel
// exports from the window): each panel gets its own RunDocument, so panels can show different
// layers, heads or runs, while the runs' results are shared, never copied.
#include <QJsonArray>
#include <QList>
#include <QSize>
#include <array>
#include <QString>
#include <memory>
#include <vector>

#include "color_scale.h"
#include "figure_export.h"
#include "run_document.h"

class QWidget;

namespace attnx {

// How heatmaps (and the grid's colours) look in a figure.
struct FigureLook {
  ColorMapKind colorMap = ColorMapKind::Viridis;
  ScaleKind scale = ScaleKind::Linear;
  double gamma = 0.5;       // power scale only
  double rangeUpper = 1.0;  // upper end of the heatmaps' colour range; 0: auto (see below)
  SegmentKind gridKind = SegmentKind::Soft;  // the grid's cells: mass to this kind of token
};


// "(a)", "(b)", ... "(z)", "(aa)", ...
QString panelLetter(int index);

// The size an offscreen view of `viewName` ("heatmap", "layers", "grid") is laid out at: it
// sets the figure's aspect. The grid's cells are square, so its aspect follows layers x heads.
QSize figureViewSize(const QString& viewName, const ModelInfo& model);

class FigurePanelSet {
 public:
  explicit FigurePanelSet(const FigureLook& look = {});
  ~FigurePanelSet();
  FigurePanelSet(const FigurePanelSet&) = delete;
  FigurePanelSet& operator=(const FigurePanelSet&) = delete;

  // A new offscreen view of `viewName` on a document of its own showing `result` at
  // `selection` (clamped to the result). `describe` is what the manifest says about the panel
  // besides its selection (e.g. which run). Throws attnx::Error for an unknown view name.
  QWidget* add(const QString& viewName, std::shared_ptr<const RunResult> result,
               const Selection& selection, const QString& caption,
               const QJsonObject& describe = {});

  // A view over the documents of panels `first` and `second` (two runs of one input): for
  // "layers" both runs' curves overlaid (ComparedCurvesView), for "heatmap" and "grid" the
  // difference first − second (DifferenceHeatmapView, RunDifferenceGridView of the look's
  // gridKind). `labels` name the runs; the manifest's panel is `describe` and the selection.
  QWidget* addComparison(const QString& viewName, int first, int second,
                         std::array<QString, 2> labels, const QString& caption,
                         const QJsonObject& describe = {});

  // Applies the colour range to every heatmap: look.rangeUpper, or with 0 (auto) the largest
  // weight any heatmap panel shows, so that equal colours mean equal weights in every panel.
  // Returns the upper end used (1 when there is no heatmap). Call after the last add().
  double applyColorRange();

  int size() const { return static_cast<int>(views_.size()); }
  QWidget* view(int i) const { return views_[static_cast<std::size_t>(i)].get(); }
  // The document of panel i (for a comparison: that of its first run).
  const RunDocument& document(int i) const { return *viewDocs_[static_cast<std::size_t>(i)]; }
  QList<FigurePanel> panels() const;
  // One object per panel for the manifest's "panels": layer, head, query, step and `describe`.
  QJsonArray manifestPanels() const;

 private:
  FigureLook look_;
  // Documents outlive their views (declared first, destroyed last).
  std::vector<std::unique_ptr<RunDocument>> docs_;
  std::vector<RunDocument*> viewDocs_;  // the document whose selection each panel shows
  std::vector<std::unique_ptr<QWidget>> views_;
  std::vector<QString> captions_;
  std::vector<QJsonObject> describe_;
};

}  // namespace attnx
