// The comparison window's document: groups from filters (correct, incorrect, first token, id
// lists) or two runs, their names and members, the group statistics (checked by hand on a small
// made-up set, and on the demo's 48 examples against the numbers its trainer published in
// resources/demo/README.md), the shared selection and the viewers' notifications.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "dataset_document.h"
#include "dataset_job.h"
#include "dataset_run.h"
#include "demo.h"
#include "demo_resources.h"
#include "examples_file.h"
#include "model.h"

using namespace attnx;

namespace {

// An example with two layers of two heads; `soft` holds the soft-token mass [layer][head].
ExampleStats example(int index, const char* id, bool correct, std::optional<bool> firstToken,
                     LayerHeadGrid soft) {
  ExampleStats e;
  e.index = index;
  e.id = id;
  e.correct = correct;
  e.correctSource = "given";
  e.firstTokenCorrect = firstToken;
  e.layers = {0, 1};
  for (auto& grid : e.mass) grid = LayerHeadGrid(2, std::vector<float>(2, 0.0f));
  e.mass[kindIndex(SegmentKind::Soft)] = std::move(soft);
  e.entropy = LayerHeadGrid(2, std::vector<float>(2, 1.0f));
  return e;
}

std::shared_ptr<const DatasetResults> madeUpRun() {
  auto r = std::make_shared<DatasetResults>();
  r->model.layers = 2;
  r->model.heads = 2;
  r->examples = {
      example(0, "a", true, true, {{0.2f, 0.4f}, {0.1f, 0.1f}}),          // layer means 0.3, 0.1
      example(1, "b", false, false, {{0.6f, 0.6f}, {0.5f, 0.3f}}),        // 0.6, 0.4
      example(2, "c", true, std::nullopt, {{0.5f, 0.3f}, {0.2f, 0.4f}}),  // 0.4, 0.3
      example(3, "d", false, true, {{0.0f, 0.2f}, {0.0f, 0.0f}}),         // 0.1, 0.0
      example(4, "e", true, false, {{0.9f, 0.7f}, {0.6f, 0.6f}}),         // 0.8, 0.6
  };
  r->total = 5;
  return r;
}

std::shared_ptr<const DatasetResults> secondRun() {
  auto r = std::make_shared<DatasetResults>(*madeUpRun());
  r->examples.pop_back();
  r->total = 4;
  return r;
}

// Counts the document's notifications, as a view following it does.
struct CountingViewer {
  int dataset = 0, selection = 0;
  QMetaObject::Connection a, b;
  void follow(DatasetDocument& doc) {
    if (a) return;  // once only
    a = QObject::connect(&doc, &DatasetDocument::datasetChanged, [this] { ++dataset; });
    b = QObject::connect(&doc, &DatasetDocument::selectionChanged, [this] { ++selection; });
  }
  void leave() {
    QObject::disconnect(a);
    QObject::disconnect(b);
  }
};

float softLayerMean(const GroupStats& g, int layer) {
  return g.byLayer[kindIndex(SegmentKind::Soft)].at(layer).mean;
}

}  // namespace

class TestDatasetDocument : public QObject {
  Q_OBJECT

 private slots:
  void defaultGroupsAreCorrectVersusIncorrect() {
    DatasetDocument doc;
    QCOMPARE(doc.runCount(), 0);
    QVERIFY(!doc.results());
    QCOMPARE(doc.groupName(0), QStringLiteral("correct (n = 0)"));
    QCOMPARE(doc.group(0).n(), 0);

    CountingViewer viewer;
    viewer.follow(doc);
    viewer.follow(doc);  // once only
    QSignalSpy changed(&doc, &DatasetDocument::datasetChanged);
    doc.setResults(0, madeUpRun(), QStringLiteral("/x/stats.json"));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(viewer.dataset, 1);
    QCOMPARE(doc.runCount(), 1);
    QCOMPARE(doc.resultsFile(0), QStringLiteral("/x/stats.json"));

    QCOMPARE(doc.groupSpec(0).source, GroupSpec::Source::Correct);
    QCOMPARE(doc.groupSpec(1).source, GroupSpec::Source::Incorrect);
    QCOMPARE(doc.members(0), (std::vector<int>{0, 2, 4}));
    QCOMPARE(doc.members(1), (std::vector<int>{1, 3}));
    QCOMPARE(doc.groupName(0), QStringLiteral("correct (n = 3)"));
    QCOMPARE(doc.groupName(1), QStringLiteral("incorrect (n = 2)"));
    QCOMPARE(QString::fromStdString(doc.group(1).name), doc.groupName(1));

    // The per-layer means, worked out by hand in madeUpRun(): means of 2 or 3 float constants
    // <= 1, in double, stored as float32 (half an ulp, 6e-8), against decimal constants (as much
    // again); 1e-6 bounds that on any machine and misses no wrong term.
    const double eps = 1e-6;
    QVERIFY(std::abs(softLayerMean(doc.group(0), 0) - (0.3 + 0.4 + 0.8) / 3) < eps);
    QVERIFY(std::abs(softLayerMean(doc.group(0), 1) - (0.1 + 0.3 + 0.6) / 3) < eps);
    QVERIFY(std::abs(softLayerMean(doc.group(1), 0) - (0.6 + 0.1) / 2) < eps);
    QVERIFY(std::abs(softLayerMean(doc.group(1), 1) - (0.4 + 0.0) / 2) < eps);
    QCOMPARE(doc.group(0).accuracy.value(), 1.0);
    QCOMPARE(doc.group(1).accuracy.value(), 0.0);
    viewer.leave();
    doc.setResults(0, madeUpRun());
    QCOMPARE(viewer.dataset, 1);
  }

