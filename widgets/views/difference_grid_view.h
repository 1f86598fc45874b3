#pragma once
// The head grid of the difference between two groups: each layer x head cell is coloured by
// A - B, the difference of the groups' mean attention mass to the chosen kind of token, on a
// diverging map centred at zero with a symmetric range, and a labelled colour bar. Hovering
// reads out a, b, a - b and Welch's t; clicking selects the cell's layer.
#include <QPointer>
#include <vector>

#include "cell_grid_view.h"
#include "color_scale.h"
#include "dataset_document.h"
#include "stable_names.h"

namespace attnx {

class DifferenceGridView : public CellGridView {
  Q_OBJECT
 public:
  explicit DifferenceGridView(DatasetDocument* doc, QWidget* parent = nullptr);

  // The difference shown in the cell of (model layer, head); NaN when not shown.
  double cellValue(int layer, int head) const;
  // The same for a, b and t.
  const HeadDifference* cellDifference(int layer, int head) const;
  // The colour the cell is painted with (invalid when not shown).
  QColor cellColor(int layer, int head) const;
  const DivergingScale& scale() const { return scale_; }
  QString colorBarLabel() const { return grid().barLabel; }
  QString cellDescription(int layer, int head) const;
  // The empty-state text, empty when the grid shows data.
  QString message() const { return isEmptyShown() ? emptyText() : QString(); }

  QString figureViewName() const override { return view_names::kGridDifference; }

 protected:
  void rebuild() override;
  QString cellToolTip(int row, int head) const override;
  void cellClicked(int row, int head) override;

 private:
  QPointer<DatasetDocument> doc_;
  DivergingScale scale_;
  std::vector<HeadDifference> cells_;  // [row * heads + head]
};

}  // namespace attnx
