#include "head_grid_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <limits>

#include "cell_grid.h"
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

HeadGridView::HeadGridView(RunDocument* doc, QWidget* parent) : DocumentView(parent), doc_(doc) {
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
  setMouseTracking(true);
  setMinimumSize(160, 160);
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
  layers_.clear();
  values_.clear();
  heads_ = 0;
  cellsImage_ = QImage();
  caption_.clear();
  const RunResult* r = doc_ ? doc_->result() : nullptr;
  if (!r) return showEmpty(tr("No run yet.\nThe layer x head grid appears after a run."));
  const Selection& s = doc_->selection();
  const auto& tensors = tensorsForStep(*r, s.step);
  if (tensors.empty()) return showEmpty(tr("No attention was captured in this run."));
  for (const AttentionTensor& a : tensors) layers_.push_back(a.layer);
  heads_ = tensors.front().heads;

  if (metric_ == Metric::Thumbnail) {
    rebuildThumbnails();
    caption_ = !s.step
                   ? tr("Attention matrices (each scaled to its own range, square root)")
                   : tr("Step %1 rows (each scaled to its own range, square root)").arg(*s.step);
    return showContent();
  }
  const std::optional<SegmentMass>& m = doc_->selectedMass();
  if (!m) return showEmpty(tr("The selected query's row was not captured."));
  const int query = m->queryPosition;
  values_.assign(layers_.size() * static_cast<std::size_t>(heads_), 0.0f);
  for (std::size_t l = 0; l < layers_.size() && l < m->layers.size(); ++l)
    for (int h = 0; h < heads_; ++h) {
      const std::size_t i = l * heads_ + h;
      values_[i] = metric_ == Metric::Entropy ? m->entropy[l][h] : m->of(kind_)[l][h];
    }
  // Mass is a share of 1; entropy is at most ln(keys) (a uniform row).
  valueMax_ = metric_ == Metric::Entropy ? std::log(std::max(2, m->keys)) : 1.0;
  scale_.lower = 0.0;
  scale_.upper = valueMax_;
  scale_.scale = ScaleKind::Linear;
  // One pixel per cell; painting scales it up without smoothing, so cells stay crisp.
  const QVector<QRgb> table = scale_.lookup();
  cellsImage_ = QImage(heads_, static_cast<int>(layers_.size()), QImage::Format_RGB32);
  for (int l = 0; l < cellsImage_.height(); ++l) {
    auto* line = reinterpret_cast<QRgb*>(cellsImage_.scanLine(l));
    for (int h = 0; h < heads_; ++h)
      line[h] = scale_.rgbFromLookup(table, values_[static_cast<std::size_t>(l) * heads_ + h]);
  }
  const QString what = metric_ == Metric::Entropy
                           ? tr("entropy (nats)")
                           : tr("mass to %1 tokens").arg(segmentLabel(kind_));
  caption_ = tr("%1 from %2 (position %3)")
                 .arg(what, visibleToken(tokenText(*r, s.batchRow, query), 16))
                 .arg(query);
  showContent();
}

