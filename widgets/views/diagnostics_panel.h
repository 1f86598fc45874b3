#pragma once
// The guide's problem patterns checked on the selected query (or generation step): attention
// collapse, anchor dominance, head uniformity and layer uniformity, each with the per-layer
// numbers it compared, thresholds editable, flagged checks highlighted.
#include <QPointer>
#include <vector>

#include "diagnostics.h"
#include "document_view.h"
#include "run_document.h"

class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QTreeWidget;

namespace attnx {

// Its summary line says when there is nothing to check; the thresholds stay editable.
class DiagnosticsPanel : public DocumentView {
  Q_OBJECT
 public:
  explicit DiagnosticsPanel(RunDocument* doc, QWidget* parent = nullptr);

  DiagnosticThresholds thresholds() const { return thresholds_; }
  void setThresholds(const DiagnosticThresholds& t);
  // The checks as last computed (empty without a run).
  const std::vector<Diagnostic>& diagnostics() const { return results_; }
  QTreeWidget* table() const { return tree_; }

 protected:
  void rebuild() override;
  // A plain text table, so the figure is crisp at print size, as high as its lines need.
  void renderContentTo(QPainter& painter, const QRectF& target) override;
  bool figureFitsContent() const override { return true; }
  double figureContentHeight(double width) const override;

 private:
  // Breaks the numbers rows into lines that fit their column.
  void wrapNumbers();
  // The figure's text in `target` (painted when `painter` is given): the summary broken into
  // lines, then each check's name and result with its numbers on the lines below, broken
  // between entries. Returns the height it takes.
  double layOutFigure(QPainter* painter, const QRectF& target) const;
  QDoubleSpinBox* addThreshold(QFormLayout* form, const QString& label, const QString& tip,
                               double max, float DiagnosticThresholds::*field);

  QPointer<RunDocument> doc_;
  DiagnosticThresholds thresholds_;
  std::vector<Diagnostic> results_;
  std::vector<std::pair<QDoubleSpinBox*, float DiagnosticThresholds::*>> spins_;
  QLabel* summary_ = nullptr;
  QLabel* detail_ = nullptr;
  QTreeWidget* tree_ = nullptr;
};

}  // namespace attnx
