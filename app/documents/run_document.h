#pragma once
// The document of the explorer: the current run (a plain RunResult, shared read-only) and the one
// selection every view follows. Views follow its signals (views/document_view.h); a click in one
// view moves all of them. What the selection derives (the selected query's segment statistics)
// is computed once per change, here, not once per view.
#include <QObject>
#include <memory>
#include <optional>
#include <vector>

#include "attention_stats.h"
#include "run_types.h"
#include "value_meta_types.h"

namespace attnx {

struct Selection {
  int layer = 0;
  HeadChoice head = HeadChoice::mean();
  std::optional<int> query;  // absolute query position; none: the last valid position
  std::optional<int> step;   // generation step; none: the forward pass
  int batchRow = 0;
  bool operator==(const Selection&) const = default;
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
  void setHead(HeadChoice head);
  void setQuery(std::optional<int> query);
  void setStep(std::optional<int> step);

  // The query position the selection resolves to (the last valid position when none is chosen).
  int resolvedQuery() const;

  // Statistics of the selected query (or generation step) over every captured layer; nullopt
  // when its row was not captured or nothing was. Computed once after each change.
  const std::optional<SegmentMass>& selectedMass() const;

 signals:
  void resultChanged();     // a new result (or none); selectionChanged follows
  void selectionChanged();  // layer, head, query or step moved

 private:
  Selection clamp(Selection s) const;
  std::shared_ptr<const RunResult> result_;
  Selection selection_;
  mutable std::optional<std::optional<SegmentMass>> mass_;  // outer: computed yet
};

}  // namespace attnx
