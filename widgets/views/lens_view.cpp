#include "lens_view.h"

#include <qcustomplot.h>

#include <QHBoxLayout>
#include <QHeaderView>
#include <QResizeEvent>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include "layer_curves_plot.h"
#include "optional_spin_box.h"
#include "table_figure.h"
#include "view_data.h"

namespace attnx {

LensView::LensView(RunDocument* doc, QWidget* parent) : DocumentView(parent), doc_(doc) {
  setToolTip(
      tr("The logit lens: each layer's residual stream read through the model's final "
         "norm and LM head, at the position that predicts the next token"));
  auto* page = new QWidget(this);
  auto* column = new QVBoxLayout(page);
  column->setContentsMargins(0, 0, 0, 0);
  heading_ = new QLabel(page);
  heading_->setObjectName(QStringLiteral("lensHeading"));
  heading_->setWordWrap(true);
  auto* row = new QHBoxLayout;
  auto* targetLabel = new QLabel(tr("Target token id:"), page);
  targetSpin_ = makeOptionalSpinBox(
      page, QStringLiteral("lensTarget"), tr("the prediction"),
      tr("The token whose rank and probability are followed through the layers (for example "
         "the gold answer's first token)"));
  targetLabel->setBuddy(targetSpin_);
  row->addWidget(targetLabel);
  row->addWidget(targetSpin_);
  row->addStretch(1);
  table_ = new QTableWidget(page);
  table_->setObjectName(QStringLiteral("lensTable"));
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionMode(QAbstractItemView::NoSelection);
  table_->verticalHeader()->setVisible(false);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  // The curves beside or under the table, in a splitter: either can be given the room.
  auto* split = split_ = new QSplitter(Qt::Horizontal, page);
  split->setObjectName(QStringLiteral("lensSplitter"));
  split->setChildrenCollapsible(false);
  split->addWidget(table_);
  curves_ = new LayerCurvesPlot(split);
  curves_->plot()->setObjectName(QStringLiteral("lensTargetPlot"));
  curves_->plot()->setMinimumSize(220, 120);
  curves_->plot()->yAxis->setLabel(tr("target"));
  curves_->hoverLines = [this](std::size_t i) {
    if (i >= rows_.size()) return QStringList();
    const LensRow& row = rows_[i];
    return QStringList{rowName(row.layer), tr("target p %1").arg(row.targetProbability, 0, 'g', 4),
                       tr("target rank %1").arg(row.targetRank)};
  };
  split->addWidget(curves_->plot());
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  column->addWidget(heading_);
  column->addLayout(row);
  column->addWidget(split, 1);
  setContent(page);
  connect(targetSpin_, &QSpinBox::valueChanged, this,
          [this](int v) { setTarget(v < 0 ? std::nullopt : std::optional<int64_t>(v)); });
  follow(doc);
}

void LensView::setTarget(std::optional<int64_t> id) {
  if (id && *id < 0) id.reset();
  if (target_ == id) return;
  target_ = id;
  const QSignalBlocker block(targetSpin_);
  targetSpin_->setValue(id ? static_cast<int>(*id) : -1);
  requestRebuild();
}

QString LensView::label(int64_t id) const {
  if (const RunResult* r = doc_ ? doc_->result() : nullptr)
    if (std::optional<QString> text = lensLabel(*r, id)) return *text;
  return QStringLiteral("#%1").arg(id);
}

QString LensView::rowName(int layer) const {
  const RunResult* r = doc_ ? doc_->result() : nullptr;
  if (layer == 0) return tr("embeddings");
  if (r && layer == r->model.layers) return tr("output");
  return tr("after layer %1").arg(layer - 1);
}

QString LensView::heading() const { return heading_->text(); }

void LensView::resizeEvent(QResizeEvent* event) {
  DocumentView::resizeEvent(event);
  // Beside when the dock is wide enough for both (a table of 8 columns, a plot with its axis
  // title): the table's rows keep the full height, one per residual.
  const Qt::Orientation o =
      width() >= 760 && width() > 1.6 * height() ? Qt::Horizontal : Qt::Vertical;
  if (split_->orientation() == o && splitSized_) return;
  split_->setOrientation(o);
  // The table three fifths, the curves the rest (the splitter scales these to its size); the
  // user's own split stays until the orientation changes.
  split_->setSizes({600, 400});
  splitSized_ = true;
}

std::vector<double> LensView::plottedProbabilities() const {
  return probabilityGraph_ ? LayerCurvesPlot::values(probabilityGraph_) : std::vector<double>{};
}

std::vector<double> LensView::plottedReciprocalRanks() const {
  return reciprocalRankGraph_ ? LayerCurvesPlot::values(reciprocalRankGraph_)
                              : std::vector<double>{};
}

void LensView::drawTargetCurves() {
  std::vector<int> residuals;
  QVector<double> probability, reciprocalRank;
  for (const LensRow& row : rows_) {
    residuals.push_back(row.layer);
    probability.append(row.targetProbability);
    reciprocalRank.append(row.targetRank > 0 ? 1.0 / row.targetRank : 0.0);
  }
  const int L = residuals.empty() ? 0 : residuals.back();
  curves_->reset(residuals);
  LayerCurvesPlot::Curve p;
  p.name = tr("probability");
  p.color = QColor(0x1f, 0x77, 0xb4);
  p.mean = p.lower = p.upper = probability;
  p.bandAlpha = 0;
  probabilityGraph_ = curves_->addCurve(p).mean;
  LayerCurvesPlot::Curve rank;
  rank.name = tr("1 / rank");
  rank.color = QColor(0xd6, 0x27, 0x28);
  rank.mean = rank.lower = rank.upper = reciprocalRank;
  rank.bandAlpha = 0;
  rank.marker = QCPScatterStyle::ssDiamond;
  rank.line = Qt::DashLine;
  reciprocalRankGraph_ = curves_->addCurve(rank).mean;
  curves_->setMarker(std::nullopt);
  curves_->setYRange(-0.02, 1.02);
  curves_->plot()->xAxis->setLabel(tr("residual (0: embeddings, %1: output)").arg(L));
  curves_->title()->setText(
      tr("Target %1 “%2”").arg(QString::number(shownTarget_), label(shownTarget_)));
  curves_->replot();
}

void LensView::rebuild() {
  const RunResult* r = doc_ ? doc_->result() : nullptr;
  if (!r) return showEmpty(tr("Run the model to see its predictions by layer."));
  if (r->logitLens.empty())
    return showEmpty(r->model.lmHead ? tr("This run has no logit lens.")
                                     : tr("The logit lens needs an LM head; %1 has none.")
                                           .arg(QString::fromStdString(r->model.family)));
  const int64_t V = r->model.vocab;
  {
    const QSignalBlocker block(targetSpin_);
    targetSpin_->setRange(-1, static_cast<int>(std::min<int64_t>(V - 1, 1 << 30)));
    if (target_ && *target_ >= V) target_.reset();
    targetSpin_->setValue(target_ ? static_cast<int>(*target_) : -1);
  }
  try {
    // The model's own prediction is the output row's likeliest token.
    const std::vector<LensRow> probe = lensTable(*r, 0, 1, std::nullopt);
    shownTarget_ = target_ ? *target_ : probe.back().top.front().id;
    rows_ = lensTable(*r, 0, kTop, shownTarget_);
  } catch (const std::exception& e) {  // a run file whose lens does not fit its run
    rows_.clear();
    return showEmpty(tr("Cannot show the logit lens: %1").arg(QString::fromUtf8(e.what())));
  }
  const int position = r->lensPositions.empty() ? r->seqLen - 1 : r->lensPositions.front();
  const QString token = position < static_cast<int>(r->tokens.size())
                            ? QString::fromStdString(r->tokens[static_cast<std::size_t>(position)])
                            : QString();
  heading_->setText(tr("Next-token predictions at position %1 %2; target %3 %4")
                        .arg(position)
                        .arg(quotedToken(token), QString::number(shownTarget_),
                             lensLabel(*r, shownTarget_) ? quotedToken(label(shownTarget_))
                                                         : label(shownTarget_)));

  QStringList header{tr("residual")};
  for (int i = 1; i <= kTop; ++i) header << tr("top %1").arg(i);
  header << tr("target rank") << tr("target p");
  table_->setColumnCount(static_cast<int>(header.size()));
  table_->setHorizontalHeaderLabels(header);
  table_->setRowCount(static_cast<int>(rows_.size()));
  for (int i = 0; i < static_cast<int>(rows_.size()); ++i) {
    const LensRow& row = rows_[static_cast<std::size_t>(i)];
    table_->setItem(i, 0, new QTableWidgetItem(rowName(row.layer)));
    for (int k = 0; k < kTop; ++k) {
      auto* item = new QTableWidgetItem;
      if (k < static_cast<int>(row.top.size())) {
        const LensEntry& e = row.top[static_cast<std::size_t>(k)];
        item->setText(QStringLiteral("%1  %2").arg(label(e.id)).arg(e.probability, 0, 'f', 3));
        item->setToolTip(tr("token id %1, probability %2").arg(e.id).arg(e.probability, 0, 'g', 4));
        if (e.id == shownTarget_) item->setBackground(QColor(0xff, 0xe8, 0xa8));
      }
      table_->setItem(i, k + 1, item);
    }
    table_->setItem(i, kTop + 1, new QTableWidgetItem(QString::number(row.targetRank)));
    table_->setItem(i, kTop + 2,
                    new QTableWidgetItem(QString::number(row.targetProbability, 'f', 4)));
  }
  drawTargetCurves();
  showContent();
}

void LensView::renderContentTo(QPainter& painter, const QRectF& target) {
  paintTextTableFigure(painter, figureTable(), target, font());
}

double LensView::figureContentHeight(double width) const {
  if (isEmptyShown()) return 0;  // the note, at the figure's shape
  return textTableFigureHeight(figureTable(), width, font());
}

TextTable LensView::figureTable() const {
  TextTable t;
  t.title = heading();
  for (int c = 0; c < table_->columnCount(); ++c)
    t.header << table_->horizontalHeaderItem(c)->text();
  for (int r = 0; r < table_->rowCount(); ++r) {
    QStringList row;
    QList<QColor> bg;
    for (int c = 0; c < table_->columnCount(); ++c) {
      const QTableWidgetItem* item = table_->item(r, c);
      row << (item ? item->text() : QString());
      bg << (item && item->background().style() != Qt::NoBrush ? item->background().color()
                                                               : QColor());
    }
    t.rows << row;
    t.backgrounds << bg;
  }
  // A journal column has no room for every candidate: the less likely ones go first (column 0
  // is the residual, 1..kTop the candidates), the target's rank and probability stay.
  for (int k = 3; k <= kTop; ++k) t.droppable << k;
  return t;
}

}  // namespace attnx
