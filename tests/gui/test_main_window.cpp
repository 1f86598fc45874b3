// The real explorer window on the offscreen platform: load a fixture model, run with explicit
// token ids, click a head-grid cell and a token chip, cancel a run, open a broken model folder,
// keep the event loop turning during a run, keyboard shortcuts, settings, and the built-in demo.
#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QContextMenuEvent>
#include <QFileInfo>
#include <QDir>
#include <QDockWidget>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPainter>
#include <QTableWidget>
#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include <cmath>

#include "causal_grid_view.h"
#include "demo.h"
#include "demo_resources.h"
#include "head_grid_view.h"
#include "heatmap_view.h"
#include "inference_controller.h"
#include "lens_view.h"
#include "input_panel.h"
#include "main_window.h"
#include "qt_support.h"
#include "run_file.h"
#include "safetensors.h"
#include "segment_legend.h"
#include "settings.h"
#include "token_strip_view.h"

using namespace attnx;
using namespace attnx::qt_support;

namespace {

// Row index of absolute query position `pos` in a captured tensor.
int rowOf(const AttentionTensor& a, int pos) {
  if (a.queryPositions.empty()) return pos;
  for (std::size_t i = 0; i < a.queryPositions.size(); ++i)
    if (a.queryPositions[i] == pos) return int(i);
  return -1;
}

const AttentionTensor* layerTensor(const RunResult& r, int layer) {
  for (const auto& a : r.attentions)
    if (a.layer == layer) return &a;
  return nullptr;
}

}  // namespace

class TestMainWindow : public QObject {
  Q_OBJECT
  QTemporaryDir settingsDir_;
  std::unique_ptr<MainWindow> w_;

  // Fills the panel for a plain id run on `model` and presses the Run button.
  void runIds(const char* model, int n, int generate = 0) {
    InputPanel* p = w_->inputPanel();
    p->setModelDir(modelDir(model));
    p->setSoftTokenFile(QString());
    p->setAnchor(QString());
    p->setPrompt(idsPrompt(n));
    p->setGenerate(generate);
    p->setStopAtEos(false);  // exactly `generate` tokens, however random the model is
    QTest::mouseClick(p->runButton(), Qt::LeftButton);
  }

  // Waits for the count of runs finished, or a banner (an error); false (with the banner
  // printed) when the run did not finish.
  bool waitFinished(QSignalSpy& finished, int count, int timeoutMs = 60000) {
    (void)QTest::qWaitFor([&] { return finished.count() >= count || w_->isBannerVisible(); },
                          timeoutMs);
    if (finished.count() < count) qWarning() << "banner:" << w_->bannerText();
    return finished.count() >= count;
  }

  // Runs n ids on `model` and waits: the result, or null when the run did not finish.
  const RunResult* runAndWait(const char* model, int n) {
    QSignalSpy finished(w_.get(), &MainWindow::runFinished);
    runIds(model, n);
    return waitFinished(finished, 1) ? w_->document()->result() : nullptr;
  }

 private slots:
  void initTestCase() {
    QVERIFY(settingsDir_.isValid());
    qt_support::isolateSettings(settingsDir_.path(), QStringLiteral("test_main_window"));
    QSettings().clear();
    QVERIFY2(QFile::exists(modelDir("llama_gqa") + "/config.json"), qPrintable(sharedDir()));
  }

  void init() {
    w_ = std::make_unique<MainWindow>();
    w_->resize(1400, 900);
    QVERIFY(showActive(w_.get()));
  }
  void cleanup() { w_.reset(); }

  void runShowsTheResultAndTheStatusBar() {
    const RunResult* r = runAndWait("llama_gqa", 12);
    QVERIFY(r);
    QCOMPARE(r->seqLen, 12);
    QCOMPARE(int(r->attentions.size()), 3);
    QVERIFY(!w_->isBannerVisible());
    auto label = [&](const char* name) {
      auto* l = w_->findChild<QLabel*>(QLatin1String(name));
      return l ? l->text() : QStringLiteral("<missing>");
    };
    QVERIFY2(label("deviceLabel").contains(QStringLiteral("cpu")),
             qPrintable(label("deviceLabel")));
    QVERIFY2(label("modelLabel").contains(QStringLiteral("llama")),
             qPrintable(label("modelLabel")));
    QVERIFY2(label("modelLabel").contains(QStringLiteral("202.7 k")),
             qPrintable(label("modelLabel")));  // 202688 parameters
    QVERIFY(label("runTimeLabel").contains(QStringLiteral(" s")));
    QVERIFY(label("resultMemoryLabel").contains(QStringLiteral("B")));
    // The toolbar follows the model: 3 layers, 4 heads (and "all").
    auto* layerSpin = w_->findChild<QSpinBox*>(QStringLiteral("layerSpin"));
    auto* headSpin = w_->findChild<QSpinBox*>(QStringLiteral("headSpin"));
    QCOMPARE(layerSpin->maximum(), 2);
    QCOMPARE(headSpin->minimum(), -1);
    QCOMPARE(headSpin->maximum(), 3);
    layerSpin->setValue(2);
    QCOMPARE(w_->document()->selection().layer, 2);
    headSpin->setValue(1);
    QCOMPARE(w_->document()->selection().head, HeadChoice::one(1));
    headSpin->setValue(-1);
    auto* aggregate = w_->findChild<QComboBox*>(QStringLiteral("aggregateCombo"));
    aggregate->setCurrentIndex(aggregate->findData(QVariant::fromValue(HeadChoice::max())));
    QCOMPARE(w_->document()->selection().head, HeadChoice::max());
    // The model is remembered.
    QTRY_VERIFY(Settings::recentModels().contains(modelDir("llama_gqa")));
  }

