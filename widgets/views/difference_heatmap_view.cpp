#include "difference_heatmap_view.h"

#include <QCoreApplication>
#include <QLabel>
#include <QPicture>
#include <QStackedWidget>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

#include "segment_overlay_item.h"
#include "segment_style.h"
#include "token_matrix_plot.h"
#include "token_ticker.h"
#include "view_data.h"

namespace attnx {

namespace {

QString describeLayout(const std::vector<Segment>& layout) {
  QStringList parts;
  for (const Segment& s : layout)
    parts << QStringLiteral("%1 %2").arg(segmentLabel(s.kind)).arg(s.size());
  return parts.join(QStringLiteral(" · "));
}

}  // namespace

bool sameTokenLayout(const RunResult& left, const RunResult& right, QString* why) {
  const std::vector<Segment> none;
  const std::vector<Segment>& a = left.layout.empty() ? none : left.layout.front();
  const std::vector<Segment>& b = right.layout.empty() ? none : right.layout.front();
  bool same = left.seqLen == right.seqLen && a.size() == b.size();
  for (std::size_t i = 0; same && i < a.size(); ++i)
    same = a[i].kind == b[i].kind && a[i].size() == b[i].size();
  if (!same && why)
    *why = QCoreApplication::translate("attnx::DifferenceHeatmapView",
                                       "The two examples' token layouts differ (left: %1; right: "
                                       "%2), so their attention cannot be subtracted cell by cell.")
               .arg(describeLayout(a), describeLayout(b));
  return same;
}

std::optional<TokenAlignment> alignTokenLayouts(const RunResult& left, const RunResult& right,
                                                QString* why) {
  if (sameTokenLayout(left, right, why)) return TokenAlignment{};
  const std::vector<Segment> none;
  const std::vector<Segment>& a = left.layout.empty() ? none : left.layout.front();
  const std::vector<Segment>& b = right.layout.empty() ? none : right.layout.front();
  // The same segments (kinds and lengths) from a[ia] and b[ib] on.
  auto sameFrom = [&](std::size_t ia, std::size_t ib) {
    if (a.size() - ia != b.size() - ib) return false;
    for (std::size_t i = 0; ia + i < a.size(); ++i)
      if (a[ia + i].kind != b[ib + i].kind || a[ia + i].size() != b[ib + i].size()) return false;
    return true;
  };
  if (!a.empty() && a.front().kind == SegmentKind::Soft && sameFrom(1, 0) &&
      left.seqLen - a.front().size() == right.seqLen)
    return TokenAlignment{a.front().size(), 0};
  if (!b.empty() && b.front().kind == SegmentKind::Soft && sameFrom(0, 1) &&
      right.seqLen - b.front().size() == left.seqLen)
    return TokenAlignment{0, b.front().size()};
  return std::nullopt;
}

DifferenceHeatmapView::DifferenceHeatmapView(RunDocument* left, RunDocument* right, QWidget* parent)
    : TokenMatrixView(parent), left_(left), right_(right) {
  m_ = buildTokenMatrixPlot(this, QFont(font().family(), font().pointSize() + 1, QFont::Bold),
                            tr("weight, left − right"));
  m_.map->setGradient(scale_.gradient());

  hover_ = new QLabel(tr("Hover over a cell to read both weights and their difference."), this);
  hover_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* page = new QWidget(this);
  auto* pageLayout = new QVBoxLayout(page);
  pageLayout->setContentsMargins(0, 0, 0, 0);
  pageLayout->addWidget(m_.plot, 1);
  pageLayout->addWidget(hover_);
  setContent(page);
  setToolTip(
      tr("Left example's attention minus the right one's, for the same layer and head: red where "
         "the left attends more, blue where the right does."));
  m_.plot->setToolTip(QString());

  connect(m_.plot, &QCustomPlot::mouseMove, this, &DifferenceHeatmapView::onMouseMove);
  follow(left_);
  follow(right_);
  rebuild();
}

QString DifferenceHeatmapView::note() const { return rows_ > 0 ? QString() : emptyText(); }

void DifferenceHeatmapView::showNote(const QString& text) {
  values_.clear();
  leftValues_.clear();
  rightValues_.clear();
  rowPositions_.clear();
  rows_ = keys_ = 0;
  zoomKey_ = Key{};
  m_.map->data()->clear();
  m_.xTicker->setLabels({});
  m_.yTicker->setLabels({});
  m_.overlay->setSegments({}, {});
  setRowStrip(m_, false);
  showEmpty(text);
}

void DifferenceHeatmapView::rebuild() {
  const RunResult* a = left_ ? left_->result() : nullptr;
  const RunResult* b = right_ ? right_->result() : nullptr;
  if (!a || !b)
    return showNote(tr("The difference of the two examples appears here once both are shown."));
  QString why;
  const std::optional<TokenAlignment> aligned = alignTokenLayouts(*a, *b, &why);
  if (!aligned) return showNote(why);
  alignment_ = *aligned;
  const int ls = alignment_.leftStart, rs = alignment_.rightStart;
  const Selection& s = left_->selection();
  // Both sides at the left's layer, head and step (the window keeps them equal anyway).
  Selection sb = s;
  sb.batchRow = right_->selection().batchRow;
  const AttentionTensor* ta = selectedTensor(*a, s);
  const AttentionTensor* tb = selectedTensor(*b, sb);
  if (!ta || !tb) return showNote(tr("Layer %1 was not captured in both examples.").arg(s.layer));
  // The left rows and keys that both runs have, and where the right run holds them.
  const int keys = ta->keys - ls;
  std::vector<int> leftRows, rightRows;
  if (keys == tb->keys - rs && keys > 0) {
    std::vector<int> rightRowAt(static_cast<std::size_t>(tb->keys + 1), -1);
    for (int q = 0; q < tb->queries; ++q) {
      const int p = tb->queryPosition(sb.batchRow, q);
      if (p >= 0 && p < static_cast<int>(rightRowAt.size())) rightRowAt[p] = q;
    }
    for (int q = 0; q < ta->queries; ++q) {
      const int p = ta->queryPosition(s.batchRow, q) - ls + rs;
      const int r = p >= 0 && p < static_cast<int>(rightRowAt.size()) ? rightRowAt[p] : -1;
      if (ta->queryPosition(s.batchRow, q) < ls) continue;  // a row of the left's soft prefix
      if (r < 0) {
        leftRows.clear();
        break;
      }
      leftRows.push_back(q);
      rightRows.push_back(r);
    }
  }
  if (leftRows.empty())
    return showNote(
        tr("The two examples kept different query rows, so their attention cannot be "
           "subtracted cell by cell."));

  const std::vector<float> fullLeft = attentionMatrix(*ta, s.batchRow, s.head);     // [q, k]
  const std::vector<float> fullRight = attentionMatrix(*tb, sb.batchRow, sb.head);  // [q, k]
  rows_ = static_cast<int>(leftRows.size());
  keys_ = keys;
  setRowStrip(m_, rows_ == 1);
  leftValues_.resize(static_cast<std::size_t>(rows_) * keys_);
  rightValues_.resize(leftValues_.size());
  values_.resize(leftValues_.size());
  rowPositions_.resize(static_cast<std::size_t>(rows_));
  for (int i = 0; i < rows_; ++i) {
    rowPositions_[i] = ta->queryPosition(s.batchRow, leftRows[i]);
    for (int k = 0; k < keys_; ++k) {
      const std::size_t o = static_cast<std::size_t>(i) * keys_ + k;
      leftValues_[o] = fullLeft[static_cast<std::size_t>(leftRows[i]) * ta->keys + ls + k];
      rightValues_[o] = fullRight[static_cast<std::size_t>(rightRows[i]) * tb->keys + rs + k];
      values_[o] = leftValues_[o] - rightValues_[o];
    }
  }
  showContent();

  // Labels: the left example's tokens, or "left|right" where the two differ.
  auto label = [&](int p) {  // p: a left position
    const QString l = visibleToken(tokenText(*a, s.batchRow, p), 14);
    const QString r = visibleToken(tokenText(*b, sb.batchRow, p - ls + rs), 14);
    return l == r ? l : l + QLatin1Char('|') + r;
  };
  QStringList xLabels, yLabels;
  std::vector<SegmentKind> keyKinds, rowKinds;
  for (int k = ls; k < ls + keys_; ++k) {
    xLabels << label(k);
    keyKinds.push_back(segmentAt(*a, s.batchRow, k));
  }
  for (int q = 0; q < rows_; ++q) {
    yLabels << label(rowPositions_[q]);
    rowKinds.push_back(segmentAt(*a, s.batchRow, rowPositions_[q]));
  }
  m_.xTicker->setLabels(xLabels);
  m_.yTicker->setLabels(yLabels);
  m_.overlay->setSegments(std::move(keyKinds), std::move(rowKinds));
  const auto it = std::find(rowPositions_.begin(), rowPositions_.end(), left_->resolvedQuery());
  m_.overlay->setSelectedRow(it == rowPositions_.end() ? -1 : int(it - rowPositions_.begin()));

  // A single row or key is stored twice (QCPColorMap draws a size-1 dimension with no extent).
  const int nk = std::max(2, keys_), nq = std::max(2, rows_);
  m_.map->data()->setSize(nk, nq);
  m_.map->data()->setRange(keys_ > 1 ? QCPRange(0, keys_ - 1) : QCPRange(-0.25, 0.25),
                           rows_ > 1 ? QCPRange(0, rows_ - 1) : QCPRange(-0.25, 0.25));
  for (int q = 0; q < nq; ++q)
    for (int k = 0; k < nk; ++k)
      m_.map->data()->setCell(k, q,
                              values_[static_cast<std::size_t>(std::min(q, rows_ - 1)) * keys_ +
                                      std::min(k, keys_ - 1)]);
  scale_.range = DivergingScale::symmetricRange(values_);
  m_.map->setGradient(scale_.gradient());
  m_.map->setDataRange(scale_.dataRange());

  const Key key{a, b, s.step};
  if (!(key == zoomKey_)) {
    m_.plot->xAxis->setRange(-0.5, std::max(1, keys_) - 0.5);
    m_.plot->yAxis->setRange(-0.5, std::max(1, rows_) - 0.5);
    zoomKey_ = key;
  }
  m_.title->setText(alignment_.whole()
                        ? tr("Left − right · layer %1 · %2").arg(s.layer).arg(headName(s.head))
                        : tr("Left − right · layer %1 · %2 · tokens both have")
                              .arg(s.layer)
                              .arg(headName(s.head)));
  m_.plot->replot();
}

QString DifferenceHeatmapView::hoverText() const { return hover_->text(); }

void DifferenceHeatmapView::setBarLabel(const QString& label) {
  m_.colorBar->axis()->setLabel(label);
  m_.plot->replot();
}

void DifferenceHeatmapView::onMouseMove(QMouseEvent* event) {
  const QPointF pixel = event->position();
  if (rows_ <= 0 || !m_.plot->axisRect()->rect().contains(pixel.toPoint())) {
    QToolTip::hideText();
    return;
  }
  const int k = static_cast<int>(std::lround(m_.plot->xAxis->pixelToCoord(pixel.x())));
  const int q = static_cast<int>(std::lround(m_.plot->yAxis->pixelToCoord(pixel.y())));
  if (k < 0 || k >= keys_ || q < 0 || q >= rows_) {
    QToolTip::hideText();
    return;
  }
  const std::size_t i = static_cast<std::size_t>(q) * keys_ + k;
  const QString text = tr("query %1 → key %2: left %3, right %4, left − right %5")
                           .arg(rowPositions_[static_cast<std::size_t>(q)])
                           .arg(k + alignment_.leftStart)
                           .arg(leftValues_[i], 0, 'f', 4)
                           .arg(rightValues_[i], 0, 'f', 4)
                           .arg(values_[i], 0, 'f', 4);
  hover_->setText(text);
  QToolTip::showText(event->globalPosition().toPoint(), text, m_.plot);
}

}  // namespace attnx
