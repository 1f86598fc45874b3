#include "run_difference_grid_view.h"

#include <cmath>
#include <limits>

#include "dataset_view_data.h"
#include "segment_style.h"
#include "view_data.h"

namespace attnx {

RunDifferenceGridView::RunDifferenceGridView(RunDocument* first, RunDocument* second,
                                             std::array<QString, 2> labels, SegmentKind kind,
                                             QWidget* parent)
    : CellGridView(parent), docs_{first, second}, labels_(std::move(labels)), kind_(kind) {
  setToolTip(tr("Layers (rows) x heads (columns): %1 minus %2, the selected query's attention "
                "mass to %3 tokens. Red: the first attends more, blue: the second does.")
                 .arg(labels_[0], labels_[1], segmentLabel(kind_)));
  follow(first);
  follow(second);
  rebuild();
}

void RunDifferenceGridView::rebuild() {
  CellGrid& g = grid();
  g = CellGrid{};
  values_.clear();
  for (auto& m : masses_) m.clear();
  const std::optional<SegmentMass>* m[2] = {nullptr, nullptr};
  for (int run = 0; run < 2; ++run) {
    if (!docs_[run] || !docs_[run]->result())
      return showEmpty(tr("The difference appears once both runs have run."));
    m[run] = &docs_[run]->selectedMass();
    if (!*m[run]) return showEmpty(tr("The selected query's row was not captured in both runs."));
  }
  const SegmentMass& a = **m[0];
  const SegmentMass& b = **m[1];
  const auto& ga = a.of(kind_);
  const auto& gb = b.of(kind_);
  if (a.layers != b.layers || ga.size() != gb.size() || ga.empty() ||
      ga.front().size() != gb.front().size())
    return showEmpty(
        tr("The two runs captured different layers or heads: their grids cannot be "
           "subtracted."));
  g.layers = a.layers;
  g.heads = static_cast<int>(ga.front().size());
  const std::size_t cells = g.layers.size() * static_cast<std::size_t>(g.heads);
  values_.resize(cells);
  masses_[0].resize(cells);
  masses_[1].resize(cells);
  for (std::size_t l = 0; l < g.layers.size(); ++l)
    for (int h = 0; h < g.heads; ++h) {
      const std::size_t i = l * g.heads + h;
      masses_[0][i] = ga[l][h];
      masses_[1][i] = gb[l][h];
      values_[i] = masses_[0][i] - masses_[1][i];
    }
  range_ = setDifferenceCells(g, values_, tr("difference"));
  g.cellText = [this](int row, int head) {
    return signedNumber(values_[static_cast<std::size_t>(row) * grid().heads + head], 3);
  };
  g.cellTextSample = QStringLiteral("+0.000");
  // Short: a figure's panel caption names the two runs.
  g.caption = tr("difference of the %1").arg(massName(kind_));
  const Selection& s = docs_[0]->selection();
  g.selectedRow = rowOf(s.layer);
  g.selectedHead = s.head.isOne() ? s.head.index : -1;
  showContent();
}

double RunDifferenceGridView::cellValue(int layer, int head) const {
  const int row = rowOf(layer);
  if (row < 0 || head < 0 || head >= grid().heads || values_.empty())
    return std::numeric_limits<double>::quiet_NaN();
  return values_[static_cast<std::size_t>(row) * grid().heads + head];
}

QString RunDifferenceGridView::cellToolTip(int row, int head) const {
  const std::size_t i = static_cast<std::size_t>(row) * grid().heads + head;
  return tr("Layer %1, head %2\n%3: %4\n%5: %6\ndifference %7")
      .arg(grid().layers[static_cast<std::size_t>(row)])
      .arg(head)
      .arg(labels_[0])
      .arg(masses_[0][i], 0, 'f', 4)
      .arg(labels_[1])
      .arg(masses_[1][i], 0, 'f', 4)
      .arg(signedNumber(values_[i], 4));
}

void RunDifferenceGridView::cellClicked(int row, int head) {
  for (RunDocument* d : docs_)
    if (d) {
      d->setLayer(grid().layers[static_cast<std::size_t>(row)]);
      d->setHead(HeadChoice::one(head));
    }
}

}  // namespace attnx
