#include "segment_overlay_item.h"

#include "segment_style.h"

namespace attnx {

namespace {

// Boundaries worth a line: where a soft, BOS or anchor segment starts or ends. Between two text
// segments (or text and generated) no line is drawn, to keep the matrix readable.
bool marked(SegmentKind k) {
  return k == SegmentKind::Soft || k == SegmentKind::Bos || k == SegmentKind::Anchor;
}

// The colour of a boundary between kinds a and b: soft wins, then anchor, then BOS.
QColor boundaryColor(SegmentKind a, SegmentKind b) {
  for (SegmentKind k : {SegmentKind::Soft, SegmentKind::Anchor, SegmentKind::Bos})
    if (a == k || b == k) return segmentColor(k);
  return segmentColor(SegmentKind::Text);
}

// A boundary line that stays visible on every colour map: a light casing under a coloured dash.
void drawBoundary(QCPPainter* painter, const QLineF& line, const QColor& color) {
  painter->setPen(QPen(QColor(255, 255, 255, 220), 3.2, Qt::SolidLine, Qt::FlatCap));
  painter->drawLine(line);
  painter->setPen(QPen(color, 1.8, Qt::DashLine, Qt::FlatCap));
  painter->drawLine(line);
}

}  // namespace

SegmentOverlayItem::SegmentOverlayItem(QCustomPlot* plot) : QCPAbstractItem(plot) {
  setClipToAxisRect(false);  // the ribbons lie outside the axis rect
  setSelectable(false);
}

void SegmentOverlayItem::setSegments(std::vector<SegmentKind> keyKinds,
                                     std::vector<SegmentKind> rowKinds) {
  keyKinds_ = std::move(keyKinds);
  rowKinds_ = std::move(rowKinds);
}

double SegmentOverlayItem::selectTest(const QPointF&, bool, QVariant*) const { return -1; }

void SegmentOverlayItem::draw(QCPPainter* painter) {
  QCPAxisRect* rect = clipAxisRect();
  if (!rect) return;
  QCPAxis* x = rect->axis(QCPAxis::atBottom);
  QCPAxis* y = rect->axis(QCPAxis::atLeft);
  if (!x || !y) return;
  const QRectF area = rect->rect();
  // Pixel extent of key k and row r (cells are centred on integer coordinates).
  auto keyLeft = [&](double k) { return x->coordToPixel(k - 0.5); };
  auto rowEdge = [&](double r) { return y->coordToPixel(r - 0.5); };

  painter->save();
  painter->setClipRect(area);
  // Soft-token columns: a faint wash, enough to find the region without hiding the values.
  QColor wash = segmentColor(SegmentKind::Soft);
  wash.setAlpha(45);
  painter->setPen(Qt::NoPen);
  painter->setBrush(wash);
  for (std::size_t k = 0; softWash_ && k < keyKinds_.size();) {
    if (keyKinds_[k] != SegmentKind::Soft) {
      ++k;
      continue;
    }
    std::size_t e = k;
    while (e < keyKinds_.size() && keyKinds_[e] == SegmentKind::Soft) ++e;
    const double a = keyLeft(double(k)), b = keyLeft(double(e));
    painter->drawRect(
        QRectF(QPointF(std::min(a, b), area.top()), QPointF(std::max(a, b), area.bottom())));
    k = e;
  }
  // Boundary lines across the matrix.
  for (std::size_t k = 1; k < keyKinds_.size(); ++k) {
    const SegmentKind a = keyKinds_[k - 1], b = keyKinds_[k];
    if (a == b || !(marked(a) || marked(b))) continue;
    const double px = keyLeft(double(k));
    drawBoundary(painter, QLineF(px, area.top(), px, area.bottom()), boundaryColor(a, b));
  }
  for (std::size_t r = 1; r < rowKinds_.size(); ++r) {
    const SegmentKind a = rowKinds_[r - 1], b = rowKinds_[r];
    if (a == b || !(marked(a) || marked(b))) continue;
    const double py = rowEdge(double(r));
    drawBoundary(painter, QLineF(area.left(), py, area.right(), py), boundaryColor(a, b));
  }
  // The selected query row.
  if (selectedRow_ >= 0 && selectedRow_ < static_cast<int>(rowKinds_.size())) {
    const double top = rowEdge(selectedRow_), bottom = rowEdge(selectedRow_ + 1.0);
    const QRectF row(QPointF(area.left() + 1, std::min(top, bottom)),
                     QPointF(area.right() - 1, std::max(top, bottom)));
    painter->setBrush(Qt::NoBrush);
    painter->setPen(QPen(QColor(0, 0, 0, 200), 3.0));
    painter->drawRect(row);
    painter->setPen(QPen(Qt::white, 1.5));
    painter->drawRect(row);
  }
  painter->restore();

  // Ribbons: one coloured run per segment, below the matrix (keys) and left of it (queries).
  painter->save();
  painter->setClipRect(area.adjusted(-kRibbon - 1, 0, 0, kRibbon + 1));
  painter->setPen(Qt::NoPen);
  for (std::size_t k = 0; k < keyKinds_.size();) {
    std::size_t e = k;
    while (e < keyKinds_.size() && keyKinds_[e] == keyKinds_[k]) ++e;
    const double a = keyLeft(double(k)), b = keyLeft(double(e));
    painter->setBrush(segmentColor(keyKinds_[k]));
    painter->drawRect(
        QRectF(QPointF(std::max(area.left(), std::min(a, b)), area.bottom() + 1),
               QPointF(std::min(area.right(), std::max(a, b)), area.bottom() + 1 + kRibbon - 2)));
    k = e;
  }
  for (std::size_t r = 0; r < rowKinds_.size();) {
    std::size_t e = r;
    while (e < rowKinds_.size() && rowKinds_[e] == rowKinds_[r]) ++e;
    const double a = rowEdge(double(r)), b = rowEdge(double(e));
    painter->setBrush(segmentColor(rowKinds_[r]));
    painter->drawRect(
        QRectF(QPointF(area.left() - kRibbon + 1, std::max(area.top(), std::min(a, b))),
               QPointF(area.left() - 1, std::min(area.bottom(), std::max(a, b)))));
    r = e;
  }
  painter->restore();
}

}  // namespace attnx
