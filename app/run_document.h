#pragma once
// The document of the explorer: the current run (a plain RunResult, shared read-only) and the one
// selection every view follows. Views implement IRunViewer and register; the document notifies
// them after a change, so a click in one view moves all of them.
#include <QObject>
#include <memory>
#include <vector>

#include "run_types.h"
#include "value_meta_types.h"

namespace attnx {

class RunDocument;

// Head index, or one of the aggregates over heads.
enum HeadChoice : int { kHeadMean = -1, kHeadMax = -2 };

struct Selection {
  int layer = 0;
  int head = kHeadMean;  // >= 0: one head; kHeadMean / kHeadMax: aggregate over heads
  int query = -1;        // absolute query position; -1: the last valid position
  int step = -1;         // -1: the forward pass; s >= 0: generation step s
  int batchRow = 0;
  bool operator==(const Selection&) const = default;
};

// Every view implements this (the explorer's one observer interface).
class IRunViewer {
 public:
  virtual ~IRunViewer() = default;
  virtual void onRunChanged(const RunDocument& doc) = 0;        // new result (or none)
  virtual void onSelectionChanged(const RunDocument& doc) = 0;  // layer/head/query/step moved
};

class RunDocument : public QObject {
  Q_OBJECT
 public:
  explicit RunDocument(QObject* parent = nullptr);

  void setResult(std::shared_ptr<const RunResult> result);
  const RunResult* result() const { return result_.get(); }
  std::shared_ptr<const RunResult> sharedResult() const { return result_; }

  const Selection& selection() const { return selection_; }
  void setSelection(const Selection& s);  // clamped to the result; notifies when it changed
  void setLayer(int layer);
  void setHead(int head);
  void setQuery(int query);
  void setStep(int step);

  // The query position the selection resolves to (the last valid position for -1).
  int resolvedQuery() const;

  void addViewer(IRunViewer* viewer);
  void removeViewer(IRunViewer* viewer);

 signals:
  void resultChanged();
  void selectionChanged();

 private:
  Selection clamp(Selection s) const;
  std::shared_ptr<const RunResult> result_;
  Selection selection_;
  std::vector<IRunViewer*> viewers_;
};

}  // namespace attnx
