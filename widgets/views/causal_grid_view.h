#pragma once
// The causal head grid of the shown run: each layer x head cell is coloured by Δ log p(target)
// at the query row when that head's attention to the scanned keys is knocked out (Model::scan),
// on a diverging map centred at 0 with a symmetric range. Beside the attention-mass grid it tells
// which heads' reading of the soft tokens matters, not only which heads look at them. The scan
// belongs to the run it was made on: a new run clears it. Clicking a cell selects its layer and
// head.
#include <QPointer>
#include <optional>

#include "cell_grid_view.h"
#include "run_document.h"
#include "stable_names.h"

namespace attnx {

class CausalGridView : public CellGridView {
  Q_OBJECT
 public:
  explicit CausalGridView(RunDocument* doc, QWidget* parent = nullptr);

  // Shows `scan`, made on the document's current result (`targetLabel`: the target token's
  // text, for the caption).
  void setScan(const ScanResult& scan, const QString& targetLabel);
  const std::optional<ScanResult>& scan() const { return scan_; }
  // Δ log p of the cell of (model layer, head); NaN when not shown.
  double cellValue(int layer, int head) const;

  QString figureViewName() const override { return view_names::kCausalGrid; }

 protected:
  void rebuild() override;
  void resultReplaced() override;
  QString cellToolTip(int row, int head) const override;
  void cellClicked(int row, int head) override;

 private:
  QPointer<RunDocument> doc_;
  std::optional<ScanResult> scan_;
  QString targetLabel_;
};

}  // namespace attnx
