#pragma once
// The heads whose attention mass differs most between the two groups, as a table: layer, head,
// A, B, A - B and Welch's t, ordered by |A - B| (largest first), the A - B cells tinted with the
// difference grid's diverging colours. Clicking a row selects its layer.
#include <QPointer>
#include <QWidget>
#include <vector>

#include "color_scale.h"
#include "dataset_document.h"
#include "figure_view.h"

class QLabel;
class QTableWidget;

namespace attnx {

class RedrawThrottle;

class RankedHeadsView : public QWidget, public IDatasetViewer, public IFigureView {
  Q_OBJECT
 public:
  explicit RankedHeadsView(DatasetDocument* doc, QWidget* parent = nullptr);
  ~RankedHeadsView() override;

  void onDatasetChanged(const DatasetDocument& doc) override;
  void onDatasetSelectionChanged(const DatasetDocument& doc) override;

  // The rows shown, in order.
  const std::vector<HeadDifference>& rows() const { return rows_; }
  QTableWidget* table() const { return table_; }

  // IFigureView: the first rows that fit.
  void refreshNow() override;
  void renderTo(QPainter& painter, const QRectF& target) override;
  QString figureViewName() const override { return QStringLiteral("ranked_heads"); }

 private:
  void rebuild();
  void highlightLayer();
  QString title() const;

  QPointer<DatasetDocument> doc_;
  RedrawThrottle* throttle_ = nullptr;
  QLabel* caption_ = nullptr;
  QTableWidget* table_ = nullptr;
  std::vector<HeadDifference> rows_;
  DivergingScale scale_;
  bool filling_ = false;  // true while the table is filled (no selection feedback)
  bool stale_ = true;     // the groups changed since the table was filled
  SegmentKind builtKind_ = SegmentKind::Soft;
};

}  // namespace attnx
