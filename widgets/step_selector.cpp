#include "step_selector.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QSlider>
#include <QToolButton>

#include "view_data.h"

namespace attnx {

StepSelector::StepSelector(RunDocument* doc, QWidget* parent) : QWidget(parent), doc_(doc) {
  prev_ = new QToolButton(this);
  prev_->setArrowType(Qt::LeftArrow);
  prev_->setToolTip(tr("Previous generation step"));
  next_ = new QToolButton(this);
  next_->setArrowType(Qt::RightArrow);
  next_->setToolTip(tr("Next generation step"));
  slider_ = new QSlider(Qt::Horizontal, this);
  slider_->setRange(0, 0);
  slider_->setPageStep(1);
  slider_->setTickPosition(QSlider::TicksBelow);
  slider_->setToolTip(
      tr("Leftmost: the prompt's forward pass. Further right: generation step s, "
         "the row that predicted the s-th generated token"));
  label_ = new QLabel(this);
  label_->setMinimumWidth(220);
  label_->setToolTip(tr("What the views show: the prompt or one generation step"));
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(4, 0, 4, 0);
  layout->addWidget(new QLabel(tr("Generation:"), this));
  layout->addWidget(prev_);
  layout->addWidget(slider_, 1);
  layout->addWidget(next_);
  layout->addWidget(label_);
  setToolTip(slider_->toolTip());

  connect(slider_, &QSlider::valueChanged, this, [this](int v) {
    if (!syncing_ && doc_) doc_->setStep(v - 1);
  });
  connect(prev_, &QToolButton::clicked, this, [this] { slider_->setValue(slider_->value() - 1); });
  connect(next_, &QToolButton::clicked, this, [this] { slider_->setValue(slider_->value() + 1); });
  if (doc_) doc_->addViewer(this);
  sync();
}

StepSelector::~StepSelector() {
  if (doc_) doc_->removeViewer(this);
}

// Cheap enough to run at once: no throttling needed for a slider and a label.
void StepSelector::onRunChanged(const RunDocument&) { sync(); }
void StepSelector::onSelectionChanged(const RunDocument&) { sync(); }

QString StepSelector::labelText() const { return label_->text(); }

void StepSelector::sync() {
  syncing_ = true;
  const RunResult* r = doc_ ? doc_->result() : nullptr;
  const int steps = r ? static_cast<int>(r->stepAttentions.size()) : 0;
  slider_->setRange(0, steps);
  const int step = doc_ ? doc_->selection().step : -1;
  slider_->setValue(step + 1);
  const bool any = steps > 0;
  slider_->setEnabled(any);
  prev_->setEnabled(any && step >= 0);
  next_->setEnabled(any && step + 1 < steps);
  if (!r)
    label_->setText(tr("no run"));
  else if (!any)
    label_->setText(r->generated > 0 ? tr("no step attention captured")
                                     : tr("no generated tokens"));
  else if (step < 0)
    label_->setText(tr("prompt (forward pass)"));
  else
    label_->setText(tr("step %1 of %2 → %3")
                        .arg(step)
                        .arg(steps)
                        .arg(visibleToken(tokenText(*r, 0, r->seqLen + step), 24)));
  syncing_ = false;
}

void StepSelector::renderTo(QPainter& painter, const QRectF& target) {
  // The selector is a control: its figure is the widget as it looks now, scaled to the target.
  const QPixmap pixmap = grab();
  painter.drawPixmap(target, pixmap, QRectF(pixmap.rect()));
}

}  // namespace attnx
