// Dataset jobs on the inference thread, with the built-in demo model and its 48 examples: the
// job gives what runDataset gives when called directly, reports monotonic progress with an
// estimate of the time left, keeps the finished examples on disk when cancelled, resumes to the
// same results as an uninterrupted run, refuses to resume with other settings; example runs of
// the comparison window's two slots arrive in their slots without disturbing the explorer's run.
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>
#include <algorithm>
#include <cmath>

#include "dataset_job.h"
#include "dataset_results.h"
#include "dataset_run.h"
#include "demo.h"
#include "demo_resources.h"
#include "examples_file.h"
#include "inference_controller.h"
#include "model.h"
#include "request_builder.h"
#include "tolerance.h"

using namespace attnx;

namespace {

// Largest |a - b| over two grids; infinity when their shapes differ.
double gridDiff(const LayerHeadGrid& a, const LayerHeadGrid& b) {
  if (a.size() != b.size()) return INFINITY;
  double d = 0;
  for (std::size_t l = 0; l < a.size(); ++l) {
    if (a[l].size() != b[l].size()) return INFINITY;
    for (std::size_t h = 0; h < a[l].size(); ++h)
      d = std::max(d, std::abs(double(a[l][h]) - double(b[l][h])));
  }
  return d;
}

// Compares every example; returns the largest difference of the statistics (infinity when
// anything that is not a number differs) and says what differed in `why`.
double resultsDiff(const DatasetResults& a, const DatasetResults& b, QString* why) {
  auto fail = [&](const QString& w) {
    *why = w;
    return double(INFINITY);
  };
  if (a.total != b.total) return fail(QStringLiteral("total"));
  if (a.examples.size() != b.examples.size()) return fail(QStringLiteral("example count"));
  double d = 0;
  for (std::size_t i = 0; i < a.examples.size(); ++i) {
    const ExampleStats& x = a.examples[i];
    const ExampleStats& y = b.examples[i];
    const QString at = QStringLiteral(" of example %1").arg(i);
    if (x.index != y.index || x.id != y.id) return fail(QStringLiteral("index/id") + at);
    if (x.correct != y.correct || x.correctSource != y.correctSource)
      return fail(QStringLiteral("correct") + at);
    if (x.prediction != y.prediction || x.firstTokenId != y.firstTokenId ||
        x.firstTokenCorrect != y.firstTokenCorrect)
      return fail(QStringLiteral("prediction / first token") + at);
    if (x.queryPosition != y.queryPosition || x.seqLen != y.seqLen || x.layers != y.layers)
      return fail(QStringLiteral("positions") + at);
    if (x.collapse != y.collapse || x.anchorDominance != y.anchorDominance)
      return fail(QStringLiteral("diagnostics") + at);
    for (std::size_t k = 0; k < kSegmentKindCount; ++k)
      d = std::max(d, gridDiff(x.mass[k], y.mass[k]));
    d = std::max(d, gridDiff(x.entropy, y.entropy));
    d = std::max(d, std::abs(double(x.firstTokenProb) - double(y.firstTokenProb)));
  }
  return d;
}

// The job and the direct call run the same operations on the same shapes: on one machine they
// agree bit for bit. What a different thread split could still reorder is the summation of the
// T probabilities of a row (softmax, masses <= 1) and of the T terms p |log p| of an entropy
// (<= log T): bounded by float32 arithmetic on those magnitudes (tolerance.h).
double sameRunTolerance(int seqLen) {
  return tolerance::twoOrders(seqLen, std::max(1.0, std::log(double(seqLen))));
}

double attentionDiff(const RunResult& a, const RunResult& b) {
  if (a.attentions.size() != b.attentions.size()) return INFINITY;
  double d = 0;
  for (std::size_t l = 0; l < a.attentions.size(); ++l) {
    if (a.attentions[l].f32.size() != b.attentions[l].f32.size()) return INFINITY;
    for (std::size_t i = 0; i < a.attentions[l].f32.size(); ++i)
      d = std::max(d, std::abs(double(a.attentions[l].f32[i]) - double(b.attentions[l].f32[i])));
  }
  return d;
}

struct ProgressRecord {
  int done, total;
  double eta;
  QString text;
};

}  // namespace

