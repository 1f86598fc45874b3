#include "group_diagnostics_view.h"

#include <QCoreApplication>
#include <QHeaderView>
#include <QPainter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

#include "dataset_view_data.h"
#include "table_figure.h"

namespace attnx {

namespace {

// "68.8% (33 of 48)": a fraction of the group with the count it stands for.
QString percentOf(double fraction, int n) {
  const int count = static_cast<int>(std::lround(fraction * n));
  return QCoreApplication::translate("attnx::GroupDiagnosticsView", "%1% (%2 of %3)")
      .arg(100.0 * fraction, 0, 'f', 1)
      .arg(count)
      .arg(n);
}

QString optionalPercent(const std::optional<double>& v) {
  return v ? QStringLiteral("%1%").arg(100.0 * *v, 0, 'f', 1) : QStringLiteral("–");
}

QString optionalNumber(const std::optional<double>& v) {
  return v ? QString::number(*v, 'f', 3) : QStringLiteral("–");
}

}  // namespace

GroupDiagnosticsView::GroupDiagnosticsView(DatasetDocument* doc, QWidget* parent)
    : DocumentView(parent), doc_(doc) {
  table_ = new QTableWidget(kRows, 2, this);
  table_->setVerticalHeaderLabels({tr("Examples"), tr("Accuracy"), tr("FirstTok@1"), tr("Mean EM"),
                                   tr("Mean F1"), tr("Collapse"), tr("Anchor dominance"),
                                   tr("Top soft head 1"), tr("Top soft head 2"),
                                   tr("Top soft head 3")});
  table_->verticalHeaderItem(kFirstToken)
      ->setToolTip(tr("Share of examples whose first predicted token is the gold answer's first "
                      "token (examples with a gold answer)"));
  table_->verticalHeaderItem(kCollapse)->setToolTip(
      tr("Share of examples whose query attention collapsed onto a few tokens"));
  table_->verticalHeaderItem(kAnchorDominance)
      ->setToolTip(tr("Share of examples whose query attends to the anchor far more than to the "
                      "soft tokens"));
  table_->verticalHeaderItem(kTopSoft1)->setToolTip(
      tr("The heads with the largest mean attention mass to soft tokens"));
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionMode(QAbstractItemView::NoSelection);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(table_);
  follow(doc_);
  rebuild();
}

void GroupDiagnosticsView::rebuild() {
  if (!stale_) return;
  stale_ = false;
  const bool loaded = doc_ && doc_->results(0);
  for (int side = 0; side < 2; ++side) {
    const QString name = loaded ? doc_->groupName(side) : (side == 0 ? tr("A") : tr("B"));
    auto* header = new QTableWidgetItem(name);
    header->setForeground(groupColor(side));
    table_->setHorizontalHeaderItem(side, header);
    QStringList cells;
    if (loaded) {
      const GroupStats& g = doc_->group(side);
      const int n = g.n();
      cells << QString::number(n) << optionalPercent(g.accuracy)
            << optionalPercent(g.firstTokenAccuracy) << optionalNumber(g.meanEm)
            << optionalNumber(g.meanF1)
            << (n > 0 ? percentOf(g.collapseFraction, n) : QStringLiteral("–"))
            << (n > 0 ? percentOf(g.anchorDominanceFraction, n) : QStringLiteral("–"));
      std::vector<HeadScore> top;
      if (n > 0) top = topHeads(g, SegmentKind::Soft, 3);
      for (std::size_t i = 0; i < 3; ++i) {
        if (i >= top.size()) {
          cells << QStringLiteral("–");
          continue;
        }
        const HeadScore& h = top[i];  // h.layer is a model layer
        cells << tr("layer %1 head %2: %3").arg(h.layer).arg(h.head).arg(h.value, 0, 'f', 3);
      }
    }
    for (int r = 0; r < kRows; ++r) {
      auto* item = new QTableWidgetItem(r < cells.size() ? cells[r] : QStringLiteral("–"));
      item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      table_->setItem(r, side, item);
    }
  }
}

QString GroupDiagnosticsView::cellText(Row row, int side) const {
  const QTableWidgetItem* item = table_->item(row, side);
  return item ? item->text() : QString();
}

void GroupDiagnosticsView::renderContentTo(QPainter& painter, const QRectF& target) {
  TextTable t;
  t.title = tr("Set-level diagnostics");
  t.header << QString() << table_->horizontalHeaderItem(0)->text()
           << table_->horizontalHeaderItem(1)->text();
  for (int r = 0; r < kRows; ++r)
    t.rows << QStringList{table_->verticalHeaderItem(r)->text(), cellText(Row(r), 0),
                          cellText(Row(r), 1)};
  paintTextTableFigure(painter, t, target, font());
}

}  // namespace attnx
