#pragma once
// Draws the segment structure of a [query x key] QCPColorMap: a colour ribbon per segment along
// both axes (in the gap between the axis rect and the offset axes), thin boundary lines where
// soft / BOS / anchor segments begin and end, and an outline around the selected query row. No
// data cell is tinted: every cell keeps the colour the colour bar gives its value. Geometry is read
// at draw time, so it follows zoom, pan, resizes and print-size rendering.
#include <qcustomplot.h>
#include <vector>

#include "run_types.h"

namespace attnx {

class SegmentOverlayItem : public QCPAbstractItem {
 public:
  explicit SegmentOverlayItem(QCustomPlot* plot);

  // keyKinds[k]: kind of key coordinate k; rowKinds[r]: kind of the query shown in row r.
  void setSegments(std::vector<SegmentKind> keyKinds, std::vector<SegmentKind> rowKinds);
  void setSelectedRow(int row) { selectedRow_ = row; }
  int selectedRow() const { return selectedRow_; }
  // Width of the ribbons; the axes must be offset by at least this much.
  static constexpr int kRibbon = 6;

  double selectTest(const QPointF& pos, bool onlySelectable,
                    QVariant* details = nullptr) const override;

 protected:
  void draw(QCPPainter* painter) override;

 private:
  std::vector<SegmentKind> keyKinds_;
  std::vector<SegmentKind> rowKinds_;
  int selectedRow_ = -1;
};

}  // namespace attnx
