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
    emit started(kind == W::JobKind::Run);
  });
  connect(worker_, &W::progress, this,
          [this](quint64 id, int done, int total, const QString& what) {
            if (id != runningId_) return;
            emit progress(done, total, progressText(done, total, what));
          });
  connect(worker_, &W::modelLoaded, this, [this](quint64 id, const ModelInfo& info) {
    modelInfo_ = info;
    emit modelLoaded(info);
    auto it = pending_.find(id);
    if (it != pending_.end() && it->second == W::JobKind::Load) conclude(id);
  });
  connect(worker_, &W::modelReleased, this, [this] { modelInfo_.reset(); });
  connect(worker_, &W::finished, this, [this](quint64 id, std::shared_ptr<const RunResult> result) {
    conclude(id);
    emit finished(std::move(result));
  });
  connect(worker_, &W::failed, this, [this](quint64 id, const QString& message) {
    const auto it = pending_.find(id);
    const bool wasLoad = it != pending_.end() && it->second == W::JobKind::Load;
    conclude(id);
    emit failed(message, wasLoad);
  });
  connect(worker_, &W::cancelled, this, [this](quint64 id) {
    conclude(id);
    emit cancelled();
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

quint64 InferenceController::track(quint64 id, InferenceWorker::JobKind kind) {
  const bool wasBusy = isBusy();
  pending_[id] = kind;
  if (!wasBusy) emit busyChanged(true);
  return id;
}

void InferenceController::conclude(quint64 id) {
  if (id == runningId_) runningId_ = 0;
  if (pending_.erase(id) && pending_.empty()) emit busyChanged(false);
}

quint64 InferenceController::load(const ModelSpec& spec) {
  // Submitted ids are recorded before the worker can answer: its signals are queued to us.
  return track(worker_->submitLoad(spec), InferenceWorker::JobKind::Load);
}

quint64 InferenceController::run(const RunJob& job) {
  return track(worker_->submitRun(job), InferenceWorker::JobKind::Run);
}

void InferenceController::cancel() { worker_->cancel(); }

}  // namespace attnx
