#pragma once
// "Predictions by layer": the logit lens of the run at its lens position. One row per residual
// (the embeddings, after each layer, the output), the five likeliest next tokens with their
// probabilities, and the rank and probability of a target token (the model's own prediction
// unless one is chosen): at which layer does the answer emerge? Beside the table (under it in a
// narrow view) the target's probability and reciprocal rank (1 when it is the likeliest token)
// are drawn as curves over the residuals, both in [0, 1] on one axis; hovering reads rank and
// probability there.
#include <QPointer>
#include <optional>
#include <vector>

#include "document_view.h"
#include "table_figure.h"
#include "logit_lens.h"
#include "run_document.h"
#include "stable_names.h"

class QCPGraph;
class QLabel;
class QSpinBox;
class QSplitter;
class QTableWidget;

namespace attnx {

class LayerCurvesPlot;

class LensView : public DocumentView {
  Q_OBJECT
 public:
  explicit LensView(RunDocument* doc, QWidget* parent = nullptr);

  QString figureViewName() const override { return view_names::kLens; }
  QTableWidget* table() const { return table_; }
  // nullopt: the model's own prediction at the lens position.
  void setTarget(std::optional<int64_t> id);
  std::optional<int64_t> target() const { return target_; }
  const std::vector<LensRow>& rows() const { return rows_; }
  // The target's curves over the residuals 0..L: its probability, and 1 / its rank.
  LayerCurvesPlot* targetCurves() const { return curves_; }
  std::vector<double> plottedProbabilities() const;
  std::vector<double> plottedReciprocalRanks() const;
  QString heading() const;

  static constexpr int kTop = 5;

 protected:
  void rebuild() override;
  void renderContentTo(QPainter& painter, const QRectF& target) override;
  // A figure of the table is as high as its rows.
  bool figureFitsContent() const override { return true; }
  double figureContentHeight(double width) const override;
  // The curves go beside the table in a wide dock, under it in a tall one.
  void resizeEvent(QResizeEvent* event) override;

 private:
  QString label(int64_t id) const;   // the token's display label, or #id
  TextTable figureTable() const;     // the shown table, as figures draw it
  QString rowName(int layer) const;  // "embeddings", "after layer 3", "output"
  void drawTargetCurves();           // of rows_

  QPointer<RunDocument> doc_;
  std::optional<int64_t> target_;
  int64_t shownTarget_ = 0;
  std::vector<LensRow> rows_;
  QLabel* heading_ = nullptr;
  QSpinBox* targetSpin_ = nullptr;
  QTableWidget* table_ = nullptr;
  QSplitter* split_ = nullptr;  // the table and the curves
  bool splitSized_ = false;
  LayerCurvesPlot* curves_ = nullptr;
  QCPGraph* probabilityGraph_ = nullptr;
  QCPGraph* reciprocalRankGraph_ = nullptr;
};

}  // namespace attnx
