// The explorer window's dataset side: the Dataset menu, dataset runs on the inference thread with
// their progress in the status bar, results files opened off the GUI thread, and the comparison
// window, whose example panes are answered here (the window that owns the inference thread).
#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeySequence>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>

#include "comparison_window.h"
#include "dataset_document.h"
#include "dataset_run_dialog.h"
#include "demo.h"
#include "error.h"
#include "inference_controller.h"
#include "inference_service.h"
#include "input_panel.h"
#include "main_window.h"
#include "results_loader.h"

namespace attnx {

void MainWindow::buildDatasetMenu() {
  datasetProgressLabel_ = new QLabel(this);
  datasetProgressLabel_->setObjectName(QStringLiteral("datasetProgressLabel"));
  datasetProgressLabel_->setToolTip(tr("Progress of the dataset run (Esc cancels it)"));
  datasetProgressLabel_->hide();
  statusBar()->addPermanentWidget(datasetProgressLabel_);

  auto* analyze = new QAction(tr("&Analyze dataset…"), this);
  analyze->setObjectName(QStringLiteral("analyzeDatasetAction"));
  analyze->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
  analyze->setToolTip(
      tr("Run the model over an examples file, keeping compact attention statistics per example "
         "(Ctrl+Shift+A)"));
  connect(analyze, &QAction::triggered, this, &MainWindow::analyzeDatasetDialog);

  auto* demo = new QAction(tr("Analyze the &demo dataset"), this);
  demo->setObjectName(QStringLiteral("analyzeDemoDatasetAction"));
  demo->setToolTip(tr("Run the built-in demo model over its 48 soft-token examples"));
  connect(demo, &QAction::triggered, this, &MainWindow::analyzeDemoDataset);

  auto* open = new QAction(tr("&Open results…"), this);
  open->setObjectName(QStringLiteral("openDatasetResultsAction"));
  open->setToolTip(tr("Open the results of a dataset run (stats.json) without running the model"));
  connect(open, &QAction::triggered, this, [this] { openDatasetResultsDialog(0); });

  auto* second = new QAction(tr("Compare with a &second run…"), this);
  second->setObjectName(QStringLiteral("compareSecondRunAction"));
  second->setToolTip(
      tr("Open the results of another run of the same examples (another checkpoint, or without "
         "soft tokens) to compare the two runs"));
  connect(second, &QAction::triggered, this, [this] { openDatasetResultsDialog(1); });

  auto* show = new QAction(tr("Show the &comparison"), this);
  show->setObjectName(QStringLiteral("showComparisonAction"));
  connect(show, &QAction::triggered, this, &MainWindow::showComparisonWindow);

  auto* explore = new QAction(tr("Open the left example in the &explorer"), this);
  explore->setObjectName(QStringLiteral("openExampleInExplorerAction"));
  explore->setToolTip(tr("Run the example shown on the left of the comparison here, in full"));
  connect(explore, &QAction::triggered, this, [this] {
    const auto ref = datasetDoc_->shownExample(0);
    if (ref.index >= 0) openExampleInExplorer(ref.run, ref.index);
  });

  QMenu* menu = menuBar()->addMenu(tr("&Dataset"));
  // The dataset run's own Cancel: Esc as well while the explorer has nothing to cancel (two
  // enabled actions on one key would make the key do nothing).
  cancelDatasetAction_ = new QAction(tr("&Cancel the dataset run"), this);
  cancelDatasetAction_->setObjectName(QStringLiteral("cancelDatasetAction"));
  cancelDatasetAction_->setShortcut(QKeySequence(Qt::Key_Escape));
  cancelDatasetAction_->setShortcutContext(Qt::ApplicationShortcut);
  cancelDatasetAction_->setToolTip(
      tr("Stop the dataset run; the finished examples stay in its results file (Esc)"));
  cancelDatasetAction_->setEnabled(false);
  connect(cancelDatasetAction_, &QAction::triggered, this, [this] {
    if (!datasetController_->isDatasetRunning()) return;
    datasetController_->cancel();
    statusBar()->showMessage(tr("Cancelling the dataset run…"));
  });
  auto syncCancel = [this] {
    cancelDatasetAction_->setEnabled(datasetController_->isBusy() && !controller_->isBusy());
  };
  connect(datasetController_, &InferenceController::busyChanged, this, syncCancel);
  connect(controller_, &InferenceController::busyChanged, this, syncCancel);
  addAction(cancelDatasetAction_);

  menu->addAction(analyze);
  menu->addAction(demo);
  menu->addAction(cancelDatasetAction_);
  menu->addSeparator();
  menu->addAction(open);
  menu->addAction(second);
  menu->addSeparator();
  menu->addAction(show);
  menu->addAction(explore);
  addAction(analyze);

  auto update = [this, second, show, explore] {
    const int runs = datasetDoc_->runCount();
    second->setEnabled(runs >= 1);
    show->setEnabled(runs >= 1);
    explore->setEnabled(datasetDoc_->shownExample(0).index >= 0);
  };
  connect(datasetDoc_, &DatasetDocument::datasetChanged, this, update);
  connect(datasetDoc_, &DatasetDocument::shownExampleChanged, this, update);
  update();

  connectDatasetSignals();
}

void MainWindow::connectDatasetSignals() {
  using C = InferenceController;
  connect(datasetController_, &C::datasetProgress, this,
          [this](int done, int total, double, const QString& text) {
            datasetProgressLabel_->setText(text);
            datasetProgressLabel_->show();
            panel_->setProgress(done, total, text);
          });
  connect(datasetController_, &C::datasetFinished, this,
          [this](std::shared_ptr<const DatasetResults> results, const QString& file) {
            datasetProgressLabel_->hide();
            panel_->setProgress(0, 0, tr("done"));
            if (!results) return;
            const int n = static_cast<int>(results->examples.size());
            if (shownResultsGeneration_ > datasetGeneration_) {
              // Results opened since the run started are shown: they stay.
              statusBar()->showMessage(
                  tr("Dataset run finished: %1 examples, saved in %2; the results opened since "
                     "stay shown")
                      .arg(n)
                      .arg(QDir::toNativeSeparators(file)),
                  15000);
              emit datasetFinished();
              return;
            }
            onDatasetResults(std::move(results), file, 0);
            statusBar()->showMessage(tr("Dataset run finished: %1 examples, saved in %2")
                                         .arg(n)
                                         .arg(QDir::toNativeSeparators(file)),
                                     10000);
            emit datasetFinished();
          });
  connect(datasetController_, &C::datasetFailed, this, [this](const QString& message, const QString&) {
    datasetProgressLabel_->hide();
    panel_->setProgress(0, 0, tr("failed"));
    showBanner(tr("The dataset run failed: %1").arg(message));
    emit datasetFailed(message);
  });
  connect(datasetController_, &C::datasetCancelled, this,
          [this](int done, int total, const QString& file) {
            datasetProgressLabel_->hide();
            panel_->setProgress(0, 0, tr("cancelled"));
            statusBar()->showMessage(
                tr("Cancelled: %1 / %2 examples are saved in %3; analyze the dataset again to "
                   "continue")
                    .arg(done)
                    .arg(total)
                    .arg(QDir::toNativeSeparators(file)),
                15000);
            emit datasetCancelled();
          });
}

bool MainWindow::startDatasetRun(const DatasetJob& job) {
  if (job.model.dir.trimmed().isEmpty()) {
    showBanner(tr("Choose a model folder first (Ctrl+O)."));
    return false;
  }
  if (datasetController_->isDatasetRunning()) {
    showBanner(tr("A dataset run is under way; cancel it (Esc) before starting another."));
    return false;
  }
  DatasetJob j = job;
  // The explorer's device and precision; the folder is the job's own.
  const ModelSpec panelSpec = panel_->modelSpec();
  j.model.device = panelSpec.device;
  j.model.dtype = panelSpec.dtype;
  dismissBanner();
  // Results asked for from now on are newer than this run; those asked for before stay pending.
  datasetGeneration_ = resultsGeneration_[0];
  datasetProgressLabel_->setText(tr("Starting the dataset run…"));
  datasetProgressLabel_->show();
  datasetController_->runDataset(j);
  return true;
}

void MainWindow::analyzeDatasetDialog() {
  DatasetRunDialog dialog(this);
  dialog.loadSettings(
      {panel_->modelDir(), panel_->softTokenFile(), panel_->anchor(), panel_->bosAfterSoft()});
  if (dialog.exec() != QDialog::Accepted) return;
  // Back to the window before the run starts, so that the first Esc reaches its Cancel whatever
  // had the focus in the dialog.
  activateWindow();
  raise();
  startDatasetRun(dialog.job());
}

bool MainWindow::analyzeDemoDataset() {
  QString error;
  const QString dir = extractDemo(&error);
  if (dir.isEmpty()) {
    showBanner(tr("The built-in demo is not available: %1").arg(error));
    return false;
  }
  const QDir d(dir);
  DatasetJob job;
  job.model.dir = dir;
  job.settings.examplesFile = d.filePath(QStringLiteral("examples.jsonl")).toStdString();
  job.settings.softTokenFile = d.filePath(QStringLiteral("soft_tokens.safetensors")).toStdString();
  job.settings.bosAfterSoft = true;  // the demo's layout: [soft][BOS][anchor]
  job.resultsFile = d.filePath(QStringLiteral("examples.stats.json"));
  job.resume = false;  // a few seconds: always run afresh
  return startDatasetRun(job);
}

void MainWindow::openDatasetResultsDialog(int run) {
  if (run == 1 && datasetDoc_->runCount() == 0) {
    showBanner(tr("Open or run a first dataset before comparing a second run with it."));
    return;
  }
  const QString current = datasetDoc_->resultsFile(0);
  const QString start = current.isEmpty() ? QDir::homePath() : QFileInfo(current).path();
  const QString file = QFileDialog::getOpenFileName(
      this, run == 0 ? tr("Open dataset results") : tr("Open the results of a second run"), start,
      tr("Dataset results (*.json);;All files (*)"));
  if (!file.isEmpty()) openDatasetResults(file, run);
}

void MainWindow::openDatasetResults(const QString& file, int run) {
  statusBar()->showMessage(tr("Opening %1…").arg(QDir::toNativeSeparators(file)));
  // Of two files opened one after another as the same run, the last one asked for is shown.
  const quint64 generation = ++resultsGeneration_[run == 1 ? 1 : 0];
  readResultsAsync(this, file,
                   [this, file, run, generation](std::shared_ptr<const DatasetResults> results,
                                                 const QString& error) {
                     if (generation != resultsGeneration_[run == 1 ? 1 : 0]) return;
                     if (!results) {
                       showBanner(tr("Cannot open the results: %1").arg(error));
                       return;
                     }
                     // A second run needs a first one to be compared with.
                     const int as = run == 1 && !datasetDoc_->results(0) ? 0 : run;
                     // Shown as the first run: newer than any dataset run started before
                     // (one asked for as the second run has no number of the first's yet).
                     if (as == 0)
                       shownResultsGeneration_ =
                           run == 0 ? resultsGeneration_[0] : ++resultsGeneration_[0];
                     onDatasetResults(std::move(results), file, as);
                     emit datasetResultsOpened(as);
                   });
}

void MainWindow::onDatasetResults(std::shared_ptr<const DatasetResults> results,
                                  const QString& file, int run) {
  const int done = static_cast<int>(results->examples.size());
  const int total = results->expected();  // a shard's share of the examples
  // The window exists and is connected before the results arrive, so that the examples it
  // shows at once are computed.
  ensureComparisonWindow();
  datasetDoc_->setResults(run, std::move(results), file);
  if (done < total)
    statusBar()->showMessage(
        tr("%1 holds %2 of %3 examples (an unfinished run)").arg(file).arg(done).arg(total), 10000);
  showComparisonWindow();
}

ComparisonWindow* MainWindow::comparisonWindow() const { return comparison_.data(); }

ComparisonWindow* MainWindow::ensureComparisonWindow() {
  if (!comparison_) {
    // A top-level window of its own (QMainWindow always is), closed with the explorer.
    comparison_ = new ComparisonWindow(datasetDoc_, this);
    comparison_->setObjectName(QStringLiteral("comparisonWindow"));
    // It runs its examples itself, as a client of its own of the one inference thread.
    comparison_->setInferenceService(service_.get());
    connect(comparison_, &ComparisonWindow::sessionSaveRequested, this,
            [this] { saveSessionDialog(comparison_); });
  }
  return comparison_;
}

void MainWindow::showComparisonWindow() {
  ensureComparisonWindow();
  comparison_->show();
  comparison_->raise();
  comparison_->activateWindow();
}

bool MainWindow::openExampleInExplorer(int run, int index) {
  const DatasetResults* r = datasetDoc_->results(run);
  if (!r || index < 0 || index >= static_cast<int>(r->examples.size())) return false;
  ModelSpec spec = panel_->modelSpec();
  spec.dir = QString::fromStdString(r->settings.modelDir);
  const int exampleIndex = r->examples[static_cast<std::size_t>(index)].index;
  dismissBanner();
  submitRun(InferenceController::exampleJob(r->settings, exampleIndex, spec));
  statusBar()->showMessage(
      tr("Running example %1 in the explorer…")
          .arg(QString::fromStdString(r->examples[static_cast<std::size_t>(index)].id)),
      5000);
  raise();
  activateWindow();
  return true;
}

}  // namespace attnx
