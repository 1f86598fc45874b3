// The explorer window's Dataset menu on the offscreen platform: analyze the demo dataset, its
// progress in the status bar, the comparison window with correct vs incorrect, the two example
// panes answered through the inference thread without touching the explorer's result, opening an
// example in the explorer, a second run to compare with, a session of the comparison saved and
// reopened, a broken results file, cancelling a run, and the dialog remembering its choices.
#include <QAction>
#include <QDialogButtonBox>
#include <QTimer>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QPushButton>
#include <QtTest>

#include "comparison_window.h"
#include "dataset_document.h"
#include "dataset_results.h"
#include "dataset_run_dialog.h"
#include "demo.h"
#include "demo_dataset_job.h"
#include "demo_resources.h"
#include "inference_controller.h"
#include "inference_worker.h"
#include "input_panel.h"
#include "main_window.h"
#include "qt_support.h"
#include "run_document.h"
#include "settings.h"

using namespace attnx;
using attnx::qt_support::showActive;

class TestDatasetWindow : public QObject {
  Q_OBJECT
  QTemporaryDir settingsDir_;
  std::unique_ptr<MainWindow> w_;

  QAction* action(const char* name) const { return w_->findChild<QAction*>(QLatin1String(name)); }

  // Runs the demo dataset to its end; false (with the banner printed) when it did not finish.
  bool analyzeDemo() {
    QSignalSpy finished(w_.get(), &MainWindow::datasetFinished);
    action("analyzeDemoDatasetAction")->trigger();
    if (!QTest::qWaitFor([&] { return finished.count() > 0 || w_->isBannerVisible(); }, 120000))
      qWarning() << "the dataset run did not end in time";
    if (finished.isEmpty()) qWarning() << "banner:" << w_->bannerText();
    return !finished.isEmpty();
  }

 private slots:
  void initTestCase() {
    QVERIFY(settingsDir_.isValid());
    qt_support::isolateSettings(settingsDir_.path(), QStringLiteral("test_dataset_window"));
    QSettings().clear();
    if (!initDemoResources() || !Demo::available())
      QSKIP("this build has no demo model (resources/demo/ was incomplete at configure time)");
  }

  void init() {
    w_ = std::make_unique<MainWindow>();
    w_->resize(1400, 900);
    QVERIFY(showActive(w_.get()));
  }
  void cleanup() { w_.reset(); }

