#include "head_grid_view.h"

#include <QComboBox>
#include <QContextMenuEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <limits>

#include "segment_style.h"
#include "view_data.h"

namespace attnx {

namespace {

// Thumbnails are reduced to at most this many pixels per side (by block maximum, so a sharp
// diagonal or a single attention sink stays visible).
constexpr int kThumbMax = 48;

struct MetricEntry {
  HeadGridView::Metric metric;
  SegmentKind kind;
};

const std::vector<MetricEntry>& metricEntries() {
  static const std::vector<MetricEntry> entries = {
      {HeadGridView::Metric::SegmentMass, SegmentKind::Soft},
      {HeadGridView::Metric::SegmentMass, SegmentKind::Bos},
      {HeadGridView::Metric::SegmentMass, SegmentKind::Anchor},
      {HeadGridView::Metric::SegmentMass, SegmentKind::Text},
      {HeadGridView::Metric::SegmentMass, SegmentKind::Special},
      {HeadGridView::Metric::SegmentMass, SegmentKind::Generated},
      {HeadGridView::Metric::Entropy, SegmentKind::Soft},
      {HeadGridView::Metric::Thumbnail, SegmentKind::Soft}};
  return entries;
}

}  // namespace

HeadGridView::HeadGridView(RunDocument* doc, QWidget* parent) : CellGridView(parent), doc_(doc) {
  metricCombo_ = new QComboBox(this);
  for (const MetricEntry& e : metricEntries()) {
    if (e.metric == Metric::SegmentMass)
      metricCombo_->addItem(tr("Mass to %1 tokens").arg(segmentLabel(e.kind)));
    else if (e.metric == Metric::Entropy)
      metricCombo_->addItem(tr("Entropy of the row"));
    else
      metricCombo_->addItem(tr("Attention matrix thumbnails"));
  }
  metricCombo_->setToolTip(
      tr("What each cell shows for the selected query: the share of its attention that goes to "
         "one kind of token, the entropy of its attention row (nats), or a thumbnail of the "
         "head's whole attention matrix"));
  auto* row = new QHBoxLayout;
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(new QLabel(tr("Cells:"), this));
  row->addWidget(metricCombo_, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(row);
  layout->addStretch(1);
  setToolTip(
      tr("Layers (rows) x heads (columns). Click a cell to show that layer and head; "
         "click a layer label to show the mean over its heads."));
  connect(metricCombo_, &QComboBox::currentIndexChanged, this, [this](int i) {
    if (i < 0 || i >= static_cast<int>(metricEntries().size())) return;
    setMetric(metricEntries()[i].metric, metricEntries()[i].kind);
  });
  follow(doc_);
  rebuild();
}

void HeadGridView::setMetric(Metric metric, SegmentKind kind) {
  metric_ = metric;
  kind_ = kind;
  for (std::size_t i = 0; i < metricEntries().size(); ++i) {
    const MetricEntry& e = metricEntries()[i];
    if (e.metric == metric && (metric != Metric::SegmentMass || e.kind == kind)) {
      const QSignalBlocker block(metricCombo_);
      metricCombo_->setCurrentIndex(static_cast<int>(i));
      break;
    }
  }
  rebuild();
}

void HeadGridView::setColorMap(ColorMapKind map) {
  scale_.map = map;
  rebuild();  // the thumbnails are keyed by the map and rebuild too
}

void HeadGridView::rebuild() {
  CellGrid& g = grid();
  g = CellGrid{};
  values_.clear();
  const RunResult* r = doc_ ? doc_->result() : nullptr;
  if (!r) return showEmpty(tr("No run yet.\nThe layer x head grid appears after a run."));
  const Selection& s = doc_->selection();
  const auto& tensors = tensorsForStep(*r, s.step);
  if (tensors.empty()) return showEmpty(tr("No attention was captured in this run."));
  for (const AttentionTensor& a : tensors) g.layers.push_back(a.layer);
  g.heads = tensors.front().heads;
  // The selection: one cell, or the whole layer row for an aggregate over heads.
  g.selectedRow = rowOf(s.layer);
  g.selectedHead = s.head.isOne() ? s.head.index : -1;

  if (metric_ == Metric::Thumbnail) {
    rebuildThumbnails();
    g.thumbnails = thumbs_;
    g.caption = !s.step
                    ? tr("Attention matrices (each scaled to its own range, square root)")
                    : tr("Step %1 rows (each scaled to its own range, square root)").arg(*s.step);
    return showContent();
  }
  const std::optional<SegmentMass>& m = doc_->selectedMass();
  if (!m) return showEmpty(tr("The selected query's row was not captured."));
  const int query = m->queryPosition;
  const int heads = g.heads;
  const std::size_t rows = g.layers.size();
  values_.assign(rows * static_cast<std::size_t>(heads), 0.0f);
  for (std::size_t l = 0; l < rows && l < m->layers.size(); ++l)
    for (int h = 0; h < heads; ++h)
      values_[l * heads + h] = metric_ == Metric::Entropy ? m->entropy[l][h] : m->of(kind_)[l][h];
  // Mass is a share of 1; entropy is at most ln(keys) (a uniform row).
  const double upper = metric_ == Metric::Entropy ? std::log(std::max(2, m->keys)) : 1.0;
  scale_.lower = 0.0;
  scale_.upper = upper;
  scale_.scale = ScaleKind::Linear;
  // One pixel per cell; painting makes each a rectangle, so cells stay crisp.
  const QVector<QRgb> table = scale_.lookup();
  g.cells = QImage(heads, static_cast<int>(rows), QImage::Format_RGB32);
  for (int l = 0; l < g.cells.height(); ++l) {
    auto* line = reinterpret_cast<QRgb*>(g.cells.scanLine(l));
    for (int h = 0; h < heads; ++h)
      line[h] = scale_.rgbFromLookup(table, values_[static_cast<std::size_t>(l) * heads + h]);
  }
  g.cellText = [this, heads](int row, int head) {
    return QString::number(values_[static_cast<std::size_t>(row) * heads + head], 'f', 2);
  };
  g.bar = QImage(256, 1, QImage::Format_RGB32);
  for (int i = 0; i < 256; ++i) g.bar.setPixel(i, 0, table[i]);
  g.barTicks = {QStringLiteral("0"), QString::number(upper, 'g', 3)};
  g.barLabel = metric_ == Metric::Entropy ? tr("entropy (nats)") : tr("attention mass");
  const QString what = metric_ == Metric::Entropy
                           ? tr("entropy (nats)")
                           : tr("mass to %1 tokens").arg(segmentLabel(kind_));
  g.caption = tr("%1 from %2 (position %3)")
                  .arg(what, quotedToken(tokenText(*r, s.batchRow, query), 16))
                  .arg(query);
  showContent();
}

void HeadGridView::rebuildThumbnails() {
  const RunResult* r = doc_->result();
  const Selection& s = doc_->selection();
  const ThumbKey key{s.step.value_or(-1), s.batchRow, static_cast<int>(scale_.map)};
  if (key == thumbKey_ && !thumbs_.empty()) return;
  thumbs_.clear();
  const auto& tensors = tensorsForStep(*r, s.step);
  const QVector<QRgb> table = scale_.lookup();
  for (const AttentionTensor& a : tensors) {
    // Keys of padded batch rows still count: they show as empty columns.
    const int tw = std::min(a.keys, kThumbMax), th = std::min(a.queries, kThumbMax);
    for (int h = 0; h < a.heads; ++h) {
      // Block maximum over the [queries, keys] matrix.
      std::vector<float> block(static_cast<std::size_t>(tw) * th, 0.0f);
      for (int q = 0; q < a.queries; ++q) {
        const int y = q * th / a.queries;
        for (int k = 0; k < a.keys; ++k) {
          const float v = a.at(s.batchRow, h, q, k);
          float& b = block[static_cast<std::size_t>(y) * tw + k * tw / a.keys];
          b = std::max(b, v);
        }
      }
      // Scaled to the 99th percentile of the non-zero blocks, with a square-root curve: the
      // first rows of a causal head always hold a weight of 1, which would otherwise leave
      // everything else black.
      std::vector<float> nonZero;
      for (float v : block)
        if (v > 0) nonZero.push_back(v);
      float top = 1.0f;
      if (!nonZero.empty()) {
        const std::size_t i = (nonZero.size() - 1) * 99 / 100;
        std::nth_element(nonZero.begin(), nonZero.begin() + static_cast<std::ptrdiff_t>(i),
                         nonZero.end());
        top = nonZero[i];
      }
      QImage img(tw, th, QImage::Format_RGB32);
      ColorScale cs = scale_;
      cs.lower = 0.0;
      cs.upper = top > 0 ? top : 1.0;
      cs.scale = ScaleKind::Power;
      cs.gamma = 0.5;
      for (int y = 0; y < th; ++y) {
        auto* line = reinterpret_cast<QRgb*>(img.scanLine(y));
        for (int x = 0; x < tw; ++x)
          line[x] = cs.rgbFromLookup(table, block[static_cast<std::size_t>(y) * tw + x]);
      }
      thumbs_.push_back(std::move(img));
    }
  }
  thumbKey_ = key;
}

QRectF HeadGridView::canvasRect() const {
  const int top = metricCombo_->geometry().bottom() + 6;
  return QRectF(4, top, std::max(0, width() - 8), std::max(0, height() - top - 4));
}

double HeadGridView::cellValue(int layer, int head) const {
  const int row = rowOf(layer);
  if (values_.empty() || row < 0 || head < 0 || head >= grid().heads)
    return std::numeric_limits<double>::quiet_NaN();
  return values_[static_cast<std::size_t>(row) * grid().heads + head];
}

QString HeadGridView::cellToolTip(int row, int head) const {
  const int layer = grid().layers[static_cast<std::size_t>(row)];
  if (metric_ == Metric::Thumbnail || values_.empty())
    return tr("Layer %1, head %2").arg(layer).arg(head);
  const double v = values_[static_cast<std::size_t>(row) * grid().heads + head];
  const QString what = metric_ == Metric::Entropy
                           ? tr("entropy %1 nats").arg(v, 0, 'f', 3)
                           : tr("mass to %1: %2").arg(segmentLabel(kind_)).arg(v, 0, 'f', 4);
  return tr("Layer %1, head %2: %3").arg(layer).arg(head).arg(what);
}

void HeadGridView::cellClicked(int row, int head) {
  if (!doc_) return;
  Selection s = doc_->selection();
  s.layer = grid().layers[static_cast<std::size_t>(row)];
  s.head = HeadChoice::one(head);
  doc_->setSelection(s);
}

std::vector<KnockoutChoice> HeadGridView::knockoutChoices(int layer, int head) const {
  const RunResult* r = doc_ ? doc_->result() : nullptr;
  if (!r) return {};
  return headKnockouts(*r, doc_->selection().batchRow, layer, head);
}

void HeadGridView::contextMenuEvent(QContextMenuEvent* event) {
  int row = 0, head = 0;
  if (!cellAt(event->pos(), &row, &head)) return event->ignore();  // the parent's menu
  QMenu menu(this);
  menu.setObjectName(QStringLiteral("headGridMenu"));
  addKnockoutActions(&menu, knockoutChoices(grid().layers[static_cast<std::size_t>(row)], head),
                     [this](const QString& spec) { emit knockoutRequested(spec); });
  if (!menu.isEmpty()) menu.exec(event->globalPos());
}

void HeadGridView::labelClicked(int row) {
  if (!doc_) return;
  Selection s = doc_->selection();
  s.layer = grid().layers[static_cast<std::size_t>(row)];
  s.head = HeadChoice::mean();
  doc_->setSelection(s);
}

}  // namespace attnx
