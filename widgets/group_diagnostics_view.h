#pragma once
// Set-level diagnostics of the two groups side by side: size, accuracy, FirstTok@1, EM / F1,
// the fraction of examples flagged for attention collapse and for anchor dominance, and the
// heads that attend most to soft tokens.
#include <QPointer>
#include <QWidget>

#include "dataset_document.h"
#include "figure_view.h"

class QTableWidget;

namespace attnx {

class RedrawThrottle;

class GroupDiagnosticsView : public QWidget, public IDatasetViewer, public IFigureView {
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
  ~GroupDiagnosticsView() override;

  void onDatasetChanged(const DatasetDocument& doc) override;
  void onDatasetSelectionChanged(const DatasetDocument& doc) override;

  // The text of row `row` for side 0 (A) or 1 (B).
  QString cellText(Row row, int side) const;
  QTableWidget* table() const { return table_; }

  void refreshNow() override;
  void renderTo(QPainter& painter, const QRectF& target) override;
  QString figureViewName() const override { return QStringLiteral("group_diagnostics"); }

 private:
  void rebuild();

  QPointer<DatasetDocument> doc_;
  RedrawThrottle* throttle_ = nullptr;
  QTableWidget* table_ = nullptr;
};

}  // namespace attnx
