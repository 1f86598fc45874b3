// Run files in the real explorer window (offscreen): a run saved from the window and opened again
// shows the same data in every view; `attnx run --capture qk` files open with their matrices
// recomputed from the queries and keys; attention saved by Python (torch.save) is imported; a
// broken file is a banner that keeps the shown run; the recent files remember what was opened;
// sessions are saved and checked off the GUI thread; of two files opened at once the last one
// asked for is shown, and a run finishing after a file was asked for does not replace it; two
// sessions saved at once write two run files; `attnx FILE --screenshot` renders a run file.
#include <QDockWidget>
#include <QStatusBar>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QtTest>
#include <cmath>
#include <cstring>

#include "demo.h"
#include "demo_dataset_job.h"
#include "demo_resources.h"
#include "diagnostics_panel.h"
#include "figure_view.h"
#include "head_grid_view.h"
#include "heatmap_view.h"
#include "inference_controller.h"
#include "inference_worker.h"
#include "input_panel.h"
#include "layer_curves_view.h"
#include "main_window.h"
#include "qt_support.h"
#include "run_file.h"
#include "settings.h"
#include "tolerance.h"

using namespace attnx;
using namespace attnx::qt_support;

namespace {

// The largest |a - b| over two attention lists of the same layers and shapes; +inf when they
// differ in shape.
double maxAttentionDiff(const std::vector<AttentionTensor>& a,
                        const std::vector<AttentionTensor>& b) {
  if (a.size() != b.size()) return INFINITY;
  double most = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].layer != b[i].layer || a[i].f32.size() != b[i].f32.size() ||
        a[i].queryPositions != b[i].queryPositions)
      return INFINITY;
    for (std::size_t j = 0; j < a[i].f32.size(); ++j)
      most = std::max(most, double(std::abs(a[i].f32[j] - b[i].f32[j])));
  }
  return most;
}

// What a run file holds, compared field by field: float32 written and read back is exact.
void compareRuns(const RunResult& a, const RunResult& b) {
  QCOMPARE(a.seqLen, b.seqLen);
  QCOMPARE(a.inputIds, b.inputIds);
  QCOMPARE(a.tokens, b.tokens);
  QCOMPARE(a.layout.size(), b.layout.size());
  for (std::size_t r = 0; r < a.layout.size(); ++r) {
    QCOMPARE(a.layout[r].size(), b.layout[r].size());
    for (std::size_t s = 0; s < a.layout[r].size(); ++s) {
      QCOMPARE(int(a.layout[r][s].kind), int(b.layout[r][s].kind));
      QCOMPARE(a.layout[r][s].begin, b.layout[r][s].begin);
      QCOMPARE(a.layout[r][s].end, b.layout[r][s].end);
    }
  }
  QCOMPARE(maxAttentionDiff(a.attentions, b.attentions), 0.0);
  QCOMPARE(a.stepAttentions.size(), b.stepAttentions.size());
  for (std::size_t s = 0; s < a.stepAttentions.size(); ++s)
    QCOMPARE(maxAttentionDiff(a.stepAttentions[s], b.stepAttentions[s]), 0.0);
  QCOMPARE(a.generatedIds, b.generatedIds);
  QCOMPARE(a.generatedTokens, b.generatedTokens);
  QCOMPARE(a.logits, b.logits);
  QCOMPARE(a.model.family, b.model.family);
  QCOMPARE(a.model.dir, b.model.dir);
}

// What the views show of the window's run: the heatmap's cells, the grid's cells, the curves.
struct Shown {
  std::vector<float> heatmap;
  std::vector<double> grid, soft, text;
};

Shown shown(MainWindow& w) {
  // The views redraw on a single-shot timer after each change: now.
  for (QWidget* v :
       std::initializer_list<QWidget*>{w.heatmapView(), w.headGridView(), w.layerCurvesView()})
    if (auto* f = dynamic_cast<IFigureView*>(v)) f->refreshNow();
  Shown s;
  s.heatmap = w.heatmapView()->displayedValues();
  const RunResult* r = w.document()->result();
  for (int l = 0; r && l < r->model.layers; ++l)
    for (int h = 0; h < r->model.heads; ++h) s.grid.push_back(w.headGridView()->cellValue(l, h));
  s.soft = w.layerCurvesView()->plottedMeans(SegmentKind::Soft);
  s.text = w.layerCurvesView()->plottedMeans(SegmentKind::Text);
  return s;
}

}  // namespace

