#pragma once
// The input tokens (and generated tokens) as a wrapping strip of chips coloured by segment. The
// fill of each chip shows how much attention the selected query gives it (selected layer and
// head or aggregate); the query's chip is outlined. Clicking a chip makes it the query.
#include <QPointer>
#include <vector>

#include "document_view.h"
#include "knockout_choices.h"
#include "run_document.h"

namespace attnx {

// Paints itself (no content page): the chips, or the empty note.
class TokenStripView : public DocumentView {
  Q_OBJECT
 public:
  explicit TokenStripView(RunDocument* doc, QWidget* parent = nullptr);

  // The chip of `position` in this widget's coordinates (scrolling included); empty if none.
  QRect tokenRect(int position) const;
  // Attention of the selected query to each position as shaded (0 where not attended).
  const std::vector<float>& shownWeights() const { return weights_; }
  // What right-clicking the chip of `position` offers: every head's, or the selected head's,
  // attention to that token or to its segment knocked out. Empty for a generated token.
  std::vector<KnockoutChoice> knockoutChoices(int position) const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;
  bool hasHeightForWidth() const override { return true; }
  int heightForWidth(int width) const override;

 signals:
  // A knockout chosen from a chip's menu, as a spec L:H:KEYS; the window runs it.
  void knockoutRequested(const QString& spec);

 protected:
  void rebuild() override;
  void resultReplaced() override { scroll_ = 0; }
  void renderContentTo(QPainter& painter, const QRectF& target) override;
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  struct Chip {
    int position = 0;
    QString label;
    QRectF rect;  // relative to the top-left of the content, unscrolled
  };
  // Lays the chips out for a content width; returns the content height.
  double layoutChips(double width, const QFont& font, std::vector<Chip>* chips) const;
  void paintContent(QPainter& p, const QRectF& area, const std::vector<Chip>& chips, double scroll,
                    const QFont& font) const;
  int chipAt(const QPointF& pos) const;
  QString chipDescription(int position) const;

  QPointer<RunDocument> doc_;
  std::vector<Chip> chips_;
  std::vector<float> weights_;  // [position], for the selected query
  float weightMax_ = 0;
  int query_ = -1;
  double contentHeight_ = 0;
  double scroll_ = 0;
  QString caption_;
};

}  // namespace attnx