  void analyzeTheDemoDatasetOpensTheComparison() {
    QVERIFY(action("analyzeDatasetAction"));
    QCOMPARE(action("analyzeDatasetAction")->shortcut(),
             QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    QVERIFY(!action("compareSecondRunAction")->isEnabled());

    QStringList progress;
    connect(w_->datasetController(), &InferenceController::datasetProgress, this,
            [&](int, int, double, const QString& text) {
              const auto* label = w_->findChild<QLabel*>(QStringLiteral("datasetProgressLabel"));
              if (label && label->isVisible()) progress << label->text();
            });
    QVERIFY(analyzeDemo());
    QTRY_VERIFY_WITH_TIMEOUT(w_->comparisonWindow() && w_->comparisonWindow()->isVisible(), 10000);
    QVERIFY(!progress.isEmpty());
    QVERIFY2(progress.contains(QStringLiteral("48 / 48 examples")), qPrintable(progress.join('|')));
    QVERIFY(!w_->findChild<QLabel*>(QStringLiteral("datasetProgressLabel"))->isVisible());

    DatasetDocument* doc = w_->datasetDocument();
    QCOMPARE(w_->comparisonWindow()->document(), doc);
    QCOMPARE(doc->runCount(), 1);
    QCOMPARE(doc->results()->total, 48);
    QCOMPARE(doc->groupName(0), QStringLiteral("correct (n = 33)"));
    QCOMPARE(doc->groupName(1), QStringLiteral("incorrect (n = 15)"));
    QVERIFY(QFile::exists(doc->resultsFile(0)));
    QVERIFY(action("compareSecondRunAction")->isEnabled());

    // Two examples side by side: each pane gets its own example's full attention, and the
    // explorer's document is left alone.
    QSignalSpy mainFinished(w_.get(), &MainWindow::runFinished);
    doc->setShownExample(0, {0, 3});
    doc->setShownExample(1, {0, 5});
    ComparisonWindow* cw = w_->comparisonWindow();
    auto shows = [&](int slot, int index) {
      const RunResult* r = cw->exampleDocument(slot)->result();
      const ExampleStats& e = doc->results()->examples[index];
      return r && r->seqLen == e.seqLen && !r->attentions.empty() &&
             r->attentions[0].queries == r->seqLen &&
             r->layout.at(0).front().kind == SegmentKind::Soft;
    };
    QTRY_VERIFY_WITH_TIMEOUT(shows(0, 3) && shows(1, 5) && !cw->inferenceClient()->isBusy(), 60000);
    QVERIFY(!w_->document()->result());
    QCOMPARE(mainFinished.count(), 0);
    QVERIFY(!w_->isBannerVisible());

    // The left example, opened in the explorer.
    QVERIFY(action("openExampleInExplorerAction")->isEnabled());
    action("openExampleInExplorerAction")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(mainFinished.count() == 1, 60000);
    QCOMPARE(w_->document()->result()->seqLen, doc->results()->examples[3].seqLen);

    // The same results again as a second run: run against run.
    QSignalSpy opened(w_.get(), &MainWindow::datasetResultsOpened);
    w_->openDatasetResults(doc->resultsFile(0), 1);
    QTRY_VERIFY_WITH_TIMEOUT(opened.count() == 1, 30000);
    QCOMPARE(opened[0][0].toInt(), 1);
    QCOMPARE(doc->runCount(), 2);
    QCOMPARE(doc->groupName(0), QStringLiteral("all, run 1 (n = 48)"));
    QCOMPARE(doc->groupName(1), QStringLiteral("all, run 2 (n = 48)"));
  }

  void aDatasetRunAndTheComparisonNeverTouchTheExplorer() {
    // The explorer on a fixture checkpoint.
    const QByteArray env = qgetenv("ATTNX_SHARED_DIR");
    const QString shared =
        env.isEmpty() ? QStringLiteral(ATTNX_SHARED_DIR_DEFAULT) : QString::fromLocal8Bit(env);
    const QString gqa = shared + QStringLiteral("/fixtures/models/llama_gqa");
    QSignalSpy explorerLoaded(w_->controller(), &InferenceController::modelLoaded);
    w_->openModelDirectory(gqa);
    QTRY_VERIFY_WITH_TIMEOUT(explorerLoaded.count() == 1, 60000);
    const QString title = w_->windowTitle();
    QVERIFY2(title.contains(QStringLiteral("llama_gqa")), qPrintable(title));
    const QStringList recent = Settings::recentModels();
    QAction* cancel = action("cancelAction");
    QVERIFY(cancel && !cancel->isEnabled());

    // A dataset run (of another checkpoint, the demo): the explorer stays idle.
    QSignalSpy explorerBusy(w_->controller(), &InferenceController::busyChanged);
    w_->datasetController()->workerForTesting()->setProgressDelayForTesting(60);
    QSignalSpy datasetFinished(w_.get(), &MainWindow::datasetFinished);
    QVERIFY(w_->analyzeDemoDataset());
    QTRY_VERIFY_WITH_TIMEOUT(w_->datasetController()->isRunning(), 60000);
    QVERIFY(!w_->controller()->isBusy());
    QVERIFY(!cancel->isEnabled());
    QVERIFY(!w_->inputPanel()->cancelButton()->isEnabled());
    QVERIFY(explorerBusy.isEmpty());
    QCOMPARE(w_->windowTitle(), title);
    QCOMPARE(Settings::recentModels(), recent);

    // An explorer run beside it, cancelled: the dataset run goes on.
    w_->inputPanel()->setSoftTokenFile(QString());
    w_->inputPanel()->setAnchor(QString());
    w_->inputPanel()->setPrompt(QStringLiteral("ids: 5, 17, 42, 99, 7, 250, 3, 11"));
    w_->inputPanel()->setGenerate(30);
    QSignalSpy cancelled(w_.get(), &MainWindow::runCancelled);
    QVERIFY(w_->startRun());
    QVERIFY(w_->controller()->isBusy() && cancel->isEnabled());
    w_->cancelRun();
    QTRY_VERIFY_WITH_TIMEOUT(cancelled.count() == 1, 60000);
    QVERIFY(w_->datasetController()->isBusy());
    w_->datasetController()->workerForTesting()->setProgressDelayForTesting(0);
    QTRY_VERIFY_WITH_TIMEOUT(datasetFinished.count() == 1, 120000);

    // The comparison's examples run on the demo checkpoint, as a client of their own.
    ComparisonWindow* cw = w_->comparisonWindow();
    QVERIFY(cw && cw->inferenceClient());
    w_->datasetDocument()->setShownExample(0, {0, 2});
    QTRY_VERIFY_WITH_TIMEOUT(cw->exampleDocument(0)->result() && !cw->inferenceClient()->isBusy(),
                             60000);
    QVERIFY(!w_->controller()->isBusy());
    QCOMPARE(w_->windowTitle(), title);
    QCOMPARE(Settings::recentModels(), recent);
    QCOMPARE(w_->controller()->modelInfo()->dir, gqa.toStdString());
  }

  void aComparisonSessionReopensTheComparison() {
    // The demo dataset run into a folder of this test's own.
    QTemporaryDir dir;
    const DatasetJob job =
        test_support::demoDatasetJob(dir.filePath(QStringLiteral("demo.stats.json")));
    QSignalSpy finished(w_.get(), &MainWindow::datasetFinished);
    QVERIFY(w_->startDatasetRun(job));
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1 || w_->isBannerVisible(), 120000);
    QVERIFY2(finished.count() == 1, qPrintable(w_->bannerText()));
    QTRY_VERIFY_WITH_TIMEOUT(w_->comparisonWindow(), 10000);

    // Groups other than the defaults, another kind, a layer and a head, two examples, the
    // Examples tab.
    DatasetDocument* doc = w_->datasetDocument();
    ComparisonWindow* cw = w_->comparisonWindow();
    GroupSpec a, b;
    a.source = GroupSpec::Source::FirstTokenCorrect;
    b.source = GroupSpec::Source::IdList;
    for (int i : {1, 2, 4}) b.ids << QString::fromStdString(doc->results()->examples[i].id);
    doc->setGroups(a, b);
    doc->setKind(SegmentKind::Anchor);
    doc->setLayer(1);
    cw->setExampleHead(HeadChoice::one(1));
    doc->setShownExample(0, {0, 3});
    doc->setShownExample(1, {0, 7});
    cw->showExamplesTab();
    const auto shows = [](ComparisonWindow* c, const ExampleStats& left,
                          const ExampleStats& right) {
      const RunDocument* l = c->exampleDocument(0);
      const RunDocument* r = c->exampleDocument(1);
      return l->result() && r->result() && l->result()->seqLen == left.seqLen &&
             r->result()->seqLen == right.seqLen && !c->inferenceClient()->isBusy();
    };
    const ExampleStats& left = doc->results()->examples[3];
    const ExampleStats& right = doc->results()->examples[7];
    QTRY_VERIFY_WITH_TIMEOUT(shows(cw, left, right), 60000);
    QCOMPARE(cw->exampleDocument(0)->selection().head, HeadChoice::one(1));
    QCOMPARE(cw->exampleDocument(1)->selection().layer, 1);

    // The explorer shows no run: the session holds the comparison alone.
    QVERIFY(!w_->document()->result());
    QVERIFY(cw->findChild<QAction*>(QStringLiteral("saveSessionAction")));
    QVERIFY(w_->findChild<QAction*>(QStringLiteral("saveSessionAction"))->isEnabled());
    const QString session = dir.filePath(QStringLiteral("compare.attnx"));
    QSignalSpy saved(w_.get(), &MainWindow::sessionSaved);
    QVERIFY(w_->saveSession(session));
    QTRY_VERIFY_WITH_TIMEOUT(saved.count() == 1 || w_->isBannerVisible(), 30000);
    QVERIFY2(saved.count() == 1, qPrintable(w_->bannerText()));
    QFile json(session);
    QVERIFY(json.open(QIODevice::ReadOnly));
    const QByteArray text = json.readAll();
    const QJsonObject top = QJsonDocument::fromJson(text).object();
    QVERIFY2(!top.contains(QStringLiteral("run")) && text.contains("\"file\": \"demo.stats.json\""),
             text.constData());

    // Reopened in another window, from the recent files' way in (Open run… takes sessions).
    MainWindow reopened;
    reopened.resize(1400, 900);
    QVERIFY(showActive(&reopened));
    QSignalSpy opened(&reopened, &MainWindow::sessionOpened);
    reopened.openRunFile(session);
    QTRY_VERIFY_WITH_TIMEOUT(opened.count() == 1 || reopened.isBannerVisible(), 30000);
    QVERIFY2(opened.count() == 1, qPrintable(reopened.bannerText()));
    DatasetDocument* again = reopened.datasetDocument();
    QCOMPARE(again->runCount(), 1);
    QCOMPARE(again->resultsFile(0), job.resultsFile);
    QCOMPARE(again->results()->examples.size(), doc->results()->examples.size());
    QCOMPARE(again->groupSpec(0), a);
    QCOMPARE(again->groupSpec(1), b);
    QCOMPARE(again->groupName(1), QStringLiteral("chosen examples (n = 3)"));
    QCOMPARE(again->members(0), doc->members(0));
    QCOMPARE(int(again->kind()), int(SegmentKind::Anchor));
    QCOMPARE(again->layer(), 1);
    QCOMPARE(again->shownExample(0), (DatasetDocument::ExampleRef{0, 3}));
    QCOMPARE(again->shownExample(1), (DatasetDocument::ExampleRef{0, 7}));
    ComparisonWindow* cw2 = reopened.comparisonWindow();
    QVERIFY(cw2 && cw2->isVisible());
    QVERIFY(cw2->examplesTabShown());
    QCOMPARE(cw2->exampleHead(), HeadChoice::one(1));
    QTRY_VERIFY_WITH_TIMEOUT(shows(cw2, left, right), 60000);
    QCOMPARE(cw2->exampleDocument(0)->selection().head, HeadChoice::one(1));
    QCOMPARE(cw2->exampleDocument(0)->selection().layer, 1);
    QVERIFY(!reopened.document()->result());
    // Each chooser names its example, whether its group holds it or not.
    for (int slot = 0; slot < 2; ++slot) {
      auto* chooser = cw2->findChild<QComboBox*>(slot == 0 ? QStringLiteral("exampleLeft")
                                                           : QStringLiteral("exampleRight"));
      QVERIFY(chooser);
      QCOMPARE(chooser->currentData().toPoint(), QPoint(0, slot == 0 ? 3 : 7));
    }
    QTest::qWait(300);  // the views' throttled redraw
    QDir().mkpath(QStringLiteral("/tmp/attnx-shots"));
    QVERIFY(cw2->grab().save(QStringLiteral("/tmp/attnx-shots/comparison_session.png")));

    // A dataset run started before the session was opened again, and finishing after it,
    // leaves the session's comparison shown.
    QSignalSpy runFinished(&reopened, &MainWindow::datasetFinished);
    reopened.datasetController()->workerForTesting()->setProgressDelayForTesting(100);
    QVERIFY(reopened.startDatasetRun(
        test_support::demoDatasetJob(dir.filePath(QStringLiteral("later.stats.json")))));
    reopened.openSession(session);
    QTRY_VERIFY_WITH_TIMEOUT(opened.count() == 2 || reopened.isBannerVisible(), 30000);
    QVERIFY2(opened.count() == 2, qPrintable(reopened.bannerText()));
    QCOMPARE(runFinished.count(), 0);  // 48 examples at 100 ms each are still running
    QTRY_COMPARE_WITH_TIMEOUT(runFinished.count(), 1, 120000);
    reopened.datasetController()->workerForTesting()->setProgressDelayForTesting(0);
    QCOMPARE(again->resultsFile(0), job.resultsFile);
    QCOMPARE(again->groupSpec(1), b);
    QVERIFY2(reopened.statusBar()->currentMessage().contains(QStringLiteral("stay shown")),
             qPrintable(reopened.statusBar()->currentMessage()));

    // Results changed since: a banner, and the comparison shown (changed here) stays.
    GroupSpec all;
    all.source = GroupSpec::Source::All;
    again->setGroups(all, a);
    QFile results(job.resultsFile);
    QVERIFY(results.open(QIODevice::Append));
    results.write("\n");
    results.close();
    QSignalSpy failed(&reopened, &MainWindow::sessionFailed);
    reopened.openSession(session);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
    QVERIFY2(reopened.bannerText().contains(QStringLiteral("changed since")),
             qPrintable(reopened.bannerText()));
    QCOMPARE(again->groupSpec(0), all);
    QCOMPARE(again->groupSpec(1), a);
  }

