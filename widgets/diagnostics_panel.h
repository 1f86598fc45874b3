#pragma once
// The guide's problem patterns checked on the selected query (or generation step): attention
// collapse, anchor dominance, head uniformity and layer uniformity, each with the per-layer
// numbers it compared, thresholds editable, flagged checks highlighted.
#include <QPointer>
#include <QWidget>
#include <vector>

#include "diagnostics.h"
#include "run_document.h"

class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QTreeWidget;

namespace attnx {

class RedrawThrottle;

class DiagnosticsPanel : public QWidget, public IRunViewer {
  Q_OBJECT
 public:
  explicit DiagnosticsPanel(RunDocument* doc, QWidget* parent = nullptr);
  ~DiagnosticsPanel() override;

  void onRunChanged(const RunDocument& doc) override;
  void onSelectionChanged(const RunDocument& doc) override;

  DiagnosticThresholds thresholds() const { return thresholds_; }
  void setThresholds(const DiagnosticThresholds& t);
  // The checks as last computed (empty without a run).
  const std::vector<Diagnostic>& diagnostics() const { return results_; }
  QTreeWidget* table() const { return tree_; }

  void renderTo(QPainter& painter, const QRectF& target);
  void refreshNow();

 private:
  void recompute();
  QDoubleSpinBox* addThreshold(QFormLayout* form, const QString& label, const QString& tip,
                               double max, float DiagnosticThresholds::*field);

  QPointer<RunDocument> doc_;
  RedrawThrottle* throttle_ = nullptr;
  DiagnosticThresholds thresholds_;
  std::vector<Diagnostic> results_;
  std::vector<std::pair<QDoubleSpinBox*, float DiagnosticThresholds::*>> spins_;
  QLabel* summary_ = nullptr;
  QLabel* detail_ = nullptr;
  QTreeWidget* tree_ = nullptr;
};

}  // namespace attnx
