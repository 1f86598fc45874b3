#pragma once
// Destruction order of a window that owns documents (plain QObject children) and views that
// observe them (child widgets). QObject deletes children in creation order, and a window creates
// its documents before its views, so without help the documents would go first and every view's
// destructor would reach a document that is gone. A window calls this first in its destructor:
// the views go while the window, its documents and its connections are still whole.
#include <QWidget>

namespace attnx {

inline void destroyChildWidgets(QWidget* window) {
  // One at a time: deleting one widget may delete others (a dock's content, a tool window).
  while (QWidget* child = window->findChild<QWidget*>(QString(), Qt::FindDirectChildrenOnly))
    delete child;
}

}  // namespace attnx
