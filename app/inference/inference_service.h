#pragma once
// The one inference thread of the application and the clients that use it. The service owns the
// thread and its InferenceWorker (which owns the loaded models); every window or job that runs a
// model is an InferenceController, a client of the service with its own requests, busy state,
// progress and cancel. The service hands each result back to the client that asked, on the
// thread the service lives in (the GUI thread), and to nobody once that client is gone.
#include <QObject>
#include <QPointer>
#include <QThread>
#include <map>

#include "inference_worker.h"

namespace attnx {

class InferenceController;

class InferenceService : public QObject {
  Q_OBJECT
 public:
  explicit InferenceService(QObject* parent = nullptr);
  // Cancels every job, stops the thread and waits for it (a checkpoint being read is waited for).
  ~InferenceService() override;

  InferenceWorker* worker() const { return worker_; }

  // Clients register themselves (InferenceController does it); their jobs are routed by id.
  ClientId attach(InferenceController* client);
  void detach(ClientId id);  // cancels the client's jobs; nothing reaches it afterwards
  // Records that job `job` belongs to `client`; called right after submitting (the worker's
  // answers are queued to this thread, so none can arrive before).
  void route(quint64 job, ClientId client);

 private:
  InferenceController* clientOf(quint64 job) const;
  void forget(quint64 job);

  QThread thread_;
  InferenceWorker* worker_ = nullptr;  // lives in thread_, deleted when it finishes
  ClientId nextClient_ = 1;
  std::map<ClientId, QPointer<InferenceController>> clients_;
  std::map<quint64, ClientId> jobs_;
};

}  // namespace attnx
