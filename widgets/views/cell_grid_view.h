#pragma once
// The base of the views that show a layer x head grid (the explorer's head grid, the comparison's
// difference grid): they fill a CellGrid; painting on screen and in figures, the empty note,
// hit tests, tooltips and clicks are done here once.
#include <QString>

#include "cell_grid.h"
#include "document_view.h"

namespace attnx {

class CellGridView : public DocumentView {
  Q_OBJECT
 public:
  // The cell of (model layer, head) in this widget's coordinates; empty if not shown.
  QRect cellRect(int layer, int head) const;

 protected:
  explicit CellGridView(QWidget* parent);

  CellGrid& grid() { return grid_; }
  const CellGrid& grid() const { return grid_; }
  // The grid row of a model layer, -1 when it is not shown.
  int rowOf(int layer) const;
  // The cell (grid row, head) under `pos` (widget coordinates); false when there is none.
  bool cellAt(const QPointF& pos, int* row, int* head) const;

  // Where the grid is drawn in the widget (the whole widget less a margin by default).
  virtual QRectF canvasRect() const;
  // The tooltip of a cell (grid row, head); empty: none.
  virtual QString cellToolTip(int row, int head) const = 0;
  virtual void cellClicked(int row, int head) = 0;
  virtual void labelClicked(int /*row*/) {}

  void renderContentTo(QPainter& painter, const QRectF& target) override;
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;

 private:
  void paintContent(QPainter& p, const QRectF& area, const QColor& text, const QColor& separator);
  CellGridGeometry geometry() const;

  CellGrid grid_;
};

}  // namespace attnx
