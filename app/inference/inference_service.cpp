#include "inference_service.h"

#include "inference_controller.h"

namespace attnx {

InferenceService::InferenceService(QObject* parent) : QObject(parent) {
  registerInferenceMetaTypes();
  thread_.setObjectName(QStringLiteral("attnx-inference"));
  worker_ = new InferenceWorker;
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);

  // Every answer goes to the client that submitted the job; the receiver context is `this`, so
  // nothing arrives after the service is gone.
  using W = InferenceWorker;
  connect(worker_, &W::started, this, [this](quint64 id, W::JobKind kind) {
    if (auto* c = clientOf(id)) c->onStarted(id, kind);
  });
  connect(worker_, &W::progress, this, [this](quint64 id, int done, int total, const QString& w) {
    if (auto* c = clientOf(id)) c->onProgress(id, done, total, w);
  });
  connect(worker_, &W::modelUsed, this, [this](quint64 id, const ModelInfo& info) {
    if (auto* c = clientOf(id)) c->onModelUsed(id, info);
  });
  connect(worker_, &W::loaded, this, [this](quint64 id) {
    if (auto* c = clientOf(id)) c->onLoaded(id);
    forget(id);
  });
  connect(worker_, &W::finished, this, [this](quint64 id, std::shared_ptr<const RunResult> r) {
    if (auto* c = clientOf(id)) c->onFinished(id, std::move(r));
    forget(id);
  });
  connect(worker_, &W::failed, this, [this](quint64 id, const QString& message) {
    if (auto* c = clientOf(id)) c->onFailed(id, message);
    forget(id);
  });
  // Queued: a cancel drops queued jobs from inside the client's own call (as for discarded).
  connect(
      worker_, &W::cancelled, this,
      [this](quint64 id) {
        if (auto* c = clientOf(id)) c->onCancelled(id);
        forget(id);
      },
      Qt::QueuedConnection);
  // Queued even though it is emitted on our thread (from inside a submit): the replacing job is
  // tracked first, so a client's busy state never flickers off in between.
  connect(
      worker_, &W::discarded, this,
      [this](quint64 id) {
        if (auto* c = clientOf(id)) c->onDiscarded(id);
        forget(id);
      },
      Qt::QueuedConnection);
  connect(worker_, &W::datasetProgress, this,
          [this](quint64 id, int done, int total, double eta, const QString&) {
            if (auto* c = clientOf(id)) c->onDatasetProgress(id, done, total, eta);
          });
  connect(worker_, &W::datasetFinished, this,
          [this](quint64 id, std::shared_ptr<const DatasetResults> results) {
            if (auto* c = clientOf(id)) c->onDatasetFinished(id, std::move(results));
            forget(id);
          });
  thread_.start();
}

InferenceService::~InferenceService() {
  // Stop a run at its next layer; a checkpoint being read cannot be interrupted and is waited for.
  worker_->cancelAll();
  thread_.quit();
  thread_.wait();
}

ClientId InferenceService::attach(InferenceController* client) {
  const ClientId id = nextClient_++;
  clients_[id] = client;
  return id;
}

void InferenceService::detach(ClientId id) {
  worker_->cancelClient(id);
  clients_.erase(id);
}

void InferenceService::route(quint64 job, ClientId client) { jobs_[job] = client; }

InferenceController* InferenceService::clientOf(quint64 job) const {
  const auto j = jobs_.find(job);
  if (j == jobs_.end()) return nullptr;
  const auto c = clients_.find(j->second);
  return c == clients_.end() ? nullptr : c->second.data();
}

void InferenceService::forget(quint64 job) { jobs_.erase(job); }

}  // namespace attnx
