#include "heatmap_view.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPicture>
#include <QStackedWidget>
#include <QKeySequence>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

#include "segment_overlay_item.h"
#include "segment_style.h"
#include "stable_names.h"
#include "token_matrix_plot.h"
#include "token_ticker.h"
#include "view_data.h"

namespace attnx {

HeatmapView::HeatmapView(RunDocument* doc, QWidget* parent) : TokenMatrixView(parent), doc_(doc) {
  mapCombo_ = new QComboBox(this);
  for (const auto& e : colorMapNames().entries)
    mapCombo_->addItem(colorMapNames().label(e.value), QString::fromLatin1(e.id));
  mapCombo_->setToolTip(tr("Colour map of the attention weights"));
  scaleCombo_ = new QComboBox(this);
  for (const auto& e : scaleNames().entries)
    scaleCombo_->addItem(scaleNames().label(e.value), QString::fromLatin1(e.id));
  scaleCombo_->setToolTip(
      tr("How weights map to colours: linear, logarithmic (shows small weights), or a power "
         "curve with the gamma on the right"));
  gammaSpin_ = new QDoubleSpinBox(this);
  gammaSpin_->setRange(0.05, 5.0);
  gammaSpin_->setSingleStep(0.05);
  gammaSpin_->setValue(scale_.gamma);
  gammaSpin_->setPrefix(tr("γ "));
  gammaSpin_->setToolTip(tr("Gamma of the power scale: below 1 brightens small weights"));
  gammaSpin_->setVisible(false);  // only for the power scale
  fitRange_ = new QCheckBox(tr("Fit range"), this);
  fitRange_->setToolTip(
      tr("Stretch the colours over the shown weights instead of the full range 0 to 1 (rows "
         "with a single allowed key, such as position 0's weight 1 on itself, are left out)"));
  auto* reset = resetButton_ = new QToolButton(this);
  reset->setToolTip(tr("Show the whole matrix again (also: double-click the plot)"));

  prefixButton_ = new QToolButton(this);
  prefixButton_->setObjectName(QStringLiteral("zoomToPrefix"));
  prefixButton_->setToolTip(
      tr("Zoom to the soft tokens, BOS and anchor, which a long prompt leaves a sliver (Ctrl+B)"));
  // Ctrl+B where the heatmap has the focus: windows with several heatmaps would make a window
  // shortcut ambiguous.
  auto* prefixAction = new QAction(this);
  prefixAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
  prefixAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  addAction(prefixAction);
  connect(prefixAction, &QAction::triggered, this, [this] { zoomToPrefix(); });
  prefixButton_->setEnabled(false);
  setCompactControls(false);  // the buttons' texts

  auto* controls = new QHBoxLayout;
  controls->setContentsMargins(0, 0, 0, 0);
  // No "Colours:" label: the combo boxes say what they are (viridis, linear) and the row of
  // controls sets how narrow the window can be.
  controls->addWidget(mapCombo_);
  controls->addWidget(scaleCombo_);
  controls->addWidget(gammaSpin_);
  controls->addWidget(fitRange_);
  controls->addStretch(1);
  controls->addWidget(prefixButton_);
  controls->addWidget(reset);

  m_ = buildTokenMatrixPlot(this, QFont(font().family(), font().pointSize() + 1, QFont::Bold),
                            tr("attention weight"));
  m_.plot->setFocusPolicy(Qt::ClickFocus);  // a click into the plot makes Ctrl+B reach it

  hover_ = new QLabel(this);
  hover_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  hover_->setToolTip(tr("The cell under the mouse: query token, key token and weight"));
  hover_->setText(tr("Hover over a cell to read its weight; click to select its query."));

  auto* page = new QWidget(this);
  auto* pageLayout = new QVBoxLayout(page);
  pageLayout->setContentsMargins(0, 0, 0, 0);
  pageLayout->addLayout(controls);
  pageLayout->addWidget(m_.plot, 1);
  pageLayout->addWidget(hover_);
  setContent(page);
  setToolTip(
      tr("Attention of the selected layer: rows are queries, columns are keys. "
         "Drag to pan, wheel to zoom, click a cell to select its query."));
  m_.plot->setToolTip(QString());  // the plot shows cell read-outs instead

  connect(mapCombo_, &QComboBox::currentIndexChanged, this,
          [this](int i) {
            if (auto map = colorMapNames().fromId(mapCombo_->itemData(i).toString()))
              setColorMap(*map);
          });
  connect(scaleCombo_, &QComboBox::currentIndexChanged, this,
          [this](int i) {
            if (auto scale = scaleNames().fromId(scaleCombo_->itemData(i).toString()))
              setScaleKind(*scale, gammaSpin_->value());
          });
  connect(gammaSpin_, &QDoubleSpinBox::valueChanged, this,
          [this](double g) { setScaleKind(scale_.scale, g); });
  connect(fitRange_, &QCheckBox::toggled, this, [this] {
    applyColorScale();
    m_.plot->replot();
  });
  connect(reset, &QToolButton::clicked, this, [this] {
    resetZoom();
    m_.plot->replot();
  });
  connect(prefixButton_, &QToolButton::clicked, this, [this] { zoomToPrefix(); });
  connect(m_.plot, &QCustomPlot::mouseDoubleClick, this, [this] {
    resetZoom();
    m_.plot->replot();
  });
  connect(m_.plot, &QCustomPlot::mouseMove, this, &HeatmapView::onMouseMove);
  connect(m_.plot, &QCustomPlot::mousePress, this, &HeatmapView::onMousePress);
  connect(m_.plot, &QCustomPlot::mouseRelease, this, &HeatmapView::onMouseRelease);

  follow(doc_);
  rebuild();
}

void HeatmapView::resultReplaced() { built_ = Key{}; }

void HeatmapView::setColorMap(ColorMapKind map) {
  scale_.map = map;
  if (const int i = mapCombo_->findData(colorMapNames().id(map)); mapCombo_->currentIndex() != i) {
    const QSignalBlocker block(mapCombo_);
    mapCombo_->setCurrentIndex(i);
  }
  applyColorScale();
  m_.plot->replot();
  emit colorMapChanged(map);
}

void HeatmapView::setScaleKind(ScaleKind scale, double gamma) {
  scale_.scale = scale;
  scale_.gamma = gamma;
  gammaSpin_->setVisible(scale == ScaleKind::Power);
  if (const int i = scaleCombo_->findData(scaleNames().id(scale)); scaleCombo_->currentIndex() != i) {
    const QSignalBlocker block(scaleCombo_);
    scaleCombo_->setCurrentIndex(i);
  }
  if (std::abs(gammaSpin_->value() - gamma) > 1e-9) {
    const QSignalBlocker block(gammaSpin_);
    gammaSpin_->setValue(gamma);
  }
  applyColorScale();
  m_.plot->replot();
}

void HeatmapView::setCompactControls(bool compact) {
  prefixButton_->setText(compact ? tr("Prefix") : tr("Soft + BOS + anchor"));
  resetButton_->setText(compact ? tr("Reset") : tr("Reset zoom"));
}

void HeatmapView::setFitRange(bool on) {
  fitRange_->setChecked(on);  // toggled() applies it
}

bool HeatmapView::fitRange() const { return fitRange_->isChecked(); }

void HeatmapView::setRangeUpper(double upper) {
  rangeUpper_ = upper > 0 ? upper : 0.0;
  applyColorScale();
  m_.plot->replot();
}

void HeatmapView::rebuild() {
  const RunResult* r = doc_ ? doc_->result() : nullptr;
  const AttentionTensor* a = r ? selectedTensor(*r, doc_->selection()) : nullptr;
  if (!r || !a || a->queries <= 0 || a->keys <= 0) {
    values_.clear();
    rowPositions_.clear();
    rows_ = keys_ = 0;
    built_ = Key{};
    m_.map->data()->clear();  // an export of the empty state must not show the previous run
    m_.xTicker->setLabels({});
    m_.yTicker->setLabels({});
    m_.overlay->setSegments({}, {});
    setRowStrip(m_, false);
    prefixButton_->setEnabled(false);
    setCompactControls(false);  // the buttons' texts
    showEmpty(r ? tr("The selected layer was not captured in this run.")
                : tr("No attention to show yet.\nRun a prompt to fill this view."));
    return;
  }
  showContent();
  const Selection& s = doc_->selection();
  const Key key{r, s.layer, s.head, s.step, s.batchRow};
  const bool sameMatrix = key == built_;
  if (!sameMatrix) {
    values_ = attentionMatrix(*a, s.batchRow, s.head);  // [queries, keys]
    rows_ = a->queries;
    keys_ = a->keys;
    setRowStrip(m_, rows_ == 1);
    rowPositions_.resize(static_cast<std::size_t>(rows_));
    for (int q = 0; q < rows_; ++q) rowPositions_[q] = a->queryPosition(s.batchRow, q);

    hover_->setText(tr("Hover over a cell to read its weight; click to select its query."));

    QStringList xLabels, yLabels;
    std::vector<SegmentKind> keyKinds, rowKinds;
    for (int k = 0; k < keys_; ++k) {
      xLabels << visibleToken(tokenText(*r, s.batchRow, k), 14);
      keyKinds.push_back(segmentAt(*r, s.batchRow, k));
    }
    const bool allRows = rows_ == r->seqLen && !s.step;
    for (int q = 0; q < rows_; ++q) {
      const int p = rowPositions_[q];
      const QString t = visibleToken(tokenText(*r, s.batchRow, p), 14);
      // Partial captures label rows with their positions, since they are not consecutive.
      yLabels << (allRows ? t : tr("%1 @%2").arg(t).arg(p));
      rowKinds.push_back(segmentAt(*r, s.batchRow, p));
    }
    m_.xTicker->setLabels(xLabels);
    m_.yTicker->setLabels(yLabels);
    m_.overlay->setSegments(std::move(keyKinds), std::move(rowKinds));
    applyColorScale();
    if (!(built_.result == key.result && built_.step == key.step &&
          built_.batchRow == key.batchRow))
      resetZoom();
    built_ = key;
  }
  int first = 0, last = 0;
  prefixButton_->setEnabled(prefixSpan(&first, &last));
  // The selected query's row (the step's only row during generation).
  const int query = doc_->resolvedQuery();
  const auto it = std::find(rowPositions_.begin(), rowPositions_.end(), query);
  m_.overlay->setSelectedRow(it == rowPositions_.end() ? -1 : int(it - rowPositions_.begin()));

  // The forward pass needs no word; a generation step names its token.
  titleText_ = tr("Layer %1 · %2").arg(s.layer).arg(headName(s.head));
  if (s.step)
    titleText_ = tr("%1 · step %2 → %3")
                     .arg(titleText_)
                     .arg(*s.step)
                     .arg(quotedToken(tokenText(*r, 0, r->seqLen + *s.step), 20));
  m_.title->setText(titleText_);
  m_.plot->replot();
}

void HeatmapView::applyColorScale() {
  double hi = 1.0;
  if (rangeUpper_ > 0) {
    hi = rangeUpper_;
  } else if (fitRange_->isChecked() && !values_.empty()) {
    hi = fittedUpper();
    if (!(hi > 0)) hi = 1.0;  // nothing but zeros
  }
  scale_.lower = 0.0;
  scale_.upper = hi;
  const bool log = scale_.scale == ScaleKind::Logarithmic;
  storeCells();  // switching to or from the logarithmic scale changes how zeros are stored
  m_.colorBar->setDataScaleType(log ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
  if (log) {
    m_.colorBar->axis()->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    m_.colorBar->axis()->setNumberFormat(QStringLiteral("g"));
    m_.colorBar->axis()->setNumberPrecision(1);
  } else {
    m_.colorBar->axis()->setTicker(QSharedPointer<QCPAxisTicker>::create());
    m_.colorBar->axis()->setNumberFormat(QStringLiteral("g"));
    m_.colorBar->axis()->setNumberPrecision(3);
  }
  m_.map->setGradient(scale_.gradient());
  m_.map->setDataRange(scale_.dataRange());
}

void HeatmapView::storeCells() {
  if (rows_ <= 0 || keys_ <= 0) return;
  // QCPColorMap draws a size-1 dimension with zero extent: a single row (last-row captures,
  // generation steps) or key is stored twice, each copy half a cell high, centred on 0.
  const int nk = std::max(2, keys_), nq = std::max(2, rows_);
  m_.map->data()->setSize(nk, nq);
  m_.map->data()->setRange(keys_ > 1 ? QCPRange(0, keys_ - 1) : QCPRange(-0.25, 0.25),
                           rows_ > 1 ? QCPRange(0, rows_ - 1) : QCPRange(-0.25, 0.25));
  // The logarithmic scale cannot show 0: zeros are drawn as its floor (values_ keeps them).
  const bool log = scale_.scale == ScaleKind::Logarithmic;
  for (int q = 0; q < nq; ++q)
    for (int k = 0; k < nk; ++k) {
      const double v = values_[static_cast<std::size_t>(std::min(q, rows_ - 1)) * keys_ +
                               std::min(k, keys_ - 1)];
      m_.map->data()->setCell(k, q, log ? std::max(v, scale_.logFloor) : v);
    }
}

std::array<double, 4> HeatmapView::zoomRange() const {
  return {m_.plot->xAxis->range().lower, m_.plot->xAxis->range().upper,
          m_.plot->yAxis->range().lower, m_.plot->yAxis->range().upper};
}

void HeatmapView::setZoomRange(const std::array<double, 4>& r) {
  refreshNow();  // a pending rebuild would reset the zoom afterwards
  if (!(r[0] < r[1]) || !(r[2] < r[3])) return;  // a hand-edited session: keep the full view
  m_.plot->xAxis->setRange(r[0], r[1]);
  m_.plot->yAxis->setRange(r[2], r[3]);
  m_.plot->replot();
}

bool HeatmapView::prefixSpan(int* first, int* last) const {
  const RunResult* r = doc_ ? doc_->result() : nullptr;
  if (!r || keys_ <= 0) return false;
  const int b = doc_->selection().batchRow;
  if (b < 0 || b >= static_cast<int>(r->layout.size())) return false;
  bool any = false;
  for (const Segment& s : r->layout[static_cast<std::size_t>(b)]) {
    if (s.kind != SegmentKind::Soft && s.kind != SegmentKind::Bos && s.kind != SegmentKind::Anchor)
      continue;
    if (s.size() <= 0) continue;
    *first = any ? std::min(*first, s.begin) : s.begin;
    *last = any ? std::max(*last, s.end - 1) : s.end - 1;
    any = true;
  }
  return any && *first < keys_;
}

bool HeatmapView::zoomToPrefix() {
  refreshNow();  // a pending rebuild would reset the zoom afterwards
  int first = 0, last = 0;
  if (!prefixSpan(&first, &last)) return false;
  last = std::min(last, keys_ - 1);
  // The captured rows at those positions: all of them in a full capture, the one row of a strip.
  int rowLo = -1, rowHi = -1;
  for (int q = 0; q < rows_; ++q) {
    const int p = rowPositions_[static_cast<std::size_t>(q)];
    if (p < first || p > last) continue;
    if (rowLo < 0) rowLo = q;
    rowHi = q;
  }
  if (rowLo < 0) rowLo = 0, rowHi = std::max(0, rows_ - 1);  // no row there: keep every row
  m_.plot->xAxis->setRange(first - 0.5, last + 0.5);
  m_.plot->yAxis->setRange(rowLo - 0.5, rowHi + 0.5);
  m_.plot->replot();
  return true;
}

void HeatmapView::resetZoom() {
  m_.plot->xAxis->setRange(-0.5, std::max(1, keys_) - 0.5);
  m_.plot->yAxis->setRange(-0.5, std::max(1, rows_) - 0.5);
}

bool HeatmapView::cellAt(const QPointF& pixel, int* row, int* key) const {
  if (rows_ <= 0 || keys_ <= 0 || !m_.plot->axisRect()->rect().contains(pixel.toPoint()))
    return false;
  const int k = static_cast<int>(std::lround(m_.plot->xAxis->pixelToCoord(pixel.x())));
  const int q = static_cast<int>(std::lround(m_.plot->yAxis->pixelToCoord(pixel.y())));
  if (k < 0 || k >= keys_ || q < 0 || q >= rows_) return false;
  *row = q;
  *key = k;
  return true;
}

QString HeatmapView::describeCell(int row, int key) const {
  const RunResult* r = doc_ ? doc_->result() : nullptr;
  if (!r) return QString();
  const int b = doc_->selection().batchRow;
  const int qp = rowPositions_[static_cast<std::size_t>(row)];
  const float w = values_[static_cast<std::size_t>(row) * keys_ + key];
  return tr("query %1 %2 [%3] → key %4 %5 [%6]: weight %7")
      .arg(qp)
      .arg(quotedToken(tokenText(*r, b, qp), 24))
      .arg(segmentLabel(segmentAt(*r, b, qp)))
      .arg(key)
      .arg(quotedToken(tokenText(*r, b, key), 24))
      .arg(segmentLabel(segmentAt(*r, b, key)))
      .arg(QString::number(w, 'f', 4));
}

QString HeatmapView::hoverText() const { return hover_->text(); }

void HeatmapView::onMouseMove(QMouseEvent* event) {
  int row = 0, key = 0;
  if (!cellAt(event->position(), &row, &key)) {
    QToolTip::hideText();
    return;
  }
  const QString text = describeCell(row, key);
  hover_->setText(text);
  QToolTip::showText(event->globalPosition().toPoint(), text, m_.plot);
}

void HeatmapView::onMousePress(QMouseEvent* event) { pressPos_ = event->position(); }

void HeatmapView::onMouseRelease(QMouseEvent* event) {
  // A click (not the end of a drag) selects the cell's query.
  if (event->button() != Qt::LeftButton || (event->position() - pressPos_).manhattanLength() > 4 ||
      !doc_)
    return;
  int row = 0, key = 0;
  if (!cellAt(event->position(), &row, &key)) return;
  if (!doc_->selection().step) doc_->setQuery(rowPositions_[static_cast<std::size_t>(row)]);
}

QPoint HeatmapView::cellCenter(int row, int key) const {
  const QPointF p(m_.plot->xAxis->coordToPixel(key), m_.plot->yAxis->coordToPixel(row));
  return m_.plot->mapTo(this, p.toPoint());
}

}  // namespace attnx