  void predictionsByLayerShowTheLogitLens() {
    const RunResult* r = runAndWait("llama_gqa", 10);
    QVERIFY(r);
    const int L = r->model.layers;
    const int64_t V = r->model.vocab;
    QCOMPARE(int(r->logitLens.size()), (L + 1) * int(V));
    auto* dock = w_->findChild<QDockWidget*>(QStringLiteral("lensDock"));
    QVERIFY(dock);
    dock->raise();
    LensView* lens = w_->lensView();
    lens->refreshNow();
    QVERIFY2(!lens->isEmptyShown(), qPrintable(lens->emptyText()));
    QCOMPARE(lens->table()->rowCount(), L + 1);
    // The output row's likeliest token is the model's prediction (the argmax of its logits).
    const auto argmax =
        std::max_element(r->logits.end() - V, r->logits.end()) - (r->logits.end() - V);
    QCOMPARE(lens->rows().back().top.front().id, static_cast<int64_t>(argmax));
    QCOMPARE(lens->rows().back().targetRank, 1);
    QVERIFY2(lens->heading().contains(QStringLiteral("position 9")), qPrintable(lens->heading()));
    // A chosen target: its rank in every row, counted from the run's own log-probabilities.
    lens->setTarget(7);
    lens->refreshNow();
    for (int l = 0; l <= L; ++l) {
      const float* lp = r->logitLens.data() + static_cast<std::size_t>(l) * V;
      int rank = 1;
      for (int64_t v = 0; v < V; ++v) rank += (lp[v] > lp[7] || (lp[v] == lp[7] && v < 7)) ? 1 : 0;
      QCOMPARE(lens->table()->item(l, LensView::kTop + 1)->text(), QString::number(rank));
      // The curves under the table: 1 / that rank, and the probability exp(log p) of the run's
      // own log-probability (the table rounds it; the curve holds it as computed).
      QCOMPARE(lens->plottedReciprocalRanks().at(std::size_t(l)), 1.0 / rank);
      QCOMPARE(lens->plottedProbabilities().at(std::size_t(l)), std::exp(double(lp[7])));
    }
    QCOMPARE(int(lens->plottedProbabilities().size()), L + 1);
    QCOMPARE(lens->findChild<QSpinBox*>(QStringLiteral("lensTarget"))->value(), 7);
    QDir().mkpath(QStringLiteral("/tmp/attnx-shots"));
    QVERIFY(dock->grab().save(QStringLiteral("/tmp/attnx-shots/lens_dock.png")));
    // The curves go beside the table in a wide view, under it in a narrow one.
    auto* split = lens->findChild<QSplitter*>(QStringLiteral("lensSplitter"));
    QVERIFY(split);
    dock->setFloating(true);
    dock->resize(1000, 300);
    QTRY_COMPARE(split->orientation(), Qt::Horizontal);
    QVERIFY(dock->grab().save(QStringLiteral("/tmp/attnx-shots/lens_wide.png")));
    dock->resize(520, 420);
    QTRY_COMPARE(split->orientation(), Qt::Vertical);
    dock->setFloating(false);
    // Its figure is a text table: drawn into an image, something is painted.
    QImage figure(900, 300, QImage::Format_ARGB32);
    figure.fill(Qt::transparent);
    {
      QPainter p(&figure);
      lens->renderTo(p, QRectF(0, 0, 900, 300), FigureMarks{});
    }
    QVERIFY(figure.save(QStringLiteral("/tmp/attnx-shots/lens_figure.png")));
    QCOMPARE(figure.pixelColor(2, 2), QColor(Qt::white));
  }

  // The panel predicts the run's memory as the fields change, from the exact token count: the
  // demo model's tokenizer composes the same input the run then has.
  void theInputPanelPredictsTheMemoryOfTheRun() {
    InputPanel* p = w_->inputPanel();
    p->setModelDir(qt_support::demoDir());
    p->setSoftTokenFile(QString());
    p->setAnchor(QStringLiteral("Answer:"));
    p->setPrompt(QStringLiteral("The owl sat on the old branch."));
    p->setGenerate(0);
    p->setLastRowOnly(false);
    QLabel* memory = p->memoryLabel();
    QTRY_VERIFY_WITH_TIMEOUT(memory->text().contains(QStringLiteral("tokens")), 20000);
    const QString full = memory->toolTip();
    QVERIFY2(full.contains(QStringLiteral("captured attention")), qPrintable(full));
    QSignalSpy finished(w_.get(), &MainWindow::runFinished);
    QTest::mouseClick(p->runButton(), Qt::LeftButton);
    QVERIFY(waitFinished(finished, 1));
    const int T = w_->document()->result()->seqLen;
    QVERIFY2(memory->text().contains(QStringLiteral(" %1 tokens").arg(T)),
             qPrintable(memory->text()));
    // Last row only keeps less: the tooltip's parts change with the policy.
    p->setLastRowOnly(true);
    QTRY_VERIFY_WITH_TIMEOUT(memory->toolTip() != full, 20000);
    QVERIFY(memory->styleSheet().isEmpty());  // fits
  }

