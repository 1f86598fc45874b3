#pragma once
// The difference of two examples' attention, left - right, for the selected layer and head on a
// diverging map centred at zero, when the two inputs have the same token layout (the same
// segment kinds with the same lengths): cell (q, k) then means the same thing in both. When one
// input has a soft prefix the other lacks and is otherwise the same, the difference covers the
// tokens both have (the prefix's rows and columns are left out). Otherwise a note says why there
// is no difference to show. Follows the left document's selection (the
// comparison window keeps both documents' selections equal).
#include <QPointer>
#include <vector>

#include "color_scale.h"
#include "stable_names.h"
#include "run_document.h"
#include "token_matrix_view.h"

class QLabel;
class QStackedWidget;
class QMouseEvent;

namespace attnx {

class RedrawThrottle;

// Whether two batch rows have the same segment kinds with the same lengths; when not, `why`
// (if given) describes both layouts.
bool sameTokenLayout(const RunResult& left, const RunResult& right, QString* why = nullptr);

// Which positions of two runs show the same tokens: the whole input when the layouts are the
// same, or all but a leading soft segment that only one of them has (an input with and without
// its soft tokens). Left position p is right position p - leftStart + rightStart.
struct TokenAlignment {
  int leftStart = 0, rightStart = 0;
  bool whole() const { return leftStart == 0 && rightStart == 0; }
};
// nullopt when neither holds; then `why` (if given) describes both layouts.
std::optional<TokenAlignment> alignTokenLayouts(const RunResult& left, const RunResult& right,
                                                QString* why = nullptr);

class DifferenceHeatmapView : public TokenMatrixView {
  Q_OBJECT
 public:
  DifferenceHeatmapView(RunDocument* left, RunDocument* right, QWidget* parent = nullptr);

  // Whether a difference is shown; when not, note() says why.
  bool showsDifference() const { return rows_ > 0; }
  QString note() const;
  // The positions subtracted (the whole input, or all but one side's soft prefix).
  const TokenAlignment& alignment() const { return alignment_; }
  // left - right, row-major [displayedRows x displayedKeys], in left positions.
  const std::vector<float>& displayedValues() const { return values_; }
  int displayedRows() const { return rows_; }
  int displayedKeys() const { return keys_; }
  const DivergingScale& scale() const { return scale_; }
  QString hoverText() const;
  // The colour bar's label ("weight, left − right" in the window; a figure whose captions name
  // the two runs says less).
  void setBarLabel(const QString& label);

  QString figureViewName() const override { return view_names::kHeatmapDifference; }

 protected:
  void rebuild() override;

 private:
  void showNote(const QString& text);
  void onMouseMove(QMouseEvent* event);

  QPointer<RunDocument> left_, right_;
  QLabel* hover_ = nullptr;
  DivergingScale scale_;
  std::vector<float> values_, leftValues_, rightValues_;
  std::vector<int> rowPositions_;
  int rows_ = 0, keys_ = 0;
  TokenAlignment alignment_;
  struct Key {
    const void* left = nullptr;
    const void* right = nullptr;
    std::optional<int> step;
    bool operator==(const Key&) const = default;
  } zoomKey_;
};

}  // namespace attnx
