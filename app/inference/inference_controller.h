#pragma once
// A client of the inference thread: a window or a job that runs models (the explorer, the
// comparison window, the explorer's dataset runs). Each client has its own requests, busy state,
// progress and cancel; one client's work never shows in another's. Requests go to the shared
// InferenceService; the answers come back on the GUI thread, to this client only.
//
// Requests are tagged: a newer run with the same tag replaces this client's queued one. Runs of
// the default tag report through the signals below (the explorer's run); tagged runs report
// through the callback given with them, with a context object: no callback reaches a context
// that is gone (qrenderdoc's AsyncInvoke).
#include <QObject>
#include <QPointer>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "inference_service.h"

namespace attnx {

// How a run ended: a result, or an error message, or cancelled. (A run replaced by a newer run of
// the same tag before it started is not answered at all.)
struct RunOutcome {
  std::shared_ptr<const RunResult> result;
  QString error;
  bool cancelled = false;
};
using RunCallback = std::function<void(const RunOutcome& outcome)>;

class InferenceController : public QObject {
  Q_OBJECT
 public:
  // A client of `service` (which must outlive it).
  explicit InferenceController(InferenceService* service, QObject* parent = nullptr);
  // A client of a service of its own: one window alone, and the tests.
  explicit InferenceController(QObject* parent = nullptr);
  ~InferenceController() override;  // cancels this client's jobs

  quint64 load(const ModelSpec& spec);
  // A run of the default tag: reported by started / progress / finished / failed / cancelled.
  quint64 run(const RunJob& job);
  // A run of `tag`, reported to `done` on the GUI thread unless `context` is gone by then.
  quint64 run(const RunJob& job, const QString& tag, QObject* context, RunCallback done);
  quint64 runDataset(const DatasetJob& job);
  void cancel();  // this client's running job and everything it has queued

  // A run of example `index` of a dataset run, resolved on the worker thread (its input parts and
  // soft-token row): full attention of every layer, no generation.
  static RunJob exampleJob(const DatasetSettings& settings, int index, const ModelSpec& model);

  bool isBusy() const { return !pending_.empty(); }
  bool isRunning() const { return runningId_ != 0; }  // a job of this client has started
  bool isDatasetRunning() const;                      // a dataset job is pending
  // The model this client's jobs last used.
  const std::optional<ModelInfo>& modelInfo() const { return modelInfo_; }

  InferenceService* service() const { return service_; }
  InferenceWorker* workerForTesting() const { return service_->worker(); }

  // "layer 3 / 12" from the model's own wording, translated.
  static QString progressText(int done, int total, const QString& what);

 signals:
  void started(bool isRun);
  void progress(int done, int total, const QString& text);  // text: "layer 3 / 12"
  // A load, or a run on another model than this client's last one.
  void modelLoaded(const attnx::ModelInfo& info);
  void finished(std::shared_ptr<const attnx::RunResult> result);
  void failed(const QString& message, bool whileLoading);  // whileLoading: a load job
  void cancelled();
  void busyChanged(bool busy);

  // Dataset jobs. text: "37 / 200 examples, about 40 s left", translated.
  void datasetProgress(int done, int total, double etaSeconds, const QString& text);
  void datasetFinished(std::shared_ptr<const attnx::DatasetResults> results,
                       const QString& resultsFile);
  void datasetFailed(const QString& message, const QString& resultsFile);
  // done / total: the examples saved in resultsFile when it stopped.
  void datasetCancelled(int done, int total, const QString& resultsFile);

 private:
  friend class InferenceService;  // delivers the worker's answers to the on* handlers
  struct Pending {
    InferenceWorker::JobKind kind = InferenceWorker::JobKind::Run;
    ModelSpec spec;              // the model the job uses
    QString tag;                 // runs
    QPointer<QObject> context;   // tagged runs: where `done` may still be delivered
    RunCallback done;            // tagged runs
    QString resultsFile;         // dataset jobs
    int done_ = 0, total = 0;    // dataset jobs: the last progress
  };
  quint64 track(quint64 id, Pending pending);
  // The pending job `id` (removed) or nothing when it is not known.
  std::optional<Pending> conclude(quint64 id);
  const Pending* pendingOf(quint64 id) const;
  void answer(Pending& p, RunOutcome outcome);
  static bool isTagged(const Pending& p);

  void onStarted(quint64 id, InferenceWorker::JobKind kind);
  void onProgress(quint64 id, int done, int total, const QString& what);
  void onModelUsed(quint64 id, const ModelInfo& info);
  void onLoaded(quint64 id);
  void onFinished(quint64 id, std::shared_ptr<const RunResult> result);
  void onFailed(quint64 id, const QString& message);
  void onCancelled(quint64 id);
  void onDiscarded(quint64 id);
  void onDatasetProgress(quint64 id, int done, int total, double eta);
  void onDatasetFinished(quint64 id, std::shared_ptr<const DatasetResults> results);

  std::unique_ptr<InferenceService> ownService_;  // only without a shared service
  InferenceService* service_ = nullptr;
  ClientId client_ = 0;
  std::map<quint64, Pending> pending_;  // submitted, not yet concluded
  quint64 runningId_ = 0;
  std::optional<ModelInfo> modelInfo_;
  std::optional<ModelSpec> modelSpec_;  // what modelInfo_ was asked for
};

// The default tag: the client's main runs.
inline const QString kDefaultRunTag = QStringLiteral("main");

}  // namespace attnx
