#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QMessageBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QFrame>
#include <QInputDialog>
#include <QLineEdit>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QShortcut>
#include <QSpinBox>
#include <QStatusBar>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <functional>

#include "causal_grid_view.h"
#include "child_widgets.h"
#include "comparison_window.h"
#include "dataset_results.h"
#include "demo.h"
#include "diagnostics_panel.h"
#include "lens_view.h"
#include "prediction_change.h"
#include "run_parts.h"
#include "error.h"
#include "head_grid_view.h"
#include "figure_dialog.h"
#include "figure_export.h"
#include "figure_panels.h"
#include "heatmap_view.h"
#include "inference_controller.h"
#include "inference_service.h"
#include "input_panel.h"
#include "layer_curves_view.h"
#include "attention_import.h"
#include "background_io.h"
#include "run_loader.h"
#include "sha256.h"
#include "segment_legend.h"
#include "settings.h"
#include "step_selector.h"
#include "stable_names.h"
#include "stats_file.h"
#include "token_strip_view.h"
#include "view_data.h"

namespace attnx {
namespace {

// A save dialog with its object name (tests find it), filters, default suffix and initial file;
// the chosen file, or empty when cancelled.
QString askSaveFile(QWidget* parent, const QString& title, const QString& objectName,
                    const QStringList& filters, const QString& suffix, const QString& initial) {
  QFileDialog dialog(parent, title);
  dialog.setObjectName(objectName);
  dialog.setAcceptMode(QFileDialog::AcceptSave);
  dialog.setNameFilters(filters);
  dialog.setDefaultSuffix(suffix);
  dialog.selectFile(initial);
  if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty()) return {};
  return dialog.selectedFiles().constFirst();
}

QString formatBytes(std::size_t bytes) {
  return QLocale().formattedDataSize(static_cast<qint64>(bytes), 1, QLocale::DataSizeSIFormat);
}

QString formatCount(int64_t n) {
  if (n >= 1'000'000'000) return QLocale().toString(n / 1e9, 'f', 2) + QStringLiteral(" B");
  if (n >= 1'000'000) return QLocale().toString(n / 1e6, 'f', 2) + QStringLiteral(" M");
  if (n >= 1'000) return QLocale().toString(n / 1e3, 'f', 1) + QStringLiteral(" k");
  return QLocale().toString(static_cast<qlonglong>(n));
}

QDockWidget* makeDock(const QString& title, const QString& name, QWidget* content,
                      QMainWindow* window) {
  auto* dock = new QDockWidget(title, window);
  dock->setObjectName(name);  // saveState/restoreState find docks by name
  dock->setWidget(content);
  dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                    QDockWidget::DockWidgetClosable);
  return dock;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : MainWindow(nullptr, parent) {}

MainWindow::MainWindow(std::shared_ptr<InferenceService> shared, QWidget* parent)
    : QMainWindow(parent),
      service_(shared ? shared : std::make_shared<InferenceService>()),
      writesSettings_(!shared) {
  setWindowTitle(tr("attnx — attention explorer"));
  doc_ = new RunDocument(this);
  datasetDoc_ = new DatasetDocument(this);  // the comparison window's document
  // The models the inference thread keeps loaded: as many as fit in this many bytes.
  auto applyCache = [this] {
    service_->worker()->setModelCacheBytes(
        static_cast<std::size_t>(std::max(0.0, Settings::real(Settings::Key::ModelCacheBytes))));
  };
  applyCache();
  connect(Settings::notifier(), &Settings::changed, this, [applyCache](Settings::Key key) {
    if (key == Settings::Key::ModelCacheBytes) applyCache();
  });
  controller_ = new InferenceController(service_.get(), this);
  datasetController_ = new InferenceController(service_.get(), this);
  // Knockouts run as a client of their own: the model they load (the one a run recorded) never
  // shows in this window's labels, title or recent models.
  knockoutController_ = new InferenceController(service_.get(), this);
  // Scans of the heads too: Esc cancels them and nothing else.
  scanController_ = new InferenceController(service_.get(), this);
  panel_ = new InputPanel(this);

  buildActions();
  buildViews();
  buildToolBar();
  buildStatusBar();
  buildDatasetMenu();  // main_window_dataset.cpp

  connect(panel_, &InputPanel::runRequested, this, &MainWindow::startRun);
  connect(panel_, &InputPanel::cancelRequested, this, &MainWindow::cancelRun);
  connect(panel_, &InputPanel::browseModelRequested, this, &MainWindow::browseModel);
  connect(panel_, &InputPanel::modelDirectoryChosen, this, &MainWindow::openModelDirectory);

  connect(controller_, &InferenceController::modelLoaded, this, &MainWindow::onModelLoaded);
  connect(controller_, &InferenceController::finished, this, &MainWindow::onRunFinished);
  connect(controller_, &InferenceController::failed, this, &MainWindow::onFailed);
  connect(controller_, &InferenceController::cancelled, this, &MainWindow::onCancelled);
  connect(controller_, &InferenceController::busyChanged, this, &MainWindow::onBusyChanged);
  connect(scanController_, &InferenceController::busyChanged, this, [this] {
    cancelAction_->setEnabled(controller_->isBusy() || scanController_->isBusy());
  });
  connect(controller_, &InferenceController::progress, this,
          [this](int done, int total, const QString& text) {
            panel_->setProgress(done, total, text);
            statusBar()->showMessage(text);
          });

  connect(doc_, &RunDocument::resultChanged, this, &MainWindow::syncToolBarFromDocument);
  connect(doc_, &RunDocument::selectionChanged, this, &MainWindow::syncToolBarFromDocument);

  restoreSettings();
  syncToolBarFromDocument();
  // Arrow keys move through layers and heads as soon as the window is active.
  heatmap_->setFocus();
}

MainWindow::~MainWindow() {
  // The views (and the comparison window) observe doc_ and datasetDoc_: they go first; then the
  // clients of the inference service, before the service they use.
  destroyChildWidgets(this);
  delete controller_;
  delete datasetController_;
  delete knockoutController_;
  delete scanController_;
}

void MainWindow::buildActions() {
  openAction_ = new QAction(tr("&Open model…"), this);
  openAction_->setShortcut(QKeySequence::Open);
  openAction_->setToolTip(tr("Open a Hugging Face model folder (Ctrl+O)"));
  connect(openAction_, &QAction::triggered, this, &MainWindow::browseModel);

  runAction_ = new QAction(tr("&Run"), this);
  runAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
  runAction_->setToolTip(tr("Run the model on the input and capture attention (Ctrl+R)"));
  connect(runAction_, &QAction::triggered, this, &MainWindow::startRun);

  cancelAction_ = new QAction(tr("&Cancel"), this);
  cancelAction_->setObjectName(QStringLiteral("cancelAction"));
  cancelAction_->setShortcut(QKeySequence(Qt::Key_Escape));
  cancelAction_->setToolTip(tr("Cancel the running job; the shown result stays (Esc)"));
  cancelAction_->setEnabled(false);
  connect(cancelAction_, &QAction::triggered, this, &MainWindow::cancelRun);

  auto* quit = new QAction(tr("&Quit"), this);
  quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
  quit->setMenuRole(QAction::QuitRole);
  connect(quit, &QAction::triggered, this, &QWidget::close);

  auto* demo = new QAction(tr("Open the built-in &demo"), this);
  demo->setToolTip(tr("Load the small demo model and run its soft-token example"));
  connect(demo, &QAction::triggered, this, [this] { openDemo(true); });

  auto* exportFigure = new QAction(tr("&Export figure…"), this);
  exportFigure->setObjectName(QStringLiteral("exportFigureAction"));
  exportFigure->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  exportFigure->setToolTip(tr("Save the focused view as a PDF, SVG or PNG figure (Ctrl+E)"));
  connect(exportFigure, &QAction::triggered, this, &MainWindow::exportFigureDialog);

  auto* copyImage = new QAction(tr("&Copy as image"), this);
  copyImage->setObjectName(QStringLiteral("copyImageAction"));
  copyImage->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
  copyImage->setToolTip(tr("Copy the focused view to the clipboard (Ctrl+Shift+C)"));
  connect(copyImage, &QAction::triggered, this, &MainWindow::copyFigure);

  auto* exportStats = new QAction(tr("Export &statistics…"), this);
  exportStats->setObjectName(QStringLiteral("exportStatisticsAction"));
  exportStats->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
  exportStats->setToolTip(
      tr("Save the attention statistics of the selected query as JSON or CSV (Ctrl+Shift+S)"));
  connect(exportStats, &QAction::triggered, this, &MainWindow::exportStatisticsDialog);

  auto* openRun = new QAction(tr("Open r&un…"), this);  // also attention saved by Python
  openRun->setObjectName(QStringLiteral("openRunAction"));
  openRun->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
  openRun->setToolTip(
      tr("Open a run file saved by attnx or attnx run, without its model, or attention saved by "
         "Python (torch.save, NumPy) (Ctrl+Shift+O)"));
  connect(openRun, &QAction::triggered, this, &MainWindow::openRunDialog);

  // Actions on what the window shows, enabled only while `available` holds: after every change
  // of the shown run and of the dataset results.
  const auto shownAction = [this](const QString& text, const char* name, const QKeySequence& key,
                                  const QString& tip, std::function<void()> slot,
                                  std::function<bool()> available) {
    auto* a = new QAction(text, this);
    a->setObjectName(QLatin1String(name));
    a->setShortcut(key);
    a->setToolTip(tip);
    a->setEnabled(false);
    connect(a, &QAction::triggered, this, std::move(slot));
    const auto sync = [a, available = std::move(available)] { a->setEnabled(available()); };
    connect(doc_, &RunDocument::resultChanged, a, sync);
    connect(datasetDoc_, &DatasetDocument::datasetChanged, a, sync);
    return a;
  };
  const auto runShown = [this] { return doc_->result() != nullptr; };

  saveRunAction_ = shownAction(
      tr("&Save run…"), "saveRunAction", QKeySequence::Save,
      tr("Save the shown run (its tokens, attention and analyses) as a run file (Ctrl+S)"),
      [this] { saveRunDialog(); }, runShown);
  auto* saveSession = shownAction(
      tr("Save s&ession…"), "saveSessionAction", QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_S),
      tr("Save the run with the selection, zoom, colours, thresholds and panels, and the open "
         "dataset comparison, as a .attnx session to reopen exactly as it is (Ctrl+Alt+S)"),
      [this] { saveSessionDialog(this); },
      [this] { return doc_->result() != nullptr || captureComparison().has_value(); });

  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(openAction_);
  file->addAction(openRun);
  recentFilesMenu_ = file->addMenu(tr("Recent &files"));
  recentFilesMenu_->setObjectName(QStringLiteral("recentFilesMenu"));
  recentFilesMenu_->setToolTipsVisible(true);
  connect(recentFilesMenu_, &QMenu::aboutToShow, this, &MainWindow::fillRecentFilesMenu);
  file->addAction(saveRunAction_);
  file->addAction(saveSession);
  addAction(openRun);
  addAction(saveRunAction_);
  addAction(saveSession);
  file->addSeparator();
  file->addAction(demo);
  demoMenu_ = file->addMenu(tr("Demo &examples"));
  demoMenu_->setToolTipsVisible(true);
  connect(demoMenu_, &QMenu::aboutToShow, this, &MainWindow::fillDemoMenu);
  file->addSeparator();
  file->addAction(exportFigure);
  file->addAction(copyImage);
  file->addAction(exportStats);
  file->addSeparator();
  addAction(exportFigure);
  addAction(copyImage);
  addAction(exportStats);
  file->addAction(quit);
  QMenu* runMenu = menuBar()->addMenu(tr("&Run"));
  runMenu->addAction(runAction_);
  runMenu->addAction(cancelAction_);
  auto* knockout = shownAction(
      tr("&Knock out…"), "knockoutAction", QKeySequence(Qt::CTRL | Qt::Key_K),
      tr("Run the shown input again with some heads' attention to some keys "
         "removed (L:H:KEYS), and open it beside this run (Ctrl+K)"),
      [this] { knockOutDialog(); }, runShown);
  auto* scan = shownAction(
      tr("&Scan heads…"), "scanHeadsAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K),
      tr("Knock out each head's attention to the soft tokens (or other keys) in turn and show "
         "the change of the prediction per head beside the head grid (Ctrl+Shift+K; Esc "
         "cancels)"),
      [this] { scanHeadsDialog(); }, runShown);
  runMenu->addSeparator();
  runMenu->addAction(knockout);
  runMenu->addAction(scan);
  addAction(knockout);
  addAction(scan);
  // Actions in a menu bar work as shortcuts window-wide; add them to the window as well so they
  // also work when the menu bar is hidden (e.g. on platforms with a global menu).
  addAction(openAction_);
  addAction(runAction_);
  addAction(cancelAction_);
  addAction(quit);
}

void MainWindow::buildViews() {
  // Every view follows the window's document; the object names are the tests' handles.
  auto make = [this]<typename View>(View*& view, const char* name) {
    view = new View(doc_, this);
    view->setObjectName(QLatin1String(name));
  };
  make(heatmap_, "heatmapView");
  make(curves_, "layerCurvesView");
  make(heads_, "headGridView");
  make(strip_, "tokenStripView");
  make(steps_, "stepSelector");
  make(diagnostics_, "diagnosticsPanel");
  make(lens_, "lensView");
  make(causal_, "causalGridView");
  SegmentLegend* legend = nullptr;
  make(legend, "segmentLegend");
  // One colour map for the heatmap and the grid's cells and thumbnails.
  connect(heatmap_, &HeatmapView::colorMapChanged, heads_, &HeadGridView::setColorMap);
  // Right-click knockouts of the grid's heads and the strip's tokens.
  connect(heads_, &HeadGridView::knockoutRequested, this, &MainWindow::knockOut);
  connect(strip_, &TokenStripView::knockoutRequested, this, &MainWindow::knockOut);

  // The banner: errors stay visible without a modal dialog, so the window stays usable.
  banner_ = new QFrame(this);
  banner_->setObjectName(QStringLiteral("messageBanner"));
  banner_->setFrameShape(QFrame::StyledPanel);
  banner_->setStyleSheet(QStringLiteral(
      "#messageBanner { background: #fdecea; border: 1px solid #e0a39e; border-radius: 3px; }"
      "#messageBanner QLabel { color: #611a15; }"));
  bannerLabel_ = new QLabel(banner_);
  bannerLabel_->setObjectName(QStringLiteral("messageBannerText"));
  bannerLabel_->setWordWrap(true);
  bannerLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* close = new QToolButton(banner_);
  close->setObjectName(QStringLiteral("messageBannerClose"));
  close->setText(QStringLiteral("✕"));
  close->setAutoRaise(true);
  close->setToolTip(tr("Dismiss this message"));
  connect(close, &QToolButton::clicked, this, &MainWindow::dismissBanner);
  auto* bannerRow = new QHBoxLayout(banner_);
  bannerRow->setContentsMargins(8, 4, 4, 4);
  bannerRow->addWidget(bannerLabel_, 1);
  bannerRow->addWidget(close, 0, Qt::AlignTop);
  banner_->hide();

  auto* central = new QWidget(this);
  auto* column = new QVBoxLayout(central);
  column->setContentsMargins(4, 4, 4, 4);
  column->setSpacing(4);
  column->addWidget(banner_);
  column->addWidget(steps_);
  column->addWidget(strip_);
  column->addWidget(heatmap_, 1);
  column->addWidget(legend);
  setCentralWidget(central);

  auto* inputDock = makeDock(tr("Input"), QStringLiteral("inputDock"), panel_, this);
  auto* headsDock = makeDock(tr("Heads"), QStringLiteral("headsDock"), heads_, this);
  auto* diagDock =
      makeDock(tr("Diagnostics"), QStringLiteral("diagnosticsDock"), diagnostics_, this);
  auto* curvesDock = makeDock(tr("Layers"), QStringLiteral("layersDock"), curves_, this);
  auto* lensDock = makeDock(tr("Predictions by layer"), QStringLiteral("lensDock"), lens_, this);
  causalDock_ = makeDock(tr("Causal heads"), QStringLiteral("causalDock"), causal_, this);
  // The bottom dock spans only the centre; the side docks keep the full height.
  setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
  setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
  addDockWidget(Qt::LeftDockWidgetArea, inputDock);
  addDockWidget(Qt::RightDockWidgetArea, headsDock);
  addDockWidget(Qt::RightDockWidgetArea, diagDock);
  // Beside the attention-mass grid: which heads look at the keys, and which heads' reading of
  // them matters. Shown when a scan ends.
  splitDockWidget(headsDock, causalDock_, Qt::Horizontal);
  causalDock_->hide();
  addDockWidget(Qt::BottomDockWidgetArea, curvesDock);
  // Beside the layer curves: both read the run layer by layer.
  tabifyDockWidget(curvesDock, lensDock);
  curvesDock->raise();
  // At 1600 x 1000 the heatmap keeps about half the width; the layer curves get enough height
  // for their axis title, the diagnostics table more than the (square-celled) head grid.
  resizeDocks({inputDock, headsDock}, {360, 440}, Qt::Horizontal);
  resizeDocks({headsDock, diagDock}, {380, 520}, Qt::Vertical);
  resizeDocks({curvesDock}, {290}, Qt::Vertical);

  QMenu* viewMenu = menuBar()->addMenu(tr("&View"));
  for (QDockWidget* d : {inputDock, headsDock, causalDock_, diagDock, curvesDock, lensDock})
    viewMenu->addAction(d->toggleViewAction());

  for (QWidget* v : {static_cast<QWidget*>(heatmap_), static_cast<QWidget*>(curves_),
                     static_cast<QWidget*>(heads_), static_cast<QWidget*>(strip_),
                     static_cast<QWidget*>(steps_), static_cast<QWidget*>(diagnostics_),
                     static_cast<QWidget*>(lens_), static_cast<QWidget*>(causal_)})
    installNavigation(v);
}

void MainWindow::buildToolBar() {
  QToolBar* bar = addToolBar(tr("Navigation"));
  bar->setObjectName(QStringLiteral("navigationToolBar"));
  bar->setMovable(false);
  bar->addAction(openAction_);
  bar->addAction(runAction_);
  bar->addAction(cancelAction_);
  bar->addSeparator();

  bar->addWidget(new QLabel(tr("Layer "), bar));
  layerSpin_ = new QSpinBox(bar);
  layerSpin_->setObjectName(QStringLiteral("layerSpin"));
  layerSpin_->setToolTip(tr("Layer shown in the heatmap (Up / Down in the views)"));
  layerSpin_->setRange(0, 0);
  bar->addWidget(layerSpin_);
  bar->addWidget(new QLabel(tr("  Head "), bar));
  headSpin_ = new QSpinBox(bar);
  headSpin_->setObjectName(QStringLiteral("headSpin"));
  headSpin_->setToolTip(
      tr("Head shown in the heatmap, or all heads aggregated\n"
         "(Left / Right in the views)"));
  headSpin_->setRange(-1, 0);
  headSpin_->setSpecialValueText(tr("all"));
  bar->addWidget(headSpin_);
  aggregateCombo_ = new QComboBox(bar);
  aggregateCombo_->setObjectName(QStringLiteral("aggregateCombo"));
  aggregateCombo_->addItem(tr("mean over heads"), QVariant::fromValue(HeadChoice::mean()));
  aggregateCombo_->addItem(tr("max over heads"), QVariant::fromValue(HeadChoice::max()));
  aggregateCombo_->setToolTip(tr("How the heads are combined when the head is \"all\""));
  bar->addWidget(aggregateCombo_);

  connect(layerSpin_, &QSpinBox::valueChanged, this, [this](int layer) {
    if (!syncing_) doc_->setLayer(layer);
  });
  connect(headSpin_, &QSpinBox::valueChanged, this, [this] { applyHeadFromToolBar(); });
  connect(aggregateCombo_, &QComboBox::currentIndexChanged, this,
          [this] { applyHeadFromToolBar(); });
}

void MainWindow::buildStatusBar() {
  auto make = [this](const QString& name, const QString& tip) {
    auto* l = new QLabel(this);
    l->setObjectName(name);
    l->setToolTip(tip);
    statusBar()->addPermanentWidget(l);
    return l;
  };
  deviceLabel_ = make(QStringLiteral("deviceLabel"), tr("Device and precision of the model"));
  modelLabel_ = make(QStringLiteral("modelLabel"), tr("Model family, parameters, weight memory"));
  timeLabel_ = make(QStringLiteral("runTimeLabel"), tr("Time the last run took"));
  memoryLabel_ = make(QStringLiteral("resultMemoryLabel"),
                      tr("Memory held by the shown result (captured attention, logits)"));
  deviceLabel_->setText(tr("no model"));
}

void MainWindow::installNavigation(QWidget* view) {
  // Shortcuts scoped to the view (and its children): arrows move through layers and heads
  // while a view has the focus, and keep their usual meaning in the input fields.
  auto add = [this, view](int key, auto fn) {
    auto* s = new QShortcut(QKeySequence(key), view);
    s->setContext(Qt::WidgetWithChildrenShortcut);
    connect(s, &QShortcut::activated, this, fn);
  };
  add(Qt::Key_Up, [this] { moveLayer(-1); });
  add(Qt::Key_Down, [this] { moveLayer(+1); });
  add(Qt::Key_Left, [this] { moveHead(-1); });
  add(Qt::Key_Right, [this] { moveHead(+1); });
}

void MainWindow::browseModel() {
  const QString start = panel_->modelDir().isEmpty() ? QDir::homePath() : panel_->modelDir();
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a model folder"), start);
  if (!dir.isEmpty()) openModelDirectory(dir);
}

void MainWindow::showModelDir(const QString& dir) {
  const bool isDemo = !demoDir_.isEmpty() && QDir::cleanPath(dir) == QDir::cleanPath(demoDir_);
  panel_->setModelDir(dir, isDemo ? tr("built-in demo") : QString());
}

void MainWindow::openModelDirectory(const QString& dir) {
  if (dir.trimmed().isEmpty()) return;
  showModelDir(dir);
  dismissBanner();
  statusBar()->showMessage(tr("Loading %1…").arg(dir));
  controller_->load(panel_->modelSpec());
}

bool MainWindow::startRun() {
  RunJob job;
  try {
    job = panel_->buildJob();
  } catch (const Error& e) {
    showBanner(QString::fromStdString(e.what()));
    return false;
  }
  if (job.model.dir.isEmpty()) {
    showBanner(tr("Choose a model folder first (Ctrl+O)."));
    return false;
  }
  panel_->saveSettings();
  // A message about an earlier attempt is stale once a new run is under way.
  dismissBanner();
  submitRun(job);
  return true;
}

void MainWindow::submitRun(const RunJob& job) {
  // A run asked for after a file is what the window shows next; a file asked for after it
  // (openGeneration_ moves on) is.
  runGeneration_ = ++openGeneration_;
  controller_->run(job);
}

void MainWindow::cancelRun() {
  // A scan of the heads is a long job of its own: Esc stops it too.
  const bool scan = scanController_->isBusy();
  if (!controller_->isBusy() && !scan) return;
  if (controller_->isBusy()) controller_->cancel();
  if (scan) scanController_->cancel();
  statusBar()->showMessage(tr("Cancelling…"));
}

QString MainWindow::extractDemo(QString* error) {
  try {
    demoDir_ = Demo::extract();  // checks the copy already there, writes what is missing
    return demoDir_;
  } catch (const Error& e) {
    *error = QString::fromStdString(e.what());
    return {};
  }
}

bool MainWindow::openDemo(bool run) {
  QString error;
  const QString dir = extractDemo(&error);
  if (dir.isEmpty()) {
    showBanner(tr("The built-in demo is not available: %1").arg(error));
    return false;
  }
  useDemoExample(Demo::startupExample(dir), run);
  return true;
}

void MainWindow::useDemoExample(const DemoExample& ex, bool run) {
  showModelDir(demoDir_);
  panel_->setPrompt(ex.prompt);
  panel_->setAnchor(ex.anchor);
  panel_->setSoftTokenFile(ex.softTokenFile);
  panel_->setBosAfterSoft(ex.bosAfterSoft);
  panel_->setGenerate(ex.generate);
  panel_->setStopAtEos(true);
  // The demo is small: the full matrices of every layer are cheap and show the most.
  panel_->setLastRowOnly(false);
  panel_->setLayers(QString());
  if (!ex.expected.isEmpty())
    statusBar()->showMessage(
        tr("Example \"%1\": the expected answer is \"%2\"").arg(ex.name, ex.expected), 10000);
  if (run)
    startRun();
  else
    openModelDirectory(demoDir_);
}

void MainWindow::fillDemoMenu() {
  demoMenu_->clear();
  QString error;
  const QString dir = demoDir_.isEmpty() ? extractDemo(&error) : demoDir_;
  if (dir.isEmpty()) {
    QAction* none = demoMenu_->addAction(tr("The demo is not available"));
    none->setToolTip(error);
    none->setEnabled(false);
    return;
  }
  for (const DemoExample& ex : Demo::examples(dir)) {
    QAction* a = demoMenu_->addAction(ex.name);
    if (!ex.expected.isEmpty()) a->setToolTip(tr("Expected answer: %1").arg(ex.expected));
    connect(a, &QAction::triggered, this, [this, ex] { useDemoExample(ex, true); });
  }
}

bool MainWindow::showLoadedModel(const ModelInfo& info) {
  const QString dir = QString::fromStdString(info.dir);
  deviceLabel_->setText(QStringLiteral("%1 · %2").arg(QString::fromStdString(info.device),
                                                      QString::fromStdString(info.dtype)));
  modelLabel_->setText(tr("%1 · %2 parameters · %3")
                           .arg(QString::fromStdString(info.family), formatCount(info.parameters),
                                formatBytes(info.weightBytes)));
  panel_->setEncoderModel(info.encoder);
  const bool isDemo = !demoDir_.isEmpty() && QDir::cleanPath(dir) == QDir::cleanPath(demoDir_);
  setWindowTitle(tr("attnx — %1").arg(isDemo ? tr("built-in demo") : QFileInfo(dir).fileName()));
  return isDemo;
}

void MainWindow::onModelLoaded(const ModelInfo& info) {
  const QString dir = QString::fromStdString(info.dir);
  const bool isDemo = showLoadedModel(info);
  if (!isDemo) {
    Settings::addRecentModel(dir);
    panel_->setRecentModels(Settings::recentModels());
  }
  statusBar()->showMessage(tr("Loaded %1").arg(dir), 5000);
}

void MainWindow::showResult(std::shared_ptr<const RunResult> result) {
  dismissBanner();
  timeLabel_->setText(tr("run %1 s").arg(QLocale().toString(result->seconds, 'f', 2)));
  memoryLabel_->setText(tr("result %1").arg(formatBytes(result->bytes())));
  doc_->setResult(std::move(result));
}

void MainWindow::onRunFinished(std::shared_ptr<const RunResult> result) {
  if (!result) return;
  if (shownFileGeneration_ > runGeneration_) {
    // A file asked for after this run was started is shown: it stays.
    panel_->setProgress(0, 0, tr("done"));
    statusBar()->showMessage(
        tr("The run finished after a file was opened; the file stays shown (Ctrl+R runs "
           "again)"),
        10000);
    emit runFinished();
    return;
  }
  showResult(std::move(result));
  runFile_.clear();  // a new run, not saved yet
  // The labels and title may still name a file opened since the model was loaded.
  if (const std::optional<ModelInfo>& info = controller_->modelInfo()) showLoadedModel(*info);
  panel_->setProgress(0, 0, tr("done"));
  statusBar()->showMessage(tr("Run finished"), 5000);
  emit runFinished();
}

void MainWindow::onFailed(const QString& message, bool whileLoading) {
  if (whileLoading) {
    showBanner(tr("Cannot open the model: %1").arg(message));
    deviceLabel_->setText(tr("no model"));
    modelLabel_->clear();
    emit modelLoadFailed(message);
  } else {
    showBanner(tr("The run failed: %1").arg(message));
    emit runFailed(message);
  }
  panel_->setProgress(0, 0, tr("failed"));
  statusBar()->showMessage(tr("Failed"), 5000);
}

void MainWindow::onCancelled() {
  // The previous result stays in the document: nothing is lost.
  panel_->setProgress(0, 0, tr("cancelled"));
  statusBar()->showMessage(tr("Cancelled; the previous result is still shown"), 5000);
  emit runCancelled();
}

void MainWindow::onBusyChanged(bool busy) {
  panel_->setBusy(busy);
  cancelAction_->setEnabled(busy || scanController_->isBusy());
}

void MainWindow::syncToolBarFromDocument() {
  syncing_ = true;
  const RunResult* r = doc_->result();
  const Selection& sel = doc_->selection();
  layerSpin_->setRange(0, r ? std::max(0, r->model.layers - 1) : 0);
  headSpin_->setRange(-1, r ? std::max(0, r->model.heads - 1) : 0);
  layerSpin_->setValue(sel.layer);
  headSpin_->setValue(sel.head.isOne() ? sel.head.index : -1);
  if (!sel.head.isOne())
    aggregateCombo_->setCurrentIndex(aggregateCombo_->findData(QVariant::fromValue(sel.head)));
  aggregateCombo_->setEnabled(!sel.head.isOne());
  syncing_ = false;
}

void MainWindow::applyHeadFromToolBar() {
  if (syncing_) return;
  const int head = headSpin_->value();
  doc_->setHead(head >= 0 ? HeadChoice::one(head) : aggregateCombo_->currentData().value<HeadChoice>());
}

void MainWindow::moveLayer(int delta) {
  const RunResult* r = doc_->result();
  if (!r || r->attentions.empty()) return;
  // Step through the captured layers only (a capture may keep a subset).
  std::vector<int> layers;
  for (const auto& a : r->attentions) layers.push_back(a.layer);
  const int current = doc_->selection().layer;
  auto it = std::find(layers.begin(), layers.end(), current);
  int index = it == layers.end() ? 0 : int(it - layers.begin()) + delta;
  index = std::clamp(index, 0, int(layers.size()) - 1);
  doc_->setLayer(layers[index]);
}

void MainWindow::moveHead(int delta) {
  const RunResult* r = doc_->result();
  if (!r) return;
  // Order: the aggregate ("all"), then heads 0 .. H-1.
  const HeadChoice current = doc_->selection().head;
  const int position =
      std::clamp((current.isOne() ? current.index : -1) + delta, -1, r->model.heads - 1);
  doc_->setHead(position >= 0 ? HeadChoice::one(position)
                              : aggregateCombo_->currentData().value<HeadChoice>());
}

void MainWindow::openRunFile(const QString& file) {
  if (file.trimmed().isEmpty()) return;
  const QString path = QFileInfo(file).absoluteFilePath();
  if (QFileInfo(path).suffix().toLower() == QLatin1String("attnx")) {
    openSession(path);
    return;
  }
  if (isAttentionImportFile(path.toStdString())) {
    importAttentionFile(path, QString());
    return;
  }
  readRunFile(path, ++openGeneration_);
}

void MainWindow::readRunFile(const QString& path, quint64 generation,
                             const std::optional<ExplorerSession>& session,
                             const QString& sessionFile) {
  statusBar()->showMessage(tr("Opening %1…").arg(path));
  readRunAsync(this, path,
               [this, path, generation, session, sessionFile](std::shared_ptr<const RunResult> run,
                                                              const QString& error) {
                 if (generation != openGeneration_) return;  // another file was asked for since
                 if (!run) {
                   showBanner(tr("Cannot open the run: %1").arg(error));
                   // A session waits for its run file: it is restored, or fails, with it.
                   if (session) emit sessionFailed(error);
                   emit runFileFailed(error);
                   return;
                 }
                 shownFileGeneration_ = generation;
                 showOpenedRun(path, std::move(run), false);
                 if (!session) return;
                 applySession(*session);
                 Settings::addRecent(Settings::Key::RecentFiles, sessionFile);
                 setWindowTitle(tr("attnx — %1").arg(QFileInfo(sessionFile).fileName()));
                 statusBar()->showMessage(tr("Session %1 restored").arg(sessionFile), 8000);
                 emit sessionOpened(sessionFile);
               });
}

void MainWindow::importAttentionFile(const QString& file, const QString& layout) {
  const QString path = QFileInfo(file).absoluteFilePath();
  const quint64 generation = ++openGeneration_;
  statusBar()->showMessage(tr("Importing %1…").arg(path));
  importAttentionAsync(
      this, path, layout,
      [this, path, layout, generation](std::shared_ptr<const RunResult> run, const QString& error) {
        if (generation != openGeneration_) return;  // another file was asked for since
        if (!run) {
          showBanner(tr("Cannot import the attention: %1").arg(error));
          emit runFileFailed(error);
          return;
        }
        // Neither the file nor the caller said which positions are soft, BOS, anchor or text.
        QString problem;
        const bool allText = run->layout.size() == 1 && run->layout[0].size() == 1;
        if (layout.isEmpty() && allText && asksForLayout_) {
          bool ok = false;
          const QString spec = QInputDialog::getText(
              this, tr("Layout of the imported attention"),
              tr("Segments of the %1 positions, in order (e.g. soft:8,bos:1,anchor:3,text:20);\n"
                 "leave it as it is for all text:")
                  .arg(run->seqLen),
              QLineEdit::Normal, QStringLiteral("text:%1").arg(run->seqLen), &ok);
          if (ok && !spec.trimmed().isEmpty() &&
              spec.trimmed() != QStringLiteral("text:%1").arg(run->seqLen)) {
            try {
              auto withLayout = std::make_shared<RunResult>(*run);
              withLayout->layout = {parseLayoutSpec(spec.trimmed().toStdString(), run->seqLen)};
              run = std::move(withLayout);
            } catch (const Error& e) {
              problem = tr("The layout was not used (%1); every position is shown as text.")
                            .arg(QString::fromStdString(e.what()));
            }
          }
        }
        // Another file may have been asked for while the dialog was open.
        if (generation != openGeneration_) return;
        shownFileGeneration_ = generation;
        showOpenedRun(path, std::move(run), true);
        if (!problem.isEmpty()) showBanner(problem);
      });
}

void MainWindow::showOpenedRun(const QString& path, std::shared_ptr<const RunResult> run,
                               bool imported) {
  const ModelInfo& m = run->model;
  showResult(run);
  runFile_ = imported ? QString() : path;  // an import is saved as a run file (Ctrl+S)
  Settings::addRecent(Settings::Key::RecentFiles, path);
  setWindowTitle(tr("attnx — %1").arg(QFileInfo(path).fileName()));
  deviceLabel_->setText(imported ? tr("imported") : tr("from a file"));
  modelLabel_->setText(imported
                           ? tr("%1 layers · %2 heads").arg(m.layers).arg(m.heads)
                           : tr("%1 · %2 parameters")
                                 .arg(QString::fromStdString(m.family), formatCount(m.parameters)));
  // The model it was made with, when this machine has it: ready to run again.
  const QString modelDir = QString::fromStdString(m.dir);
  const bool haveModel = !modelDir.isEmpty() && QFileInfo(modelDir).isDir();
  if (haveModel && !controller_->isBusy()) showModelDir(modelDir);
  QString message = (imported ? tr("Imported %1") : tr("Opened %1")).arg(path);
  if (run->attentionsFromQueryKeys)
    message += tr(" · attention recomputed from its queries and keys");
  if (imported)
    message += tr(" · save it as a run file with Ctrl+S");
  else if (!haveModel)
    message += tr(" · its model folder is not on this machine");
  statusBar()->showMessage(message, 8000);
  emit runFileOpened(path);
}

bool MainWindow::saveRunFile(const QString& file) {
  const std::shared_ptr<const RunResult> run = doc_->sharedResult();
  if (!run) {
    showBanner(tr("There is no run to save yet."));
    return false;
  }
  const QString path = QFileInfo(file).absoluteFilePath();
  statusBar()->showMessage(tr("Saving %1…").arg(path));
  writeRunAsync(this, path, run, [this, path](const QString& error) {
    if (!error.isEmpty()) {
      showBanner(tr("Cannot save the run: %1").arg(error));
      return;
    }
    runFile_ = path;
    Settings::addRecent(Settings::Key::RecentFiles, path);
    statusBar()->showMessage(tr("Run saved to %1").arg(path), 5000);
    emit runFileSaved(path);
  });
  return true;
}

bool MainWindow::saveSession(const QString& file) {
  const std::shared_ptr<const RunResult> run = doc_->sharedResult();
  ExplorerSession s = captureSession();
  s.comparison = captureComparison();
  if (!run && !s.comparison) {
    showBanner(tr("There is nothing to save yet: no run and no dataset results are shown."));
    return false;
  }
  QString path = QFileInfo(file).absoluteFilePath();
  // Always a .attnx name: a session never replaces a run file (or anything else) by mistake.
  if (QFileInfo(path).suffix().toLower() != QLatin1String("attnx"))
    path += QStringLiteral(".attnx");
  s.runFile = run ? runFile_ : QString();
  const bool writeRun = run && (runFile_.isEmpty() || !QFileInfo::exists(runFile_));
  if (writeRun) {
    // The run goes beside the session: session.attnx, session.safetensors (session-2...
    // when that name is taken, or being written by another save: an existing file is never
    // replaced).
    const QFileInfo info(path);
    const auto taken = [this](const QString& f) {
      return QFileInfo::exists(f) || runFilesBeingWritten_.contains(f);
    };
    s.runFile =
        info.absoluteDir().filePath(info.completeBaseName() + QStringLiteral(".safetensors"));
    for (int n = 2; taken(s.runFile); ++n)
      s.runFile = info.absoluteDir().filePath(info.completeBaseName() +
                                              QStringLiteral("-%1.safetensors").arg(n));
    runFilesBeingWritten_.insert(s.runFile);
  }
  statusBar()->showMessage(tr("Saving the session %1…").arg(path));
  // Writing the run and hashing the files read and write them whole: off the GUI thread.
  writeInBackground(
      this, path,
      [run, s, path, writeRun]() mutable {
        if (writeRun) writeShownRun(s.runFile.toStdString(), *run);
        const auto hash = [](const QString& f) {
          const std::optional<std::string> sha = sha256OfFile(f.toStdString());
          if (!sha) throw Error(f.toStdString() + ": cannot be read back");
          return QString::fromStdString(*sha);
        };
        if (run) s.runSha256 = hash(s.runFile);
        if (s.comparison)
          for (ComparisonSession::Results& r : s.comparison->results) r.sha256 = hash(r.file);
        writeSession(path, s);
      },
      [this, path, run, writeRun, runPath = s.runFile](const QString& error) {
        if (writeRun) runFilesBeingWritten_.remove(runPath);
        if (!error.isEmpty()) {
          showBanner(tr("Cannot save the session: %1").arg(error));
          return;
        }
        // The run shown may have changed while it was written; the file holds the one saved.
        if (run && doc_->sharedResult() == run) runFile_ = runPath;
        Settings::addRecent(Settings::Key::RecentFiles, path);
        statusBar()->showMessage(run ? tr("Session saved to %1 (run %2)").arg(path, runPath)
                                     : tr("Session saved to %1").arg(path),
                                 5000);
        emit sessionSaved(path);
      });
  return true;
}

void MainWindow::openSession(const QString& file) {
  const QString path = QFileInfo(file).absoluteFilePath();
  const auto fail = [this, path](const QString& problem) {
    showBanner(tr("Cannot open the session %1: %2").arg(path, problem));
    emit sessionFailed(problem);
  };
  ExplorerSession s;
  try {
    s = readSession(path);
  } catch (const Error& e) {
    fail(QString::fromStdString(e.what()));
    return;
  }
  // What it restores is what the window shows next: a run replaces the explorer's, results
  // the comparison's. The whole session is dropped when another file is asked for in either
  // place before its files are checked; once the comparison is restored, a run file asked for
  // since still drops its run (then neither sessionOpened nor sessionFailed follows).
  const bool hasRun = !s.runFile.isEmpty();
  const quint64 generation = hasRun ? ++openGeneration_ : 0;
  std::array<quint64, 2> results{};
  if (s.comparison) results = {++resultsGeneration_[0], ++resultsGeneration_[1]};
  const auto stale = [this, hasRun, generation, results, comparison = s.comparison.has_value()] {
    return (hasRun && generation != openGeneration_) ||
           (comparison && results != resultsGeneration_);
  };
  statusBar()->showMessage(tr("Checking the session's files (%1)…").arg(path));
  // Hashing reads every file whole, and dataset results are read here too: off the GUI thread;
  // then the run is read.
  struct Files {
    QString problem;
    std::vector<std::shared_ptr<const DatasetResults>> results;
  };
  readInBackground<Files>(
      this, path,
      [s] {
        Files f;
        f.problem = runFileProblem(s);
        if (f.problem.isEmpty() && s.comparison)
          for (const ComparisonSession::Results& r : s.comparison->results)
            f.results.push_back(
                std::make_shared<const DatasetResults>(readResultsJson(r.file.toStdString())));
        if (f.problem.isEmpty() && s.comparison)
          f.problem = comparisonProblem(*s.comparison, f.results);
        return f;
      },
      [this, path, s, generation, fail, stale](std::shared_ptr<const Files> files,
                                               const QString& error) {
        if (stale()) return;  // another file was asked for since
        const QString why = files ? files->problem : error;
        if (!why.isEmpty()) {
          fail(why);
          return;
        }
        if (s.comparison) applyComparison(*s.comparison, files->results);
        if (!s.runFile.isEmpty()) {
          readRunFile(s.runFile, generation, s, path);
          return;
        }
        Settings::addRecent(Settings::Key::RecentFiles, path);
        statusBar()->showMessage(tr("Session %1 restored").arg(path), 8000);
        emit sessionOpened(path);
      });
}

std::optional<ComparisonSession> MainWindow::captureComparison() const {
  const DatasetDocument& d = *datasetDoc_;
  if (d.runCount() == 0) return std::nullopt;
  ComparisonSession c;
  for (int run = 0; run < d.runCount(); ++run) {
    // A session names results by their file (dataset runs and opens both have one).
    if (d.resultsFile(run).isEmpty()) return std::nullopt;
    c.results.push_back({QFileInfo(d.resultsFile(run)).absoluteFilePath(), QString()});
  }
  c.groups = {d.groupSpec(0), d.groupSpec(1)};
  c.kind = d.kind();
  c.layer = d.layer();
  c.examples = {d.shownExample(0), d.shownExample(1)};
  if (comparison_) {
    c.head = comparison_->exampleHead();
    c.examplesTab = comparison_->examplesTabShown();
    c.shown = comparison_->isVisible();
  }
  return c;
}

void MainWindow::applyComparison(
    const ComparisonSession& c, const std::vector<std::shared_ptr<const DatasetResults>>& results) {
  // The window exists and is connected before the results arrive, so that the examples it
  // shows at once are computed.
  ensureComparisonWindow();
  shownResultsGeneration_ = resultsGeneration_[0];
  for (std::size_t run = 0; run < results.size() && run < c.results.size(); ++run)
    datasetDoc_->setResults(int(run), results[run], c.results[run].file);
  datasetDoc_->setGroups(c.groups[0], c.groups[1]);
  datasetDoc_->setKind(c.kind);
  datasetDoc_->setLayer(c.layer);
  comparison_->setExampleHead(c.head);  // before the examples: they show it when they arrive
  for (int slot = 0; slot < 2; ++slot) datasetDoc_->setShownExample(slot, c.examples[slot]);
  if (c.examplesTab)
    comparison_->showExamplesTab();
  else
    comparison_->showGroupsTab();
  if (c.shown) showComparisonWindow();
  for (int run = 0; run < datasetDoc_->runCount(); ++run) emit datasetResultsOpened(run);
}

void MainWindow::knockOutDialog() {
  if (!doc_->result()) return;
  const Selection& sel = doc_->selection();
  const QString start = sel.head.isOne()
                            ? QStringLiteral("%1:%2:soft").arg(sel.layer).arg(sel.head.index)
                            : QStringLiteral("all:all:soft");
  bool ok = false;
  const QString spec = QInputDialog::getText(
      this, tr("Knock out"),
      tr("Heads and keys whose attention is removed before the softmax, as L:H:KEYS:\n"
         "L a layer or all, H a head or all, KEYS soft, bos, anchor, text, special or "
         "positions a-b"),
      QLineEdit::Normal, start, &ok);
  if (ok && !spec.trimmed().isEmpty()) knockOut(spec.trimmed());
}

std::optional<RunJob> MainWindow::rerunJob(const RunResult& original, int row, QString* why) const {
  RunJob job;
  try {
    job.request.parts = partsOfRun(original, row);
    // Sentence pairs: a rerun from ids alone would give every token type 0.
    if (std::any_of(original.tokenTypeIds.begin(), original.tokenTypeIds.end(),
                    [](int64_t t) { return t != 0; }))
      throw Error(tr("a run with token types (a sentence pair) cannot be rerun from its ids yet")
                      .toStdString());
  } catch (const Error& e) {
    *why = QString::fromStdString(e.what());
    return std::nullopt;
  }
  const QString modelDir = QString::fromStdString(original.model.dir);
  if (modelDir.isEmpty() || !QFileInfo(modelDir).isDir()) {
    *why = tr("the model folder %1 this run was made with is not on this machine.").arg(modelDir);
    return std::nullopt;
  }
  const bool soft = std::any_of(job.request.parts.begin(), job.request.parts.end(),
                                [](const InputPart& p) { return p.kind == SegmentKind::Soft; });
  const QString softFile = QString::fromStdString(original.softTokens.file.file);
  if (soft && (softFile.isEmpty() || !QFileInfo(softFile).isFile())) {
    *why = tr("the soft-token file %1 this run was made with is not on this machine.")
               .arg(softFile.isEmpty() ? tr("(not recorded)") : softFile);
    return std::nullopt;
  }
  job.model = panel_->modelSpec();  // the device chosen there
  job.model.dir = modelDir;
  // The precision of the shown run: what changes is the knockout's alone.
  if (!original.model.dtype.empty()) job.model.dtype = QString::fromStdString(original.model.dtype);
  if (soft) {
    job.softTokenFile = softFile;
    job.softIndex = original.softTokens.index;
  }
  return job;
}

bool MainWindow::knockOut(const QString& spec) {
  const std::shared_ptr<const RunResult> original = doc_->sharedResult();
  if (!original) {
    showBanner(tr("Run the model first: a knockout runs the shown input again."));
    return false;
  }
  // The shown run's own input (its layout and ids), on the model it records, whatever the input
  // panel holds now: a run opened from a file is knocked out as well as one just run.
  const int row = doc_->selection().batchRow;
  QString why;
  std::vector<Knockout> knockouts;
  try {
    // A knocked-out run knocked out again keeps its own knockouts: it is the baseline compared.
    for (const std::string& earlier : original->knockouts)
      knockouts.push_back(Knockout::parse(earlier));
    knockouts.push_back(Knockout::parse(spec.toStdString()));
  } catch (const Error& e) {
    why = QString::fromStdString(e.what());  // a mistyped spec is said first
  }
  std::optional<RunJob> rerun;
  if (why.isEmpty()) rerun = rerunJob(*original, row, &why);
  if (rerun) rerun->request.knockouts = std::move(knockouts);
  if (!rerun) {
    showBanner(tr("Cannot knock out %1: %2").arg(spec, why));
    return false;
  }
  RunJob& job = *rerun;
  // What the shown run holds, so that every view has the same to show.
  CapturePolicy& capture = job.request.capture;
  if (original->attentions.empty()) {
    capture.rows = CapturePolicy::Rows::None;
  } else if (const AttentionTensor& a = original->attentions.front();
             a.queries == original->seqLen) {
    capture.rows = CapturePolicy::Rows::Full;
  } else if (!a.queryPositions.empty()) {
    capture.rows = CapturePolicy::Rows::Selected;
    capture.queryPositions = a.queryPositions;
  } else {
    capture.rows = CapturePolicy::Rows::LastRow;
  }
  for (const AttentionTensor& a : original->attentions) capture.layers.push_back(a.layer);
  capture.fullLogits = original->logitRows > 1;
  capture.logitLens = !original->logitLens.empty();
  capture.valueNorms = !original->valueNorms.empty();
  capture.rollout = !original->rollout.empty();
  job.request.generate = original->generated;
  job.request.stopAtEos = false;  // as many steps as the shown run
  statusBar()->showMessage(tr("Running knockout %1…").arg(spec));
  // A request of its own: the explorer's run and views are not touched until it is shown.
  // Each its own tag: a second knockout asked for meanwhile never replaces this one.
  knockoutController_->run(job, QStringLiteral("knockout-%1").arg(++knockoutCount_), this,
                           [this, original, row, spec](const RunOutcome& outcome) {
                             onKnockoutDone(original, row, spec, outcome);
                           });
  return true;
}

void MainWindow::scanHeadsDialog() {
  if (!doc_->result()) return;
  bool ok = false;
  const QString keys = QInputDialog::getText(
      this, tr("Scan heads"),
      tr("Keys whose attention each head in turn loses (soft, bos, anchor, text, special or "
         "positions a-b); the grid shows how log p of the likeliest next token changes:"),
      QLineEdit::Normal, QStringLiteral("soft"), &ok);
  if (ok && !keys.trimmed().isEmpty()) scanHeads(keys.trimmed());
}

bool MainWindow::scanHeads(const QString& keys) {
  const std::shared_ptr<const RunResult> original = doc_->sharedResult();
  if (!original) {
    showBanner(tr("Run the model first: a scan runs the shown input again."));
    return false;
  }
  QString why;
  const Selection& sel = doc_->selection();
  if (!original->knockouts.empty())
    why = tr("this run has knockouts of its own; scan the run they were made on");
  else if (sel.step && *sel.step > 0)
    why = tr("a scan reads the prompt pass; choose it instead of a generated step first");
  std::optional<RunJob> job;
  if (why.isEmpty()) job = rerunJob(*original, doc_->selection().batchRow, &why);
  if (!job) {
    showBanner(tr("Cannot scan the heads: %1").arg(why));
    return false;
  }
  ScanOptions options;
  options.keys = keys.toStdString();
  // At the query the views show.
  options.query = doc_->resolvedQuery();
  job->scan = options;
  job->request.capture.rows = CapturePolicy::Rows::None;
  statusBar()->showMessage(tr("Scanning every head's attention to %1…").arg(keys));
  // Of two scans asked for, the newer replaces a queued one (which is never answered): one tag.
  scanController_->run(
      *job, QStringLiteral("scan"), this,
      [this, original, keys](const RunOutcome& outcome) { onScanDone(original, keys, outcome); });
  return true;
}

void MainWindow::onScanDone(const std::shared_ptr<const RunResult>& original, const QString& keys,
                            const RunOutcome& outcome) {
  if (outcome.cancelled) {
    statusBar()->showMessage(tr("Scan of %1 cancelled").arg(keys), 5000);
    emit scanFailed(tr("cancelled"));
    return;
  }
  if (!outcome.result || !outcome.result->scan) {
    const QString message = tr("The scan of %1 failed: %2").arg(keys, outcome.error);
    showBanner(message);
    emit scanFailed(message);
    return;
  }
  if (doc_->sharedResult() != original) {
    statusBar()->showMessage(
        tr("The scan of %1 finished after another run was shown; scan again for this one")
            .arg(keys),
        10000);
    emit scanFailed(tr("another run is shown"));
    return;
  }
  const ScanResult& scan = *outcome.result->scan;
  const std::optional<QString> text = lensLabel(*original, scan.target);
  causal_->setScan(scan, text ? quotedToken(*text) : QStringLiteral("#%1").arg(scan.target));
  if (causalDock_->isHidden()) {
    // Opened beside the mass grid: the two share its width, as two grids of the same heads.
    auto* heads = findChild<QDockWidget*>(QStringLiteral("headsDock"));
    causalDock_->show();
    if (heads && !heads->isHidden() && !heads->isFloating() && !causalDock_->isFloating()) {
      const int half = std::max(heads->width(), 2 * causalDock_->width()) / 2 + 40;
      resizeDocks({heads, causalDock_}, {half, half}, Qt::Horizontal);
    }
  }
  causalDock_->raise();
  statusBar()->showMessage(tr("Scanned %1 heads' attention to %2 in %3 s")
                               .arg(scan.delta.size())
                               .arg(keys)
                               .arg(QLocale().toString(scan.seconds, 'f', 1)),
                           10000);
  emit scanFinished();
}

void MainWindow::onKnockoutDone(const std::shared_ptr<const RunResult>& original, int row,
                                const QString& spec, const RunOutcome& outcome) {
  const auto fail = [this](const QString& message) {
    showBanner(message);
    emit knockoutFailed(message);
  };
  if (outcome.cancelled) {
    statusBar()->showMessage(tr("Knockout %1 cancelled").arg(spec), 5000);
    emit knockoutFailed(tr("cancelled"));
    return;
  }
  if (!outcome.result) return fail(tr("The knockout %1 failed: %2").arg(spec, outcome.error));
  const RunResult& changed = *outcome.result;
  // The same input: the model's tokenizer (its BOS) or the soft-token file may have changed
  // since the shown run was made.
  const auto rowIds =
      original->inputIds.begin() + static_cast<std::ptrdiff_t>(row) * original->seqLen;
  const bool sameIds = changed.seqLen == original->seqLen &&
                       changed.inputIds.size() == static_cast<std::size_t>(changed.seqLen) &&
                       std::equal(changed.inputIds.begin(), changed.inputIds.end(), rowIds);
  if (!sameIds || !(changed.softTokens.file == original->softTokens.file) ||
      changed.softTokens.index != original->softTokens.index)
    return fail(tr("The knockout %1 did not reproduce the shown run's input: its model's "
                   "tokenizer or its soft-token file changed since the run was made.")
                    .arg(spec));
  QString summary = tr("Knockout %1").arg(spec);
  try {
    const PredictionChange c = predictionChange(*original, changed, std::nullopt, row);
    // The lens keeps labels of the likeliest ids; the window has no tokenizer of its own.
    const auto label = [&](int64_t id) {
      for (const RunResult* r : {original.get(), &changed})
        if (std::optional<QString> text = lensLabel(*r, id)) return quotedToken(*text);
      return QStringLiteral("#%1").arg(id);
    };
    summary =
        tr("Knockout %1: prediction %2 → %3, Δ log p(%2) = %4")
            .arg(spec, label(c.before), label(c.after), QLocale().toString(c.delta(), 'f', 3));
  } catch (const Error&) {
    // No next-token logits (an encoder): the views show what changed.
  }
  auto* other = new MainWindow(service_, nullptr);  // the same thread and models
  other->setAttribute(Qt::WA_DeleteOnClose);
  other->resize(size());
  other->showKnockoutRun(outcome.result, captureSession(), spec, summary,
                         QString::fromStdString(changed.model.dir));
  other->move(frameGeometry().topRight() + QPoint(16, 0));  // beside this one
  other->show();
  statusBar()->showMessage(tr("%1 · opened beside").arg(summary), 15000);
  emit knockoutOpened(other, summary);
}

void MainWindow::showKnockoutRun(std::shared_ptr<const RunResult> run, const ExplorerSession& look,
                                 const QString& spec, const QString& summary,
                                 const QString& modelDir) {
  const ModelInfo& m = run->model;
  showResult(std::move(run));
  applySession(look);  // the selection, views, zoom, thresholds and docks of the original
  runFile_.clear();    // not in a file: Save run writes one
  // Every knockout the run was made with: a knocked-out run knocked out again has several.
  QStringList specs;
  for (const std::string& k : doc_->result()->knockouts) specs << QString::fromStdString(k);
  const QString all = specs.isEmpty() ? spec : specs.join(QStringLiteral(" + "));
  setWindowTitle(tr("attnx — knockout %1").arg(all));
  deviceLabel_->setText(tr("knockout %1").arg(all));
  modelLabel_->setText(
      tr("%1 · %2 parameters").arg(QString::fromStdString(m.family), formatCount(m.parameters)));
  if (!modelDir.isEmpty() && QFileInfo(modelDir).isDir()) showModelDir(modelDir);
  statusBar()->showMessage(summary);
}

ExplorerSession MainWindow::captureSession() const {
  ExplorerSession s;
  s.selection = doc_->selection();
  const ColorScale scale = heatmap_->colorScale();
  s.colorMap = colorMapNames().id(scale.map);
  s.scale = scaleNames().id(scale.scale);
  s.gamma = scale.gamma;
  s.fitRange = heatmap_->fitRange();
  s.zoom = heatmap_->zoomRange();
  switch (heads_->metric()) {
    case HeadGridView::Metric::SegmentMass:
      s.gridMetric = QStringLiteral("mass");
      break;
    case HeadGridView::Metric::Entropy:
      s.gridMetric = QStringLiteral("entropy");
      break;
    case HeadGridView::Metric::Thumbnail:
      s.gridMetric = QStringLiteral("thumbnails");
      break;
  }
  s.gridKind = QString::fromLatin1(segmentKindName(heads_->metricKind()).data());
  s.showRange = curves_->showRange();
  s.thresholds = diagnostics_->thresholds();
  s.windowState = saveState();
  return s;
}

void MainWindow::applySession(const ExplorerSession& s) {
  if (!s.windowState.isEmpty()) restoreState(s.windowState);
  setHeatmapLook(s.colorMap, s.scale, s.gamma);
  heatmap_->setFitRange(s.fitRange);
  const HeadGridView::Metric metric =
      s.gridMetric == QLatin1String("entropy")      ? HeadGridView::Metric::Entropy
      : s.gridMetric == QLatin1String("thumbnails") ? HeadGridView::Metric::Thumbnail
                                                    : HeadGridView::Metric::SegmentMass;
  heads_->setMetric(metric,
                    segmentKindFromName(s.gridKind.toStdString()).value_or(SegmentKind::Soft));
  curves_->setShowRange(s.showRange);
  diagnostics_->setThresholds(s.thresholds);
  doc_->setSelection(s.selection);  // clamped to the run
  if (s.zoom) heatmap_->setZoomRange(*s.zoom);
}

void MainWindow::saveSessionDialog(QWidget* parent) {
  if (!doc_->result() && !captureComparison()) return;
  const QString named = !runFile_.isEmpty() && doc_->result() ? runFile_
                        : !doc_->result()                     ? datasetDoc_->resultsFile(0)
                                                              : QString();
  const QString file =
      askSaveFile(parent, tr("Save session"), QStringLiteral("saveSessionDialog"),
                  {tr("attnx sessions (*.attnx)")}, QStringLiteral("attnx"),
                  named.isEmpty() ? QStringLiteral("session.attnx")
                                  : QFileInfo(named).completeBaseName() + QStringLiteral(".attnx"));
  if (!file.isEmpty()) saveSession(file);
}

void MainWindow::openRunDialog() {
  const QStringList recent = Settings::recent(Settings::Key::RecentFiles);
  const QString start = recent.isEmpty() ? QDir::homePath() : QFileInfo(recent.first()).path();
  const QString file = QFileDialog::getOpenFileName(
      this, tr("Open a run file"), start,
      tr("Runs, sessions and saved attention (*.safetensors *.attnx *.pt *.pth *.bin *.npz "
         "*.npy);;Run files (*.safetensors);;Sessions (*.attnx);;All files (*)"));
  if (!file.isEmpty()) openRunFile(file);
}

void MainWindow::saveRunDialog() {
  if (!doc_->result()) return;
  const QString file =
      askSaveFile(this, tr("Save run"), QStringLiteral("saveRunDialog"),
                  {tr("Run files (*.safetensors)")}, QStringLiteral("safetensors"),
                  runFile_.isEmpty() ? QStringLiteral("run.safetensors") : runFile_);
  if (!file.isEmpty()) saveRunFile(file);
}

void MainWindow::fillRecentFilesMenu() {
  recentFilesMenu_->clear();
  const QStringList files = Settings::recent(Settings::Key::RecentFiles);
  if (files.isEmpty()) {
    recentFilesMenu_->addAction(tr("No recent files"))->setEnabled(false);
    return;
  }
  for (const QString& f : files) {
    QAction* a = recentFilesMenu_->addAction(QFileInfo(f).fileName());
    a->setToolTip(f);
    connect(a, &QAction::triggered, this, [this, f] {
      if (QFileInfo::exists(f)) {
        openRunFile(f);
      } else {
        Settings::removeRecent(Settings::Key::RecentFiles, f);
        showBanner(tr("%1 no longer exists; it was removed from the recent files.").arg(f));
      }
    });
  }
}

bool MainWindow::isBannerVisible() const { return !banner_->isHidden(); }

QString MainWindow::bannerText() const { return bannerLabel_->text(); }

void MainWindow::dismissBanner() {
  banner_->hide();
  bannerLabel_->clear();
}

void MainWindow::showBanner(const QString& text) {
  bannerLabel_->setText(text);
  banner_->show();
  statusBar()->showMessage(text, 8000);
}

void MainWindow::setHeatmapLook(const QString& colorMap, const QString& scale, double gamma) {
  heatmap_->setColorMap(colorMapNames().fromId(colorMap).value_or(ColorMapKind::Viridis));
  heatmap_->setScaleKind(scaleNames().fromId(scale).value_or(ScaleKind::Linear), gamma);
}

void MainWindow::restoreSettings() {
  using K = Settings::Key;
  panel_->loadSettings();
  const QByteArray geometry = Settings::get(K::WindowGeometry).toByteArray();
  if (geometry.isEmpty() || !restoreGeometry(geometry)) resize(1600, 1000);
  const QByteArray state = Settings::get(K::WindowState).toByteArray();
  if (!state.isEmpty()) restoreState(state);
  setHeatmapLook(Settings::string(K::ColorMap), Settings::string(K::ColorScale));
  diagnostics_->setThresholds(Settings::diagnosticThresholds());
}

void MainWindow::saveSettings() {
  using K = Settings::Key;
  Settings::set(K::WindowGeometry, saveGeometry());
  Settings::set(K::WindowState, saveState());
  const ColorScale scale = heatmap_->colorScale();
  Settings::set(K::ColorMap, colorMapNames().id(scale.map));
  Settings::set(K::ColorScale, scaleNames().id(scale.scale));
  Settings::setDiagnosticThresholds(diagnostics_->thresholds());
  panel_->saveSettings();
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (writesSettings_) saveSettings();
  controller_->cancel();
  datasetController_->cancel();
  knockoutController_->cancel();
  scanController_->cancel();
  event->accept();
}

QWidget* MainWindow::figureView() const {
  for (QWidget* w = QApplication::focusWidget(); w; w = w->parentWidget())
    if (w == heatmap_ || w == curves_ || w == heads_ || w == causal_) return w;
  return heatmap_;
}

void MainWindow::exportFigureDialog() {
  QWidget* view = figureView();
  FigureDialog dialog(this);
  dialog.setViewDescription(view == heatmap_  ? tr("Exports the heatmap.")
                            : view == curves_ ? tr("Exports the per-layer curves.")
                                              : tr("Exports the head grid."));
  if (dialog.exec() != QDialog::Accepted) return;
  const ColorScale scale = heatmap_->colorScale();
  FigureLook look;
  look.colorMap = scale.map;
  look.scale = scale.scale;
  look.gamma = scale.gamma;
  look.rangeUpper = heatmap_->fitRange() ? 0.0 : 1.0;  // panels share the fitted range
  FigureSource source;
  if (const RunResult* r = doc_->result()) source.modelDir = QString::fromStdString(r->model.dir);
  source.prompt = panel_->prompt();
  source.anchor = panel_->anchor();
  source.viewName = view == heatmap_  ? view_names::kHeatmap
                    : view == curves_ ? view_names::kLayers
                                      : view_names::kGrid;
  source.colorMap = colorMapNames().id(scale.map);
  source.colorScale = scaleManifestName(look.scale, look.gamma);
  try {
    exportFigureFromDialog(dialog, view, *doc_, source, look);
    statusBar()->showMessage(tr("Figure saved to %1").arg(dialog.fileName()), 5000);
  } catch (const std::exception& e) {
    showBanner(tr("Cannot export the figure: %1").arg(QString::fromUtf8(e.what())));
  }
}

bool MainWindow::exportStatistics(const QString& file) {
  try {
    writeSelectedStatistics(*doc_, file, diagnostics_->thresholds());
    statusBar()->showMessage(tr("Statistics saved to %1").arg(file), 5000);
    return true;
  } catch (const std::exception& e) {
    showBanner(tr("Cannot export the statistics: %1").arg(QString::fromUtf8(e.what())));
    return false;
  }
}

void MainWindow::exportStatisticsDialog() {
  const QString file =
      askSaveFile(this, tr("Export statistics"), QStringLiteral("exportStatisticsDialog"),
                  {tr("JSON files (*.json)"), tr("CSV files (*.csv)")}, QStringLiteral("json"),
                  QStringLiteral("attention_stats.json"));
  if (!file.isEmpty()) exportStatistics(file);
}

void MainWindow::copyFigure() {
  try {
    FigureOptions options;
    options.widthIn = 6.75;
    options.dpi = 150;
    QApplication::clipboard()->setImage(renderFigureImage(figureView(), options));
    statusBar()->showMessage(tr("Figure copied to the clipboard"), 3000);
  } catch (const std::exception& e) {
    QMessageBox::warning(this, tr("Copy as image"), QString::fromUtf8(e.what()));
  }
}

}  // namespace attnx
