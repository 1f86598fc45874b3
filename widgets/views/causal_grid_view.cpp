#include "causal_grid_view.h"

#include <cmath>
#include <limits>

#include "cell_grid.h"

namespace attnx {

CausalGridView::CausalGridView(RunDocument* doc, QWidget* parent)
    : CellGridView(parent), doc_(doc) {
  setToolTip(
      tr("Layers (rows) x heads (columns): the change of log p(target) at the query when that "
         "head's attention to the scanned tokens is knocked out. Blue: the prediction needs the "
         "head's reading of them; red: it does better without. Click a cell to select its head."));
  follow(doc_);
  rebuild();
}

void CausalGridView::setScan(const ScanResult& scan, const QString& targetLabel) {
  scan_ = scan;
  targetLabel_ = targetLabel;
  rebuild();
}

void CausalGridView::resultReplaced() {
  // The grid goes with the scan at once: a paint before the throttled rebuild draws nothing.
  scan_.reset();
  grid() = CellGrid{};
}

void CausalGridView::rebuild() {
  CellGrid& g = grid();
  g = CellGrid{};
  if (!doc_ || !doc_->result())
    return showEmpty(tr("Run the model first, then scan its heads (Run › Scan heads…)."));
  if (!scan_ || scan_->layers <= 0 || scan_->heads <= 0 ||
      scan_->delta.size() != static_cast<std::size_t>(scan_->layers) * scan_->heads)
    return showEmpty(
        tr("Run › Scan heads… (Ctrl+Shift+K) knocks out each head's attention to the soft tokens "
           "(or other keys) in turn and shows here how much the prediction depends on it."));
  for (int l = 0; l < scan_->layers; ++l) g.layers.push_back(l);
  g.heads = scan_->heads;
  setDifferenceCells(g, scan_->delta, tr("Δ log p"));
  g.cellText = [delta = scan_->delta, heads = scan_->heads](int row, int head) {
    return signedNumber(delta[static_cast<std::size_t>(row) * heads + head], 2);
  };
  g.cellTextSample = QStringLiteral("+0.00");
  g.caption = tr("Δ log p(%1) at query %2, each head's attention to %3 knocked out\n"
                 "log p = %4 without knockout")
                  .arg(targetLabel_)
                  .arg(scan_->query)
                  .arg(QString::fromStdString(scan_->keys))
                  .arg(scan_->baseLogprob, 0, 'f', 3);
  const Selection& sel = doc_->selection();
  g.selectedRow = rowOf(sel.layer);
  g.selectedHead = sel.head.isOne() ? sel.head.index : -1;
  showContent();
}

double CausalGridView::cellValue(int layer, int head) const {
  if (!scan_ || layer < 0 || layer >= scan_->layers || head < 0 || head >= scan_->heads ||
      isEmptyShown())
    return std::numeric_limits<double>::quiet_NaN();
  return scan_->delta[static_cast<std::size_t>(layer) * scan_->heads + head];
}

QString CausalGridView::cellToolTip(int row, int head) const {
  const int layer = grid().layers[static_cast<std::size_t>(row)];
  return tr("Layer %1, head %2: Δ log p(%3) = %4 with its attention to %5 knocked out")
      .arg(layer)
      .arg(head)
      .arg(targetLabel_, signedNumber(cellValue(layer, head), 4),
           QString::fromStdString(scan_ ? scan_->keys : std::string()));
}

void CausalGridView::cellClicked(int row, int head) {
  if (!doc_ || !doc_->result()) return;
  Selection s = doc_->selection();
  s.layer = grid().layers[static_cast<std::size_t>(row)];
  s.head = HeadChoice::one(head);
  doc_->setSelection(s);
}

}  // namespace attnx
