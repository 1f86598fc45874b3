#pragma once
// A one-line legend under the heatmap: a swatch, the name and the length of every segment kind
// present in the current run ("soft 8  BOS 1  anchor 3  text 12"), in the palette every view uses.
#include <QPointer>

#include "document_view.h"
#include "run_document.h"

class QHBoxLayout;

namespace attnx {

// Follows the document at once (a row of labels, not throttled).
class SegmentLegend : public DocumentView {
  Q_OBJECT
 public:
  SegmentLegend(RunDocument* doc, QWidget* parent = nullptr);

  // For tests: "soft 4 · text 16", in legend order.
  QString summaryForTesting() const { return summary_; }

 protected:
  void rebuild() override;
  void resultReplaced() override { stale_ = true; }

 private:
  QPointer<RunDocument> doc_;
  QWidget* page_ = nullptr;
  QHBoxLayout* row_ = nullptr;
  bool stale_ = true;  // the row was built for another result
  QString summary_;
};

}  // namespace attnx
