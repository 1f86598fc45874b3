#pragma once
// The head grid of the difference between two runs of one input (`attnx figure --view grid
// --compare-…`): each layer x head cell is coloured by first − second, the difference of the
// selected query's attention mass to one kind of token, on a diverging map centred at zero with a
// symmetric range and a labelled colour bar. Each run uses its own query (the same token, moved
// by a different prefix length). Hovering reads out both masses and their difference.
#include <QPointer>
#include <array>
#include <vector>

#include "cell_grid_view.h"
#include "run_document.h"
#include "stable_names.h"

namespace attnx {

class RunDifferenceGridView : public CellGridView {
  Q_OBJECT
 public:
  // `labels` name the runs in the caption and the tooltips.
  RunDifferenceGridView(RunDocument* first, RunDocument* second, std::array<QString, 2> labels,
                        SegmentKind kind = SegmentKind::Soft, QWidget* parent = nullptr);

  // first − second in the cell of (model layer, head); NaN when not shown.
  double cellValue(int layer, int head) const;
  double range() const { return range_; }

  QString figureViewName() const override { return view_names::kGridDifference; }

 protected:
  void rebuild() override;
  QString cellToolTip(int row, int head) const override;
  void cellClicked(int row, int head) override;

 private:
  std::array<QPointer<RunDocument>, 2> docs_;
  std::array<QString, 2> labels_;
  SegmentKind kind_;
  double range_ = 0.0;
  std::array<std::vector<double>, 2> masses_;  // [row * heads + head] per run
  std::vector<double> values_;                 // first − second
};

}  // namespace attnx
