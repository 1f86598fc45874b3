#pragma once
// The one inference thread. An InferenceWorker lives in its own QThread (InferenceService) and
// owns the loaded models: a small cache, least recently used first out, bounded in bytes, so that
// two checkpoints can alternate without reloading. Jobs go in from any thread, each for a client
// and with a tag (submitLoad / submitRun / submitDataset / cancelClient); a newer run of the same
// client and tag replaces a queued one. Results come out as queued signals carrying plain values
// (ModelInfo, shared RunResult, shared DatasetResults), never tensors.
//
// Methods named runOnWorker_* run on the worker thread only; the submit* and cancel entry points
// are thread-safe and only touch the queue under its mutex.
#include <QMetaType>
#include <QObject>
#include <QString>
#include <atomic>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <variant>

#include "dataset_job.h"
#include "dataset_results.h"
#include "model.h"
#include "value_meta_types.h"

namespace attnx {

struct SoftTokenSet;

// Which checkpoint, on what device, in what precision. Changing any of them reloads.
struct ModelSpec {
  QString dir;
  QString device = QStringLiteral("auto");
  QString dtype = QStringLiteral("float32");
  bool operator==(const ModelSpec&) const = default;
};

struct RunJob {
  ModelSpec model;
  RunRequest request;
  // When set, Soft parts without embeddings are filled from this soft-token file on the worker
  // thread (so a large file never stalls the window): prefix softIndex of a file of several
  // [N, M, d], or (-1) the file's only prefix.
  QString softTokenFile;
  int softIndex = -1;
  // When set, request.parts are replaced on the worker thread by the input of this example of
  // datasetSettings.examplesFile (exampleParts, with its soft-token row): the window never reads
  // a large examples or soft-token file itself.
  std::optional<int> datasetExample;
  DatasetSettings datasetSettings;
  // When set, the job scans the input's heads instead (Model::scan): the result holds only the
  // scan (RunResult::scan) and the model it used.
  std::optional<ScanOptions> scan;
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

// A client of the inference thread (a window, a dataset job): jobs are cancelled, counted and
// reported per client.
using ClientId = quint64;

class InferenceWorker : public QObject {
  Q_OBJECT
 public:
  enum class JobKind { Load, Run, Dataset };
  Q_ENUM(JobKind)

  explicit InferenceWorker(QObject* parent = nullptr);
  ~InferenceWorker() override;

  // Thread-safe. Each returns the job id (increasing). A run replaces a queued run of the same
  // client and tag that has not started (that one is reported as discarded); loads and dataset
  // jobs keep their place and run in turn.
  quint64 submitLoad(ClientId client, const ModelSpec& spec);
  quint64 submitRun(ClientId client, const QString& tag, const RunJob& job);
  quint64 submitDataset(ClientId client, const DatasetJob& job);
  // Thread-safe. Cancels the client's running job and every one it has queued (each is reported
  // as cancelled); other clients' jobs go on.
  void cancelClient(ClientId client);
  void cancelAll();

  // The models kept loaded, least recently used first out, while their weights together stay
  // within this many bytes (the one in use always stays). Thread-safe.
  void setModelCacheBytes(std::size_t bytes) { cacheBytes_.store(bytes); }
  // Tests: how many checkpoints were read from disk, and how many are held now.
  int loadsForTesting() const { return loads_.load(); }
  int cachedModelsForTesting() const { return cachedModels_.load(); }

  // Tests: sleep this long in every progress callback (and once per example of a dataset job),
  // so that a tiny model runs long enough to be cancelled or observed mid-run. 0 (the default)
  // in the application.
  void setProgressDelayForTesting(int ms) { progressDelayMs_.store(ms); }

 signals:
  // Every job ends with exactly one of: finished (a run), loaded (a load), failed, cancelled,
  // discarded; datasetFinished (a dataset job). Every load and run first says which model it
  // uses (modelUsed), whether it was read from disk or found loaded.
  void started(quint64 id, attnx::InferenceWorker::JobKind kind);
  void progress(quint64 id, int done, int total, const QString& what);
  void modelUsed(quint64 id, const attnx::ModelInfo& info);
  void loaded(quint64 id);
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
    ClientId client = 0;
    QString tag;
    ModelSpec spec;
    std::variant<std::monostate, RunJob, DatasetJob> payload;  // monostate: a load
    JobKind kind() const {
      return payload.index() == 1 ? JobKind::Run : payload.index() == 2 ? JobKind::Dataset
                                                                          : JobKind::Load;
    }
  };
  struct CachedModel {
    ModelSpec spec;
    std::unique_ptr<Model> model;
  };

  quint64 enqueue(Job job);
  void runOnWorker_next();
  void runOnWorker_execute(const Job& job);
  // The model of `spec`, from the cache or loaded (then the cache makes room first). Throws on
  // failure.
  const Model& runOnWorker_model(quint64 id, const ModelSpec& spec);
  void runOnWorker_run(const Job& job, const Model& model);
  void runOnWorker_dataset(const Job& job);
  bool isCancelled(quint64 id) const;

  // Worker thread only.
  std::list<CachedModel> cache_;  // most recently used first
  ExampleInputCache inputs_;

  // Shared between threads.
  mutable std::mutex mutex_;
  std::deque<Job> queue_;
  quint64 nextId_ = 1;
  std::set<quint64> cancelled_;  // ids cancelled before they ended
  quint64 running_ = 0;          // the job under way, 0: none
  ClientId runningClient_ = 0;
  std::atomic<std::size_t> cacheBytes_{std::size_t{4} << 30};
  std::atomic<int> loads_{0}, cachedModels_{0};
  std::atomic<int> progressDelayMs_{0};
};

// Fills Soft parts that have no embeddings from prefix `index` of a soft-token file (-1: its only
// prefix) and records the file in the request. Throws attnx::Error naming the file when it has
// no such prefix.
void fillSoftTokens(RunRequest& request, const SoftTokenSet& set, int index = -1);

// Registers the value types that cross threads in queued signals (idempotent).
void registerInferenceMetaTypes();

}  // namespace attnx
