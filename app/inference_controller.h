#pragma once
// The GUI-side handle on the inference thread: owns the QThread and its InferenceWorker, starts
// it on construction and stops it cleanly on destruction (cancels, quits, waits). Its signals are
// delivered on the thread the controller lives in (the GUI thread), through connections whose
// context is the controller itself, so nothing reaches an object that is gone.
#include <QObject>
#include <QThread>
#include <map>
#include <memory>
#include <optional>

#include "inference_worker.h"

namespace attnx {

class InferenceController : public QObject {
  Q_OBJECT
 public:
  explicit InferenceController(QObject* parent = nullptr);
  ~InferenceController() override;

  quint64 load(const ModelSpec& spec);
  quint64 run(const RunJob& job);  // replaces a queued run that has not started
  void cancel();                   // the running job and everything queued

  bool isBusy() const { return !pending_.empty(); }
  bool isRunning() const { return runningId_ != 0; }  // a job has started and not ended
  const std::optional<ModelInfo>& modelInfo() const { return modelInfo_; }

  InferenceWorker* workerForTesting() const { return worker_; }

  // "layer 3 / 12" from the model's own wording, translated.
  static QString progressText(int done, int total, const QString& what);

 signals:
  void started(bool isRun);
  void progress(int done, int total, const QString& text);  // text: "layer 3 / 12"
  void modelLoaded(const attnx::ModelInfo& info);
  void finished(std::shared_ptr<const attnx::RunResult> result);
  void failed(const QString& message, bool whileLoading);  // whileLoading: a load job
  void cancelled();
  void busyChanged(bool busy);

 private:
  quint64 track(quint64 id, InferenceWorker::JobKind kind);
  void conclude(quint64 id);

  QThread thread_;
  InferenceWorker* worker_ = nullptr;  // lives in thread_, deleted when it finishes
  std::map<quint64, InferenceWorker::JobKind> pending_;  // submitted, not yet concluded
  quint64 runningId_ = 0;
  std::optional<ModelInfo> modelInfo_;
};

}  // namespace attnx
