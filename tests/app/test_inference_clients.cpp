// Several clients of the one inference thread: each has its own busy state, progress and
// cancel, a tagged run answers only its own callback (and none once its context is gone), and
// the model cache lets two checkpoints alternate without reloading while it stays within its
// bytes.
#include <QSignalSpy>
#include <QtTest>
#include <memory>

#include "inference_controller.h"
#include "inference_service.h"
#include "qt_support.h"
#include "request_builder.h"

using namespace attnx;
using namespace attnx::qt_support;

namespace {

RunJob idsJob(const QString& dir, int n, int generate = 0) {
  RequestFields f;
  f.prompt = idsPrompt(n);
  f.generate = generate;
  RunJob job;
  job.model.dir = dir;
  job.model.device = QStringLiteral("cpu");
  job.request = buildRunRequest(f);
  job.request.stopAtEos = false;
  return job;
}

}  // namespace

class TestInferenceClients : public QObject {
  Q_OBJECT
 private slots:
  void clientsKeepTheirOwnBusyStateAndCancel() {
    InferenceService service;
    InferenceController explorer(&service), comparison(&service);
    service.worker()->setProgressDelayForTesting(60);
    QSignalSpy explorerBusy(&explorer, &InferenceController::busyChanged);
    QSignalSpy explorerProgress(&explorer, &InferenceController::progress);
    QSignalSpy explorerCancelled(&explorer, &InferenceController::cancelled);
    QSignalSpy comparisonFinished(&comparison, &InferenceController::finished);
    QSignalSpy comparisonCancelled(&comparison, &InferenceController::cancelled);

    // The comparison's long run first; the explorer's waits behind it in the queue.
    comparison.run(idsJob(modelDir("llama_gqa"), 12, 60));
    QTRY_VERIFY_WITH_TIMEOUT(comparison.isRunning(), 60000);
    QVERIFY(!explorer.isBusy());
    QVERIFY(explorerBusy.isEmpty());
    QVERIFY(explorerProgress.isEmpty());  // another client's layers are not the explorer's
    explorer.run(idsJob(modelDir("llama_gqa"), 6));
    QVERIFY(explorer.isBusy() && comparison.isBusy());
    // Cancelling the explorer drops its queued run, and leaves the comparison's running.
    explorer.cancel();
    QTRY_COMPARE_WITH_TIMEOUT(explorerCancelled.count(), 1, 30000);
    QVERIFY(!explorer.isBusy());
    QVERIFY(comparison.isBusy());
    QTRY_COMPARE_WITH_TIMEOUT(comparisonFinished.count(), 1, 120000);
    QCOMPARE(comparisonCancelled.count(), 0);
    QCOMPARE(comparisonFinished[0][0].value<std::shared_ptr<const RunResult>>()->generated, 60);
    QVERIFY(explorerProgress.isEmpty());
  }

  void taggedRunsAnswerTheirCallbackOnly() {
    InferenceService service;
    InferenceController client(&service);
    service.worker()->setProgressDelayForTesting(20);
    QSignalSpy finished(&client, &InferenceController::finished);
    QSignalSpy started(&client, &InferenceController::started);
    std::vector<int> left, right;
    auto* leftContext = new QObject(this);
    auto run = [&](const QString& tag, int n, std::vector<int>* out, QObject* context) {
      client.run(idsJob(modelDir("gpt2_tiny"), n), tag, context,
                 [out](const RunOutcome& o) { out->push_back(o.result ? o.result->seqLen : -1); });
    };
    client.run(idsJob(modelDir("gpt2_tiny"), 4, 10));  // keeps the thread busy meanwhile
    QTRY_VERIFY_WITH_TIMEOUT(client.isRunning(), 60000);
    run(QStringLiteral("left"), 5, &left, leftContext);
    run(QStringLiteral("right"), 6, &right, this);
    run(QStringLiteral("left"), 7, &left, leftContext);  // replaces the queued left one
    run(QStringLiteral("right"), 8, &right, this);       // replaces the queued right one
    QTRY_VERIFY_WITH_TIMEOUT(!client.isBusy(), 120000);
    QCOMPARE(finished.count(), 1);  // the default tag's run only
    QCOMPARE(started.count(), 1);
    QCOMPARE(left, std::vector<int>{7});
    QCOMPARE(right, std::vector<int>{8});

    // A context gone before the answer: nothing reaches it.
    run(QStringLiteral("left"), 9, &left, leftContext);
    delete leftContext;
    QTRY_VERIFY_WITH_TIMEOUT(!client.isBusy(), 60000);
    QCOMPARE(left, std::vector<int>{7});
  }

  void twoCheckpointsAlternateWithoutReloading() {
    InferenceService service;
    InferenceController client(&service);
    QSignalSpy finished(&client, &InferenceController::finished);
    QSignalSpy loaded(&client, &InferenceController::modelLoaded);
    for (int i = 0; i < 3; ++i) {
      client.run(idsJob(modelDir("gpt2_tiny"), 5));
      client.run(idsJob(modelDir("llama_gqa"), 5), QStringLiteral("other"), this, {});
      QTRY_VERIFY_WITH_TIMEOUT(!client.isBusy(), 60000);
    }
    QCOMPARE(finished.count(), 3);
    QCOMPARE(service.worker()->loadsForTesting(), 2);  // each read once
    QCOMPARE(service.worker()->cachedModelsForTesting(), 2);
    QCOMPARE(loaded.count(), 6);  // the client's model changed with every run

    // A cache too small for two keeps one model: alternating then reloads every time.
    InferenceService small;
    small.worker()->setModelCacheBytes(1);
    InferenceController c2(&small);
    for (int i = 0; i < 2; ++i) {
      c2.run(idsJob(modelDir("gpt2_tiny"), 5));
      c2.run(idsJob(modelDir("llama_gqa"), 5), QStringLiteral("other"), this, {});
      QTRY_VERIFY_WITH_TIMEOUT(!c2.isBusy(), 60000);
      QCOMPARE(small.worker()->cachedModelsForTesting(), 1);
    }
    QCOMPARE(small.worker()->loadsForTesting(), 4);
  }

  void aClientGoneGetsNothing() {
    InferenceService service;
    auto client = std::make_unique<InferenceController>(&service);
    service.worker()->setProgressDelayForTesting(20);
    client->run(idsJob(modelDir("gpt2_tiny"), 4, 30));
    QTRY_VERIFY_WITH_TIMEOUT(client->isRunning(), 60000);
    client.reset();  // cancels its jobs; their answers go nowhere
    InferenceController next(&service);
    QSignalSpy finished(&next, &InferenceController::finished);
    next.run(idsJob(modelDir("gpt2_tiny"), 4));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
  }
};

QTEST_GUILESS_MAIN(TestInferenceClients)
#include "test_inference_clients.moc"
