#pragma once
// The difference of two examples' attention, left - right, for the selected layer and head on a
// diverging map centred at zero, when the two inputs have the same token layout (the same
// segment kinds with the same lengths): cell (q, k) then means the same thing in both. Otherwise
// a note says why there is no difference to show. Follows the left document's selection (the
// comparison window keeps both documents' selections equal).
#include <QPointer>
#include <vector>

#include "color_scale.h"
#include "document_view.h"
#include "stable_names.h"
#include "run_document.h"
#include "token_matrix_plot.h"

class QLabel;
class QStackedWidget;
class QMouseEvent;

namespace attnx {

class RedrawThrottle;

// Whether two batch rows have the same segment kinds with the same lengths; when not, `why`
// (if given) describes both layouts.
bool sameTokenLayout(const RunResult& left, const RunResult& right, QString* why = nullptr);

class DifferenceHeatmapView : public DocumentView {
  Q_OBJECT
 public:
  DifferenceHeatmapView(RunDocument* left, RunDocument* right, QWidget* parent = nullptr);

  // Whether a difference is shown; when not, note() says why.
  bool showsDifference() const { return rows_ > 0; }
  QString note() const;
  // left - right, row-major [displayedRows x displayedKeys].
  const std::vector<float>& displayedValues() const { return values_; }
  int displayedRows() const { return rows_; }
  int displayedKeys() const { return keys_; }
  const DivergingScale& scale() const { return scale_; }
  QString hoverText() const;

  QCustomPlot* plot() const { return m_.plot; }
  QCustomPlot* figurePlot() const override { return m_.plot; }
  QString figureViewName() const override { return view_names::kHeatmapDifference; }

 protected:
  void rebuild() override;
  void renderContentTo(QPainter& painter, const QRectF& target) override;

 private:
  void showNote(const QString& text);
  void onMouseMove(QMouseEvent* event);

  QPointer<RunDocument> left_, right_;
  TokenMatrixPlot m_;  // the plot and the parts of it that are redrawn
  QLabel* hover_ = nullptr;
  DivergingScale scale_;
  std::vector<float> values_, leftValues_, rightValues_;
  std::vector<int> rowPositions_;
  int rows_ = 0, keys_ = 0;
  struct Key {
    const void* left = nullptr;
    const void* right = nullptr;
    std::optional<int> step;
    bool operator==(const Key&) const = default;
  } zoomKey_;
};

}  // namespace attnx