  void clickingAHeadCellShowsExactlyThatHead() {
    QSignalSpy finished(w_.get(), &MainWindow::runFinished);
    runIds("llama_gqa", 10);
    QVERIFY(waitFinished(finished, 1));
    HeadGridView* grid = w_->headGridView();
    grid->refreshNow();
    const int layer = 1, head = 3;
    const QRect cell = grid->cellRect(layer, head);
    QVERIFY2(!cell.isEmpty(), "the head grid shows no cell for layer 1, head 3");
    QTest::mouseClick(grid, Qt::LeftButton, {}, cell.center());
    QCOMPARE(w_->document()->selection().layer, layer);
    QCOMPARE(w_->document()->selection().head, HeadChoice::one(head));

    HeatmapView* heat = w_->heatmapView();
    heat->refreshNow();
    const RunResult& r = *w_->document()->result();
    const AttentionTensor* a = layerTensor(r, layer);
    QVERIFY(a);
    QCOMPARE(heat->displayedKeys(), a->keys);
    QCOMPARE(heat->displayedRows(), r.seqLen);
    const std::vector<float> shown = heat->displayedValues();
    QCOMPARE(int(shown.size()), heat->displayedRows() * heat->displayedKeys());
    int mismatches = 0;
    double otherHeadDiff = 0;  // proves the comparison can tell heads apart
    for (int row = 0; row < heat->displayedRows(); ++row) {
      const int q = rowOf(*a, heat->displayedQueryPositions().at(row));
      QVERIFY(q >= 0);
      for (int k = 0; k < a->keys; ++k) {
        const float want = a->at(0, head, q, k);
        if (shown[std::size_t(row) * a->keys + k] != want) ++mismatches;
        otherHeadDiff = std::max(otherHeadDiff, double(std::abs(want - a->at(0, 0, q, k))));
      }
    }
    QCOMPARE(mismatches, 0);
    QVERIFY(otherHeadDiff > 1e-3);
  }

  void clickingATokenMovesTheQuery() {
    QSignalSpy finished(w_.get(), &MainWindow::runFinished);
    runIds("gpt2_tiny", 9);
    QVERIFY(waitFinished(finished, 1));
    TokenStripView* strip = w_->tokenStripView();
    strip->refreshNow();
    QCOMPARE(w_->document()->resolvedQuery(), 8);  // the last position by default
    const QRect chip = strip->tokenRect(4);
    QVERIFY2(!chip.isEmpty(), "the strip shows no chip for position 4");
    QTest::mouseClick(strip, Qt::LeftButton, {}, chip.center());
    QCOMPARE(w_->document()->resolvedQuery(), 4);
    // The strip now shades the attention of query 4: nothing after it (causal).
    strip->refreshNow();
    const std::vector<float>& weights = strip->shownWeights();
    QCOMPARE(int(weights.size()), 9);
    for (int k = 5; k < 9; ++k) QCOMPARE(weights[k], 0.0f);
  }

