#include "token_strip_view.h"

#include <QContextMenuEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

#include "segment_style.h"
#include "view_data.h"

namespace attnx {

namespace {

constexpr double kPadX = 5, kPadY = 3, kGap = 3, kMargin = 4;
constexpr int kMaxChars = 18;
constexpr int kVisibleLines = 5;  // the strip grows up to this many lines, then scrolls

QColor mix(const QColor& a, const QColor& b, double t) {
  return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                          float(a.greenF() + (b.greenF() - a.greenF()) * t),
                          float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

}  // namespace

TokenStripView::TokenStripView(RunDocument* doc, QWidget* parent)
    : DocumentView(parent), doc_(doc) {
  setMouseTracking(true);
  setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
  setToolTip(
      tr("The tokens, coloured by segment. The stronger a chip's colour, the more the "
         "selected query attends to it. Click a token to make it the query."));
  follow(doc_);
  rebuild();
}

void TokenStripView::rebuild() {
  weights_.clear();
  weightMax_ = 0;
  query_ = -1;
  caption_.clear();
  const RunResult* r = doc_ ? doc_->result() : nullptr;
  if (!r) showEmpty(tr("No tokens yet: run a prompt to see them here."));
  if (r) {
    showContent();
    const Selection& s = doc_->selection();
    query_ = doc_->resolvedQuery();
    weights_.assign(static_cast<std::size_t>(tokenCount(*r)), 0.0f);
    const AttentionTensor* a = selectedTensor(*r, s);
    const int row = a ? queryRowOf(*a, s.batchRow, query_) : -1;
    if (a && row >= 0) {
      for (int k = 0; k < a->keys && k < static_cast<int>(weights_.size()); ++k) {
        weights_[k] = headValue(*a, s.batchRow, s.head, row, k);
        weightMax_ = std::max(weightMax_, weights_[k]);
      }
      caption_ = tr("Attention from %1 (position %2) · layer %3 · %4")
                     .arg(quotedToken(tokenText(*r, s.batchRow, query_), kMaxChars))
                     .arg(query_)
                     .arg(s.layer)
                     .arg(headName(s.head));
    } else {
      caption_ = tr("Query %1: its attention row was not captured").arg(query_);
    }
  }
  const double before = contentHeight_;
  contentHeight_ = layoutChips(width(), font(), &chips_);
  if (std::abs(before - contentHeight_) > 0.5) updateGeometry();
  scroll_ = std::clamp(scroll_, 0.0, std::max(0.0, contentHeight_ - height()));
  update();
}

double TokenStripView::layoutChips(double width, const QFont& font,
                                   std::vector<Chip>* chips) const {
  chips->clear();
  const QFontMetricsF fm(font);
  const double lineH = fm.height() + 2 * kPadY;
  double y = kMargin + fm.height() + 4;  // the caption line first
  const RunResult* r = doc_ ? doc_->result() : nullptr;
  if (!r) return y + lineH + kMargin;
  const int b = doc_->selection().batchRow;
  double x = kMargin;
  const double right = std::max(width - kMargin, kMargin + 40.0);
  for (int p = 0; p < tokenCount(*r); ++p) {
    if (p < r->seqLen && segmentAt(*r, b, p) == SegmentKind::Pad) continue;  // padding hidden
    Chip c;
    c.position = p;
    c.label = visibleToken(tokenText(*r, b, p), kMaxChars);
    const double w = std::min(fm.horizontalAdvance(c.label) + 2 * kPadX, right - kMargin);
    if (x + w > right && x > kMargin) {
      x = kMargin;
      y += lineH + kGap;
    }
    c.rect = QRectF(x, y, w, lineH);
    x += w + kGap;
    chips->push_back(std::move(c));
  }
  return y + lineH + kMargin;
}

int TokenStripView::heightForWidth(int width) const {
  std::vector<Chip> chips;
  const double h = layoutChips(width, font(), &chips);
  const QFontMetricsF fm(font());
  const double maxH =
      kMargin * 2 + fm.height() + 4 + kVisibleLines * (fm.height() + 2 * kPadY + kGap);
  return static_cast<int>(std::ceil(std::min(h, maxH)));
}

QSize TokenStripView::sizeHint() const {
  const int w = std::max(width(), 400);
  return QSize(w, heightForWidth(w));
}

QSize TokenStripView::minimumSizeHint() const {
  const QFontMetricsF fm(font());
  return QSize(120, static_cast<int>(2 * kMargin + 2 * fm.height() + 2 * kPadY + 4));
}

QRect TokenStripView::tokenRect(int position) const {
  for (const Chip& c : chips_)
    if (c.position == position) return c.rect.translated(0, -scroll_).toAlignedRect();
  return QRect();
}

void TokenStripView::paintContent(QPainter& p, const QRectF& area, const std::vector<Chip>& chips,
                                  double scroll, const QFont& font) const {
  p.save();
  p.setFont(font);
  p.setRenderHint(QPainter::Antialiasing, true);
  const QFontMetricsF fm(font);
  const QColor text = palette().color(QPalette::WindowText);
  const RunResult* r = doc_ ? doc_->result() : nullptr;
  p.setPen(text);
  if (!r || isEmptyShown()) {
    p.setPen(palette().color(QPalette::Disabled, QPalette::WindowText));
    p.drawText(area.adjusted(kMargin, kMargin, -kMargin, -kMargin),
               Qt::AlignLeft | Qt::AlignVCenter, emptyText());
    p.restore();
    return;
  }
  p.drawText(
      QRectF(area.left() + kMargin, area.top() + kMargin, area.width() - 2 * kMargin, fm.height()),
      Qt::AlignLeft | Qt::AlignVCenter,
      fm.elidedText(caption_, Qt::ElideRight, area.width() - 2 * kMargin));
  const double captionBottom = area.top() + kMargin + fm.height() + 2;
  p.setClipRect(QRectF(area.left(), captionBottom, area.width(), area.bottom() - captionBottom));
  const int b = doc_->selection().batchRow;
  for (const Chip& c : chips) {
    const QRectF rect = c.rect.translated(area.left(), area.top() - scroll);
    if (rect.bottom() < captionBottom || rect.top() > area.bottom()) continue;
    const SegmentKind kind = segmentAt(*r, b, c.position);
    const double w = c.position < static_cast<int>(weights_.size()) && weightMax_ > 0
                         ? weights_[static_cast<std::size_t>(c.position)] / weightMax_
                         : 0.0;
    // Light tint of the segment colour, deepening with the attention the chip receives.
    const double t = 0.12 + 0.88 * std::sqrt(std::clamp(w, 0.0, 1.0));
    const QColor fill = mix(QColor(Qt::white), segmentColor(kind), t);
    p.setBrush(fill);
    p.setPen(QPen(segmentColor(kind), 1.2));
    p.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3);
    if (c.position == query_) {
      p.setBrush(Qt::NoBrush);
      p.setPen(QPen(text, 2.4));
      p.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), 4, 4);
    }
    p.setPen(textColorOn(fill));
    p.drawText(rect.adjusted(kPadX, 0, -kPadX, 0), Qt::AlignCenter,
               fm.elidedText(c.label, Qt::ElideRight, rect.width() - 2 * kPadX + 1));
  }
  p.restore();
}