void HeadGridView::rebuildThumbnails() {
  const RunResult* r = doc_->result();
  const Selection& s = doc_->selection();
  const ThumbKey key{r, s.step.value_or(-1), s.batchRow, static_cast<int>(scale_.map)};
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

HeadGridView::Geometry HeadGridView::geometryFor(const QRectF& area,
                                                 const QFontMetricsF& fm) const {
  Geometry g;
  const int rows = static_cast<int>(layers_.size());
  if (rows == 0 || heads_ == 0) return g;
  const double line = fm.height();
  const double left = fm.horizontalAdvance(QStringLiteral("L000")) + 6;
  const double top = line * 2 + 6;  // caption, then the head numbers
  const double bottom = metric_ == Metric::Thumbnail ? 0 : line * 2 + 12;
  const double w = area.width() - left - 2, h = area.height() - top - bottom;
  g.cell = std::max(1.0, std::min({w / heads_, h / rows, 96.0}));
  g.grid = QRectF(area.left() + left, area.top() + top, g.cell * heads_, g.cell * rows);
  if (bottom > 0) {
    // Leave room for the bar's label on its right, so narrow figures never clip it.
    const double label = fm.horizontalAdvance(colorBarLabel()) + 12;
    const double room = area.right() - g.grid.left() - label;
    g.colorBar = QRectF(g.grid.left(), g.grid.bottom() + 8,
                        std::max(40.0, std::min({g.grid.width(), 240.0, room})), line * 0.8);
  }
  g.labelEvery = std::max(1, static_cast<int>(std::ceil((line + 1) / g.cell)));
  return g;
}

QString HeadGridView::colorBarLabel() const {
  return metric_ == Metric::Entropy ? tr("entropy (nats)") : tr("attention mass");
}

QRect HeadGridView::cellRect(int layer, int head) const {
  const auto it = std::find(layers_.begin(), layers_.end(), layer);
  if (it == layers_.end() || head < 0 || head >= heads_) return QRect();
  const Geometry g = geometryFor(canvasRect(), QFontMetricsF(font()));
  const int row = static_cast<int>(it - layers_.begin());
  return QRectF(g.grid.left() + head * g.cell, g.grid.top() + row * g.cell, g.cell, g.cell)
      .toAlignedRect()
      .adjusted(0, 0, -1, -1);
}

double HeadGridView::cellValue(int layer, int head) const {
  const auto it = std::find(layers_.begin(), layers_.end(), layer);
  if (values_.empty() || it == layers_.end() || head < 0 || head >= heads_)
    return std::numeric_limits<double>::quiet_NaN();
  return values_[static_cast<std::size_t>(it - layers_.begin()) * heads_ + head];
}

void HeadGridView::paintContent(QPainter& p, const QRectF& area, const QFont& font) {
  p.save();
  p.setFont(font);
  const QFontMetricsF fm(font);
  const QColor text = palette().color(QPalette::WindowText);
  if (isEmptyShown() || layers_.empty()) {
    p.setPen(palette().color(QPalette::Disabled, QPalette::WindowText));
    p.drawText(area, Qt::AlignCenter | Qt::TextWordWrap,
               emptyText().isEmpty() ? tr("Nothing to show.") : emptyText());
    p.restore();
    return;
  }
  const Geometry g = geometryFor(area, fm);
  const int rows = static_cast<int>(layers_.size());
  p.setPen(text);
  p.drawText(QRectF(area.left(), area.top(), area.width(), fm.height()),
             Qt::AlignLeft | Qt::AlignVCenter,
             fm.elidedText(caption_, Qt::ElideRight, area.width()));

  // Cells.
  if (metric_ == Metric::Thumbnail) {
    p.setRenderHint(QPainter::SmoothPixmapTransform, g.cell < 24);
    const double pad = g.cell >= 8 ? 1.0 : 0.0;
    for (int l = 0; l < rows; ++l)
      for (int h = 0; h < heads_; ++h) {
        const std::size_t i = static_cast<std::size_t>(l) * heads_ + h;
        if (i >= thumbs_.size()) continue;
        const QRectF cell(g.grid.left() + h * g.cell + pad, g.grid.top() + l * g.cell + pad,
                          g.cell - 2 * pad, g.cell - 2 * pad);
        p.drawImage(cell, thumbs_[i]);
      }
  } else if (!cellsImage_.isNull()) {
    paintCellRects(p, cellsImage_, g.grid, g.cell);
    if (g.cell >= 6) {  // separators between cells
      p.setPen(QPen(palette().color(QPalette::Base), g.cell >= 16 ? 1.0 : 0.5));
      for (int h = 1; h < heads_; ++h)
        p.drawLine(QPointF(g.grid.left() + h * g.cell, g.grid.top()),
                   QPointF(g.grid.left() + h * g.cell, g.grid.bottom()));
      for (int l = 1; l < rows; ++l)
        p.drawLine(QPointF(g.grid.left(), g.grid.top() + l * g.cell),
                   QPointF(g.grid.right(), g.grid.top() + l * g.cell));
    }
    // Values inside the cells when there is room for them.
    if (g.cell >= fm.horizontalAdvance(QStringLiteral("0.00")) + 6 && g.cell >= fm.height()) {
      for (int l = 0; l < rows; ++l)
        for (int h = 0; h < heads_; ++h) {
          const double v = values_[static_cast<std::size_t>(l) * heads_ + h];
          const QColor c = QColor::fromRgb(cellsImage_.pixel(h, l));
          p.setPen(textColorOn(c));
          p.drawText(QRectF(g.grid.left() + h * g.cell, g.grid.top() + l * g.cell, g.cell, g.cell),
                     Qt::AlignCenter, QString::number(v, 'f', 2));
        }
    }
  }

  // Labels, thinned so that they never overlap.
  p.setPen(text);
  const double labelTop = area.top() + fm.height() + 4;
  for (int h = 0; h < heads_; h += g.labelEvery)
    p.drawText(QRectF(g.grid.left() + h * g.cell - 20, labelTop, g.cell + 40, fm.height()),
               Qt::AlignHCenter | Qt::AlignBottom, QString::number(h));
  for (int l = 0; l < rows; l += g.labelEvery)
    p.drawText(
        QRectF(area.left(), g.grid.top() + l * g.cell, g.grid.left() - area.left() - 4, g.cell),
        Qt::AlignRight | Qt::AlignVCenter, tr("L%1").arg(layers_[l]));

  // The selection: one cell, or the whole layer row for an aggregate over heads.
  const Selection& s = doc_->selection();
  const auto it = std::find(layers_.begin(), layers_.end(), s.layer);
  if (it != layers_.end()) {
    const int l = static_cast<int>(it - layers_.begin());
    QRectF sel =
        s.head.isOne()
            ? QRectF(g.grid.left() + s.head.index * g.cell, g.grid.top() + l * g.cell, g.cell,
                     g.cell)
            : QRectF(g.grid.left(), g.grid.top() + l * g.cell, g.grid.width(), g.cell);
    sel.adjust(-1, -1, 1, 1);
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(Qt::black, 3.0));
    p.drawRect(sel);
    p.setPen(QPen(QColor(255, 255, 255), 1.2));
    p.drawRect(sel);
  }

  // The colour bar.
  if (!g.colorBar.isEmpty()) {
    QImage bar(256, 1, QImage::Format_RGB32);
    const QVector<QRgb> table = scale_.lookup();
    for (int i = 0; i < 256; ++i) bar.setPixel(i, 0, table[i]);
    p.drawImage(g.colorBar, bar);
    p.setPen(QPen(text, 0.8));
    p.setBrush(Qt::NoBrush);
    p.drawRect(g.colorBar);
    const QRectF labels(g.colorBar.left() - 20, g.colorBar.bottom() + 1, g.colorBar.width() + 40,
                        fm.height());
    p.drawText(labels, Qt::AlignLeft, QStringLiteral("   0"));
    p.drawText(labels, Qt::AlignRight, QString::number(valueMax_, 'g', 3) + QStringLiteral("   "));
    p.drawText(QRectF(g.colorBar.right() + 8, g.colorBar.top() - 3, 200, fm.height()),
               Qt::AlignLeft | Qt::AlignVCenter, colorBarLabel());
  }
  p.restore();
}