class TestRunFiles : public QObject {
  Q_OBJECT
  QTemporaryDir settingsDir_;
  QTemporaryDir tmp_;

  // Opens `file` in `w` and waits; false (with the banner printed) when it did not open.
  static bool openAndWait(MainWindow& w, const QString& file) {
    QSignalSpy opened(&w, &MainWindow::runFileOpened);
    w.openRunFile(file);
    if (!QTest::qWaitFor([&] { return opened.count() > 0 || w.isBannerVisible(); }, 60000) ||
        opened.isEmpty()) {
      qWarning() << "banner:" << w.bannerText();
      return false;
    }
    return true;
  }

  // Saves a session of `w` and waits for it to be written (off the GUI thread); false (with the
  // banner printed) when it was not.
  static bool saveSessionAndWait(MainWindow& w, const QString& file) {
    QSignalSpy saved(&w, &MainWindow::sessionSaved);
    if (!w.saveSession(file)) return false;
    if (!QTest::qWaitFor([&] { return saved.count() > 0 || w.isBannerVisible(); }, 60000) ||
        saved.isEmpty()) {
      qWarning() << "banner:" << w.bannerText();
      return false;
    }
    return true;
  }

  // The demo's soft-token run through the window: the demo fills the panel, `generate` tokens.
  static bool runDemo(MainWindow& w, int generate) {
    QSignalSpy finished(&w, &MainWindow::runFinished);
    if (!w.openDemo(false)) return false;
    w.inputPanel()->setGenerate(generate);
    w.inputPanel()->setStopAtEos(false);
    if (!w.startRun()) return false;
    if (!QTest::qWaitFor([&] { return finished.count() > 0 || w.isBannerVisible(); }, 60000) ||
        finished.isEmpty()) {
      qWarning() << "banner:" << w.bannerText();
      return false;
    }
    return true;
  }

 private slots:
  void initTestCase() {
    QVERIFY(settingsDir_.isValid() && tmp_.isValid());
    isolateSettings(settingsDir_.path(), QStringLiteral("test_run_files"));
    QSettings().clear();
    initDemoResources();
  }

  void aSavedRunOpensWithTheSameDataInEveryView() {
    MainWindow original;
    original.resize(1400, 900);
    QVERIFY(showActive(&original));
    QAction* save = original.findChild<QAction*>(QStringLiteral("saveRunAction"));
    QVERIFY(save);
    QVERIFY(!save->isEnabled());  // nothing to save yet
    QVERIFY(runDemo(original, 3));
    QVERIFY(save->isEnabled());
    const RunResult& run = *original.document()->result();
    QCOMPARE(run.generated, 3);
    original.document()->setLayer(2);
    original.document()->setHead(HeadChoice::one(1));
    const Shown before = shown(original);

    const QString file = tmp_.filePath(QStringLiteral("saved.safetensors"));
    QSignalSpy saved(&original, &MainWindow::runFileSaved);
    QVERIFY(original.saveRunFile(file));
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 30000);
    QCOMPARE(original.runFile(), QFileInfo(file).absoluteFilePath());
    // Written whole, then renamed: no temporary file is left beside it.
    QCOMPARE(QDir(tmp_.path()).entryList(QDir::Files),
             QStringList{QStringLiteral("saved.safetensors")});
    compareRuns(run, readRunFile(file.toStdString()));