  void otherFilters() {
    DatasetDocument doc;
    doc.setResults(0, madeUpRun());
    GroupSpec a, b;
    a.source = GroupSpec::Source::FirstTokenCorrect;
    b.source = GroupSpec::Source::FirstTokenIncorrect;
    doc.setGroups(a, b);
    // Example c has no first-token verdict and is on neither side.
    QCOMPARE(doc.members(0), (std::vector<int>{0, 3}));
    QCOMPARE(doc.members(1), (std::vector<int>{1, 4}));
    QCOMPARE(doc.groupName(0), QStringLiteral("first token correct (n = 2)"));
    QCOMPARE(doc.group(0).firstTokenAccuracy.value(), 1.0);

    a.source = GroupSpec::Source::IdList;
    a.ids = {QStringLiteral("e"), QStringLiteral("a"), QStringLiteral("zz")};
    b.source = GroupSpec::Source::All;
    doc.setGroups(a, b);
    QCOMPARE(doc.members(0), (std::vector<int>{0, 4}));  // in file order; unknown ids ignored
    QCOMPARE(doc.members(1), (std::vector<int>{0, 1, 2, 3, 4}));
    QCOMPARE(doc.groupName(0), QStringLiteral("chosen examples (n = 2)"));
    QCOMPARE(doc.groupName(1), QStringLiteral("all (n = 5)"));
    QCOMPARE(doc.groupSpec(0), a);

    // A group of run 1 while no second run is loaded is empty, not a crash.
    b.run = 1;
    doc.setGroups(a, b);
    QCOMPARE(doc.group(1).n(), 0);
    QVERIFY(doc.members(1).empty());
  }

  void aSecondRunComparesRunAgainstRun() {
    DatasetDocument doc;
    doc.setResults(0, madeUpRun());
    doc.setShownExample(0, {0, 2});
    doc.setResults(1, secondRun(), QStringLiteral("/y/stats.json"));
    QCOMPARE(doc.runCount(), 2);
    QCOMPARE(doc.groupSpec(0).source, GroupSpec::Source::All);
    QCOMPARE(doc.groupSpec(0).run, 0);
    QCOMPARE(doc.groupSpec(1).source, GroupSpec::Source::All);
    QCOMPARE(doc.groupSpec(1).run, 1);
    QCOMPARE(doc.groupName(0), QStringLiteral("all, run 1 (n = 5)"));
    QCOMPARE(doc.groupName(1), QStringLiteral("all, run 2 (n = 4)"));
    QCOMPARE(doc.sharedResults(1)->total, 4);
    QCOMPARE(doc.resultsFile(1), QStringLiteral("/y/stats.json"));
    // The example of run 0 stays shown; one of run 1 can be shown beside it.
    QCOMPARE(doc.shownExample(0), (DatasetDocument::ExampleRef{0, 2}));
    doc.setShownExample(1, {1, 3});
    QCOMPARE(doc.shownExample(1), (DatasetDocument::ExampleRef{1, 3}));

    // Correct of run 2 vs correct of run 1.
    GroupSpec a, b;
    a.source = b.source = GroupSpec::Source::Correct;
    b.run = 1;
    doc.setGroups(a, b);
    QCOMPARE(doc.groupName(0), QStringLiteral("correct, run 1 (n = 3)"));
    QCOMPARE(doc.groupName(1), QStringLiteral("correct, run 2 (n = 2)"));

    // Removing the second run goes back to correct vs incorrect.
    doc.setResults(1, nullptr);
    QCOMPARE(doc.runCount(), 1);
    QCOMPARE(doc.groupName(1), QStringLiteral("incorrect (n = 2)"));
    QCOMPARE(doc.shownExample(1).index, -1);
    QCOMPARE(doc.shownExample(0), (DatasetDocument::ExampleRef{0, 2}));

    // A new first run drops the second one and the shown examples.
    doc.setResults(1, secondRun());
    doc.setResults(0, madeUpRun());
    QCOMPARE(doc.runCount(), 1);
    QVERIFY(!doc.results(1));
    QCOMPARE(doc.shownExample(0).index, -1);
  }