class TestDatasetWorker : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  QString demoDir_;
  DatasetSettings settings_;
  std::unique_ptr<Model> model_;
  std::vector<Example> examples_;
  SoftTokenSet soft_;
  DatasetResults reference_;  // runDataset called directly

  int longest() const {
    int t = 1;
    for (const ExampleStats& e : reference_.examples) t = std::max(t, e.seqLen);
    return t;
  }

  ModelSpec spec() const { return {demoDir_, QStringLiteral("cpu"), QStringLiteral("float32")}; }

  DatasetJob job(const QString& name, bool resume = false) const {
    DatasetJob j;
    j.model = spec();
    j.settings = settings_;
    j.resultsFile = tmp_.filePath(name);
    j.resume = resume;
    return j;
  }

  // Runs `job` to its end; returns the results (null on failure or cancel) and the progress.
  std::shared_ptr<const DatasetResults> runToEnd(InferenceController& c, const DatasetJob& j,
                                                 std::vector<ProgressRecord>* progress = nullptr,
                                                 QString* failure = nullptr) {
    std::shared_ptr<const DatasetResults> results;
    QString failed;
    bool ended = false;
    QMetaObject::Connection a =
        connect(&c, &InferenceController::datasetFinished, this,
                [&](std::shared_ptr<const DatasetResults> r, const QString& file) {
                  if (file == j.resultsFile) results = std::move(r);
                  ended = true;
                });
    QMetaObject::Connection b = connect(&c, &InferenceController::datasetFailed, this,
                                        [&](const QString& message, const QString&) {
                                          failed = message;
                                          ended = true;
                                        });
    QMetaObject::Connection p = connect(&c, &InferenceController::datasetProgress, this,
                                        [&](int done, int total, double eta, const QString& text) {
                                          if (progress)
                                            progress->push_back({done, total, eta, text});
                                        });
    c.runDataset(j);
    [&] { QTRY_VERIFY_WITH_TIMEOUT(ended, 120000); }();
    disconnect(a);
    disconnect(b);
    disconnect(p);
    if (failure) *failure = failed;
    return results;
  }

 private slots:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    if (!initDemoResources() || !Demo::available())
      QSKIP("this build has no demo model (resources/demo/ was incomplete at configure time)");
    demoDir_ = Demo::extract(tmp_.filePath(QStringLiteral("cache")));
    settings_.examplesFile = (demoDir_ + QStringLiteral("/examples.jsonl")).toStdString();
    settings_.softTokenFile = (demoDir_ + QStringLiteral("/soft_tokens.safetensors")).toStdString();
    settings_.bosAfterSoft = true;  // the demo's layout: [soft][BOS][anchor]

    // The reference: the library called directly, on this thread.
    LoadOptions options;
    options.device = "cpu";
    model_ = Model::load(demoDir_.toStdString(), options);
    examples_ = readExamples(settings_.examplesFile);
    soft_ = SoftTokenSet::load(settings_.softTokenFile);
    DatasetSettings s = settings_;
    s.modelDir = demoDir_.toStdString();
    reference_.settings = normalizedSettings(s);
    reference_.total = int(examples_.size());
    runDataset(*model_, examples_, soft_, reference_);
    QCOMPARE(reference_.total, 48);
    QVERIFY(reference_.complete());
  }

  void texts() {
    QCOMPARE(datasetProgressText(37, 200, 40),
             QStringLiteral("37 / 200 examples, about 40 s left"));
    QCOMPARE(datasetProgressText(0, 200, -1), QStringLiteral("0 / 200 examples"));
    QCOMPARE(datasetProgressText(200, 200, 0), QStringLiteral("200 / 200 examples"));
    QCOMPARE(durationText(150), QStringLiteral("3 min"));
    QCOMPARE(durationText(0.2), QStringLiteral("1 s"));
    QCOMPARE(summaryPathFor("/x/stats.json"), std::string("/x/summary.csv"));
    QCOMPARE(summaryPathFor("/x/run.stats.json"), std::string("/x/run.summary.csv"));
    QCOMPARE(summaryPathFor("/x/run.json"), std::string("/x/run.summary.csv"));
  }

  void aJobFinishesLikeADirectRun() {
    InferenceController c;
    bool onGuiThread = false;
    connect(&c, &InferenceController::datasetFinished, this,
            [&] { onGuiThread = QThread::currentThread() == QCoreApplication::instance()->thread(); });
    std::vector<ProgressRecord> progress;
    QString failure;
    const DatasetJob j = job(QStringLiteral("full.stats.json"));
    const auto results = runToEnd(c, j, &progress, &failure);
    QVERIFY2(results, qPrintable(failure));
    QVERIFY(onGuiThread);
    QCOMPARE(results->total, 48);
    QCOMPARE(int(results->examples.size()), 48);
    QCOMPARE(results->model.layers, 4);
    QCOMPARE(results->settings.modelDir, reference_.settings.modelDir);
    QString why;
    const double diff = resultsDiff(*results, reference_, &why);
    qInfo("dataset job vs runDataset called directly: max |difference| = %.3g", diff);
    QVERIFY2(diff <= sameRunTolerance(longest()), qPrintable(why));

    // The file reopens to the same results, and the summary is beside it.
    const DatasetResults reread = readResultsJson(j.resultsFile.toStdString());
    const double fileDiff = resultsDiff(reread, *results, &why);
    qInfo("stats.json written by the job, reread: max |difference| = %.3g", fileDiff);
    // stats.json holds each float with the digits that read back exactly.
    QVERIFY2(fileDiff == 0, qPrintable(why));
    QVERIFY(QFileInfo::exists(tmp_.filePath(QStringLiteral("full.summary.csv"))));

    // Progress: done never decreases, ends at 48 / 48, estimates after the first example.
    QVERIFY(progress.size() >= 48);
    for (std::size_t i = 0; i < progress.size(); ++i) {
      QCOMPARE(progress[i].total, 48);
      if (i) QVERIFY(progress[i].done >= progress[i - 1].done);
      if (progress[i].done == 0) QCOMPARE(progress[i].eta, -1.0);
      if (progress[i].done > 0) QVERIFY(progress[i].eta >= 0.0);
    }
    QCOMPARE(progress.front().done, 0);
    QCOMPARE(progress.back().done, 48);
    QCOMPARE(progress.back().text, QStringLiteral("48 / 48 examples"));
    QVERIFY(progress[10].text.startsWith(QStringLiteral("10 / 48 examples, about ")));
  }

  void cancelKeepsTheFinishedExamplesAndResumeCompletesThem() {
    InferenceController c;
    c.workerForTesting()->setProgressDelayForTesting(30);
    std::vector<ProgressRecord> progress;
    connect(&c, &InferenceController::datasetProgress, this,
            [&](int done, int total, double eta, const QString& text) {
              progress.push_back({done, total, eta, text});
              if (done == 6) c.cancel();
            });
    QSignalSpy cancelled(&c, &InferenceController::datasetCancelled);
    QSignalSpy finished(&c, &InferenceController::datasetFinished);
    QSignalSpy failed(&c, &InferenceController::datasetFailed);
    const DatasetJob j = job(QStringLiteral("cancelled.stats.json"));
    c.runDataset(j);
    QTRY_VERIFY_WITH_TIMEOUT(cancelled.count() + finished.count() + failed.count() > 0, 120000);
    QCOMPARE(cancelled.count(), 1);
    const int done = cancelled[0][0].toInt();
    QCOMPARE(cancelled[0][1].toInt(), 48);
    QCOMPARE(cancelled[0][2].toString(), j.resultsFile);
    QVERIFY2(done >= 6 && done < 48, qPrintable(QString::number(done)));
    QTRY_VERIFY(!c.isBusy());

    // Every example took at least the 30 ms delay: the estimate is at least that per example left.
    for (const auto& p : progress)
      if (p.done > 0) QVERIFY2(p.eta >= 0.99 * 0.030 * (p.total - p.done), qPrintable(p.text));

    const DatasetResults partial = readResultsJson(j.resultsFile.toStdString());
    QCOMPARE(int(partial.examples.size()), done);
    QVERIFY(!partial.complete());
    QVERIFY(QFileInfo::exists(QString::fromStdString(summaryPathFor(j.resultsFile.toStdString()))));

    // Resumed, it starts where it stopped and ends with what an uninterrupted run gives.
    c.workerForTesting()->setProgressDelayForTesting(0);
    disconnect(&c, &InferenceController::datasetProgress, this, nullptr);
    std::vector<ProgressRecord> resumed;
    QString failure;
    const auto results =
        runToEnd(c, job(QStringLiteral("cancelled.stats.json"), true), &resumed, &failure);
    QVERIFY2(results, qPrintable(failure));
    QVERIFY(!resumed.empty());
    QCOMPARE(resumed.front().done, done);
    QString why;
    const double diff = resultsDiff(*results, reference_, &why);
    qInfo("cancelled at %d / 48, resumed, vs uninterrupted: max |difference| = %.3g", done, diff);
    QVERIFY2(diff <= sameRunTolerance(longest()), qPrintable(why));
    const DatasetResults reread = readResultsJson(j.resultsFile.toStdString());
    QVERIFY(reread.complete());
  }

  void resumeFromAPartialFile() {
    // A results file cut after 10 examples, as a crash would leave it.
    DatasetResults partial = reference_;
    partial.examples.resize(10);
    const DatasetJob j = job(QStringLiteral("partial.stats.json"), true);
    writeResultsJson(j.resultsFile.toStdString(), partial);

    InferenceController c;
    std::vector<ProgressRecord> progress;
    QString failure;
    const auto results = runToEnd(c, j, &progress, &failure);
    QVERIFY2(results, qPrintable(failure));
    QCOMPARE(progress.front().done, 10);
    QString why;
    const double diff = resultsDiff(*results, reference_, &why);
    qInfo("resumed from 10 / 48 vs uninterrupted: max |difference| = %.3g", diff);
    QVERIFY2(diff <= sameRunTolerance(longest()), qPrintable(why));

    // Without resume the file is replaced by a fresh run from the first example.
    writeResultsJson(j.resultsFile.toStdString(), partial);
    progress.clear();
    QVERIFY(runToEnd(c, job(QStringLiteral("partial.stats.json"), false), &progress));
    QCOMPARE(progress.front().done, 0);
  }

  void resumeWithOtherSettingsFails() {
    DatasetResults partial = reference_;
    partial.examples.resize(10);
    DatasetJob j = job(QStringLiteral("other.stats.json"), true);
    writeResultsJson(j.resultsFile.toStdString(), partial);
    j.settings.correctness = "f1";

    InferenceController c;
    QString failure;
    QVERIFY(!runToEnd(c, j, nullptr, &failure));
    QVERIFY2(failure.contains(QStringLiteral("other settings")), qPrintable(failure));
    QVERIFY2(failure.contains(QStringLiteral("correctness")), qPrintable(failure));
    QVERIFY2(failure.contains(j.resultsFile), qPrintable(failure));
    // The unfinished file is left as it was.
    QCOMPARE(int(readResultsJson(j.resultsFile.toStdString()).examples.size()), 10);
  }

  void badInputFailsWithAMessage() {
    InferenceController c;
    DatasetJob j = job(QStringLiteral("bad.stats.json"));
    const QString broken = tmp_.filePath(QStringLiteral("broken.jsonl"));
    QFile f(broken);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"id\": \"a\", \"prompt\": \"x\", \"correct\": true}\n{\"id\": \n");
    f.close();
    j.settings.examplesFile = broken.toStdString();
    QString failure;
    QVERIFY(!runToEnd(c, j, nullptr, &failure));
    QVERIFY2(failure.contains(QStringLiteral("broken.jsonl")), qPrintable(failure));
    QVERIFY(!QFileInfo::exists(j.resultsFile));

    j = job(QStringLiteral("bad.stats.json"));
    j.resultsFile.clear();
    QVERIFY(!runToEnd(c, j, nullptr, &failure));
    QVERIFY(!failure.isEmpty());
  }

  void exampleRunsArriveInTheirSlotsBesideTheMainRun() {
    InferenceController c;
    // Slow enough that the queue fills while the first run is under way.
    c.workerForTesting()->setProgressDelayForTesting(40);
    std::vector<std::shared_ptr<const RunResult>> mainResults;
    std::map<int, std::vector<std::shared_ptr<const RunResult>>> slotResults;
    QStringList slotFailed;
    connect(&c, &InferenceController::finished, this,
            [&](std::shared_ptr<const RunResult> r) { mainResults.push_back(std::move(r)); });
    QSignalSpy failed(&c, &InferenceController::failed);
    // Tagged runs answer through their callbacks, one tag per pane.
    auto slotRun = [&](int index, int slot) {
      c.run(InferenceController::exampleJob(settings_, index, spec()),
            QStringLiteral("pane %1").arg(slot), this, [&, slot](const RunOutcome& o) {
              if (o.result)
                slotResults[slot].push_back(o.result);
              else
                slotFailed << o.error;
            });
    };

    auto mainJob = [&](const QString& prompt) {
      RequestFields f;
      f.prompt = prompt;
      RunJob j;
      j.model = spec();
      j.request = buildRunRequest(f);
      return j;
    };
    c.run(mainJob(QStringLiteral("red fox blue owl")));
    QTRY_VERIFY_WITH_TIMEOUT(c.isRunning(), 60000);
    slotRun(3, 1);
    slotRun(5, 2);
    slotRun(4, 1);                               // replaces example 3
    c.run(mainJob(QStringLiteral("gold key")));  // replaced by the next one
    c.run(mainJob(QStringLiteral("tree lamp moon ship then red")));
    QTRY_VERIFY_WITH_TIMEOUT(!c.isBusy(), 120000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed[0][0].toString()));
    QVERIFY2(slotFailed.isEmpty(), qPrintable(slotFailed.join(QLatin1Char('|'))));

    // The explorer got its first run and its newest one, nothing of the examples.
    QCOMPARE(int(mainResults.size()), 2);
    QVERIFY(mainResults[0]->seqLen < mainResults[1]->seqLen);
    // Each slot got its newest example, with the example's soft tokens.
    QCOMPARE(int(slotResults.size()), 2);
    QCOMPARE(int(slotResults[1].size()), 1);
    QCOMPARE(int(slotResults[2].size()), 1);
    for (auto [slot, index] : {std::pair{1, 4}, std::pair{2, 5}}) {
      const RunResult& got = *slotResults[slot].front();
      QCOMPARE(got.seqLen, reference_.examples[index].seqLen);
      QCOMPARE(got.layout.at(0).front().kind, SegmentKind::Soft);
      QCOMPARE(int(got.attentions.size()), 4);
      QCOMPARE(got.attentions[0].queries, got.seqLen);  // full attention
      RunRequest request;
      request.parts = exampleParts(examples_[index], index, reference_.settings, soft_);
      const RunResult want = model_->run(request);
      const double diff = attentionDiff(got, want);
      qInfo("example %d in slot %d vs a direct run: max |attention difference| = %.3g", index, slot,
            diff);
      QVERIFY(diff <= sameRunTolerance(got.seqLen));
    }
  }

  void aMissingExampleFailsInItsSlot() {
    InferenceController c;
    QSignalSpy failed(&c, &InferenceController::failed);
    QStringList slotFailed;
    c.run(InferenceController::exampleJob(settings_, 48, spec()), QStringLiteral("pane 2"), this,
          [&](const RunOutcome& o) { slotFailed << o.error; });
    QTRY_VERIFY_WITH_TIMEOUT(!c.isBusy(), 60000);
    QCOMPARE(slotFailed.count(), 1);
    QVERIFY2(slotFailed[0].contains(QStringLiteral("no example 49")), qPrintable(slotFailed[0]));
    QVERIFY(failed.isEmpty());
  }
};

QTEST_MAIN(TestDatasetWorker)
#include "test_dataset_worker.moc"