  void aComparisonSessionThatDoesNotFitItsResultsIsABanner() {
    QTemporaryDir dir;
    const DatasetJob job =
        test_support::demoDatasetJob(dir.filePath(QStringLiteral("d.stats.json")));
    QSignalSpy finished(w_.get(), &MainWindow::datasetFinished);
    QVERIFY(w_->startDatasetRun(job));
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1 || w_->isBannerVisible(), 120000);
    QVERIFY2(finished.count() == 1, qPrintable(w_->bannerText()));
    // Sessions written by hand: an example beyond the 48, ids the results lack, and a
    // fractional index.
    const auto write = [&](const QString& name, const QByteArray& comparison) {
      QFile f(dir.filePath(name));
      if (!f.open(QIODevice::WriteOnly)) return QString();
      f.write(
          "{\"format\": \"attnx-session\", \"version\": 1, \"comparison\": {"
          "\"results\": [{\"file\": \"d.stats.json\"}], " +
          comparison + "}}");
      return f.fileName();
    };
    QSignalSpy failed(w_.get(), &MainWindow::sessionFailed);
    const struct {
      const char* name;
      QByteArray comparison;
      const char* says;
    } cases[] = {
        {"beyond.attnx", "\"examples\": [[0, 48], null]", "holds 48 examples"},
        {"ids.attnx",
         "\"groups\": [{\"source\": \"all\"}, {\"source\": \"ids\", \"ids\": [\"nope\"]}]",
         "does not hold: nope"},
        {"fraction.attnx", "\"examples\": [[0, 2.5], null]", "[run, index] pairs"},
    };
    for (const auto& c : cases) {
      const QString file = write(QLatin1String(c.name), c.comparison);
      QVERIFY(!file.isEmpty());
      const int before = int(failed.count());
      w_->openSession(file);
      QTRY_COMPARE_WITH_TIMEOUT(int(failed.count()), before + 1, 30000);
      QVERIFY2(w_->bannerText().contains(QLatin1String(c.says)), qPrintable(w_->bannerText()));
    }
    // The comparison shown is the dataset run's, untouched.
    QCOMPARE(w_->datasetDocument()->resultsFile(0), job.resultsFile);
    QCOMPARE(int(w_->datasetDocument()->groupSpec(0).source), int(GroupSpec::Source::Correct));
  }

  void aBrokenResultsFileEndsInTheBanner() {
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("broken.stats.json"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"meta\": {\"format\": ");
    f.close();
    w_->openDatasetResults(file, 0);
    QTRY_VERIFY_WITH_TIMEOUT(w_->isBannerVisible(), 30000);
    QVERIFY2(w_->bannerText().contains(QStringLiteral("broken.stats.json")),
             qPrintable(w_->bannerText()));
    QCOMPARE(w_->datasetDocument()->runCount(), 0);
    QVERIFY(!w_->comparisonWindow());
  }

  void cancelStopsTheRunAndKeepsItsExamples() {
    w_->controller()->workerForTesting()->setProgressDelayForTesting(100);
    QSignalSpy cancelled(w_.get(), &MainWindow::datasetCancelled);
    QVERIFY(w_->analyzeDemoDataset());
    auto* label = w_->findChild<QLabel*>(QStringLiteral("datasetProgressLabel"));
    QTRY_VERIFY_WITH_TIMEOUT(label->text().contains(QStringLiteral(" / 48 examples, about ")),
                             60000);
    // The window stays responsive during the run: the cancel action is there and works.
    QTest::keyClick(w_.get(), Qt::Key_Escape);
    QTRY_VERIFY_WITH_TIMEOUT(cancelled.count() == 1, 30000);
    QVERIFY(!label->isVisible());
    QVERIFY2(w_->statusBar()->currentMessage().contains(QStringLiteral("examples are saved in")),
             qPrintable(w_->statusBar()->currentMessage()));
    QVERIFY(!w_->comparisonWindow());
  }

  void escCancelsARunJustStartedFromTheDialog() {
    w_->controller()->workerForTesting()->setProgressDelayForTesting(100);
    QSignalSpy cancelled(w_.get(), &MainWindow::datasetCancelled);
    QTemporaryDir dir;
    // The dialog, filled with the demo's dataset and accepted from its OK button once shown.
    QTimer::singleShot(0, this, [&] {
      auto* dialog = qobject_cast<DatasetRunDialog*>(QApplication::activeModalWidget());
      if (!dialog) {  // not the dialog: close what is there, the checks below then fail
        if (QWidget* modal = QApplication::activeModalWidget()) modal->close();
        return;
      }
      dialog->setJob(test_support::demoDatasetJob(dir.filePath(QStringLiteral("esc.stats.json"))));
      auto* ok = dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
      ok->setFocus();
      QTest::mouseClick(ok, Qt::LeftButton);
    });
    auto* analyze = w_->findChild<QAction*>(QStringLiteral("analyzeDatasetAction"));
    QVERIFY(analyze);
    analyze->trigger();
    QVERIFY(w_->datasetController()->isDatasetRunning());
    // A moment later (the window system's events handled, as before a key press), to whatever
    // has the focus. Shortcuts need an active window: when the closed dialog left none, the
    // first Esc did nothing.
    QTRY_COMPARE_WITH_TIMEOUT(QApplication::activeWindow(), static_cast<QWidget*>(w_.get()), 2000);
    QWidget* focus = QApplication::focusWidget();
    QTest::keyClick(focus ? focus : static_cast<QWidget*>(w_.get()), Qt::Key_Escape);
    QTRY_VERIFY_WITH_TIMEOUT(cancelled.count() == 1, 30000);
  }

  void theDialogRemembersItsChoices() {
    DatasetRunDialog dialog;
    dialog.loadSettings({QStringLiteral("/models/x"), {}, {}, false});
    QCOMPARE(dialog.job().model.dir, QStringLiteral("/models/x"));
    QVERIFY(!dialog.problem().isEmpty());  // no such folder, no examples file

    const QString demo = Demo::extract();
    DatasetJob job;
    job.model.dir = demo;
    job.settings.examplesFile = (demo + QStringLiteral("/examples.jsonl")).toStdString();
    job.settings.softTokenFile = (demo + QStringLiteral("/soft_tokens.safetensors")).toStdString();
    job.settings.anchor = "A:";
    job.settings.bosAfterSoft = true;
    job.settings.predictionField = "latent_pred";
    job.settings.query = 7;
    job.settings.correctness = "f1";
    job.settings.f1Threshold = 0.75;
    job.settings.maxNewTokens = 5;
    dialog.setJob(job);
    QCOMPARE(dialog.problem(), QString());
    // Not chosen: beside the examples file, following it when it changes.
    QCOMPARE(dialog.job().resultsFile, demo + QStringLiteral("/examples.stats.json"));
    auto* examples = dialog.findChild<QLineEdit*>(QStringLiteral("datasetExamplesFile"));
    examples->setText(QStringLiteral("/data/squad.jsonl"));
    QCOMPARE(dialog.job().resultsFile, QStringLiteral("/data/squad.stats.json"));
    examples->setText(demo + QStringLiteral("/examples.jsonl"));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));

    DatasetRunDialog again;
    again.loadSettings({demo, {}, {}, false});
    const DatasetJob j = again.job();
    QVERIFY(sameRunSettings(j.settings, dialog.job().settings));
    QCOMPARE(j.settings.predictionField, std::string("latent_pred"));
    QCOMPARE(j.settings.query, 7);
    QCOMPARE(j.settings.correctness, std::string("f1"));
    QCOMPARE(j.settings.f1Threshold, 0.75);
    QCOMPARE(j.resultsFile, demo + QStringLiteral("/examples.stats.json"));
    QCOMPARE(Settings::string(Settings::Key::DatasetCorrectness), QStringLiteral("f1"));

    // The explorer's soft tokens, BOS choice and anchor come first: the dataset is run as the
    // explorer's input was.
    DatasetRunDialog fromExplorer;
    fromExplorer.loadSettings(
        {demo, QStringLiteral("/data/other_soft.safetensors"), QStringLiteral("Answer:"), false});
    const DatasetJob e = fromExplorer.job();
    QCOMPARE(e.settings.softTokenFile, std::string("/data/other_soft.safetensors"));
    QCOMPARE(e.settings.anchor, std::string("Answer:"));
    QCOMPARE(e.settings.bosAfterSoft, false);  // remembered true, the explorer's false wins
    QCOMPARE(e.settings.predictionField, std::string("latent_pred"));  // the rest remembered
  }
};

QTEST_MAIN(TestDatasetWindow)
#include "test_dataset_window.moc"