    MainWindow reopened;
    reopened.resize(1400, 900);
    QVERIFY(showActive(&reopened));
    QVERIFY(openAndWait(reopened, file));
    compareRuns(run, *reopened.document()->result());
    reopened.document()->setLayer(2);
    reopened.document()->setHead(HeadChoice::one(1));
    const Shown after = shown(reopened);
    QCOMPARE(after.heatmap, before.heatmap);
    QCOMPARE(after.grid, before.grid);
    QCOMPARE(after.soft, before.soft);
    QCOMPARE(after.text, before.text);
    QVERIFY(!before.heatmap.empty() && !before.soft.empty());
    QVERIFY2(reopened.windowTitle().contains(QStringLiteral("saved.safetensors")),
             qPrintable(reopened.windowTitle()));
    // The demo model is on this machine: it is in the input panel, ready to run again.
    QCOMPARE(QDir::cleanPath(reopened.inputPanel()->modelDir()),
             QDir::cleanPath(QString::fromStdString(run.model.dir)));
    QCOMPARE(Settings::recent(Settings::Key::RecentFiles).value(0),
             QFileInfo(file).absoluteFilePath());
  }

  void aQueryKeyRunOpensWithItsMatricesRecomputed() {
    // The same input twice through `attnx run`: full matrices, and Q/K capture.
    const QString full = tmp_.filePath(QStringLiteral("full.safetensors"));
    const QString qk = tmp_.filePath(QStringLiteral("qk.safetensors"));
    const QStringList input = {QStringLiteral("run"), QStringLiteral("--model"),
                               modelDir("llama_gqa"), QStringLiteral("--input-ids"),
                               QStringLiteral("5,17,3,99,250,8,41,77,12,300,6,2,64,128")};
    Outcome o = runAttnx(input + QStringList{QStringLiteral("--out"), full});
    QVERIFY2(o.code == 0, qPrintable(o.err));
    o = runAttnx(input + QStringList{QStringLiteral("--capture"), QStringLiteral("qk"),
                                     QStringLiteral("--out"), qk});
    QVERIFY2(o.code == 0, qPrintable(o.err));
    const RunResult reference = readRunFile(full.toStdString());
    const RunResult stored = readRunFile(qk.toStdString());
    QCOMPARE(stored.attentions.front().queries, 1);  // the file keeps the query rows only

    MainWindow w;
    w.resize(1400, 900);
    QVERIFY(showActive(&w));
    QVERIFY(openAndWait(w, qk));
    const RunResult& r = *w.document()->result();
    QVERIFY(r.attentionsFromQueryKeys);
    const double diff = maxAttentionDiff(r.attentions, reference.attentions);
    qInfo("Q/K matrices vs full capture: max |diff| %.3g (tolerance %.0e)", diff,
          tolerance::kTileVsFull);
    QVERIFY(diff <= tolerance::kTileVsFull);
    QTRY_COMPARE(w.heatmapView()->displayedRows(), r.seqLen);  // the whole matrix, not one row
    QVERIFY2(w.statusBar()->currentMessage().contains(QStringLiteral("queries and keys")),
             qPrintable(w.statusBar()->currentMessage()));

    // Saved again it is a Q/K run file as `attnx run` writes it: the Q/K and the query rows.
    const QString again = tmp_.filePath(QStringLiteral("qk-again.safetensors"));
    QSignalSpy saved(&w, &MainWindow::runFileSaved);
    QVERIFY(w.saveRunFile(again));
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 30000);
    const RunResult back = readRunFile(again.toStdString());
    QCOMPARE(back.queryKeys.size(), stored.queryKeys.size());
    for (std::size_t l = 0; l < back.queryKeys.size(); ++l) {
      QCOMPARE(back.queryKeys[l].q, stored.queryKeys[l].q);
      QCOMPARE(back.queryKeys[l].k, stored.queryKeys[l].k);
      QCOMPARE(back.queryKeys[l].lse, stored.queryKeys[l].lse);
    }
    QVERIFY(maxAttentionDiff(back.attentions, stored.attentions) <= tolerance::kTileVsFull);
  }

  void aBrokenRunFileIsABannerThatKeepsTheShownRun() {
    MainWindow w;
    w.resize(1400, 900);
    QVERIFY(showActive(&w));
    QVERIFY(runDemo(w, 0));
    const RunResult* shownRun = w.document()->result();
    const QString good = tmp_.filePath(QStringLiteral("good.safetensors"));
    writeRunFile(good.toStdString(), *shownRun, "full");
    QFile in(good);
    QVERIFY(in.open(QIODevice::ReadOnly));
    const QByteArray bytes = in.readAll();
    const QString cut = tmp_.filePath(QStringLiteral("cut.safetensors"));
    QFile out(cut);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(bytes.left(bytes.size() / 2));
    out.close();

    QSignalSpy failed(&w, &MainWindow::runFileFailed);
    w.openRunFile(cut);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
    QVERIFY(w.isBannerVisible());
    QVERIFY2(w.bannerText().contains(QStringLiteral("cut.safetensors")),
             qPrintable(w.bannerText()));
    QCOMPARE(w.document()->result(), shownRun);  // nothing lost
    QVERIFY(
        !Settings::recent(Settings::Key::RecentFiles).contains(QFileInfo(cut).absoluteFilePath()));
  }

  void attentionSavedByPythonIsImported() {
    // torch.save of a tuple of [1,H,T,T] softmax weights, as transformers' outputs.attentions.
    const QString dir = tmp_.filePath(QStringLiteral("python"));
    QVERIFY(QDir().mkpath(dir));
    const Outcome made = runProgram(QStringLiteral(ATTNX_PYTHON),
                                    {sourceDir() + QStringLiteral("/tests/cli/attention_files.py"),
                                     dir, sourceDir() + QStringLiteral("/tools")});
    QVERIFY2(made.code == 0, qPrintable(made.err));
    QFile ref(dir + QStringLiteral("/ref.f32"));
    QVERIFY(ref.open(QIODevice::ReadOnly));
    const QByteArray raw = ref.readAll();
    std::vector<float> want(static_cast<std::size_t>(raw.size()) / sizeof(float));
    std::memcpy(want.data(), raw.constData(), static_cast<std::size_t>(raw.size()));

    MainWindow w;
    w.resize(1400, 900);
    QVERIFY(showActive(&w));
    QSignalSpy opened(&w, &MainWindow::runFileOpened);
    w.importAttentionFile(dir + QStringLiteral("/tuple.pt"), QStringLiteral("soft:2,bos:1,text:7"));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 30000);
    const RunResult& r = *w.document()->result();
    std::vector<float> got;
    for (const AttentionTensor& a : r.attentions) got.insert(got.end(), a.f32.begin(), a.f32.end());
    QCOMPARE(got, want);  // the source's float32 values, exactly
    QCOMPARE(int(r.layout.at(0).size()), 3);
    QCOMPARE(int(r.layout[0][0].kind), int(SegmentKind::Soft));
    QCOMPARE(r.layout[0][1].begin, 2);
    QVERIFY(w.runFile().isEmpty());  // not a run file: Save run writes one
    QTRY_COMPARE(w.headGridView()->cellValue(0, 0) > 0, true);  // the views show it

    const QString saved = tmp_.filePath(QStringLiteral("imported.safetensors"));
    QSignalSpy done(&w, &MainWindow::runFileSaved);
    QVERIFY(w.saveRunFile(saved));
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 30000);
    compareRuns(r, readRunFile(saved.toStdString()));

    // Opened like a run file, the dict's own layout and tokens are used, and nobody is asked.
    w.setAsksForImportLayout(false);
    w.openRunFile(dir + QStringLiteral("/dict.pt"));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 2, 30000);
    QCOMPARE(int(w.document()->result()->layout.at(0).size()), 4);
    QCOMPARE(w.document()->result()->tokens.at(3), std::string("Answer"));
    // A broken one is a banner that keeps the shown run.
    const RunResult* shownRun = w.document()->result();
    QSignalSpy failed(&w, &MainWindow::runFileFailed);
    w.openRunFile(dir + QStringLiteral("/scores.pt"));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
    QVERIFY2(w.bannerText().contains(QStringLiteral("not a weight")), qPrintable(w.bannerText()));
    QCOMPARE(w.document()->result(), shownRun);
  }

  void aSessionReopensTheWindowExactly() {
    MainWindow original;
    original.resize(1400, 900);
    QVERIFY(showActive(&original));
    QVERIFY(runDemo(original, 2));
    RunDocument* doc = original.document();
    doc->setLayer(2);
    doc->setHead(HeadChoice::one(1));
    doc->setQuery(12);
    original.heatmapView()->setColorMap(ColorMapKind::Magma);
    original.heatmapView()->setScaleKind(ScaleKind::Power, 0.3);
    original.heatmapView()->setFitRange(true);
    original.heatmapView()->setZoomRange({2.5, 14.5, 8.5, 20.5});
    original.headGridView()->setMetric(HeadGridView::Metric::Entropy);
    original.layerCurvesView()->setShowRange(true);
    DiagnosticThresholds t;
    t.collapseSoft = 0.25f;
    t.headRowL1 = 0.3f;
    original.diagnosticsPanel()->setThresholds(t);
    auto* headsDock = original.findChild<QDockWidget*>(QStringLiteral("headsDock"));
    headsDock->hide();
    const Selection selection = doc->selection();

    // A run not saved yet goes beside the session; the session names it relatively.
    const QString dir = tmp_.filePath(QStringLiteral("session"));
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(saveSessionAndWait(original, dir + QStringLiteral("/look.attnx")));
    QCOMPARE(original.runFile(), dir + QStringLiteral("/look.safetensors"));
    QVERIFY(QFile::exists(dir + QStringLiteral("/look.safetensors")));
    QFile json(dir + QStringLiteral("/look.attnx"));
    QVERIFY(json.open(QIODevice::ReadOnly));
    QVERIFY(json.readAll().contains("\"run\": \"look.safetensors\""));
    json.close();
    // The two travel together.
    const QString moved = tmp_.filePath(QStringLiteral("moved"));
    QVERIFY(QDir().rename(dir, moved));

    MainWindow reopened;
    reopened.resize(1400, 900);
    QVERIFY(showActive(&reopened));
    QSignalSpy opened(&reopened, &MainWindow::sessionOpened);
    reopened.openRunFile(moved + QStringLiteral("/look.attnx"));  // Open run… takes sessions too
    (void)QTest::qWaitFor([&] { return opened.count() == 1 || reopened.isBannerVisible(); }, 30000);
    QVERIFY2(opened.count() == 1, qPrintable(reopened.bannerText() + QStringLiteral(" | ") +
                                             reopened.statusBar()->currentMessage() +
                                             QStringLiteral(" | ") + reopened.windowTitle()));
    compareRuns(*original.document()->result(), *reopened.document()->result());
    QCOMPARE(reopened.document()->selection(), selection);
    const ColorScale scale = reopened.heatmapView()->colorScale();
    QCOMPARE(int(scale.map), int(ColorMapKind::Magma));
    QCOMPARE(int(scale.scale), int(ScaleKind::Power));
    QCOMPARE(scale.gamma, 0.3);
    QVERIFY(reopened.heatmapView()->fitRange());
    QCOMPARE(reopened.heatmapView()->zoomRange(), (std::array<double, 4>{2.5, 14.5, 8.5, 20.5}));
    QCOMPARE(int(reopened.headGridView()->metric()), int(HeadGridView::Metric::Entropy));
    QVERIFY(reopened.layerCurvesView()->showRange());
    QCOMPARE(reopened.diagnosticsPanel()->thresholds().collapseSoft, 0.25f);
    QCOMPARE(reopened.diagnosticsPanel()->thresholds().headRowL1, 0.3f);
    QVERIFY(reopened.findChild<QDockWidget*>(QStringLiteral("headsDock"))->isHidden());
    QVERIFY(reopened.windowTitle().contains(QStringLiteral("look.attnx")));
    QCOMPARE(shown(reopened).heatmap, shown(original).heatmap);
  }

  void aSessionWhoseRunIsMissingOrChangedIsABanner() {
    MainWindow w;
    w.resize(1400, 900);
    QVERIFY(showActive(&w));
    QVERIFY(runDemo(w, 0));
    const QString dir = tmp_.filePath(QStringLiteral("stale"));
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(saveSessionAndWait(w, dir + QStringLiteral("/s.attnx")));
    const RunResult* shownRun = w.document()->result();
    QSignalSpy failed(&w, &MainWindow::sessionFailed);

    // Changed: another run written over the session's run file.
    RunResult other = *shownRun;
    other.tokens[0] = "changed";
    writeRunFile((dir + QStringLiteral("/s.safetensors")).toStdString(), other, "full");
    w.openSession(dir + QStringLiteral("/s.attnx"));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
    QVERIFY2(w.bannerText().contains(QStringLiteral("changed since")), qPrintable(w.bannerText()));
    // Missing.
    QVERIFY(QFile::remove(dir + QStringLiteral("/s.safetensors")));
    w.openSession(dir + QStringLiteral("/s.attnx"));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 2, 30000);
    QVERIFY2(w.bannerText().contains(QStringLiteral("missing")), qPrintable(w.bannerText()));
    // Broken JSON.
    QFile broken(dir + QStringLiteral("/broken.attnx"));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("{\"format\": \"attnx-session\", ");
    broken.close();
    w.openSession(broken.fileName());
    QCOMPARE(failed.count(), 3);
    QVERIFY2(w.bannerText().contains(QStringLiteral("broken JSON")), qPrintable(w.bannerText()));
    QCOMPARE(w.document()->result(), shownRun);  // nothing lost
  }

  void theLastFileAskedForIsShownAndARunAfterItNamesItsModel() {
    MainWindow w;
    w.resize(1400, 900);
    QVERIFY(showActive(&w));
    QVERIFY(runDemo(w, 0));
    auto* deviceLabel = w.findChild<QLabel*>(QStringLiteral("deviceLabel"));
    QVERIFY(deviceLabel);
    const QString deviceText = deviceLabel->text();
    const QString dir = tmp_.filePath(QStringLiteral("latest"));
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(saveSessionAndWait(w, dir + QStringLiteral("/first.attnx")));
    RunResult other = *w.document()->result();
    other.tokens[0] = "second";
    const QString second = dir + QStringLiteral("/second.safetensors");
    writeRunFile(second.toStdString(), other, "full");

    // The session's run is read after its hash, the second file at once: with one pool thread
    // the session's read ends last, and is dropped because the second file was asked for since.
    QThreadPool* pool = QThreadPool::globalInstance();
    struct OneThread {  // restored however the test ends
      QThreadPool* pool;
      int threads = pool->maxThreadCount();
      ~OneThread() { pool->setMaxThreadCount(threads); }
    } oneThread{pool};
    pool->setMaxThreadCount(1);
    QSignalSpy sessionOpened(&w, &MainWindow::sessionOpened);
    QSignalSpy opened(&w, &MainWindow::runFileOpened);
    w.openRunFile(dir + QStringLiteral("/first.attnx"));
    w.openRunFile(second);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 30000);
    for (int i = 0; i < 3; ++i) {  // whatever was still reading, and its answer
      pool->waitForDone();
      QCoreApplication::processEvents();
    }
    QCOMPARE(opened.count(), 1);
    QCOMPARE(sessionOpened.count(), 0);
    QCOMPARE(w.document()->result()->tokens.at(0), std::string("second"));
    QCOMPARE(w.runFile(), second);
    QVERIFY2(w.windowTitle().contains(QStringLiteral("second.safetensors")),
             qPrintable(w.windowTitle()));
    QCOMPARE(deviceLabel->text(), QStringLiteral("from a file"));

    // A run of the model already loaded names it again in the status bar and the title.
    QSignalSpy finished(&w, &MainWindow::runFinished);
    QVERIFY(w.startRun());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QCOMPARE(deviceLabel->text(), deviceText);
    QVERIFY2(!w.windowTitle().contains(QStringLiteral("second")), qPrintable(w.windowTitle()));
    QVERIFY(w.runFile().isEmpty());
  }

  void aRunFinishingAfterAFileWasOpenedLeavesTheFileShown() {
    MainWindow w;
    w.resize(1400, 900);
    QVERIFY(showActive(&w));
    QVERIFY(runDemo(w, 0));
    RunResult other = *w.document()->result();
    other.tokens[0] = "from the file";
    const QString file = tmp_.filePath(QStringLiteral("overtaking.safetensors"));
    writeRunFile(file.toStdString(), other, "full");

    // The inference thread takes jobs in order: behind a dataset run (slowed down), the
    // explorer's run can only finish after the file, asked for after it, is shown.
    const DatasetJob job =
        test_support::demoDatasetJob(tmp_.filePath(QStringLiteral("overtaking.stats.json")));
    // 48 examples at 100 ms each: seconds, against milliseconds for reading the file.
    w.controller()->workerForTesting()->setProgressDelayForTesting(100);
    QSignalSpy finished(&w, &MainWindow::runFinished);
    QSignalSpy datasetDone(&w, &MainWindow::datasetFinished);

    // A file asked for that does not open leaves the run to show.
    const std::shared_ptr<const RunResult> before = w.document()->sharedResult();
    QVERIFY(w.startDatasetRun(job));
    QVERIFY(w.startRun());
    QSignalSpy failed(&w, &MainWindow::runFileFailed);
    w.openRunFile(tmp_.filePath(QStringLiteral("no such run.safetensors")));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
    QCOMPARE(finished.count(), 0);  // still behind the dataset run
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
    QVERIFY(w.document()->sharedResult() != before);  // the new run is shown
    QVERIFY(w.runFile().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(datasetDone.count(), 1, 30000);

    // A file that opens stays shown.
    QVERIFY(w.startDatasetRun(job));
    QVERIFY(w.startRun());
    QVERIFY(openAndWait(w, file));
    QCOMPARE(finished.count(), 1);  // still behind the dataset run
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 120000);
    w.controller()->workerForTesting()->setProgressDelayForTesting(0);
    QCOMPARE(w.document()->result()->tokens.at(0), std::string("from the file"));
    QCOMPARE(w.runFile(), file);
    QVERIFY2(w.statusBar()->currentMessage().contains(QStringLiteral("file stays shown")),
             qPrintable(w.statusBar()->currentMessage()));
    // A run asked for after the file is shown as usual.
    QVERIFY(w.startRun());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, 60000);
    QVERIFY(w.document()->result()->tokens.at(0) != "from the file");
    QVERIFY(w.runFile().isEmpty());
  }

  void twoSessionsSavedAtOnceWriteTwoRunFiles() {
    MainWindow w;
    w.resize(1400, 900);
    QVERIFY(showActive(&w));
    QVERIFY(runDemo(w, 0));
    const QString dir = tmp_.filePath(QStringLiteral("twice"));
    QVERIFY(QDir().mkpath(dir));
    // The run is in no file yet: each save writes one beside its session, and the second,
    // asked for while the first is being written, must not pick the same name.
    QSignalSpy saved(&w, &MainWindow::sessionSaved);
    QVERIFY(w.saveSession(dir + QStringLiteral("/a.attnx")));
    QVERIFY(w.saveSession(dir + QStringLiteral("/a.attnx")));
    QTRY_VERIFY_WITH_TIMEOUT(saved.count() == 2 || w.isBannerVisible(), 60000);
    QVERIFY2(saved.count() == 2, qPrintable(w.bannerText()));
    QCOMPARE(QDir(dir).entryList(QDir::Files),
             (QStringList{QStringLiteral("a-2.safetensors"), QStringLiteral("a.attnx"),
                          QStringLiteral("a.safetensors")}));
    for (const char* name : {"/a.safetensors", "/a-2.safetensors"})
      compareRuns(*w.document()->result(), readRunFile((dir + QLatin1String(name)).toStdString()));
    // The session left is whole, and its run matches its hash.
    MainWindow reopened;
    QSignalSpy opened(&reopened, &MainWindow::sessionOpened);
    reopened.openSession(dir + QStringLiteral("/a.attnx"));
    QTRY_VERIFY_WITH_TIMEOUT(opened.count() == 1 || reopened.isBannerVisible(), 30000);
    QVERIFY2(opened.count() == 1, qPrintable(reopened.bannerText()));
  }

  void theCommandLineOpensAndRendersARunFile() {
    const QString run = tmp_.filePath(QStringLiteral("cli.safetensors"));
    Outcome o =
        runAttnx({QStringLiteral("run"), QStringLiteral("--model"), modelDir("gpt2_tiny"),
                  QStringLiteral("--input-ids"), QStringLiteral("1,2,3,4,5,6"),
                  QStringLiteral("--generate"), QStringLiteral("2"), QStringLiteral("--out"), run});
    QVERIFY2(o.code == 0, qPrintable(o.err));
    const QString png = tmp_.filePath(QStringLiteral("shot.png"));
    o = runAttnx({run, QStringLiteral("--screenshot"), png});
    QVERIFY2(o.code == 0, qPrintable(o.err));
    const QImage image(png);
    QCOMPARE(image.size(), QSize(1600, 1000));
    // A truncated file: one line, exit 1, no picture.
    const QString cut = tmp_.filePath(QStringLiteral("cut2.safetensors"));
    QFile::copy(run, cut);
    QFile f(cut);
    QVERIFY(f.resize(100));
    const QString png2 = tmp_.filePath(QStringLiteral("shot2.png"));
    o = runAttnx({cut, QStringLiteral("--screenshot"), png2});
    QCOMPARE(o.code, 1);
    QVERIFY2(o.err.contains(QStringLiteral("cut2.safetensors")), qPrintable(o.err));
    QVERIFY(!QFile::exists(png2));
    // A file of another kind is a usage error.
    o = runAttnx({png, QStringLiteral("--screenshot"), png2});
    QCOMPARE(o.code, 2);
  }
};

QTEST_MAIN(TestRunFiles)
#include "test_run_files.moc"