  void escCancelsAndKeepsThePreviousResult() {
    QSignalSpy finished(w_.get(), &MainWindow::runFinished);
    QSignalSpy cancelled(w_.get(), &MainWindow::runCancelled);
    runIds("llama_gqa", 8);
    QVERIFY(waitFinished(finished, 1));
    const std::shared_ptr<const RunResult> before = w_->document()->sharedResult();

    // A long run: 40 generated tokens, slowed down so that it is surely still running.
    w_->controller()->workerForTesting()->setProgressDelayForTesting(20);
    QSignalSpy progress(w_->controller(), &InferenceController::progress);
    runIds("llama_gqa", 30, 40);
    QTRY_VERIFY_WITH_TIMEOUT(progress.count() >= 2, 60000);
    QVERIFY(w_->inputPanel()->cancelButton()->isEnabled());
    w_->heatmapView()->setFocus();
    QTest::keyClick(w_.get(), Qt::Key_Escape);
    QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, 10000);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(w_->document()->sharedResult(), before);  // nothing lost
    QVERIFY(!w_->isBannerVisible());
    QTRY_VERIFY(!w_->inputPanel()->cancelButton()->isEnabled());
    auto* text = w_->findChild<QLabel*>(QStringLiteral("progressText"));
    QCOMPARE(text->text(), QStringLiteral("cancelled"));
  }

  void theEventLoopTurnsDuringARun() {
    w_->controller()->workerForTesting()->setProgressDelayForTesting(15);
    QSignalSpy finished(w_.get(), &MainWindow::runFinished);
    int ticks = 0;
    QTimer timer;
    timer.setInterval(10);
    connect(&timer, &QTimer::timeout, this, [&] {
      if (w_->controller()->isBusy()) ++ticks;
    });
    timer.start();
    QElapsedTimer clock;
    clock.start();
    runIds("llama_gqa", 16, 10);
    QVERIFY(waitFinished(finished, 1));
    qInfo("run took %lld ms; the GUI timer ticked %d times meanwhile", clock.elapsed(), ticks);
    // 3 layers x 11 passes x 15 ms is about 0.5 s: a blocked GUI would not tick at all.
    QVERIFY(ticks >= 10);
  }

  void aBrokenModelGivesAMessageAndTheWindowStaysUsable() {
    QTemporaryDir broken;
    QFile cfg(broken.filePath(QStringLiteral("config.json")));
    QVERIFY(cfg.open(QIODevice::WriteOnly));
    cfg.write("{ this is not json");
    cfg.close();
    QSignalSpy loadFailed(w_.get(), &MainWindow::modelLoadFailed);
    w_->openModelDirectory(broken.path());
    QTRY_COMPARE_WITH_TIMEOUT(loadFailed.count(), 1, 30000);
    QVERIFY(w_->isBannerVisible());
    QVERIFY2(w_->bannerText().contains(QStringLiteral("config.json")),
             qPrintable(w_->bannerText()));
    QVERIFY(!Settings::recentModels().contains(broken.path()));

    // Bad input in a field: a message too, and nothing is submitted.
    w_->inputPanel()->setModelDir(modelDir("llama_gqa"));
    w_->inputPanel()->setPrompt(QStringLiteral("ids: 1, two"));
    QVERIFY(!w_->startRun());
    QVERIFY2(w_->bannerText().contains(QStringLiteral("two")), qPrintable(w_->bannerText()));
    QVERIFY(!w_->controller()->isBusy());

    // The window still works: a good run (with Ctrl+R) clears the message.
    QSignalSpy finished(w_.get(), &MainWindow::runFinished);
    w_->inputPanel()->setPrompt(idsPrompt(6));
    w_->heatmapView()->setFocus();
    QTest::keyClick(w_.get(), Qt::Key_R, Qt::ControlModifier);
    QVERIFY(waitFinished(finished, 1));
    QVERIFY(!w_->isBannerVisible());
    QCOMPARE(w_->document()->result()->seqLen, 6);

    // The banner can be dismissed by its button.
    w_->showBanner(QStringLiteral("test message"));
    auto* close = w_->findChild<QToolButton*>(QStringLiteral("messageBannerClose"));
    QVERIFY(close);
    QTest::mouseClick(close, Qt::LeftButton);
    QVERIFY(!w_->isBannerVisible());
  }

  void arrowKeysMoveLayerAndHeadInTheViews() {
    QSignalSpy finished(w_.get(), &MainWindow::runFinished);
    runIds("llama_gqa", 6);
    QVERIFY(waitFinished(finished, 1));
    w_->document()->setLayer(0);
    w_->document()->setHead(HeadChoice::mean());
    w_->heatmapView()->setFocus();
    QTRY_VERIFY(w_->heatmapView()->hasFocus() ||
                w_->heatmapView()->isAncestorOf(QApplication::focusWidget()));
    QWidget* target = QApplication::focusWidget();
    QTest::keyClick(target, Qt::Key_Down);
    QCOMPARE(w_->document()->selection().layer, 1);
    QTest::keyClick(target, Qt::Key_Down);
    QTest::keyClick(target, Qt::Key_Down);  // stays on the last layer
    QCOMPARE(w_->document()->selection().layer, 2);
    QTest::keyClick(target, Qt::Key_Up);
    QCOMPARE(w_->document()->selection().layer, 1);
    QTest::keyClick(target, Qt::Key_Right);
    QCOMPARE(w_->document()->selection().head, HeadChoice::one(0));
    QTest::keyClick(target, Qt::Key_Right);
    QCOMPARE(w_->document()->selection().head, HeadChoice::one(1));
    QTest::keyClick(target, Qt::Key_Left);
    QTest::keyClick(target, Qt::Key_Left);
    QCOMPARE(w_->document()->selection().head, HeadChoice::mean());
    // In a text field the arrows keep their meaning.
    auto* anchor = w_->findChild<QLineEdit*>(QStringLiteral("anchorEdit"));
    anchor->setFocus();
    QTest::keyClick(anchor, Qt::Key_Down);
    QCOMPARE(w_->document()->selection().layer, 1);
  }

  void windowGeometryIsRemembered() {
    w_->resize(1234, 777);
    QTest::qWait(50);
    w_->close();
    w_ = std::make_unique<MainWindow>();
    QCOMPARE(w_->size(), QSize(1234, 777));
    // The recent models fill the directory combo.
    auto* combo = w_->findChild<QComboBox*>(QStringLiteral("modelDirCombo"));
    QVERIFY(combo->findText(modelDir("llama_gqa")) >= 0);
  }

  // Fills the panel with the reference case's 4 soft tokens (written to `soft`), BOS, an anchor
  // of 3 ids and a prompt of 14 ids on llama_gqa, generating `generate` tokens.
  void fillSoftTokenInput(const QString& soft, int generate) {
    const SafetensorsFile ref = SafetensorsFile::open(
        (sharedDir() + "/fixtures/cases/llama_gqa__b_soft_prefix.safetensors").toStdString());
    const TensorView& prefix = ref.at("in.soft_prefix");
    writeSafetensors(soft.toStdString(),
                     {OwnedTensor::fromFloats("soft_tokens", prefix.shape,
                                              reinterpret_cast<const float*>(prefix.data))});
    InputPanel* p = w_->inputPanel();
    p->setModelDir(modelDir("llama_gqa"));
    p->setSoftTokenFile(soft);
    p->setBosAfterSoft(true);
    p->setAnchor(QStringLiteral("ids: 40, 41, 42"));
    p->setPrompt(idsPrompt(14));
    p->setGenerate(generate);
    p->setStopAtEos(false);
  }

  void scanningTheHeadsShowsTheCausalGridBesideTheMassGrid() {
    // The golden scan's input in the window: its soft rows, no BOS or anchor, its ids.
    const SafetensorsFile golden = SafetensorsFile::open(
        (sharedDir() + "/fixtures/analyses/llama_gqa_soft.safetensors").toStdString());
    const auto& meta = golden.metadata();
    QTemporaryDir tmp;
    const QString soft = tmp.filePath(QStringLiteral("soft.safetensors"));
    const TensorView& prefix = golden.at("in.soft_prefix");
    writeSafetensors(soft.toStdString(),
                     {OwnedTensor::fromFloats("soft_tokens", prefix.shape,
                                              reinterpret_cast<const float*>(prefix.data))});
    QStringList ids;
    for (const QJsonValue& v :
         QJsonDocument::fromJson(QByteArray::fromStdString(meta.at("input_ids"))).array())
      ids << QString::number(v.toInteger());
    InputPanel* p = w_->inputPanel();
    p->setModelDir(modelDir(meta.at("model").c_str()));
    p->setSoftTokenFile(soft);
    p->setBosAfterSoft(false);
    p->setAnchor(QString());
    p->setPrompt(QStringLiteral("ids: ") + ids.join(QStringLiteral(", ")));
    p->setGenerate(0);
    QSignalSpy finished(w_.get(), &MainWindow::runFinished);
    QTest::mouseClick(p->runButton(), Qt::LeftButton);
    QVERIFY(waitFinished(finished, 1));
    const RunResult* run = w_->document()->result();
    const int M = std::stoi(meta.at("soft_tokens"));
    QCOMPARE(run->seqLen, M + int(ids.size()));
    for (int i = 0; i < int(ids.size()); ++i)
      QCOMPARE(QString::number(run->inputIds.at(std::size_t(M + i))), ids[i]);

    auto* action = w_->findChild<QAction*>(QStringLiteral("scanHeadsAction"));
    QVERIFY(action && action->isEnabled());
    auto* dock = w_->findChild<QDockWidget*>(QStringLiteral("causalDock"));
    QVERIFY(dock && dock->isHidden());
    QSignalSpy scanned(w_.get(), &MainWindow::scanFinished);
    QSignalSpy failed(w_.get(), &MainWindow::scanFailed);
    QVERIFY(w_->scanHeads(QString::fromStdString(meta.at("scan_keys"))));
    QTRY_VERIFY_WITH_TIMEOUT(scanned.count() == 1 || failed.count() == 1, 60000);
    QVERIFY2(scanned.count() == 1, qPrintable(w_->bannerText()));
    QVERIFY(dock->isVisible());
    QVERIFY(w_->findChild<QDockWidget*>(QStringLiteral("headsDock"))->isVisible());  // beside

    // Every cell against transformers' own scan (the goldens' tolerance, analysis_goldens.h:
    // a difference of two float32 log-probabilities of order 1-10, 1e-4 + 1e-3 relative).
    CausalGridView* grid = w_->causalGridView();
    QVERIFY(grid->scan().has_value());
    QCOMPARE(grid->scan()->target, std::stoll(meta.at("scan_target")));
    const TensorView& delta = golden.at("scan.delta");
    const int L = int(delta.shape.at(0)), H = int(delta.shape.at(1));
    const auto* ref = reinterpret_cast<const float*>(delta.data);
    double most = 0;
    for (int l = 0; l < L; ++l)
      for (int h = 0; h < H; ++h) {
        const double ours = grid->cellValue(l, h), theirs = ref[l * H + h];
        QVERIFY2(std::isfinite(ours), qPrintable(QStringLiteral("cell %1.%2").arg(l).arg(h)));
        most = std::max(most, std::abs(ours - theirs));
        QVERIFY2(
            std::abs(ours - theirs) <= 1e-4 + 1e-3 * std::abs(theirs),
            qPrintable(QStringLiteral("cell %1.%2: %3 vs %4").arg(l).arg(h).arg(ours).arg(theirs)));
      }
    qInfo("causal grid vs transformers: max |diff| %.3g over %d heads", most, L * H);
    QCOMPARE(grid->figureViewName(), QStringLiteral("causal_grid"));
    // A cell selects its head.
    grid->refreshNow();
    QTest::mouseClick(grid, Qt::LeftButton, {}, grid->cellRect(1, 2).center());
    QCOMPARE(w_->document()->selection().layer, 1);
    QCOMPARE(w_->document()->selection().head, HeadChoice::one(2));
    QTest::qWait(200);
    QDir().mkpath(QStringLiteral("/tmp/attnx-shots"));
    QVERIFY(w_->grab().save(QStringLiteral("/tmp/attnx-shots/causal_grid.png")));

    // Esc cancels a scan under way (started, not only queued), and the grid keeps the last one.
    QAction* cancel = w_->findChild<QAction*>(QStringLiteral("cancelAction"));
    w_->controller()->workerForTesting()->setProgressDelayForTesting(200);
    QVERIFY(w_->scanHeads(QStringLiteral("soft")));
    QTRY_VERIFY_WITH_TIMEOUT(w_->scanController()->isRunning(), 10000);
    QVERIFY(cancel->isEnabled());
    QTest::keyClick(w_.get(), Qt::Key_Escape);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("cancelled"));
    QVERIFY(grid->scan().has_value());
    QTRY_VERIFY(!cancel->isEnabled());  // nothing left to cancel
    // Three asked for at once: the running one and the newest are answered, the one replaced
    // while queued is not; then Esc has nothing left to cancel.
    QVERIFY(w_->scanHeads(QStringLiteral("soft")));
    QTRY_VERIFY_WITH_TIMEOUT(w_->scanController()->isRunning(), 10000);
    QVERIFY(w_->scanHeads(QStringLiteral("text")));
    QVERIFY(w_->scanHeads(QStringLiteral("0-1")));
    w_->controller()->workerForTesting()->setProgressDelayForTesting(0);
    QTRY_COMPARE_WITH_TIMEOUT(scanned.count(), 3, 60000);
    QCOMPARE(grid->scan()->keys, std::string("0-1"));
    QTRY_VERIFY(!cancel->isEnabled());
    QCOMPARE(failed.count(), 1);
    // A new run clears it: the grid belongs to the run it was made on.
    QTest::mouseClick(p->runButton(), Qt::LeftButton);
    QVERIFY(waitFinished(finished, 2));
    QVERIFY(!grid->scan().has_value());
    QVERIFY(std::isnan(grid->cellValue(0, 0)));
  }

  void aSoftTokenRunRendersAtFullSize() {
    // Soft tokens from the reference case, BOS, an anchor and a prompt given as ids.
    QTemporaryDir tmp;
    fillSoftTokenInput(tmp.filePath(QStringLiteral("soft.safetensors")), 4);
    InputPanel* p = w_->inputPanel();
    QSignalSpy finished(w_.get(), &MainWindow::runFinished);
    QTest::mouseClick(p->runButton(), Qt::LeftButton);
    QVERIFY(waitFinished(finished, 1));
    const RunResult* r = w_->document()->result();
    QCOMPARE(r->seqLen, 4 + 1 + 3 + 14);
    std::vector<SegmentKind> kinds;
    for (const Segment& seg : r->layout[0]) kinds.push_back(seg.kind);
    QCOMPARE(kinds, (std::vector<SegmentKind>{SegmentKind::Soft, SegmentKind::Bos,
                                              SegmentKind::Anchor, SegmentKind::Text}));
    auto* legend = w_->findChild<SegmentLegend*>(QStringLiteral("segmentLegend"));
    QCOMPARE(legend->summaryForTesting(), QStringLiteral("soft 4 · BOS 1 · anchor 3 · text 14 · "
                                                         "generated 4"));

    w_->resize(1600, 1000);
    QTest::qWait(300);  // let the views lay out and repaint
    const QImage shot = w_->grab().toImage();
    QCOMPARE(shot.size() / shot.devicePixelRatio(), QSize(1600, 1000));
    // Optional: keep the picture for a look (set ATTNX_SCREENSHOT_DIR).
    const QByteArray dir = qgetenv("ATTNX_SCREENSHOT_DIR");
    if (!dir.isEmpty()) QVERIFY(shot.save(QString::fromLocal8Bit(dir) + "/main_window.png"));
  }

  void aHeadKnockedOutFromTheGridOpensBesideTheRun() {
    QTemporaryDir tmp;
    fillSoftTokenInput(tmp.filePath(QStringLiteral("soft.safetensors")), 0);
    QSignalSpy finished(w_.get(), &MainWindow::runFinished);
    QTest::mouseClick(w_->inputPanel()->runButton(), Qt::LeftButton);
    QVERIFY(waitFinished(finished, 1));
    const std::shared_ptr<const RunResult> original = w_->document()->sharedResult();
    w_->document()->setLayer(1);
    w_->document()->setHead(HeadChoice::one(2));
    const Selection selection = w_->document()->selection();
    w_->heatmapView()->setColorMap(ColorMapKind::Magma);

    // The strip offers every head's and the selected head's knockouts of a token and its segment.
    std::vector<QString> specs;
    for (const KnockoutChoice& c : w_->tokenStripView()->knockoutChoices(0))
      specs.push_back(c.spec);
    QCOMPARE(specs,
             (std::vector<QString>{QStringLiteral("all:all:0-0"), QStringLiteral("all:all:soft"),
                                   QStringLiteral("1:2:0-0"), QStringLiteral("1:2:soft")}));

    // Right-click the grid's cell of layer 1, head 2 and choose its knockout of the soft tokens.
    HeadGridView* grid = w_->headGridView();
    grid->refreshNow();
    const QRect cell = grid->cellRect(1, 2);
    QVERIFY(!cell.isEmpty());
    MainWindow* other = nullptr;
    QString summary;
    connect(w_.get(), &MainWindow::knockoutOpened, this, [&](MainWindow* o, const QString& s) {
      other = o;
      summary = s;
    });
    QStringList offered;
    QTimer::singleShot(0, this, [&] {
      auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
      if (!menu) return;
      for (QAction* a : menu->actions()) {
        if (!a->data().toString().isEmpty()) offered << a->data().toString();
        if (a->data().toString() == QLatin1String("1:2:soft")) a->trigger();
      }
      menu->close();
    });
    QContextMenuEvent click(QContextMenuEvent::Mouse, cell.center(),
                            grid->mapToGlobal(cell.center()));
    QApplication::sendEvent(grid, &click);
    QVERIFY2(offered.contains(QStringLiteral("1:all:soft")), qPrintable(offered.join(' ')));
    QTRY_VERIFY_WITH_TIMEOUT(other != nullptr || w_->isBannerVisible(), 60000);
    QVERIFY2(other, qPrintable(w_->bannerText()));
    std::unique_ptr<MainWindow> owned(other);            // the test closes it
    QCOMPARE(w_->document()->sharedResult(), original);  // the explorer's run stays

    const RunResult& changed = *other->document()->result();
    QCOMPARE(changed.knockouts, std::vector<std::string>{"1:2:soft"});
    QCOMPARE(changed.inputIds, original->inputIds);
    // Head 2 of layer 1 gives the soft tokens (positions 0-3) nothing, from every query that has
    // another key to attend to; layer 0 and the other heads of layer 1 see the same input as
    // before and compute the same float32 operations on it (1e-6: a reduction split otherwise).
    const int T = changed.seqLen, H = changed.model.heads;
    const AttentionTensor* before1 = layerTensor(*original, 1);
    const AttentionTensor* after1 = layerTensor(changed, 1);
    const AttentionTensor* before0 = layerTensor(*original, 0);
    const AttentionTensor* after0 = layerTensor(changed, 0);
    QVERIFY(before1 && after1 && before0 && after0 && after1->queries == T);
    double unchanged = 0;
    for (std::size_t i = 0; i < before0->f32.size(); ++i)
      unchanged = std::max(unchanged, double(std::abs(before0->f32[i] - after0->f32[i])));
    for (int h = 0; h < H; ++h)
      for (int q = 0; q < T; ++q) {
        const std::size_t row = (std::size_t(h) * T + q) * T;
        float soft = 0, sum = 0;
        for (int k = 0; k < T; ++k) {
          sum += after1->f32[row + k];
          if (k < 4) soft += after1->f32[row + k];
          if (h != 2)
            unchanged =
                std::max(unchanged, double(std::abs(after1->f32[row + k] - before1->f32[row + k])));
        }
        if (h == 2 && q >= 4) QCOMPARE(soft, 0.0f);
        QVERIFY(std::abs(sum - 1.0f) <= 1e-5f);
      }
    qInfo("knockout 1:2:soft: heads not knocked out differ by %.3g", unchanged);
    QVERIFY(unchanged <= 1e-6);

    // The summary: the likeliest token before and after and the change of its log-probability,
    // from the two runs' last-row logits.
    const int64_t V = changed.model.vocab;
    const auto logSoftmax = [&](const RunResult& r, int64_t id) {
      const float* x = r.logits.data() + r.logits.size() - V;
      double m = -INFINITY, z = 0;
      for (int64_t v = 0; v < V; ++v) m = std::max(m, double(x[v]));
      for (int64_t v = 0; v < V; ++v) z += std::exp(double(x[v]) - m);
      return double(x[id]) - m - std::log(z);
    };
    const float* last = original->logits.data() + original->logits.size() - V;
    const int64_t top = std::max_element(last, last + V) - last;
    const double delta = logSoftmax(changed, top) - logSoftmax(*original, top);
    qInfo("%s (by hand: delta %.6f)", qPrintable(summary), delta);
    QVERIFY2(summary.contains(QLocale().toString(delta, 'f', 3)), qPrintable(summary));
    QVERIFY2(w_->statusBar()->currentMessage().startsWith(summary),
             qPrintable(w_->statusBar()->currentMessage()));
    // Beside the run, as it is shown: the selection and the look of the original.
    QVERIFY2(other->windowTitle().contains(QStringLiteral("knockout 1:2:soft")),
             qPrintable(other->windowTitle()));
    QCOMPARE(other->document()->selection(), selection);
    QCOMPARE(int(other->heatmapView()->colorScale().map), int(ColorMapKind::Magma));
    QVERIFY(QTest::qWaitForWindowExposed(other));
    QTRY_VERIFY(!other->tokenStripView()->isEmptyShown());  // every view shows it
    QCOMPARE(other->statusBar()->currentMessage(), summary);
    QTest::qWait(100);  // the status line painted
    QDir().mkpath(QStringLiteral("/tmp/attnx-shots"));
    QVERIFY(other->grab().save(QStringLiteral("/tmp/attnx-shots/knockout_beside.png")));
    // It runs on this window's inference thread (the model held once), and closing it leaves
    // the settings, this window's, as they were.
    QCOMPARE(other->inferenceService(), w_->inferenceService());
    Settings::set(Settings::Key::WindowGeometry, QByteArray("the explorer's"));
    QCloseEvent close;
    QApplication::sendEvent(other, &close);  // closeEvent without the delete-on-close
    QCOMPARE(Settings::get(Settings::Key::WindowGeometry).toByteArray(),
             QByteArray("the explorer's"));

    // A spec that is not one, and one the model cannot have.
    QSignalSpy failed(w_.get(), &MainWindow::knockoutFailed);
    QVERIFY(!w_->knockOut(QStringLiteral("soft tokens")));
    QVERIFY2(w_->bannerText().contains(QStringLiteral("soft tokens")),
             qPrintable(w_->bannerText()));
    QVERIFY(w_->knockOut(QStringLiteral("9:0:soft")));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 60000);
    QVERIFY2(w_->bannerText().contains(QStringLiteral("9:0:soft")), qPrintable(w_->bannerText()));
    QCOMPARE(w_->document()->sharedResult(), original);

    // Two knockouts asked for at once both open; the knockout window's run knocked out again
    // keeps its own knockout.
    std::vector<std::unique_ptr<MainWindow>> more;
    connect(w_.get(), &MainWindow::knockoutOpened, this,
            [&](MainWindow* o, const QString&) { more.emplace_back(o); });
    QVERIFY(w_->knockOut(QStringLiteral("0:1:soft")));
    QVERIFY(w_->knockOut(QStringLiteral("0:2:soft")));
    QTRY_COMPARE_WITH_TIMEOUT(int(more.size()), 2, 60000);
    MainWindow* first = owned.get();  // `other` names the latest knockout window by now
    connect(first, &MainWindow::knockoutOpened, this,
            [&](MainWindow* o, const QString&) { more.emplace_back(o); });
    QVERIFY(first->knockOut(QStringLiteral("0:0:soft")));
    QTRY_COMPARE_WITH_TIMEOUT(int(more.size()), 3, 60000);
    QCOMPARE(more.back()->document()->result()->knockouts,
             (std::vector<std::string>{"1:2:soft", "0:0:soft"}));
    QVERIFY2(more.back()->windowTitle().contains(QStringLiteral("1:2:soft + 0:0:soft")),
             qPrintable(more.back()->windowTitle()));

    // The shown run's own input is knocked out, whatever the input panel holds since; and a run
    // opened from its file, in a window whose panel holds nothing, the same way.
    w_->inputPanel()->setPrompt(idsPrompt(13));
    const QString file = tmp.filePath(QStringLiteral("run.safetensors"));
    writeRunFile(file.toStdString(), *original, "full");
    MainWindow opened;
    opened.resize(1400, 900);
    QVERIFY(showActive(&opened));
    QSignalSpy read(&opened, &MainWindow::runFileOpened);
    opened.openRunFile(file);
    QTRY_COMPARE_WITH_TIMEOUT(read.count(), 1, 30000);
    MainWindow* fromFile = nullptr;
    connect(&opened, &MainWindow::knockoutOpened, this,
            [&](MainWindow* o, const QString&) { fromFile = o; });
    QVERIFY2(opened.knockOut(QStringLiteral("1:2:soft")), qPrintable(opened.bannerText()));
    QTRY_VERIFY_WITH_TIMEOUT(fromFile != nullptr || opened.isBannerVisible(), 60000);
    QVERIFY2(fromFile, qPrintable(opened.bannerText()));
    std::unique_ptr<MainWindow> ownedFromFile(fromFile);
    const RunResult& again = *fromFile->document()->result();
    QCOMPARE(again.inputIds, original->inputIds);
    QCOMPARE(again.knockouts, changed.knockouts);
    // The same knockout of the same input: the same weights (1e-6 as above).
    double same = 0;
    const AttentionTensor* again1 = layerTensor(again, 1);
    QVERIFY(again1 && again1->f32.size() == after1->f32.size());
    for (std::size_t i = 0; i < after1->f32.size(); ++i)
      same = std::max(same, double(std::abs(again1->f32[i] - after1->f32[i])));
    qInfo("knockout of the opened run vs of the live run: max |diff| %.3g", same);
    QVERIFY(same <= 1e-6);
  }

  void ctrlQClosesTheWindow() {
    QVERIFY(w_->isVisible());
    QTest::keyClick(w_.get(), Qt::Key_Q, Qt::ControlModifier);
    QTRY_VERIFY(!w_->isVisible());
  }

  void theDemoOpensWithAFinishedSoftTokenRun() {
    if (!initDemoResources() || !Demo::available())
      QSKIP("this build has no demo model (resources/demo/ was incomplete at configure time)");
    QSignalSpy finished(w_.get(), &MainWindow::runFinished);
    QVERIFY2(w_->openDemo(true), qPrintable(w_->bannerText()));
    QVERIFY(waitFinished(finished, 1, 120000));
    const RunResult* r = w_->document()->result();
    QVERIFY(r);
    QVERIFY(!r->layout.empty());
    QCOMPARE(r->layout[0].front().kind, SegmentKind::Soft);
    auto* legend = w_->findChild<SegmentLegend*>(QStringLiteral("segmentLegend"));
    QVERIFY(legend);
    QVERIFY2(legend->summaryForTesting().contains(QStringLiteral("soft")),
             qPrintable(legend->summaryForTesting()));
    // The model answers the soft-token question as its trainer recorded (examples.jsonl).
    const DemoExample ex = Demo::startupExample(w_->inputPanel()->modelDir());
    QVERIFY(!ex.expected.isEmpty());
    QCOMPARE(r->generated, 1);
    QVERIFY2(QString::fromStdString(r->generatedText).trimmed() == ex.expected,
             r->generatedText.c_str());
    // The demo folder is not a "recent model".
    QVERIFY(!Settings::recentModels().contains(w_->inputPanel()->modelDir()));
    // The field names it, not its hashed cache path; the folder is still the one it runs.
    auto* field = w_->inputPanel()->findChild<QComboBox*>(QStringLiteral("modelDirCombo"));
    QVERIFY(field);
    QCOMPARE(field->currentText(), QStringLiteral("built-in demo"));
    QVERIFY(QFileInfo(w_->inputPanel()->modelDir() + QStringLiteral("/config.json")).exists());
    // The colour map chosen on the heatmap colours the grid too.
    w_->heatmapView()->setColorMap(ColorMapKind::Magma);
    QCOMPARE(w_->headGridView()->colorMap(), ColorMapKind::Magma);
    w_->heatmapView()->setColorMap(ColorMapKind::Viridis);
    QCOMPARE(w_->headGridView()->colorMap(), ColorMapKind::Viridis);
    // Another folder typed into the field replaces the name.
    field->setEditText(QStringLiteral("/somewhere/else"));
    QCOMPARE(w_->inputPanel()->modelDir(), QStringLiteral("/somewhere/else"));
    field->setEditText(QStringLiteral("built-in demo"));  // the name again: the demo again
    QVERIFY(QFileInfo(w_->inputPanel()->modelDir() + QStringLiteral("/config.json")).exists());
  }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
