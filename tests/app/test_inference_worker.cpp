// The inference thread with real fixture checkpoints: load, run (checked against the Hugging Face
// reference attention), soft tokens from a file, model reuse, a newer run replacing a queued one,
// cancel, errors as messages, and results delivered on the GUI thread.
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>
#include <cmath>

#include "fixtures.h"
#include "inference_controller.h"
#include "qt_support.h"
#include "request_builder.h"
#include "safetensors.h"

using namespace attnx;
using attnx::fixtures::floats;
using attnx::qt_support::modelDir;

namespace {

using attnx::qt_support::fixturePath;
using attnx::qt_support::sharedDir;
QString fixture(const QString& rel) { return fixturePath(rel); }
std::vector<int64_t> int64s(const TensorView& t) { return fixtures::longs(t); }

QString idsField(const std::vector<int64_t>& ids) {
  QStringList s;
  for (int64_t id : ids) s << QString::number(id);
  return QStringLiteral("ids: ") + s.join(QStringLiteral(", "));
}

// Largest |ours - reference| over every captured layer; fails on any value outside
// atol + rtol * |reference| (the manifest's suggestion for attentions).
double compareAttention(const RunResult& r, const SafetensorsFile& ref, int layers) {
  double maxDiff = 0;
  int outside = 0;
  if (int(r.attentions.size()) != layers) return INFINITY;
  for (int l = 0; l < layers; ++l) {
    const TensorView& t = ref.at("out.attentions." + std::to_string(l));
    const std::vector<float> want = floats(t);
    const AttentionTensor& a = r.attentions[l];
    if (a.layer != l || a.heads != t.shape[1] || a.queries != t.shape[2] || a.keys != t.shape[3])
      return INFINITY;
    std::size_t i = 0;
    for (int h = 0; h < a.heads; ++h)
      for (int q = 0; q < a.queries; ++q)
        for (int k = 0; k < a.keys; ++k, ++i) {
          const double d = std::abs(double(a.at(0, h, q, k)) - want[i]);
          maxDiff = std::max(maxDiff, d);
          if (d > 1e-5 + 1e-4 * std::abs(want[i])) ++outside;
        }
  }
  return outside ? INFINITY : maxDiff;
}

RunJob idsJob(const QString& dir, const std::vector<int64_t>& ids, int generate = 0) {
  RequestFields f;
  f.prompt = idsField(ids);
  f.generate = generate;
  RunJob job;
  job.model.dir = dir;
  job.request = buildRunRequest(f);
  job.request.stopAtEos = false;  // exactly `generate` tokens, however random the model is
  return job;
}

std::vector<int64_t> someIds(int n) {
  std::vector<int64_t> ids;
  for (int i = 0; i < n; ++i) ids.push_back(3 + (i * 37) % 490);
  return ids;
}

}  // namespace

