#pragma once
// The base of every view of a document (the explorer's RunDocument, the comparison's
// DatasetDocument). A view follows its documents' signals, the one notification mechanism, and
// rebuilds once per burst of changes (a key held down over the layers: one redraw, PlotJuggler's
// single-shot timer); it holds its documents by QPointer, so a view that outlives one shows its
// empty state; it shows an empty state (a note) in place of its content; and its figure is that
// note or its content, drawn by renderContentTo.
#include <QPointer>
#include <QWidget>

#include "figure_view.h"

class QLabel;
class QStackedWidget;

namespace attnx {

class RedrawThrottle;
class RunDocument;
class DatasetDocument;

class DocumentView : public QWidget, public IFigureView {
  Q_OBJECT
 public:
  // IFigureView: every view can be refreshed and drawn; those that are figures name themselves.
  void refreshNow() final;
  void renderTo(QPainter& painter, const QRectF& target, const FigureMarks& marks) final;
  QString figureViewName() const override { return {}; }

  bool isEmptyShown() const;
  QString emptyText() const;

 protected:
  // `immediate`: redraw at once on every change (cheap views: a label, a slider).
  explicit DocumentView(QWidget* parent, bool immediate = false);

  // Rebuild after every change of `doc`; resultReplaced() first when its result is replaced.
  void follow(RunDocument* doc);
  void follow(DatasetDocument* doc);
  void requestRebuild();

  // Brings the view up to date with its documents.
  virtual void rebuild() = 0;
  // A new result arrived (before the rebuild): views that keep zoom or caches reset them.
  virtual void resultReplaced() {}
  // Draws the content (not the empty note) into `target`, with the marks of figureMarks().
  virtual void renderContentTo(QPainter& painter, const QRectF& target);
  // The selection marks to draw: those of the figure while renderContentTo runs, else every one.
  const FigureMarks& figureMarks() const { return marks_; }

  // The content page and the note shown instead of it. A view that paints itself (no content
  // page) draws the note in its own paintEvent while isEmptyShown().
  void setContent(QWidget* content);
  void showEmpty(const QString& text);
  void showContent();

 private:
  RedrawThrottle* throttle_ = nullptr;  // null when immediate
  QStackedWidget* stack_ = nullptr;     // created with the content page
  QLabel* empty_ = nullptr;
  QWidget* content_ = nullptr;
  bool emptyShown_ = false;
  QString emptyText_;
  FigureMarks marks_ = FigureMarks::screen();
};

}  // namespace attnx
