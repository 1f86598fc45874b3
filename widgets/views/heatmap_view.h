#pragma once
// The [query x key] attention of the selected layer for one head or the mean / max over heads
// (the forward pass, or the single row of a generation step), with token labels, segment
// boundaries, a colour bar, hover read-out, zoom and pan. Clicking a cell selects its query.
#include <QPointer>
#include <array>
#include <vector>

#include "color_scale.h"
#include "run_document.h"
#include "stable_names.h"
#include "token_matrix_view.h"
#include "view_data.h"

class QComboBox;
class QDoubleSpinBox;
class QCheckBox;
class QToolButton;
class QLabel;
class QStackedWidget;
class QMouseEvent;

namespace attnx {

class RedrawThrottle;

class HeatmapView : public TokenMatrixView {
  Q_OBJECT
 public:
  explicit HeatmapView(RunDocument* doc, QWidget* parent = nullptr);

  // What is drawn, row-major [displayedRows x displayedKeys] (before any colour scaling).
  std::vector<float> displayedValues() const { return values_; }
  // The top of the fitted colour range: the largest weight of the rows with more than one
  // allowed key (largestInformativeWeight).
  double fittedUpper() const { return largestInformativeWeight(values_, rows_, keys_); }
  int displayedRows() const { return rows_; }
  int displayedKeys() const { return keys_; }
  // Absolute query position of each displayed row.
  const std::vector<int>& displayedQueryPositions() const { return rowPositions_; }

  ColorScale colorScale() const { return scale_; }
  void setColorMap(ColorMapKind map);
  void setScaleKind(ScaleKind scale, double gamma = 0.5);
  // Short texts on the zoom buttons ("Prefix", "Reset"; their tooltips say more), for views
  // that share a row with others: the row of controls sets how narrow the view can be.
  void setCompactControls(bool compact);
  // "Fit range": the colours span 0 to the largest weight shown instead of 0 to 1.
  void setFitRange(bool on);
  bool fitRange() const;
  // A fixed upper end of the colour range (lower end 0), overriding the fit: panels of one
  // figure share it so that equal colours mean equal weights. 0 returns to 1 or the fit.
  void setRangeUpper(double upper);

  // Centre of cell (row, key) in this widget's coordinates (tests, automation).
  QPoint cellCenter(int row, int key) const;
  // The hover read-out currently shown.
  QString hoverText() const;

  // The shown key and query ranges {x0, x1, y0, y1} (zoom and pan), and setting them (sessions).
  std::array<double, 4> zoomRange() const;
  void setZoomRange(const std::array<double, 4>& range);
  // Zooms to the soft tokens, BOS and anchor (the keys from the first to the last of them, and the
  // captured rows among those positions): a long prompt otherwise leaves them a sliver. False,
  // and nothing changes, when the input has none of them.
  bool zoomToPrefix();
  QString figureViewName() const override { return view_names::kHeatmap; }

 signals:
  // The colour map chosen here, for the views that draw with the same map (the head grid).
  void colorMapChanged(ColorMapKind map);

 protected:
  void rebuild() override;
  void resultReplaced() override;  // a new run always rebuilds and resets the zoom

 private:
  void applyColorScale();
  void storeCells();  // values_ into the colour map's cells
  void resetZoom();
  // The positions [first, last] of the soft, BOS and anchor segments; false when there are none.
  bool prefixSpan(int* first, int* last) const;
  void onMouseMove(QMouseEvent* event);
  void onMousePress(QMouseEvent* event);
  void onMouseRelease(QMouseEvent* event);
  // Row and key under a plot pixel, or false outside the matrix.
  bool cellAt(const QPointF& pixel, int* row, int* key) const;
  QString describeCell(int row, int key) const;

  QPointer<RunDocument> doc_;
  QToolButton* prefixButton_ = nullptr;
  QToolButton* resetButton_ = nullptr;
  QComboBox* mapCombo_ = nullptr;
  QComboBox* scaleCombo_ = nullptr;
  QDoubleSpinBox* gammaSpin_ = nullptr;
  QCheckBox* fitRange_ = nullptr;
  QLabel* hover_ = nullptr;

  ColorScale scale_;
  double rangeUpper_ = 0.0;  // > 0: fixed upper end of the colour range
  std::vector<float> values_;
  std::vector<int> rowPositions_;
  int rows_ = 0, keys_ = 0;
  QString titleText_;
  QPointF pressPos_;
  // What the matrix was built from, to keep the zoom when only the query moved.
  struct Key {
    const void* result = nullptr;
    int layer = -1;
    HeadChoice head;
    std::optional<int> step;
    int batchRow = -1;
    bool operator==(const Key&) const = default;
  } built_;
};

}  // namespace attnx
