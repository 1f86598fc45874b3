#include "inference_controller.h"

#include <QRegularExpression>

namespace attnx {

QString InferenceController::progressText(int done, int total, const QString& what) {
  // The model (Qt-free, untranslated) names its step "layer 3 of 12" or "token 2 of 5".
  static const QRegularExpression step(QStringLiteral("^(layer|token) (\\d+) of (\\d+)$"));
  const auto m = step.match(what);
  if (m.hasMatch()) {
    const QString n = m.captured(2), of = m.captured(3);
    return m.captured(1) == QLatin1String("layer") ? tr("layer %1 / %2").arg(n, of)
                                                   : tr("token %1 / %2").arg(n, of);
  }
  return what.isEmpty() ? tr("step %1 / %2").arg(done).arg(total) : what;
}

InferenceController::InferenceController(QObject* parent) : QObject(parent) {
  registerInferenceMetaTypes();
  thread_.setObjectName(QStringLiteral("attnx-inference"));
  worker_ = new InferenceWorker;
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);

  // The receiver context is `this`: the connections die with the controller.
  using W = InferenceWorker;
  connect(worker_, &W::started, this, [this](quint64 id, W::JobKind kind) {
    runningId_ = id;
    const Pending p = pendingOf(id);
    if (kind == W::JobKind::Run && p.slot != kMainRunSlot) return;
    emit started(kind == W::JobKind::Run);
  });
  connect(worker_, &W::progress, this,
          [this](quint64 id, int done, int total, const QString& what) {
            if (id != runningId_) return;
            // The layers of an example run are not the explorer's business.
            const Pending p = pendingOf(id);
            if (p.kind == W::JobKind::Run && p.slot != kMainRunSlot) return;
            emit progress(done, total, progressText(done, total, what));
          });
  connect(worker_, &W::modelLoaded, this, [this](quint64 id, const ModelInfo& info) {
    modelInfo_ = info;
    emit modelLoaded(info);
    auto it = pending_.find(id);
    if (it != pending_.end() && it->second.kind == W::JobKind::Load) conclude(id);
  });
  connect(worker_, &W::modelReleased, this, [this] { modelInfo_.reset(); });
  connect(worker_, &W::finished, this, [this](quint64 id, std::shared_ptr<const RunResult> result) {
    const Pending p = pendingOf(id);
    conclude(id);
    if (p.slot == kMainRunSlot)
      emit finished(std::move(result));
    else
      emit slotFinished(p.slot, std::move(result));
  });
  connect(worker_, &W::failed, this, [this](quint64 id, const QString& message) {
    const Pending p = pendingOf(id);
    conclude(id);
    switch (p.kind) {
      case W::JobKind::Load:
        emit failed(message, true);
        break;
      case W::JobKind::Run:
        if (p.slot == kMainRunSlot)
          emit failed(message, false);
        else
          emit slotFailed(p.slot, message);
        break;
      case W::JobKind::Dataset:
        emit datasetFailed(message, p.resultsFile);
        break;
    }
  });
  connect(worker_, &W::cancelled, this, [this](quint64 id) {
    const Pending p = pendingOf(id);
    conclude(id);
    if (p.kind == W::JobKind::Dataset)
      emit datasetCancelled(p.done, p.total, p.resultsFile);
    else if (p.kind == W::JobKind::Run && p.slot != kMainRunSlot)
      emit slotCancelled(p.slot);
    else
      emit cancelled();
  });
  connect(worker_, &W::datasetProgress, this,
          [this](quint64 id, int done, int total, double eta, const QString&) {
            auto it = pending_.find(id);
            if (it == pending_.end()) return;
            it->second.done = done;
            it->second.total = total;
            emit datasetProgress(done, total, eta, datasetProgressText(done, total, eta));
          });
  connect(worker_, &W::datasetFinished, this,
          [this](quint64 id, std::shared_ptr<const DatasetResults> results) {
            const Pending p = pendingOf(id);
            conclude(id);
            emit datasetFinished(std::move(results), p.resultsFile);
          });
  // Queued even though it is emitted on our thread (from inside run()): the replacing run is
  // tracked first, so busy never flickers off in between.
  connect(
      worker_, &W::discarded, this, [this](quint64 id) { conclude(id); }, Qt::QueuedConnection);
  thread_.start();
}

InferenceController::~InferenceController() {
  // Stop a run at its next layer; a checkpoint being read cannot be interrupted and is waited for.
  worker_->cancel();
  thread_.quit();
  thread_.wait();
}

quint64 InferenceController::track(quint64 id, Pending pending) {
  const bool wasBusy = isBusy();
  pending_[id] = std::move(pending);
  if (!wasBusy) emit busyChanged(true);
  return id;
}

void InferenceController::conclude(quint64 id) {
  if (id == runningId_) runningId_ = 0;
  if (pending_.erase(id) && pending_.empty()) emit busyChanged(false);
}

InferenceController::Pending InferenceController::pendingOf(quint64 id) const {
  const auto it = pending_.find(id);
  return it == pending_.end() ? Pending{} : it->second;
}

bool InferenceController::isDatasetRunning() const {
  for (const auto& [id, p] : pending_)
    if (p.kind == InferenceWorker::JobKind::Dataset) return true;
  return false;
}

quint64 InferenceController::load(const ModelSpec& spec) {
  // Submitted ids are recorded before the worker can answer: its signals are queued to us.
  Pending p;
  p.kind = InferenceWorker::JobKind::Load;
  return track(worker_->submitLoad(spec), p);
}

quint64 InferenceController::run(const RunJob& job) {
  Pending p;
  p.kind = InferenceWorker::JobKind::Run;
  p.slot = job.slot;
  return track(worker_->submitRun(job), p);
}

quint64 InferenceController::runDataset(const DatasetJob& job) {
  Pending p;
  p.kind = InferenceWorker::JobKind::Dataset;
  p.resultsFile = job.resultsFile;
  return track(worker_->submitDataset(job), p);
}

RunJob InferenceController::exampleJob(const DatasetSettings& settings, int index,
                                       const ModelSpec& model, int slot) {
  RunJob job;
  job.model = model;
  job.slot = slot;
  job.datasetExample = index;
  job.datasetSettings = settings;
  // Every layer, every query row: the user opened this example to see its full attention.
  job.request.capture.rows = CapturePolicy::Rows::Full;
  job.request.generate = 0;
  return job;
}

void InferenceController::cancel() { worker_->cancel(); }

}  // namespace attnx