void TokenStripView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  paintContent(p, QRectF(rect()), chips_, scroll_, font());
  // A hint that more lines lie below or above.
  if (contentHeight_ > height()) {
    p.setPen(palette().color(QPalette::Mid));
    const double frac = height() / contentHeight_;
    const double top = scroll_ / contentHeight_ * height();
    p.fillRect(QRectF(width() - 4, top, 3, frac * height()), palette().color(QPalette::Mid));
  }
}

void TokenStripView::renderContentTo(QPainter& painter, const QRectF& target) {
  std::vector<Chip> chips;
  layoutChips(target.width(), font(), &chips);
  painter.save();
  painter.setClipRect(target);
  painter.fillRect(target, Qt::white);
  paintContent(painter, target, chips, 0.0, font());
  painter.restore();
}

void TokenStripView::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  contentHeight_ = layoutChips(width(), font(), &chips_);
  scroll_ = std::clamp(scroll_, 0.0, std::max(0.0, contentHeight_ - height()));
}

void TokenStripView::wheelEvent(QWheelEvent* event) {
  if (contentHeight_ <= height()) return QWidget::wheelEvent(event);
  scroll_ = std::clamp(scroll_ - event->angleDelta().y() / 4.0, 0.0, contentHeight_ - height());
  update();
  event->accept();
}

int TokenStripView::chipAt(const QPointF& pos) const {
  for (const Chip& c : chips_)
    if (c.rect.translated(0, -scroll_).contains(pos)) return c.position;
  return -1;
}

QString TokenStripView::chipDescription(int position) const {
  const RunResult* r = doc_->result();
  const int b = doc_->selection().batchRow;
  const qint64 id = tokenId(*r, b, position);
  QString s = (id >= 0 ? tr("Position %1: %2 (%3, id %4)")
                             .arg(position)
                             .arg(quotedToken(tokenText(*r, b, position)),
                                  segmentLabel(segmentAt(*r, b, position)), QString::number(id))
                       : tr("Position %1: %2 (%3)")
                             .arg(position)
                             .arg(quotedToken(tokenText(*r, b, position)),
                                  segmentLabel(segmentAt(*r, b, position))));
  if (position < static_cast<int>(weights_.size()) && query_ >= 0)
    s += QLatin1Char('\n') + tr("Attention from position %1: %2")
                                 .arg(query_)
                                 .arg(weights_[static_cast<std::size_t>(position)], 0, 'f', 4);
  return s;
}

void TokenStripView::mouseMoveEvent(QMouseEvent* event) {
  const int p = chipAt(event->position());
  if (p >= 0)
    QToolTip::showText(event->globalPosition().toPoint(), chipDescription(p), this);
  else
    QToolTip::hideText();
}

std::vector<KnockoutChoice> TokenStripView::knockoutChoices(int position) const {
  const RunResult* r = doc_ ? doc_->result() : nullptr;
  if (!r) return {};
  const Selection& s = doc_->selection();
  return keyKnockouts(*r, s.batchRow, position, s.head, s.layer);
}

void TokenStripView::contextMenuEvent(QContextMenuEvent* event) {
  const int p = chipAt(event->pos());
  if (p < 0) return event->ignore();  // the parent's menu
  QMenu menu(this);
  menu.setObjectName(QStringLiteral("tokenStripMenu"));
  addKnockoutActions(&menu, knockoutChoices(p),
                     [this](const QString& spec) { emit knockoutRequested(spec); });
  if (!menu.isEmpty()) menu.exec(event->globalPos());
}

void TokenStripView::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton || !doc_ || !doc_->result())
    return QWidget::mousePressEvent(event);
  const int p = chipAt(event->position());
  if (p < 0) return;
  const RunResult& r = *doc_->result();
  Selection s = doc_->selection();
  if (p < r.seqLen) {
    s.step.reset();
    s.query = p;
  } else {
    // A generated token is the query of the step that fed it back (token g at position T + g is
    // the input of step g + 1); the last token was never fed back and has no row.
    const int step = p - r.seqLen + 1;
    if (step >= static_cast<int>(r.stepAttentions.size())) return;
    s.step = step;
  }
  doc_->setSelection(s);
}

}  // namespace attnx