class TestInferenceWorker : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

 private slots:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    QVERIFY2(QFile::exists(modelDir("llama_gqa") + "/config.json"), qPrintable(sharedDir()));
  }

  void progressTexts() {
    QCOMPARE(InferenceController::progressText(3, 12, QStringLiteral("layer 3 of 12")),
             QStringLiteral("layer 3 / 12"));
    QCOMPARE(InferenceController::progressText(14, 17, QStringLiteral("token 2 of 5")),
             QStringLiteral("token 2 / 5"));
    QCOMPARE(InferenceController::progressText(1, 4, QString()), QStringLiteral("step 1 / 4"));
    QCOMPARE(InferenceController::progressText(0, 1, QStringLiteral("loading x")),
             QStringLiteral("loading x"));
  }

  void loadReportsTheModelOnTheGuiThread() {
    InferenceController c;
    bool onGuiThread = false;
    ModelInfo info;
    connect(&c, &InferenceController::modelLoaded, this, [&](const ModelInfo& i) {
      onGuiThread = QThread::currentThread() == QCoreApplication::instance()->thread();
      info = i;
    });
    QSignalSpy busy(&c, &InferenceController::busyChanged);
    c.load({modelDir("llama_gqa"), QStringLiteral("cpu"), QStringLiteral("float32")});
    QVERIFY(c.isBusy());
    QTRY_VERIFY_WITH_TIMEOUT(!c.isBusy(), 60000);
    QVERIFY(onGuiThread);
    QCOMPARE(info.family, std::string("llama"));
    QCOMPARE(info.layers, 3);
    QCOMPARE(info.heads, 4);
    QCOMPARE(info.kvHeads, 2);
    QCOMPARE(info.parameters, int64_t(202688));  // manifest.json num_parameters
    QCOMPARE(info.device, std::string("cpu"));
    QVERIFY(c.modelInfo().has_value());
    QCOMPARE(busy.count(), 2);  // on, then off
  }

  void runMatchesTheReferenceAttention() {
    const SafetensorsFile ref =
        SafetensorsFile::open(fixture("cases/llama_gqa__a_input_ids.safetensors").toStdString());
    const std::vector<int64_t> ids = int64s(ref.at("in.input_ids"));

    InferenceController c;
    std::shared_ptr<const RunResult> result;
    bool onGuiThread = false;
    int progressCalls = 0;
    QString lastProgress;
    connect(&c, &InferenceController::progress, this, [&](int, int, const QString& text) {
      ++progressCalls;
      lastProgress = text;
    });
    connect(&c, &InferenceController::finished, this, [&](std::shared_ptr<const RunResult> r) {
      onGuiThread = QThread::currentThread() == QCoreApplication::instance()->thread();
      result = std::move(r);
    });
    QSignalSpy failed(&c, &InferenceController::failed);
    c.run(idsJob(modelDir("llama_gqa"), ids));
    QTRY_VERIFY_WITH_TIMEOUT(result || failed.count(), 60000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed[0][0].toString()));
    QVERIFY(onGuiThread);
    QCOMPARE(result->seqLen, int(ids.size()));
    QCOMPARE(result->inputIds, ids);
    QVERIFY(progressCalls >= 3);  // at least once per layer
    QCOMPARE(lastProgress, QStringLiteral("layer 3 / 3"));
    const double diff = compareAttention(*result, ref, 3);
    qInfo("llama_gqa a_input_ids through the worker: max |attention - reference| = %.3g", diff);
    QVERIFY(diff <= 1e-5);
  }

  void softTokensFromAFileMatchTheReference() {
    const SafetensorsFile ref =
        SafetensorsFile::open(fixture("cases/llama_gqa__b_soft_prefix.safetensors").toStdString());
    const std::vector<int64_t> ids = int64s(ref.at("in.input_ids"));
    const TensorView& prefix = ref.at("in.soft_prefix");  // [1, 4, 64]
    const QString softFile = tmp_.filePath(QStringLiteral("soft.safetensors"));
    writeSafetensors(softFile.toStdString(),
                     {OwnedTensor::fromFloats("soft_tokens", prefix.shape,
                                              reinterpret_cast<const float*>(prefix.data))});

    RequestFields f;
    f.softTokens = true;
    f.bosAfterSoft = false;  // the reference has no BOS between prefix and ids
    f.prompt = idsField(ids);
    RunJob job;
    job.model.dir = modelDir("llama_gqa");
    job.request = buildRunRequest(f);
    job.softTokenFile = softFile;

    InferenceController c;
    std::shared_ptr<const RunResult> result;
    connect(&c, &InferenceController::finished, this,
            [&](std::shared_ptr<const RunResult> r) { result = std::move(r); });
    QSignalSpy failed(&c, &InferenceController::failed);
    c.run(job);
    QTRY_VERIFY_WITH_TIMEOUT(result || failed.count(), 60000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed[0][0].toString()));
    QCOMPARE(result->seqLen, 4 + int(ids.size()));
    QCOMPARE(result->layout.at(0).at(0).kind, SegmentKind::Soft);
    QCOMPARE(result->layout.at(0).at(0).size(), 4);
    const double diff = compareAttention(*result, ref, 3);
    qInfo("llama_gqa b_soft_prefix from a soft-token file: max |attention - reference| = %.3g",
          diff);
    QVERIFY(diff <= 1e-5);
  }

  void theModelIsReusedAndReloadedOnlyWhenItsSpecChanges() {
    InferenceController c;
    QSignalSpy loaded(&c, &InferenceController::modelLoaded);
    QSignalSpy finished(&c, &InferenceController::finished);
    const QString dir = modelDir("gpt2_tiny");
    c.run(idsJob(dir, someIds(8)));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QCOMPARE(loaded.count(), 1);
    c.run(idsJob(dir, someIds(9)));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 60000);
    QCOMPARE(loaded.count(), 1);  // same folder, device and dtype: reused
    RunJob other = idsJob(dir, someIds(9));
    other.model.device = QStringLiteral("cpu");  // "auto" before
    c.run(other);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, 60000);
    QCOMPARE(loaded.count(), 2);
    c.run(idsJob(modelDir("llama_gqa"), someIds(5)));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 4, 60000);
    QCOMPARE(loaded.count(), 3);
    QCOMPARE(c.modelInfo()->family, std::string("llama"));
  }

  void aNewerRunReplacesAQueuedOne() {
    InferenceController c;
    InferenceWorker* w = c.workerForTesting();
    w->setProgressDelayForTesting(20);
    QSignalSpy started(w, &InferenceWorker::started);
    QSignalSpy finished(w, &InferenceWorker::finished);
    QSignalSpy discarded(w, &InferenceWorker::discarded);
    const QString dir = modelDir("llama_gqa");
    const quint64 a = c.run(idsJob(dir, someIds(10), 6));
    QTRY_VERIFY_WITH_TIMEOUT(started.count() == 1, 60000);
    // While A runs, B waits in the queue; C replaces it before it can start.
    const quint64 b = c.run(idsJob(dir, someIds(11)));
    const quint64 cId = c.run(idsJob(dir, someIds(12)));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 60000);
    QTRY_VERIFY(!c.isBusy());
    QCOMPARE(discarded.count(), 1);
    QCOMPARE(discarded[0][0].value<quint64>(), b);
    QCOMPARE(finished[0][0].value<quint64>(), a);
    QCOMPARE(finished[1][0].value<quint64>(), cId);
    QCOMPARE(started.count(), 2);
    const auto last = finished[1][1].value<std::shared_ptr<const RunResult>>();
    QCOMPARE(last->seqLen, 12);
    const auto first = finished[0][1].value<std::shared_ptr<const RunResult>>();
    QCOMPARE(first->generated, 6);
  }

  void cancelStopsTheRunAndReportsIt() {
    InferenceController c;
    c.workerForTesting()->setProgressDelayForTesting(20);
    QSignalSpy progress(&c, &InferenceController::progress);
    QSignalSpy finished(&c, &InferenceController::finished);
    QSignalSpy cancelled(&c, &InferenceController::cancelled);
    c.run(idsJob(modelDir("llama_gqa"), someIds(20), 40));
    QTRY_VERIFY_WITH_TIMEOUT(progress.count() >= 2, 60000);
    QElapsedTimer t;
    t.start();
    c.cancel();
    QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, 10000);
    qInfo("cancel took %lld ms", t.elapsed());
    QVERIFY(!c.isBusy());
    QCOMPARE(finished.count(), 0);

    // Cancel also drops what is queued; the next run afterwards works normally.
    // (The delay also holds the load, so both jobs are still pending when cancel comes.)
    c.workerForTesting()->setProgressDelayForTesting(200);
    c.load({modelDir("gpt2_tiny")});
    c.run(idsJob(modelDir("gpt2_tiny"), someIds(4)));
    c.cancel();
    QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 3, 10000);
    QVERIFY(!c.isBusy());
    c.workerForTesting()->setProgressDelayForTesting(0);
    c.run(idsJob(modelDir("gpt2_tiny"), someIds(4)));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
  }

  void errorsComeBackAsMessages() {
    InferenceController c;
    QSignalSpy failed(&c, &InferenceController::failed);
    QSignalSpy finished(&c, &InferenceController::finished);

    QTemporaryDir broken;
    QFile cfg(broken.filePath(QStringLiteral("config.json")));
    QVERIFY(cfg.open(QIODevice::WriteOnly));
    cfg.write("{\"model_type\": \"llama\", \"hidden_size\": ");  // truncated JSON
    cfg.close();
    c.load({broken.path()});
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 60000);
    QVERIFY(failed[0][1].toBool());  // while loading
    QVERIFY2(failed[0][0].toString().contains(QStringLiteral("config.json")),
             qPrintable(failed[0][0].toString()));

    c.load({tmp_.filePath(QStringLiteral("does-not-exist"))});
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 2, 60000);
    QVERIFY2(failed[1][0].toString().contains(QStringLiteral("does-not-exist")),
             qPrintable(failed[1][0].toString()));

    // A soft-token file that is not one.
    const QString junk = tmp_.filePath(QStringLiteral("junk.safetensors"));
    QFile j(junk);
    QVERIFY(j.open(QIODevice::WriteOnly));
    j.write("definitely not safetensors");
    j.close();
    RequestFields f;
    f.softTokens = true;
    f.prompt = QStringLiteral("ids: 1, 2");
    RunJob job;
    job.model.dir = modelDir("llama_gqa");
    job.request = buildRunRequest(f);
    job.softTokenFile = junk;
    c.run(job);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 3, 60000);
    QVERIFY(!failed[2][1].toBool());
    QVERIFY2(failed[2][0].toString().contains(QStringLiteral("junk.safetensors")),
             qPrintable(failed[2][0].toString()));

    // Soft tokens of the wrong width for this model (hidden 64).
    const QString narrow = tmp_.filePath(QStringLiteral("narrow.safetensors"));
    const std::vector<float> rows(2 * 32, 0.5f);
    writeSafetensors(narrow.toStdString(), {OwnedTensor::fromFloats("soft", {2, 32}, rows.data())});
    job.softTokenFile = narrow;
    c.run(job);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 4, 60000);
    qInfo() << "wrong width:" << failed[3][0].toString();

    // A token id outside the vocabulary (500).
    c.run(idsJob(modelDir("llama_gqa"), {1, 2, 500}));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 5, 60000);
    qInfo() << "id out of range:" << failed[4][0].toString();

    for (const auto& call : failed) QVERIFY(!call[0].toString().isEmpty());
    QCOMPARE(finished.count(), 0);
    // The thread survived every error.
    c.run(idsJob(modelDir("llama_gqa"), someIds(6)));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
  }

  void destroyingTheControllerMidRunStopsPromptly() {
    QElapsedTimer t;
    {
      auto c = std::make_unique<InferenceController>();
      c->workerForTesting()->setProgressDelayForTesting(20);
      QSignalSpy progress(c.get(), &InferenceController::progress);
      c->run(idsJob(modelDir("llama_gqa"), someIds(20), 60));
      QTRY_VERIFY_WITH_TIMEOUT(progress.count() >= 1, 60000);
      t.start();
    }
    qInfo("controller destroyed mid-run in %lld ms", t.elapsed());
    QVERIFY(t.elapsed() < 5000);
    // Queued signals of the gone controller's worker must not arrive anywhere.
    QTest::qWait(100);
  }
};

QTEST_GUILESS_MAIN(TestInferenceWorker)
#include "test_inference_worker.moc"
