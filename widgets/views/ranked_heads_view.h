#pragma once
// The heads whose attention mass differs most between the two groups, as a table: layer, head,
// A, B, A - B and Welch's t, ordered by |A - B| (largest first), the A - B cells tinted with the
// difference grid's diverging colours. Clicking a row selects its layer.
#include <QPointer>
#include <vector>

#include "color_scale.h"
#include "dataset_document.h"
#include "stable_names.h"
#include "document_view.h"

class QLabel;
class QTableWidget;

namespace attnx {

// Its caption says when there is nothing to rank (no content page).
class RankedHeadsView : public DocumentView {
  Q_OBJECT
 public:
  explicit RankedHeadsView(DatasetDocument* doc, QWidget* parent = nullptr);

  // The rows shown, in order.
  const std::vector<HeadDifference>& rows() const { return rows_; }
  QTableWidget* table() const { return table_; }

  QString figureViewName() const override { return view_names::kRankedHeads; }

 protected:
  // A selection change (a layer clicked) only re-marks rows unless the kind changed: refilling
  // would lose the table's scroll position and current row.
  void rebuild() override;
  void resultReplaced() override { stale_ = true; }
  // The first rows that fit.
  void renderContentTo(QPainter& painter, const QRectF& target) override;

 private:
  void fill();
  void highlightLayer();
  QString title() const;

  QPointer<DatasetDocument> doc_;
  QLabel* caption_ = nullptr;
  QTableWidget* table_ = nullptr;
  std::vector<HeadDifference> rows_;
  DivergingScale scale_;
  bool filling_ = false;  // true while the table is filled (no selection feedback)
  bool stale_ = true;     // the groups changed since the table was filled
  SegmentKind builtKind_ = SegmentKind::Soft;
};

}  // namespace attnx