void HeadGridView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), palette().color(QPalette::Window));
  paintContent(p, canvasRect(), font());
}

void HeadGridView::renderContentTo(QPainter& painter, const QRectF& target) {
  QFont f = font();
  painter.save();
  painter.setClipRect(target);
  painter.fillRect(target, Qt::white);
  paintContent(painter, target, f);
  painter.restore();
}

void HeadGridView::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  update();
}

bool HeadGridView::cellAt(const QPointF& pos, int* layerIndex, int* head) const {
  if (layers_.empty() || heads_ == 0) return false;
  const Geometry g = geometryFor(canvasRect(), QFontMetricsF(font()));
  if (!g.grid.contains(pos)) return false;
  *head = std::clamp(static_cast<int>((pos.x() - g.grid.left()) / g.cell), 0, heads_ - 1);
  *layerIndex = std::clamp(static_cast<int>((pos.y() - g.grid.top()) / g.cell), 0,
                           static_cast<int>(layers_.size()) - 1);
  return true;
}

QString HeadGridView::cellDescription(int layerIndex, int head) const {
  const int layer = layers_[static_cast<std::size_t>(layerIndex)];
  if (metric_ == Metric::Thumbnail || values_.empty())
    return tr("Layer %1, head %2").arg(layer).arg(head);
  const double v = values_[static_cast<std::size_t>(layerIndex) * heads_ + head];
  const QString what = metric_ == Metric::Entropy
                           ? tr("entropy %1 nats").arg(v, 0, 'f', 3)
                           : tr("mass to %1: %2").arg(segmentLabel(kind_)).arg(v, 0, 'f', 4);
  return tr("Layer %1, head %2: %3").arg(layer).arg(head).arg(what);
}

void HeadGridView::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton || !doc_) return QWidget::mousePressEvent(event);
  int l = 0, h = 0;
  if (cellAt(event->position(), &l, &h)) {
    Selection s = doc_->selection();
    s.layer = layers_[static_cast<std::size_t>(l)];
    s.head = HeadChoice::one(h);
    doc_->setSelection(s);
    return;
  }
  // A click on a layer label selects the layer with the mean over its heads.
  const Geometry g = geometryFor(canvasRect(), QFontMetricsF(font()));
  const QPointF p = event->position();
  if (!layers_.empty() && p.x() < g.grid.left() && p.y() >= g.grid.top() &&
      p.y() < g.grid.bottom()) {
    Selection s = doc_->selection();
    s.layer = layers_[static_cast<std::size_t>(
        std::clamp(static_cast<int>((p.y() - g.grid.top()) / g.cell), 0, int(layers_.size()) - 1))];
    s.head = HeadChoice::mean();
    doc_->setSelection(s);
  }
}

void HeadGridView::mouseMoveEvent(QMouseEvent* event) {
  int l = 0, h = 0;
  if (cellAt(event->position(), &l, &h))
    QToolTip::showText(event->globalPosition().toPoint(), cellDescription(l, h), this);
  else
    QToolTip::hideText();
  QWidget::mouseMoveEvent(event);
}

}  // namespace attnx
