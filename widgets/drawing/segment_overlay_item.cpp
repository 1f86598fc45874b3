#include "segment_overlay_item.h"

#include <algorithm>
#include <cmath>

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

// A boundary line on a cell edge, in the segment's colour, a sixth of a cell wide within 0.35 and
// 1.5 units: at paper size a BOS row one cell high stays visible between its two lines.
void drawBoundary(QCPPainter* painter, const QLineF& line, const QColor& color, double cell) {
  painter->setPen(QPen(color, std::clamp(cell / 6.0, 0.35, 1.5), Qt::SolidLine, Qt::FlatCap));
  painter->drawLine(line);
}

// Calls run(begin, end, kind) for every maximal run of equal kinds.
template <typename Run>
void forEachRun(const std::vector<SegmentKind>& kinds, Run run) {
  for (std::size_t b = 0; b < kinds.size();) {
    std::size_t e = b;
    while (e < kinds.size() && kinds[e] == kinds[b]) ++e;
    run(b, e, kinds[b]);
    b = e;
  }
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
  const double keyCell = std::abs(keyLeft(1.0) - keyLeft(0.0));
  const double rowCell = std::abs(rowEdge(1.0) - rowEdge(0.0));
  // Boundary lines across the matrix.
  for (std::size_t k = 1; k < keyKinds_.size(); ++k) {
    const SegmentKind a = keyKinds_[k - 1], b = keyKinds_[k];
    if (a == b || !(marked(a) || marked(b))) continue;
    const double px = keyLeft(double(k));
    drawBoundary(painter, QLineF(px, area.top(), px, area.bottom()), boundaryColor(a, b), keyCell);
  }
  for (std::size_t r = 1; r < rowKinds_.size(); ++r) {
    const SegmentKind a = rowKinds_[r - 1], b = rowKinds_[r];
    if (a == b || !(marked(a) || marked(b))) continue;
    const double py = rowEdge(double(r));
    drawBoundary(painter, QLineF(area.left(), py, area.right(), py), boundaryColor(a, b), rowCell);
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
  forEachRun(keyKinds_, [&](std::size_t begin, std::size_t end, SegmentKind kind) {
    const double a = keyLeft(double(begin)), b = keyLeft(double(end));
    painter->setBrush(segmentColor(kind));
    painter->drawRect(
        QRectF(QPointF(std::max(area.left(), std::min(a, b)), area.bottom() + 1),
               QPointF(std::min(area.right(), std::max(a, b)), area.bottom() + 1 + kRibbon - 2)));
  });
  forEachRun(rowKinds_, [&](std::size_t begin, std::size_t end, SegmentKind kind) {
    const double a = rowEdge(double(begin)), b = rowEdge(double(end));
    painter->setBrush(segmentColor(kind));
    painter->drawRect(
        QRectF(QPointF(area.left() - kRibbon + 1, std::max(area.top(), std::min(a, b))),
               QPointF(area.left() - 1, std::min(area.bottom(), std::max(a, b)))));
  });
  painter->restore();
}

}  // namespace attnx
