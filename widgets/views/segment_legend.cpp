#include "segment_legend.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPixmap>
#include <map>

#include "segment_style.h"

namespace attnx {

SegmentLegend::SegmentLegend(RunDocument* doc, QWidget* parent)
    : DocumentView(parent, /*immediate=*/true), doc_(doc) {
  page_ = new QWidget(this);
  row_ = new QHBoxLayout(page_);
  row_->setContentsMargins(4, 2, 4, 2);
  row_->setSpacing(14);
  setToolTip(
      tr("Segments of the input: where soft tokens, BOS, anchor and prompt lie.\n"
         "Every view uses these colours."));
  setContent(page_);
  follow(doc_);
  rebuild();
}

void SegmentLegend::rebuild() {
  // The legend depends on the result only: a selection change keeps the row as it is.
  if (!stale_) return;
  stale_ = false;
  const RunResult* r = doc_ ? doc_->result() : nullptr;
  while (QLayoutItem* item = row_->takeAt(0)) {
    delete item->widget();
    delete item;
  }
  summary_.clear();
  // Positions per kind in batch row 0 (the row the views show), generated tokens included.
  std::map<SegmentKind, int> count;
  if (r && !r->layout.empty())
    for (const Segment& s : r->layout[0]) count[s.kind] += s.size();
  if (r && r->generated > 0) count[SegmentKind::Generated] += r->generated;

  if (count.empty()) {
    auto* none = new QLabel(tr("No run yet: choose a model and press Run (Ctrl+R)."), page_);
    none->setEnabled(false);
    row_->addWidget(none);
  }
  QStringList parts;
  for (SegmentKind kind : allSegmentKinds()) {
    const auto it = count.find(kind);
    if (it == count.end() || it->second == 0) continue;
    QPixmap swatch(12, 12);
    swatch.fill(segmentColor(kind));
    auto* icon = new QLabel(page_);
    icon->setPixmap(swatch);
    auto* text = new QLabel(tr("%1 %2").arg(segmentLabel(kind)).arg(it->second), page_);
    text->setToolTip(segmentDescription(kind));
    icon->setToolTip(segmentDescription(kind));
    auto* pair = new QHBoxLayout;
    pair->setSpacing(4);
    auto* box = new QWidget(page_);
    box->setLayout(pair);
    pair->setContentsMargins(0, 0, 0, 0);
    pair->addWidget(icon);
    pair->addWidget(text);
    row_->addWidget(box);
    parts << QStringLiteral("%1 %2").arg(segmentLabel(kind)).arg(it->second);
  }
  row_->addStretch(1);
  summary_ = parts.join(QStringLiteral(" · "));
}

}  // namespace attnx