  void selection() {
    DatasetDocument doc;
    doc.setResults(0, madeUpRun());
    CountingViewer viewer;
    viewer.follow(doc);
    QSignalSpy selection(&doc, &DatasetDocument::selectionChanged);
    QSignalSpy shown(&doc, &DatasetDocument::shownExampleChanged);

    QCOMPARE(doc.kind(), SegmentKind::Soft);
    doc.setKind(SegmentKind::Soft);  // unchanged: no notification
    QCOMPARE(selection.count(), 0);
    doc.setKind(SegmentKind::Anchor);
    QCOMPARE(doc.kind(), SegmentKind::Anchor);
    QCOMPARE(selection.count(), 1);
    QCOMPARE(viewer.selection, 1);

    doc.setLayer(1);
    QCOMPARE(doc.layer(), 1);
    doc.setLayer(7);  // the model has 2 layers
    QCOMPARE(doc.layer(), -1);
    QCOMPARE(selection.count(), 3);

    doc.setShownExample(1, {0, 4});
    QCOMPARE(shown.count(), 1);
    QCOMPARE(shown[0][0].toInt(), 1);
    QCOMPARE(doc.shownExample(1), (DatasetDocument::ExampleRef{0, 4}));
    doc.setShownExample(0, {0, 5});  // no such example
    doc.setShownExample(0, {1, 0});  // no second run
    QCOMPARE(doc.shownExample(0).index, -1);
    QCOMPARE(shown.count(), 1);
    QCOMPARE(viewer.dataset, 0);
  }

  void examplesOfOtherShapesDoNotCrash() {
    auto r = std::make_shared<DatasetResults>(*madeUpRun());
    r->examples[2].layers = {0};
    r->examples[2].entropy.pop_back();
    for (auto& g : r->examples[2].mass) g.pop_back();
    DatasetDocument doc;
    doc.setResults(0, r);
    // The group keeps its members but has no statistics; the other group is intact.
    QCOMPARE(doc.members(0), (std::vector<int>{0, 2, 4}));
    QCOMPARE(doc.group(0).n(), 3);
    QVERIFY(doc.group(0).byLayer[kindIndex(SegmentKind::Soft)].empty());
    QCOMPARE(doc.group(1).byLayer[kindIndex(SegmentKind::Soft)].size(), std::size_t(2));
  }

  void theDemoMatchesItsPublishedGroupMeans() {
    if (!initDemoResources() || !Demo::available())
      QSKIP("this build has no demo model (resources/demo/ was incomplete at configure time)");
    QTemporaryDir cache;
    QVERIFY(cache.isValid());
    const QString dir = Demo::extract(cache.path());
    DatasetSettings s;
    s.modelDir = dir.toStdString();
    s.examplesFile = (dir + QStringLiteral("/examples.jsonl")).toStdString();
    s.softTokenFile = (dir + QStringLiteral("/soft_tokens.safetensors")).toStdString();
    s.bosAfterSoft = true;
    auto results = std::make_shared<DatasetResults>();
    results->settings = normalizedSettings(s);
    const auto examples = readExamples(s.examplesFile);
    results->total = int(examples.size());
    LoadOptions options;
    options.device = "cpu";
    const auto model = Model::load(s.modelDir, options);
    runDataset(*model, examples, SoftTokenSet::load(s.softTokenFile), *results);

    DatasetDocument doc;
    doc.setResults(0, results);
    QCOMPARE(doc.groupName(0), QStringLiteral("correct (n = 33)"));
    QCOMPARE(doc.groupName(1), QStringLiteral("incorrect (n = 15)"));
    // resources/demo/README.md: attention from the last position to the soft tokens (mean of
    // heads) per layer, correct vs incorrect, printed with three decimals.
    const double correct[] = {0.567, 0.432, 0.354, 0.359};
    const double incorrect[] = {0.565, 0.401, 0.365, 0.360};
    double maxDiff = 0;
    for (int l = 0; l < 4; ++l) {
      maxDiff = std::max(maxDiff, std::abs(softLayerMean(doc.group(0), l) - correct[l]));
      maxDiff = std::max(maxDiff, std::abs(softLayerMean(doc.group(1), l) - incorrect[l]));
    }
    qInfo("demo group means vs resources/demo/README.md: max |difference| = %.4g", maxDiff);
    // The table's rounding to 3 decimals, and what two float32 implementations of the forward
    // pass (the trainer's and ours) may differ by in an attention weight: the fixtures'
    // suggested attention tolerance, 1e-5.
    QVERIFY(maxDiff <= 0.0005 + 1e-5);
  }
};

QTEST_MAIN(TestDatasetDocument)
#include "test_dataset_document.moc"
