#pragma once
// Chooses what the views show when the run generated tokens: the prompt's forward pass, or
// generation step s (the row that predicted generated token s), with the token named.
#include <QPointer>

#include "document_view.h"
#include "run_document.h"

class QLabel;
class QSlider;
class QToolButton;

namespace attnx {

// A control, cheap to bring up to date: it follows the document at once (not throttled).
class StepSelector : public DocumentView {
  Q_OBJECT
 public:
  explicit StepSelector(RunDocument* doc, QWidget* parent = nullptr);

  QSlider* slider() const { return slider_; }  // 0: prompt, s + 1: step s
  QString labelText() const;

 protected:
  void rebuild() override;

 private:

  QPointer<RunDocument> doc_;
  QSlider* slider_ = nullptr;
  QLabel* label_ = nullptr;
  QToolButton* prev_ = nullptr;
  QToolButton* next_ = nullptr;
  bool syncing_ = false;
};

}  // namespace attnx
