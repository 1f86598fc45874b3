#pragma once
// Set-level diagnostics of the two groups side by side: size, accuracy, FirstTok@1, EM / F1,
// the fraction of examples flagged for attention collapse and for anchor dominance, and the
// heads that attend most to soft tokens.
#include <QPointer>

#include "dataset_document.h"
#include "stable_names.h"
#include "document_view.h"

class QTableWidget;

namespace attnx {

class GroupDiagnosticsView : public DocumentView {
  Q_OBJECT
 public:
  // Rows of the table, in order (tests read cells by these).
  enum Row {
    kSize,
    kAccuracy,
    kFirstToken,
    kEm,
    kF1,
    kCollapse,
    kAnchorDominance,
    kTopSoft1,
    kTopSoft2,
    kTopSoft3,
    kRows
  };

  explicit GroupDiagnosticsView(DatasetDocument* doc, QWidget* parent = nullptr);

  // The text of row `row` for side 0 (A) or 1 (B).
  QString cellText(Row row, int side) const;
  QTableWidget* table() const { return table_; }

  QString figureViewName() const override { return view_names::kGroupDiagnostics; }

 protected:
  // The table depends on the groups only: a selection change leaves it as it is.
  void rebuild() override;
  void resultReplaced() override { stale_ = true; }
  void renderContentTo(QPainter& painter, const QRectF& target) override;

 private:
  QPointer<DatasetDocument> doc_;
  QTableWidget* table_ = nullptr;
  bool stale_ = true;
};

}  // namespace attnx
