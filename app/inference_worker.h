#pragma once
// The one inference thread. An InferenceWorker lives in its own QThread and owns the loaded
// attnx::Model: it is loaded once and reused, and reloaded only when the directory, device or
// dtype changes. Requests go in from any thread (submitLoad / submitRun / submitDataset / cancel);
// results come out as queued signals carrying plain values (ModelInfo, shared RunResult, shared
// DatasetResults), never tensors.
//
// Methods named runOnWorker_* run on the worker thread only; the submit* and cancel entry points
// are thread-safe and only touch the queue under its mutex.
#include <QMetaType>
#include <QObject>
#include <QString>
#include <atomic>
#include <deque>
#include <memory>
#include <mutex>

#include "dataset_job.h"
#include "dataset_results.h"
#include "model.h"
#include "value_meta_types.h"

namespace attnx {

// Which checkpoint, on what device, in what precision. Changing any of them reloads.
struct ModelSpec {
  QString dir;
  QString device = QStringLiteral("auto");
  QString dtype = QStringLiteral("float32");
  bool operator==(const ModelSpec&) const = default;
};

// Who a run is for. A newer run replaces only a queued run of the same slot, so that the
// explorer's run and the comparison window's two examples never replace each other.
constexpr int kMainRunSlot = 0;  // the explorer window's document

struct RunJob {
  ModelSpec model;
  RunRequest request;
  // When set, Soft parts without embeddings are filled from this soft-token file on the worker
  // thread (so a large file never stalls the window): prefix softIndex of a file of several
  // [N, M, d], or (-1) the file's only prefix.
  QString softTokenFile;
  int softIndex = -1;
  int slot = kMainRunSlot;
  // When >= 0, request.parts are replaced on the worker thread by the input of this example of
  // datasetSettings.examplesFile (exampleParts, with its soft-token row): the window never reads
  // a large examples or soft-token file itself.
  int datasetExample = -1;
  DatasetSettings datasetSettings;
};

// A whole examples file through the model (runDataset), on the inference thread.
struct DatasetJob {
  ModelSpec model;  // settings.modelDir is taken from model.dir
  // The examples and soft-token files are those of the settings.
  DatasetSettings settings;
  // stats.json of the run: rewritten atomically as examples finish, so that a cancelled or
  // crashed run keeps them; summary.csv is written beside it (dataset_session.h).
  QString resultsFile;
  // Continue resultsFile when it exists and was made with the same settings (else the job fails
  // with a message saying what differs); without it an existing file is replaced.
  bool resume = false;
};

class InferenceWorker : public QObject {
  Q_OBJECT
 public:
  enum class JobKind { Load, Run, Dataset };
  Q_ENUM(JobKind)

  explicit InferenceWorker(QObject* parent = nullptr);
  ~InferenceWorker() override;

  // Thread-safe. Each returns the job id (increasing). A run replaces a queued run of the same
  // slot that has not started (that one is reported as discarded); loads keep their place.
  quint64 submitLoad(const ModelSpec& spec);
  quint64 submitRun(const RunJob& job);
  // Dataset jobs are never replaced; they run in turn.
  quint64 submitDataset(const DatasetJob& job);
  // Thread-safe. Cancels the running job and every queued one (each is reported as cancelled).
  void cancel();

  // Tests: sleep this long in every progress callback (and once per example of a dataset job),
  // so that a tiny model runs long enough to be cancelled or observed mid-run. 0 (the default)
  // in the application.
  void setProgressDelayForTesting(int ms) { progressDelayMs_.store(ms); }

 signals:
  // Every job ends with exactly one of: modelLoaded (a load), finished (a run), failed,
  // cancelled, discarded. A run that had to load the model also emits modelLoaded on its way.
  void started(quint64 id, attnx::InferenceWorker::JobKind kind);
  void progress(quint64 id, int done, int total, const QString& what);
  void modelLoaded(quint64 id, const attnx::ModelInfo& info);
  void modelReleased();  // the held model was dropped to load another one
  void finished(quint64 id, std::shared_ptr<const attnx::RunResult> result);
  void failed(quint64 id, const QString& message);
  void cancelled(quint64 id);
  void discarded(quint64 id);  // a queued run replaced by a newer one before it started
  // A dataset job: `done` of `total` examples are finished (never decreasing); etaSeconds is the
  // time left at the mean time per example of this job so far, -1 before the first one.
  void datasetProgress(quint64 id, int done, int total, double etaSeconds,
                       const QString& exampleId);
  // A dataset job ended with every example done (its results file is written). A cancelled or
  // failed job ends with cancelled / failed, its finished examples saved in the results file.
  void datasetFinished(quint64 id, std::shared_ptr<const attnx::DatasetResults> results);

 private:
  struct Job {
    quint64 id = 0;
    JobKind kind = JobKind::Run;
    ModelSpec spec;
    RunJob run;
    DatasetJob dataset;
  };

  quint64 enqueue(Job job);
  void runOnWorker_next();
  void runOnWorker_execute(const Job& job);
  // Loads `spec` unless it is the model already held (returns whether it loaded). Throws on
  // failure, and then holds no model.
  bool runOnWorker_ensureModel(quint64 id, const ModelSpec& spec);
  void runOnWorker_dataset(const Job& job);
  bool isCancelled(quint64 id) const { return id <= cancelUpTo_.load(); }

  // Worker thread only.
  std::unique_ptr<Model> model_;
  ModelSpec loadedSpec_;
  ExampleInputCache inputs_;

  // Shared between threads.
  std::mutex mutex_;
  std::deque<Job> queue_;
  quint64 nextId_ = 1;
  std::atomic<quint64> cancelUpTo_{0};  // every job with id <= this is cancelled
  std::atomic<int> progressDelayMs_{0};
};

// Fills Soft parts that have no embeddings from prefix `index` of a soft-token file (-1: its only
// prefix), read by the one loader (SoftTokenSet). Throws attnx::Error naming the file when it
// cannot be read or has no such prefix.
void fillSoftTokens(RunRequest& request, const std::string& path, int index = -1);

// Registers the value types that cross threads in queued signals (idempotent).
void registerInferenceMetaTypes();

}  // namespace attnx
