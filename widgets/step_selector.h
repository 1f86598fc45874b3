#pragma once
// Chooses what the views show when the run generated tokens: the prompt's forward pass, or
// generation step s (the row that predicted generated token s), with the token named.
#include <QPointer>
#include <QWidget>

#include "run_document.h"

class QLabel;
class QSlider;
class QToolButton;

namespace attnx {

class StepSelector : public QWidget, public IRunViewer {
  Q_OBJECT
 public:
  explicit StepSelector(RunDocument* doc, QWidget* parent = nullptr);
  ~StepSelector() override;

  void onRunChanged(const RunDocument& doc) override;
  void onSelectionChanged(const RunDocument& doc) override;

  QSlider* slider() const { return slider_; }  // 0: prompt, s + 1: step s
  QString labelText() const;

  void renderTo(QPainter& painter, const QRectF& target);

 private:
  void sync();

  QPointer<RunDocument> doc_;
  QSlider* slider_ = nullptr;
  QLabel* label_ = nullptr;
  QToolButton* prev_ = nullptr;
  QToolButton* next_ = nullptr;
  bool syncing_ = false;
};

}  // namespace attnx
