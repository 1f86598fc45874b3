#include "cell_grid_view.h"

#include <QScopeGuard>
#include <limits>

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>

namespace attnx {

CellGridView::CellGridView(QWidget* parent) : DocumentView(parent) {
  setMouseTracking(true);
  setMinimumSize(160, 160);
}

int CellGridView::rowOf(int layer) const {
  const auto it = std::find(grid_.layers.begin(), grid_.layers.end(), layer);
  return it == grid_.layers.end() ? -1 : static_cast<int>(it - grid_.layers.begin());
}

QRectF CellGridView::canvasRect() const { return QRectF(rect()).adjusted(4, 4, -4, -4); }

CellGridGeometry CellGridView::geometry() const {
  return cellGridGeometry(grid_, canvasRect(), QFontMetricsF(font()));
}

QRect CellGridView::cellRect(int layer, int head) const {
  const int row = rowOf(layer);
  if (row < 0 || head < 0 || head >= grid_.heads) return QRect();
  return cellGridCell(geometry(), row, head).toAlignedRect().adjusted(0, 0, -1, -1);
}

void CellGridView::paintContent(QPainter& p, const QRectF& area, const QColor& text,
                                const QColor& separator) {
  if (isEmptyShown() || !hasCells(grid_)) {
    p.save();
    p.setFont(font());
    p.setPen(text);
    p.drawText(area, Qt::AlignCenter | Qt::TextWordWrap,
               emptyText().isEmpty() ? tr("Nothing to show.") : emptyText());
    p.restore();
    return;
  }
  paintCellGrid(p, grid_, area, font(), text, separator);
}

void CellGridView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), palette().color(QPalette::Window));
  paintContent(p, canvasRect(),
               palette().color(isEmptyShown() ? QPalette::Disabled : QPalette::Active,
                               QPalette::WindowText),
               palette().color(QPalette::Base));
}

void CellGridView::renderContentTo(QPainter& painter, const QRectF& target) {
  painter.save();
  painter.setClipRect(target);
  painter.fillRect(target, Qt::white);
  // Ink on paper whatever the screen's theme; the selection's outline only when asked for.
  const auto restore = qScopeGuard([this, screen = grid_] { grid_ = screen; });  // also on throw
  if (!figureMarks().layer) grid_.selectedRow = -1;
  grid_.maxCell = std::numeric_limits<double>::infinity();
  grid_.centered = true;
  paintContent(painter, target, Qt::black, Qt::white);
  painter.restore();
}

bool CellGridView::cellAt(const QPointF& pos, int* row, int* head) const {
  return !isEmptyShown() && cellGridHit(grid_, geometry(), pos, row, head);
}

void CellGridView::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton || isEmptyShown()) return QWidget::mousePressEvent(event);
  const CellGridGeometry g = geometry();
  int row = 0, head = 0;
  if (cellGridHit(grid_, g, event->position(), &row, &head))
    cellClicked(row, head);
  else if (cellGridLabelHit(grid_, g, event->position(), &row))
    labelClicked(row);
}

void CellGridView::mouseMoveEvent(QMouseEvent* event) {
  int row = 0, head = 0;
  const QString tip = !isEmptyShown() && cellGridHit(grid_, geometry(), event->position(), &row, &head)
                          ? cellToolTip(row, head)
                          : QString();
  if (!tip.isEmpty())
    QToolTip::showText(event->globalPosition().toPoint(), tip, this);
  else
    QToolTip::hideText();
  QWidget::mouseMoveEvent(event);
}

}  // namespace attnx
