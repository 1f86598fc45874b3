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
#include "cell_grid_view.h"
#include "knockout_choices.h"
#include "run_document.h"
#include "stable_names.h"

class QComboBox;

namespace attnx {

// Paints its grid under the metric chooser.
class HeadGridView : public CellGridView {
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

  // The number shown in a cell (mass or entropy); NaN for thumbnails or cells not shown.
  double cellValue(int layer, int head) const;
  // What right-clicking the cell of (model layer, head) offers: that head's or its layer's
  // attention knocked out, to each kind of token of the input.
  std::vector<KnockoutChoice> knockoutChoices(int layer, int head) const;

  QString figureViewName() const override { return view_names::kGrid; }

 signals:
  // A knockout chosen from a cell's menu, as a spec L:H:KEYS; the window runs it.
  void knockoutRequested(const QString& spec);

 protected:
  void rebuild() override;
  QRectF canvasRect() const override;
  QString cellToolTip(int row, int head) const override;
  // A cell selects its layer and head, a layer label the layer with the mean over its heads.
  void cellClicked(int row, int head) override;
  void labelClicked(int row) override;
  void contextMenuEvent(QContextMenuEvent* event) override;
  void resultReplaced() override { thumbs_.clear(); }

 private:
  void rebuildThumbnails();

  QPointer<RunDocument> doc_;
  QComboBox* metricCombo_ = nullptr;
  Metric metric_ = Metric::SegmentMass;
  SegmentKind kind_ = SegmentKind::Soft;
  ColorScale scale_;

  std::vector<float> values_;   // [layer row][head] of the metric
  std::vector<QImage> thumbs_;  // [layer row * heads + head], cleared with a new result
  struct ThumbKey {
    int step = -2, batchRow = -1, map = -1;
    bool operator==(const ThumbKey&) const = default;
  } thumbKey_;
};

}  // namespace attnx
