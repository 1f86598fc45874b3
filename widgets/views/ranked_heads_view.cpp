#include "ranked_heads_view.h"

#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

#include "dataset_view_data.h"
#include "segment_style.h"
#include "table_figure.h"

namespace attnx {

namespace {

enum Column { kLayer, kHead, kA, kB, kDiff, kT, kColumns };

QString signedNumber(double v, int decimals) {
  if (std::abs(v) < 0.5 * std::pow(10.0, -decimals)) v = 0.0;
  return (v > 0 ? QStringLiteral("+") : QString()) + QString::number(v, 'f', decimals);
}

// The tint of a difference cell: the diverging map's own colour at 60% of the value's position,
// light enough for black text and still of the map's hue (mixing with white would grey it).
QColor tint(const DivergingScale& scale, double v) {
  return divergingColorAt(0.6 * scale.normalize(v));
}

}  // namespace

RankedHeadsView::RankedHeadsView(DatasetDocument* doc, QWidget* parent)
    : DocumentView(parent), doc_(doc) {
  caption_ = new QLabel(this);
  caption_->setWordWrap(true);
  table_ = new QTableWidget(0, kColumns, this);
  table_->setHorizontalHeaderLabels(
      {tr("Layer"), tr("Head"), tr("A"), tr("B"), tr("A − B"), tr("t")});
  table_->horizontalHeaderItem(kA)->setToolTip(tr("Group A's mean attention mass"));
  table_->horizontalHeaderItem(kB)->setToolTip(tr("Group B's mean attention mass"));
  table_->horizontalHeaderItem(kDiff)->setToolTip(tr("A minus B; rows are ordered by its size"));
  table_->horizontalHeaderItem(kT)->setToolTip(
      tr("Welch's t statistic of the difference (0 when a group has fewer than 2 examples)"));
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  table_->setToolTip(
      tr("Heads ordered by how much the two groups differ; click a row to select "
         "its layer"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(caption_);
  layout->addWidget(table_, 1);
  connect(table_, &QTableWidget::currentCellChanged, this, [this](int row) {
    if (filling_ || !doc_ || row < 0 || row >= static_cast<int>(rows_.size())) return;
    doc_->setLayer(rows_[static_cast<std::size_t>(row)].layer);
  });
  follow(doc_);
  fill();
}

void RankedHeadsView::rebuild() {
  if (stale_ || (doc_ && doc_->kind() != builtKind_))
    fill();
  else
    highlightLayer();
}

QString RankedHeadsView::title() const {
  if (!doc_) return {};
  return tr("Heads by |A − B|, %1").arg(massName(doc_->kind()));
}

void RankedHeadsView::fill() {
  stale_ = false;
  builtKind_ = doc_ ? doc_->kind() : SegmentKind::Soft;
  filling_ = true;
  rows_.clear();
  table_->setRowCount(0);
  if (!doc_ || !doc_->results(0) || doc_->group(0).n() == 0 || doc_->group(1).n() == 0) {
    caption_->setText(doc_ && doc_->results(0) ? tr("One of the groups is empty: no heads to rank.")
                                               : tr("No dataset results loaded."));
    filling_ = false;
    return;
  }
  try {
    rows_ = rankHeadDifferences(doc_->group(0), doc_->group(1), doc_->kind());
  } catch (const std::exception& e) {
    caption_->setText(QString::fromStdString(e.what()));
    filling_ = false;
    return;
  }
  std::vector<float> diffs;
  for (const HeadDifference& d : rows_) diffs.push_back(d.diff);
  scale_.range = DivergingScale::symmetricRange(diffs);
  caption_->setText(tr("%1 (A: %2, B: %3)").arg(title(), doc_->groupName(0), doc_->groupName(1)));
  table_->setRowCount(static_cast<int>(rows_.size()));
  for (int r = 0; r < static_cast<int>(rows_.size()); ++r) {
    const HeadDifference& d = rows_[static_cast<std::size_t>(r)];
    const QString cells[kColumns] = {QString::number(d.layer),     QString::number(d.head),
                                     QString::number(d.a, 'f', 4), QString::number(d.b, 'f', 4),
                                     signedNumber(d.diff, 4),      QString::number(d.t, 'f', 2)};
    for (int c = 0; c < kColumns; ++c) {
      auto* item = new QTableWidgetItem(cells[c]);
      item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      if (c == kDiff) {
        const QColor bg = tint(scale_, d.diff);
        item->setBackground(bg);
        item->setForeground(textColorOn(bg));
      }
      table_->setItem(r, c, item);
    }
  }
  highlightLayer();
  filling_ = false;
}

void RankedHeadsView::highlightLayer() {
  // Rows of the selected layer in bold, so that a click elsewhere shows where they rank.
  const int selected = doc_ ? doc_->layer() : -1;
  for (int r = 0; r < table_->rowCount(); ++r) {
    const bool on = rows_[static_cast<std::size_t>(r)].layer == selected;
    for (int c = 0; c < kColumns; ++c) {
      QTableWidgetItem* item = table_->item(r, c);
      QFont f = item->font();
      if (f.bold() != on) {
        f.setBold(on);
        item->setFont(f);
      }
    }
  }
}

void RankedHeadsView::renderContentTo(QPainter& painter, const QRectF& target) {
  TextTable t;
  t.title = rows_.empty() ? caption_->text() : title();
  for (int c = 0; c < kColumns; ++c) t.header << table_->horizontalHeaderItem(c)->text();
  for (int r = 0; r < table_->rowCount(); ++r) {
    QStringList row;
    QList<QColor> bg;
    for (int c = 0; c < kColumns; ++c) {
      row << table_->item(r, c)->text();
      bg << (c == kDiff ? tint(scale_, rows_[static_cast<std::size_t>(r)].diff) : QColor());
    }
    t.rows << row;
    t.backgrounds << bg;
  }
  paintTextTableFigure(painter, t, target, font());
}

}  // namespace attnx
