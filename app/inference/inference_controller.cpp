#include "inference_controller.h"

#include <QRegularExpression>

namespace attnx {
namespace {

// A run of a tag of its own reports through its callback, never through the client's signals.
bool isTaggedRun(InferenceWorker::JobKind kind, const QString& tag) {
  return kind == InferenceWorker::JobKind::Run && tag != kDefaultRunTag;
}

}  // namespace

bool InferenceController::isTagged(const Pending& p) { return isTaggedRun(p.kind, p.tag); }

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

InferenceController::InferenceController(InferenceService* service, QObject* parent)
    : QObject(parent), service_(service) {
  client_ = service_->attach(this);
}

InferenceController::InferenceController(QObject* parent)
    : QObject(parent), ownService_(std::make_unique<InferenceService>()) {
  service_ = ownService_.get();
  client_ = service_->attach(this);
}

InferenceController::~InferenceController() { service_->detach(client_); }

quint64 InferenceController::track(quint64 id, Pending pending) {
  service_->route(id, client_);
  const bool wasBusy = isBusy();
  pending_[id] = std::move(pending);
  if (!wasBusy) emit busyChanged(true);
  return id;
}

std::optional<InferenceController::Pending> InferenceController::conclude(quint64 id) {
  if (id == runningId_) runningId_ = 0;
  const auto it = pending_.find(id);
  if (it == pending_.end()) return std::nullopt;
  Pending p = std::move(it->second);
  pending_.erase(it);
  if (pending_.empty()) emit busyChanged(false);
  return p;
}

const InferenceController::Pending* InferenceController::pendingOf(quint64 id) const {
  const auto it = pending_.find(id);
  return it == pending_.end() ? nullptr : &it->second;
}

void InferenceController::answer(Pending& p, RunOutcome outcome) {
  if (p.done && p.context) p.done(outcome);
}

bool InferenceController::isDatasetRunning() const {
  for (const auto& [id, p] : pending_)
    if (p.kind == InferenceWorker::JobKind::Dataset) return true;
  return false;
}

quint64 InferenceController::load(const ModelSpec& spec) {
  Pending p;
  p.kind = InferenceWorker::JobKind::Load;
  p.spec = spec;
  return track(service_->worker()->submitLoad(client_, spec), std::move(p));
}

quint64 InferenceController::run(const RunJob& job) {
  Pending p;
  p.kind = InferenceWorker::JobKind::Run;
  p.spec = job.model;
  p.tag = kDefaultRunTag;
  return track(service_->worker()->submitRun(client_, p.tag, job), std::move(p));
}

quint64 InferenceController::run(const RunJob& job, const QString& tag, QObject* context,
                                 RunCallback done) {
  Pending p;
  p.kind = InferenceWorker::JobKind::Run;
  p.spec = job.model;
  p.tag = tag;
  p.context = context;
  p.done = std::move(done);
  return track(service_->worker()->submitRun(client_, tag, job), std::move(p));
}

quint64 InferenceController::runDataset(const DatasetJob& job) {
  Pending p;
  p.kind = InferenceWorker::JobKind::Dataset;
  p.resultsFile = job.resultsFile;
  return track(service_->worker()->submitDataset(client_, job), std::move(p));
}

void InferenceController::cancel() { service_->worker()->cancelClient(client_); }

RunJob InferenceController::exampleJob(const DatasetSettings& settings, int index,
                                       const ModelSpec& model) {
  RunJob job;
  job.model = model;
  job.datasetExample = index;
  job.datasetSettings = settings;
  // Every layer, every query row: the user opened this example to see its full attention.
  job.request.capture.rows = CapturePolicy::Rows::Full;
  job.request.capture.fullLogits = false;  // the views read attention only
  job.request.generate = 0;
  return job;
}

// ---- answers from the inference thread (InferenceService routes them here) ----

void InferenceController::onStarted(quint64 id, InferenceWorker::JobKind kind) {
  runningId_ = id;
  const Pending* p = pendingOf(id);
  if (!p || isTagged(*p)) return;  // a tagged run reports through its callback only
  emit started(kind == InferenceWorker::JobKind::Run);
}

void InferenceController::onProgress(quint64 id, int done, int total, const QString& what) {
  const Pending* p = pendingOf(id);
  if (id != runningId_ || !p || isTagged(*p)) return;
  emit progress(done, total, progressText(done, total, what));
}

void InferenceController::onModelUsed(quint64 id, const ModelInfo& info) {
  const Pending* p = pendingOf(id);
  if (!p) return;
  const bool changed = !modelSpec_ || !(*modelSpec_ == p->spec);
  modelInfo_ = info;
  modelSpec_ = p->spec;
  if (changed || p->kind == InferenceWorker::JobKind::Load) emit modelLoaded(info);
}

void InferenceController::onLoaded(quint64 id) { conclude(id); }

void InferenceController::onFinished(quint64 id, std::shared_ptr<const RunResult> result) {
  auto p = conclude(id);
  if (!p) return;
  if (isTagged(*p))
    answer(*p, {std::move(result), QString(), false});
  else
    emit finished(std::move(result));
}

void InferenceController::onFailed(quint64 id, const QString& message) {
  auto p = conclude(id);
  if (!p) return;
  switch (p->kind) {
    case InferenceWorker::JobKind::Load:
      emit failed(message, true);
      break;
    case InferenceWorker::JobKind::Run:
      if (isTagged(*p))
        answer(*p, {nullptr, message, false});
      else
        emit failed(message, false);
      break;
    case InferenceWorker::JobKind::Dataset:
      emit datasetFailed(message, p->resultsFile);
      break;
  }
}

void InferenceController::onCancelled(quint64 id) {
  auto p = conclude(id);
  if (!p) return;
  if (p->kind == InferenceWorker::JobKind::Dataset)
    emit datasetCancelled(p->done_, p->total, p->resultsFile);
  else if (isTagged(*p))
    answer(*p, {nullptr, QString(), true});
  else
    emit cancelled();
}

void InferenceController::onDiscarded(quint64 id) {
  // A newer run of the same tag took its place: nothing to report but the end of the job.
  conclude(id);
}

void InferenceController::onDatasetProgress(quint64 id, int done, int total, double eta) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return;
  it->second.done_ = done;
  it->second.total = total;
  emit datasetProgress(done, total, eta, datasetProgressText(done, total, eta));
}

void InferenceController::onDatasetFinished(quint64 id,
                                            std::shared_ptr<const DatasetResults> results) {
  auto p = conclude(id);
  if (!p) return;
  emit datasetFinished(std::move(results), p->resultsFile);
}

}  // namespace attnx
