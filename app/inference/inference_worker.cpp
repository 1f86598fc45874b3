#include "inference_worker.h"

#include <QCoreApplication>
#include <QThread>
#include <chrono>
#include <filesystem>
#include <exception>
#include <new>
#include <optional>
#include <thread>

#include "dataset_run.h"
#include "error.h"
#include "examples_file.h"
#include "dataset_session.h"
#include "results_checkpoint.h"
#include "soft_tokens.h"

namespace attnx {

void registerInferenceMetaTypes() {
  qRegisterMetaType<ModelInfo>("attnx::ModelInfo");
  qRegisterMetaType<std::shared_ptr<const RunResult>>("std::shared_ptr<const attnx::RunResult>");
  qRegisterMetaType<InferenceWorker::JobKind>("attnx::InferenceWorker::JobKind");
  qRegisterMetaType<std::shared_ptr<const DatasetResults>>(
      "std::shared_ptr<const attnx::DatasetResults>");
}

void fillSoftTokens(RunRequest& request, const SoftTokenSet& set, int index) {
  bool wanted = false;
  for (const auto& p : request.parts) wanted |= p.kind == SegmentKind::Soft && p.embeddings.empty();
  if (!wanted) return;
  const std::vector<float> rows = set.prefix(
      index, QCoreApplication::translate("attnx::InputPanel",
                                         "choose one with the prefix field beside the file")
                 .toStdString());
  for (auto& p : request.parts) {
    if (p.kind != SegmentKind::Soft || !p.embeddings.empty()) continue;
    p.embeddings = rows;
    p.rows = set.rows();
  }
  request.softTokens = set.source(index);
}

InferenceWorker::InferenceWorker(QObject* parent) : QObject(parent) {
  registerInferenceMetaTypes();
}

InferenceWorker::~InferenceWorker() = default;

quint64 InferenceWorker::submitLoad(ClientId client, const ModelSpec& spec) {
  Job job;
  job.client = client;
  job.spec = spec;
  return enqueue(std::move(job));
}

quint64 InferenceWorker::submitRun(ClientId client, const QString& tag, const RunJob& run) {
  Job job;
  job.client = client;
  job.tag = tag;
  job.spec = run.model;
  job.payload = run;
  return enqueue(std::move(job));
}

quint64 InferenceWorker::submitDataset(ClientId client, const DatasetJob& dataset) {
  Job job;
  job.client = client;
  job.spec = dataset.model;
  job.payload = dataset;
  return enqueue(std::move(job));
}

quint64 InferenceWorker::enqueue(Job job) {
  std::vector<quint64> replaced;
  quint64 id = 0;
  {
    std::lock_guard lock(mutex_);
    id = job.id = nextId_++;
    if (job.kind() == JobKind::Run) {
      // Only the newest run of a client's tag matters to the user: drop the ones still waiting.
      for (auto it = queue_.begin(); it != queue_.end();) {
        if (it->kind() == JobKind::Run && it->client == job.client && it->tag == job.tag) {
          replaced.push_back(it->id);
          it = queue_.erase(it);
        } else {
          ++it;
        }
      }
    }
    queue_.push_back(std::move(job));
  }
  for (quint64 r : replaced) emit discarded(r);
  // One wake-up per job; a wake-up that finds the queue empty (its job was replaced) is a no-op.
  QMetaObject::invokeMethod(this, &InferenceWorker::runOnWorker_next, Qt::QueuedConnection);
  return id;
}

void InferenceWorker::cancelClient(ClientId client) {
  std::vector<quint64> dropped;
  {
    std::lock_guard lock(mutex_);
    if (running_ != 0 && runningClient_ == client) cancelled_.insert(running_);
    // Queued jobs are dropped at once, so that the client is idle now, not once the jobs of
    // other clients ahead of them are done.
    for (auto it = queue_.begin(); it != queue_.end();) {
      if (it->client == client) {
        dropped.push_back(it->id);
        it = queue_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (quint64 id : dropped) emit cancelled(id);
}

void InferenceWorker::cancelAll() {
  std::lock_guard lock(mutex_);
  if (running_ != 0) cancelled_.insert(running_);
  for (const Job& j : queue_) cancelled_.insert(j.id);
}

bool InferenceWorker::isCancelled(quint64 id) const {
  std::lock_guard lock(mutex_);
  return cancelled_.count(id) > 0;
}

void InferenceWorker::runOnWorker_next() {
  Q_ASSERT(QThread::currentThread() == thread());
  Job job;
  {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) return;
    job = std::move(queue_.front());
    queue_.pop_front();
    running_ = job.id;
    runningClient_ = job.client;
  }
  auto ended = [this, &job] {
    std::lock_guard lock(mutex_);
    cancelled_.erase(job.id);
    running_ = 0;
    runningClient_ = 0;
  };
  if (isCancelled(job.id)) {
    ended();
    emit cancelled(job.id);
    return;
  }
  emit started(job.id, job.kind());
  // Each job ends with exactly one signal, sent once its bookkeeping is done.
  try {
    runOnWorker_execute(job);
    ended();
  } catch (const Cancelled&) {
    ended();
    emit cancelled(job.id);
  } catch (const std::bad_alloc&) {
    ended();
    emit failed(job.id, tr("out of memory"));
  } catch (const std::exception& e) {
    ended();
    emit failed(job.id, QString::fromStdString(e.what()));
  } catch (...) {
    ended();
    emit failed(job.id, tr("unknown error"));
  }
}

namespace {

// The bytes a checkpoint's weights take on disk, to make room before it is read.
std::size_t weightFileBytes(const QString& dir) {
  std::size_t n = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir.toStdString(), ec))
    if (e.path().extension() == ".safetensors") n += static_cast<std::size_t>(e.file_size(ec));
  return n;
}

}  // namespace

const Model& InferenceWorker::runOnWorker_model(quint64 id, const ModelSpec& spec) {
  if (spec.dir.trimmed().isEmpty()) throw Error(tr("No model directory chosen.").toStdString());
  for (auto it = cache_.begin(); it != cache_.end(); ++it) {
    if (!(it->spec == spec)) continue;
    cache_.splice(cache_.begin(), cache_, it);  // now the most recently used
    emit modelUsed(id, cache_.front().model->info());
    return *cache_.front().model;
  }
  // Room first: two large checkpoints at once may not fit on the device.
  const std::size_t limit = cacheBytes_.load();
  std::size_t held = 0;
  for (const auto& c : cache_) held += c.model->info().weightBytes;
  const std::size_t incoming = weightFileBytes(spec.dir);
  while (!cache_.empty() && held + incoming > limit) {
    held -= cache_.back().model->info().weightBytes;
    cache_.pop_back();
  }
  cachedModels_.store(static_cast<int>(cache_.size()));
  emit progress(id, 0, 1, tr("loading %1").arg(spec.dir));
  if (const int ms = progressDelayMs_.load(); ms > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  LoadOptions options;
  options.device = spec.device.toStdString();
  options.dtype = spec.dtype.toStdString();
  CachedModel entry{spec, Model::load(spec.dir.toStdString(), options)};
  ++loads_;
  cache_.push_front(std::move(entry));
  cachedModels_.store(static_cast<int>(cache_.size()));
  emit modelUsed(id, cache_.front().model->info());
  return *cache_.front().model;
}

void InferenceWorker::runOnWorker_execute(const Job& job) {
  if (job.kind() == JobKind::Dataset) {
    runOnWorker_dataset(job);
    return;
  }
  const Model& model = runOnWorker_model(job.id, job.spec);
  // A checkpoint being read cannot be interrupted; a cancelled load keeps the model but still
  // reports "cancelled", as the user asked.
  if (isCancelled(job.id)) throw Cancelled();
  if (job.kind() == JobKind::Load) {
    emit loaded(job.id);
    return;
  }
  runOnWorker_run(job, model);
}

void InferenceWorker::runOnWorker_run(const Job& job, const Model& model) {
  const RunJob& run = std::get<RunJob>(job.payload);
  RunRequest request = run.request;
  if (run.datasetExample) {
    const DatasetSettings settings = normalizedSettings(run.datasetSettings);
    request.parts = inputs_.parts(settings, *run.datasetExample);
    request.softTokens = inputs_.softSource(settings, *run.datasetExample);
  }
  if (!run.softTokenFile.isEmpty())
    fillSoftTokens(request, inputs_.softTokens(run.softTokenFile.toStdString()), run.softIndex);
  for (const auto& p : request.parts)
    if (p.kind == SegmentKind::Soft && p.embeddings.empty())
      throw Error(tr("Soft tokens are requested but no soft-token file is chosen.").toStdString());

  // The window's "Predictions by layer": L+1 vocabulary rows at one position, cheap beside the
  // attention it captures.
  if (model.info().lmHead) request.capture.logitLens = true;

  const quint64 id = job.id;
  const ProgressFn onProgress = [this, id](int done, int total, std::string_view what) {
    emit progress(id, done, total, QString::fromUtf8(what.data(), qsizetype(what.size())));
    if (const int ms = progressDelayMs_.load(); ms > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    return !isCancelled(id);
  };
  if (run.scan) {
    auto scanned = std::make_shared<RunResult>();
    scanned->model = model.info();
    scanned->scan = model.scan(request, *run.scan, onProgress);
    emit finished(id, std::move(scanned));
    return;
  }
  auto result = std::make_shared<const RunResult>(model.run(request, onProgress));
  emit finished(id, std::move(result));
}

void InferenceWorker::runOnWorker_dataset(const Job& job) {
  const DatasetJob& dj = std::get<DatasetJob>(job.payload);
  DatasetSettings settings = dj.settings;
  settings.modelDir = dj.model.dir.toStdString();
  settings = normalizedSettings(settings);
  if (dj.resultsFile.trimmed().isEmpty())
    throw Error(tr("No results file chosen for the dataset run.").toStdString());

  // Everything about the inputs is checked before the model loads: a typo fails at once.
  const std::vector<Example>& examples =
      inputs_.examples(settings.examplesFile, settings.predictionField);
  const SoftTokenSet& soft = inputs_.softTokens(settings.softTokenFile);
  std::optional<DatasetSession> session;
  try {
    session.emplace(settings, examples, soft, dj.resultsFile.toStdString(), dj.resume);
  } catch (const MissingSoftTokens& m) {
    // Soft mass 0 in every layer would say nothing: refused unless it is meant.
    throw Error(
        missingSoftTokensText(m, QString::fromStdString(settings.examplesFile)).toStdString());
  } catch (const ResumeRefused& r) {
    throw Error(resumeRefusalText(r).toStdString());
  }

  const quint64 id = job.id;
  if (isCancelled(id)) throw Cancelled();
  const Model& model = runOnWorker_model(id, job.spec);
  if (isCancelled(id)) throw Cancelled();

  const RunClock clock(session->doneAtStart(), session->results().total);
  int reported = -1;  // the last `done` sent, so that the signal comes once per example
  const ProgressFn progress = [&](int done, int total, std::string_view exampleId) {
    if (done != reported) {
      reported = done;
      emit datasetProgress(id, done, total, clock.secondsLeft(done),
                           QString::fromUtf8(exampleId.data(), qsizetype(exampleId.size())));
      if (const int ms = progressDelayMs_.load(); ms > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    }
    return !isCancelled(id);
  };
  const ExampleDoneFn onDone = [&](const ExampleStats&, const DatasetResults& r) {
    const int done = static_cast<int>(r.examples.size());
    if (done == r.total) {
      reported = done;
      emit datasetProgress(id, done, r.total, 0.0, {});
    }
  };
  session->run(model, progress, onDone);
  emit datasetFinished(id, std::make_shared<const DatasetResults>(session->results()));
}

}  // namespace attnx
