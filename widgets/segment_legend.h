#pragma once
// A one-line legend under the heatmap: a swatch, the name and the length of every segment kind
// present in the current run ("soft 8  BOS 1  anchor 3  text 12"), in the palette every view uses.
#include <QWidget>

#include "run_document.h"

class QHBoxLayout;

namespace attnx {

class SegmentLegend : public QWidget, public IRunViewer {
  Q_OBJECT
 public:
  SegmentLegend(RunDocument* doc, QWidget* parent = nullptr);
  ~SegmentLegend() override;

  void onRunChanged(const RunDocument& doc) override;
  void onSelectionChanged(const RunDocument&) override {}

  // For tests: "soft 4 · text 16", in legend order.
  QString summaryForTesting() const { return summary_; }

 private:
  RunDocument* doc_;
  QHBoxLayout* row_;
  QString summary_;
};

}  // namespace attnx
