#include "step_selector.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QToolButton>

#include "view_data.h"

namespace attnx {

StepSelector::StepSelector(RunDocument* doc, QWidget* parent)
    : DocumentView(parent, /*immediate=*/true), doc_(doc) {
  auto* page = new QWidget(this);
  prev_ = new QToolButton(page);
  prev_->setArrowType(Qt::LeftArrow);
  prev_->setToolTip(tr("Previous generation step"));
  next_ = new QToolButton(page);
  next_->setArrowType(Qt::RightArrow);
  next_->setToolTip(tr("Next generation step"));
  slider_ = new QSlider(Qt::Horizontal, page);
  slider_->setRange(0, 0);
  slider_->setPageStep(1);
  slider_->setTickPosition(QSlider::TicksBelow);
  slider_->setToolTip(
      tr("Leftmost: the prompt's forward pass. Further right: generation step s, "
         "the row that predicted the s-th generated token"));
  label_ = new QLabel(page);
  label_->setMinimumWidth(220);
  label_->setToolTip(tr("What the views show: the prompt or one generation step"));
  auto* layout = new QHBoxLayout(page);
  layout->setContentsMargins(4, 0, 4, 0);
  layout->addWidget(new QLabel(tr("Generation:"), page));
  layout->addWidget(prev_);
  layout->addWidget(slider_, 1);
  layout->addWidget(next_);
  layout->addWidget(label_);
  setToolTip(slider_->toolTip());
  setContent(page);

  connect(slider_, &QSlider::valueChanged, this, [this](int v) {
    if (!syncing_ && doc_) doc_->setStep(v > 0 ? std::optional<int>(v - 1) : std::nullopt);
  });
  connect(prev_, &QToolButton::clicked, this, [this] { slider_->setValue(slider_->value() - 1); });
  connect(next_, &QToolButton::clicked, this, [this] { slider_->setValue(slider_->value() + 1); });
  follow(doc_);
  rebuild();
}

QString StepSelector::labelText() const { return label_->text(); }

void StepSelector::rebuild() {
  syncing_ = true;
  const RunResult* r = doc_ ? doc_->result() : nullptr;
  const int steps = r ? static_cast<int>(r->stepAttentions.size()) : 0;
  slider_->setRange(0, steps);
  const int step = doc_ ? doc_->selection().step.value_or(-1) : -1;
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
                        .arg(quotedToken(tokenText(*r, 0, r->seqLen + step), 24)));
  syncing_ = false;
}

}  // namespace attnx
