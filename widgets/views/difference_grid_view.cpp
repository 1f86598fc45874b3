#include "difference_grid_view.h"

#include <cmath>
#include <limits>

#include "dataset_view_data.h"

namespace attnx {

DifferenceGridView::DifferenceGridView(DatasetDocument* doc, QWidget* parent)
    : CellGridView(parent), doc_(doc) {
  setToolTip(
      tr("Layers (rows) x heads (columns): group A's mean attention mass minus group B's. Red: "
         "A attends more, blue: B attends more, white: no difference. Click a cell to select "
         "its layer."));
  follow(doc_);
  rebuild();
}

void DifferenceGridView::rebuild() {
  CellGrid& g = grid();
  g = CellGrid{};
  cells_.clear();
  if (!doc_ || !doc_->results(0)) {
    return showEmpty(tr("No dataset results loaded."));
  }
  const GroupStats& a = doc_->group(0);
  const GroupStats& b = doc_->group(1);
  if (a.n() == 0 || b.n() == 0) {
    return showEmpty(tr("Group %1 is empty: there is no difference to show.")
                   .arg(a.n() == 0 ? QStringLiteral("A") : QStringLiteral("B")));
  }
  const SegmentKind kind = doc_->kind();
  const LayerHeadGrid& ma = a.massMean[kindIndex(kind)];
  const LayerHeadGrid& mb = b.massMean[kindIndex(kind)];
  if (ma.empty() || ma.size() != mb.size() || ma.front().size() != mb.front().size()) {
    return showEmpty(tr("The two groups come from models of different sizes: their heads cannot be "
           "compared."));
  }
  std::vector<HeadDifference> ranked;
  try {
    ranked = rankHeadDifferences(a, b, kind);
  } catch (const std::exception& e) {
    return showEmpty(QString::fromStdString(e.what()));
  }
  const int rows = static_cast<int>(ma.size());
  const int heads = static_cast<int>(ma.front().size());
  g.layers = groupLayers(*doc_, 0, ma.size());
  grid().heads = heads;
  cells_.assign(static_cast<std::size_t>(rows) * heads, HeadDifference{});
  for (const HeadDifference& d : ranked) {
    const int row = rowOf(d.layer);  // d.layer is a model layer
    if (row < 0 || d.head < 0 || d.head >= heads) continue;
    cells_[static_cast<std::size_t>(row) * heads + d.head] = d;
  }
  std::vector<double> shown(cells_.size());
  for (std::size_t i = 0; i < cells_.size(); ++i) shown[i] = cells_[i].diff;
  scale_.range = setDifferenceCells(g, shown, tr("A − B"));
  g.cellText = [this](int row, int head) {
    return signedNumber(cells_[static_cast<std::size_t>(row) * grid().heads + head].diff, 3);
  };
  g.cellTextSample = QStringLiteral("+0.000");
  g.caption =
      tr("A − B, %1\nA: %2 · B: %3").arg(massName(kind), doc_->groupName(0), doc_->groupName(1));
  g.selectedRow = rowOf(doc_->layer());
  showContent();
}

const HeadDifference* DifferenceGridView::cellDifference(int layer, int head) const {
  const int row = rowOf(layer);
  if (row < 0 || head < 0 || head >= grid().heads || cells_.empty()) return nullptr;
  return &cells_[static_cast<std::size_t>(row) * grid().heads + head];
}

double DifferenceGridView::cellValue(int layer, int head) const {
  const HeadDifference* d = cellDifference(layer, head);
  return d ? d->diff : std::numeric_limits<double>::quiet_NaN();
}

QColor DifferenceGridView::cellColor(int layer, int head) const {
  const int row = rowOf(layer);
  if (row < 0 || head < 0 || head >= grid().heads || grid().cells.isNull()) return QColor();
  return QColor::fromRgb(grid().cells.pixel(head, row));
}

QString DifferenceGridView::cellDescription(int layer, int head) const {
  const HeadDifference* d = cellDifference(layer, head);
  if (!d || !doc_) return {};
  return tr("Layer %1, head %2\nA = %3 (%4)\nB = %5 (%6)\nA − B = %7\nWelch's t = %8")
      .arg(layer)
      .arg(head)
      .arg(d->a, 0, 'f', 4)
      .arg(doc_->groupName(0))
      .arg(d->b, 0, 'f', 4)
      .arg(doc_->groupName(1))
      .arg(signedNumber(d->diff, 4))
      .arg(d->t, 0, 'f', 2);
}

QString DifferenceGridView::cellToolTip(int row, int head) const {
  return cellDescription(grid().layers[static_cast<std::size_t>(row)], head);
}

void DifferenceGridView::cellClicked(int row, int) {
  if (doc_) doc_->setLayer(grid().layers[static_cast<std::size_t>(row)]);
}

}  // namespace attnx
