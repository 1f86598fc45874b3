#include "document_view.h"

#include <QLabel>
#include <QPainter>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "dataset_document.h"
#include "plot_figure.h"
#include "redraw_throttle.h"
#include "run_document.h"

namespace attnx {

DocumentView::DocumentView(QWidget* parent, bool immediate) : QWidget(parent) {
  if (!immediate) throttle_ = new RedrawThrottle([this] { rebuild(); }, this);
}

void DocumentView::follow(RunDocument* doc) {
  if (!doc) return;
  // The document's signals reach the view only while both exist (the connection's context).
  connect(doc, &RunDocument::resultChanged, this, [this] { resultReplaced(); });
  connect(doc, &RunDocument::selectionChanged, this, [this] { requestRebuild(); });
}

void DocumentView::follow(DatasetDocument* doc) {
  if (!doc) return;
  connect(doc, &DatasetDocument::datasetChanged, this, [this] {
    resultReplaced();
    requestRebuild();
  });
  connect(doc, &DatasetDocument::selectionChanged, this, [this] { requestRebuild(); });
}

void DocumentView::requestRebuild() {
  if (throttle_)
    throttle_->request();
  else
    rebuild();
}

void DocumentView::refreshNow() {
  if (throttle_) throttle_->flush();
}

void DocumentView::setContent(QWidget* content) {
  empty_ = new QLabel(emptyText_, this);
  empty_->setAlignment(Qt::AlignCenter);
  empty_->setWordWrap(true);
  empty_->setEnabled(false);
  stack_ = new QStackedWidget(this);
  stack_->addWidget(empty_);
  content_ = content;
  stack_->addWidget(content);
  stack_->setCurrentWidget(emptyShown_ ? static_cast<QWidget*>(empty_) : content);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(stack_);
}

void DocumentView::showEmpty(const QString& text) {
  emptyShown_ = true;
  emptyText_ = text;
  if (!stack_) return update();
  empty_->setText(text);
  stack_->setCurrentWidget(empty_);
}

void DocumentView::showContent() {
  emptyShown_ = false;
  if (!stack_) return update();
  stack_->setCurrentWidget(content_);
}

bool DocumentView::isEmptyShown() const { return emptyShown_; }

QString DocumentView::emptyText() const { return emptyText_; }

void DocumentView::renderTo(QPainter& painter, const QRectF& target, const FigureMarks& marks) {
  refreshNow();
  if (isEmptyShown()) return renderNoteTo(painter, target, emptyText());
  struct Restore {
    FigureMarks& m;
    ~Restore() { m = FigureMarks::screen(); }  // also when rendering throws
  } restore{marks_};
  marks_ = marks;
  renderContentTo(painter, target);
}

void DocumentView::renderContentTo(QPainter& painter, const QRectF& target) {
  // A control's figure is the widget as it looks now, scaled to the target.
  const QPixmap pixmap = (content_ ? content_ : this)->grab();
  painter.drawPixmap(target, pixmap, QRectF(pixmap.rect()));
}

}  // namespace attnx
