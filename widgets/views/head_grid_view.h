#pragma once
// Every captured layer x head at once: each cell is coloured by one number of the selected query
// (attention mass to a segment kind, soft tokens by default, or the row's entropy) or shows a
// thumbnail of that head's attention matrix. Painted from cached QImages, never a plot per cell,
// so 32 x 32 heads stay responsive. Clicking a cell selects its layer and head.
#include <QImage>
#include <QPointer>
#include <optional>
#include <vector>

#include "attention_stats.h"
#include "color_scale.h"
#include "document_view.h"
#include "run_document.h"
#include "stable_names.h"

class QComboBox;

namespace attnx {

// Paints itself under its metric chooser (no content page).
class HeadGridView : public DocumentView {
  Q_OBJECT
 public:
  // What each cell shows.
  enum class Metric { SegmentMass, Entropy, Thumbnail };

  explicit HeadGridView(RunDocument* doc, QWidget* parent = nullptr);

  void setMetric(Metric metric, SegmentKind kind = SegmentKind::Soft);
  Metric metric() const { return metric_; }
  // Colour map of the cells and thumbnails (viridis by default).
  void setColorMap(ColorMapKind map);
  ColorMapKind colorMap() const { return scale_.map; }
  SegmentKind metricKind() const { return kind_; }

  // The cell of (model layer, head) in this widget's coordinates; empty if not shown.
  QRect cellRect(int layer, int head) const;
  // The number shown in a cell (mass or entropy); NaN for thumbnails or cells not shown.
  double cellValue(int layer, int head) const;

  QString figureViewName() const override { return view_names::kGrid; }

 protected:
  void rebuild() override;
  // Draws the grid (labels, cells, colour bar) into `target` at any size, on any device.
  void renderContentTo(QPainter& painter, const QRectF& target) override;
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  struct Geometry {
    QRectF grid;      // the cells
    QRectF colorBar;  // the scale under the grid (empty for thumbnails)
    double cell = 0;  // cell side
    int labelEvery = 1;
  };
  Geometry geometryFor(const QRectF& area, const QFontMetricsF& fm) const;
  QString colorBarLabel() const;
  QRectF canvasRect() const;
  void rebuildThumbnails();
  void paintContent(QPainter& p, const QRectF& area, const QFont& font);
  bool cellAt(const QPointF& pos, int* layerIndex, int* head) const;
  QString cellDescription(int layerIndex, int head) const;

  QPointer<RunDocument> doc_;
  QComboBox* metricCombo_ = nullptr;
  Metric metric_ = Metric::SegmentMass;
  SegmentKind kind_ = SegmentKind::Soft;
  ColorScale scale_;

  std::vector<int> layers_;  // model layer of each grid row
  int heads_ = 0;
  std::vector<float> values_;   // [layer row][head] of the metric
  double valueMax_ = 1.0;       // colour scale upper end
  QImage cellsImage_;           // one pixel per cell (heads x layers)
  std::vector<QImage> thumbs_;  // [layer row * heads + head]
  struct ThumbKey {
    const void* result = nullptr;
    int step = -2, batchRow = -1, map = -1;
    bool operator==(const ThumbKey&) const = default;
  } thumbKey_;
  QString caption_;
};

}  // namespace attnx
