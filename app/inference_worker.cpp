#include "inference_worker.h"

#include <QCoreApplication>
#include <QThread>
#include <chrono>
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

void fillSoftTokens(RunRequest& request, const std::string& path, int index) {
  bool wanted = false;
  for (const auto& p : request.parts) wanted |= p.kind == SegmentKind::Soft && p.embeddings.empty();
  if (!wanted) return;
  const SoftTokenSet set = SoftTokenSet::load(path);
  const std::vector<float> rows = set.prefix(
      index, QCoreApplication::translate("attnx::InputPanel",
                                         "choose one with the prefix field beside the file")
                 .toStdString());
  for (auto& p : request.parts) {
    if (p.kind != SegmentKind::Soft || !p.embeddings.empty()) continue;
    p.embeddings = rows;
    p.rows = set.rows();
  }
}

InferenceWorker::InferenceWorker(QObject* parent) : QObject(parent) {
  registerInferenceMetaTypes();
}

InferenceWorker::~InferenceWorker() = default;

quint64 InferenceWorker::submitLoad(const ModelSpec& spec) {
  Job job;
  job.kind = JobKind::Load;
  job.spec = spec;
  return enqueue(std::move(job));
}

quint64 InferenceWorker::submitRun(const RunJob& run) {
  Job job;
  job.kind = JobKind::Run;
  job.spec = run.model;
  job.run = run;
  return enqueue(std::move(job));
}

quint64 InferenceWorker::submitDataset(const DatasetJob& dataset) {
  Job job;
  job.kind = JobKind::Dataset;
  job.spec = dataset.model;
  job.dataset = dataset;
  return enqueue(std::move(job));
}

quint64 InferenceWorker::enqueue(Job job) {
  std::vector<quint64> replaced;
  quint64 id = 0;
  {
    std::lock_guard lock(mutex_);
    id = job.id = nextId_++;
    if (job.kind == JobKind::Run) {
      // Only the newest run of a slot matters to the user: drop its runs that are still waiting.
      for (auto it = queue_.begin(); it != queue_.end();) {
        if (it->kind == JobKind::Run && it->run.slot == job.run.slot) {
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

void InferenceWorker::cancel() {
  std::lock_guard lock(mutex_);
  cancelUpTo_.store(nextId_ - 1);
}

void InferenceWorker::runOnWorker_next() {
  Q_ASSERT(QThread::currentThread() == thread());
  Job job;
  {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) return;
    job = std::move(queue_.front());
    queue_.pop_front();
  }
  if (isCancelled(job.id)) {
    emit cancelled(job.id);
    return;
  }
  emit started(job.id, job.kind);
  try {
    runOnWorker_execute(job);
  } catch (const Cancelled&) {
    emit cancelled(job.id);
  } catch (const std::bad_alloc&) {
    emit failed(job.id, tr("out of memory"));
  } catch (const std::exception& e) {
    emit failed(job.id, QString::fromStdString(e.what()));
  } catch (...) {
    emit failed(job.id, tr("unknown error"));
  }
}

bool InferenceWorker::runOnWorker_ensureModel(quint64 id, const ModelSpec& spec) {
  if (model_ && spec == loadedSpec_) return false;
  if (spec.dir.trimmed().isEmpty()) throw Error(tr("No model directory chosen.").toStdString());
  // Release the old checkpoint first: two of them at once may not fit on the device.
  if (model_) {
    model_.reset();
    loadedSpec_ = {};
    emit modelReleased();
  }
  emit progress(id, 0, 1, tr("loading %1").arg(spec.dir));
  if (const int ms = progressDelayMs_.load(); ms > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  LoadOptions options;
  options.device = spec.device.toStdString();
  options.dtype = spec.dtype.toStdString();
  model_ = Model::load(spec.dir.toStdString(), options);
  loadedSpec_ = spec;
  emit modelLoaded(id, model_->info());
  return true;
}

void InferenceWorker::runOnWorker_execute(const Job& job) {
  if (job.kind == JobKind::Dataset) {
    runOnWorker_dataset(job);
    return;
  }
  const bool loaded = runOnWorker_ensureModel(job.id, job.spec);
  // A checkpoint being read cannot be interrupted; a cancelled load keeps the model but still
  // reports "cancelled", as the user asked.
  if (isCancelled(job.id)) throw Cancelled();
  if (job.kind == JobKind::Load) {
    // A load always ends with modelLoaded, also when the model was already held.
    if (!loaded) emit modelLoaded(job.id, model_->info());
    return;
  }
  RunRequest request = job.run.request;
  if (job.run.datasetExample >= 0)
    request.parts =
        inputs_.parts(normalizedSettings(job.run.datasetSettings), job.run.datasetExample);
  if (!job.run.softTokenFile.isEmpty())
    fillSoftTokens(request, job.run.softTokenFile.toStdString(), job.run.softIndex);
  for (const auto& p : request.parts)
    if (p.kind == SegmentKind::Soft && p.embeddings.empty())
      throw Error(tr("Soft tokens are requested but no soft-token file is chosen.").toStdString());

  const quint64 id = job.id;
  const ProgressFn onProgress = [this, id](int done, int total, std::string_view what) {
    emit progress(id, done, total, QString::fromUtf8(what.data(), qsizetype(what.size())));
    if (const int ms = progressDelayMs_.load(); ms > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    return !isCancelled(id);
  };
  auto result = std::make_shared<const RunResult>(model_->run(request, onProgress));
  emit finished(id, std::move(result));
}

void InferenceWorker::runOnWorker_dataset(const Job& job) {
  const DatasetJob& dj = job.dataset;
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
  runOnWorker_ensureModel(id, job.spec);
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
  session->run(*model_, progress, onDone);
  emit datasetFinished(id, std::make_shared<const DatasetResults>(session->results()));
}

}  // namespace attnx
