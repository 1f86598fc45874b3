#pragma once
// The GUI-side handle on the inference thread: owns the QThread and its InferenceWorker, starts
// it on construction and stops it cleanly on destruction (cancels, quits, waits). Its signals are
// delivered on the thread the controller lives in (the GUI thread), through connections whose
// context is the controller itself, so nothing reaches an object that is gone.
//
// Jobs are routed by id: loads and runs of the main slot report through started / progress /
// finished / failed / cancelled (the explorer window's result); runs of other slots through the
// slot* signals; dataset jobs through the dataset* signals.
#include <QObject>
#include <QThread>
#include <map>
#include <memory>
#include <optional>

#include "inference_worker.h"

namespace attnx {

class InferenceController : public QObject {
  Q_OBJECT
 public:
  explicit InferenceController(QObject* parent = nullptr);
  ~InferenceController() override;

  quint64 load(const ModelSpec& spec);
  quint64 run(const RunJob& job);  // replaces a queued run of the same slot that has not started
  quint64 runDataset(const DatasetJob& job);
  void cancel();  // the running job and everything queued

  // A run of example `index` of a dataset run, resolved on the worker thread (its input parts and
  // soft-token row): full attention of every layer, no generation.
  static RunJob exampleJob(const DatasetSettings& settings, int index, const ModelSpec& model,
                           int slot);

  bool isBusy() const { return !pending_.empty(); }
  bool isRunning() const { return runningId_ != 0; }  // a job has started and not ended
  bool isDatasetRunning() const;                      // a dataset job is pending
  const std::optional<ModelInfo>& modelInfo() const { return modelInfo_; }

  InferenceWorker* workerForTesting() const { return worker_; }

  // "layer 3 / 12" from the model's own wording, translated.
  static QString progressText(int done, int total, const QString& what);

 signals:
  void started(bool isRun);
  void progress(int done, int total, const QString& text);  // text: "layer 3 / 12"
  void modelLoaded(const attnx::ModelInfo& info);
  void finished(std::shared_ptr<const attnx::RunResult> result);
  void failed(const QString& message, bool whileLoading);  // whileLoading: a load job
  void cancelled();
  void busyChanged(bool busy);

  // Runs of a slot other than kMainRunSlot.
  void slotFinished(int slot, std::shared_ptr<const attnx::RunResult> result);
  void slotFailed(int slot, const QString& message);
  void slotCancelled(int slot);

  // Dataset jobs. text: "37 / 200 examples, about 40 s left", translated.
  void datasetProgress(int done, int total, double etaSeconds, const QString& text);
  void datasetFinished(std::shared_ptr<const attnx::DatasetResults> results,
                       const QString& resultsFile);
  void datasetFailed(const QString& message, const QString& resultsFile);
  // done / total: the examples saved in resultsFile when it stopped.
  void datasetCancelled(int done, int total, const QString& resultsFile);

 private:
  struct Pending {
    InferenceWorker::JobKind kind = InferenceWorker::JobKind::Run;
    int slot = kMainRunSlot;
    QString resultsFile;      // dataset jobs
    int done = 0, total = 0;  // dataset jobs: the last progress
  };
  quint64 track(quint64 id, Pending pending);
  void conclude(quint64 id);
  // The pending job `id`, or a main-slot run when it is not known (a discarded one).
  Pending pendingOf(quint64 id) const;

  QThread thread_;
  InferenceWorker* worker_ = nullptr;   // lives in thread_, deleted when it finishes
  std::map<quint64, Pending> pending_;  // submitted, not yet concluded
  quint64 runningId_ = 0;
  std::optional<ModelInfo> modelInfo_;
};

}  // namespace attnx
