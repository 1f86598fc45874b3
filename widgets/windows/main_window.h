#pragma once
// The explorer window: the input panel, the views of the current run (all following one
// RunDocument), a toolbar to move through layers and heads, and a status bar with the device,
// the model size, the run time and the memory the result holds. Inference runs on the
// InferenceController's thread; nothing here waits for it.
#include <QMainWindow>
#include <QPointer>
#include <QSet>
#include <array>
#include <memory>
#include <optional>

#include "explorer_session.h"
#include "run_document.h"

class QComboBox;
class QLabel;
class QSpinBox;
class QToolButton;
class QFrame;
class QDockWidget;
class QMenu;

namespace attnx {

class InferenceController;
class InferenceService;
class InputPanel;
class HeatmapView;
class LayerCurvesView;
class HeadGridView;
class TokenStripView;
class StepSelector;
class DiagnosticsPanel;
class LensView;
class CausalGridView;
class DatasetDocument;
class ComparisonWindow;
struct DemoExample;
struct ModelInfo;
struct RunResult;
struct DatasetJob;
struct DatasetResults;
struct RunOutcome;
struct RunJob;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Loads a model folder on the inference thread; a bad folder ends in a message banner.
  void openModelDirectory(const QString& dir);
  // Builds a job from the input panel and submits it; false (and a banner) for bad input.
  bool startRun();
  void cancelRun();
  // Extracts the built-in demo, fills the input panel with its soft-token example and, when
  // `run` is set, runs it. False (and a banner) when the demo is not available.
  bool openDemo(bool run);
  // Fills the input panel with one of the demo's examples (the demo must be extracted).
  void useDemoExample(const DemoExample& example, bool run);

  // Run files (what `attnx run` writes, any capture, with generation steps): opened without the
  // model, read off the GUI thread; a bad file ends in the banner and leaves the shown run.
  // When the model folder the run records exists, it is put in the input panel to run again.
  // Attention saved by Python (.pt, .npz, .npy, safetensors without input ids) is imported
  // (attention_import.h); without a layout in the file the user is asked for one.
  void openRunFile(const QString& file);
  // Imports `file` with `layout` (empty: the file's own, else all text) without asking.
  void importAttentionFile(const QString& file, const QString& layout);
  // Whether opening an imported file without a layout asks for one (off for screenshots).
  void setAsksForImportLayout(bool ask) { asksForLayout_ = ask; }
  // Writes the shown run atomically, off the GUI thread; false (and a banner) when none is shown.
  bool saveRunFile(const QString& file);
  // Sessions (.attnx, explorer_session.h): the run file (saved beside the session first when
  // the shown run is not in a file yet), the selection, the views' settings, zoom, thresholds
  // and the docks; and, when dataset results are open, the comparison window's results files,
  // groups, segment kind, layer, head, shown examples and tab. Opening one opens its run and its
  // results and restores all of it; a missing or changed run or results file is a banner.
  // Writing the run and hashing the files (gigabytes, seconds) run off the GUI thread:
  // saveSession returns at once, false (and a banner) when neither a run nor results are shown;
  // the outcome is sessionSaved, or a banner. Of several files opened one after another, only the
  // last one asked for is shown, whichever read ends last; a run of the explorer started before a
  // file was asked for and finishing after it is not shown over it.
  bool saveSession(const QString& file);
  void openSession(const QString& file);
  // The file the shown run was read from or last saved to; empty for a run not saved yet.
  QString runFile() const { return runFile_; }

  RunDocument* document() const { return doc_; }
  InputPanel* inputPanel() const { return panel_; }
  // The explorer's client of the inference thread, and the dataset runs' (its own, so that a
  // dataset run never shows in the explorer's busy state, title or Cancel).
  InferenceController* controller() const { return controller_; }
  InferenceController* datasetController() const { return datasetController_; }
  InferenceService* inferenceService() const { return service_.get(); }
  InferenceController* scanController() const { return scanController_; }  // scanHeads' client
  HeatmapView* heatmapView() const { return heatmap_; }
  LayerCurvesView* layerCurvesView() const { return curves_; }
  HeadGridView* headGridView() const { return heads_; }
  LensView* lensView() const { return lens_; }
  CausalGridView* causalGridView() const { return causal_; }
  TokenStripView* tokenStripView() const { return strip_; }
  StepSelector* stepSelector() const { return steps_; }
  DiagnosticsPanel* diagnosticsPanel() const { return diagnostics_; }

  // Knockout (#12): runs the shown run's own input again (partsOfRun: its ids and segments, the
  // soft rows from the soft-token file it records) on the model it records, capturing what it
  // holds, with `spec` (L:H:KEYS, Knockout::parse) as a request of its own beside the explorer's
  // runs; a run opened from a file works as well as one just run. The knocked-out run opens in a
  // new explorer window beside this one, at the same selection, view settings and docks, and both
  // status bars say what it did to the prediction at the last position (its likeliest token, and
  // the change of log p of this run's likeliest). The head grid's cells and the token strip's chips
  // offer knockouts on right-click; Run › Knock out… asks for a spec. False (and a banner) when it
  // cannot start.
  bool knockOut(const QString& spec);
  // The causal head grid (#12): every head's attention to `keys` (soft, bos, anchor, text,
  // special or positions a-b) knocked out in turn on the shown run's input, on the inference
  // thread (Model::scan: one prefix pass per layer, then a branch per head), at the selected
  // query of the prompt pass, for the run's likeliest next token. The status bar says it is
  // scanning, Esc cancels; the grid of Δ log p shows in the Causal heads dock beside the head grid
  // (scanFinished), or the banner says why not (scanFailed). False (and a banner) when it
  // cannot start.
  bool scanHeads(const QString& keys);

  // The non-modal message banner above the views (errors that need the user's attention).
  bool isBannerVisible() const;
  QString bannerText() const;
  void dismissBanner();
  void showBanner(const QString& text);

  // Writes the attention statistics of the selected query (as `attnx stats` does) to `file`:
  // CSV for a .csv suffix, JSON otherwise. False (and a banner) on failure.
  bool exportStatistics(const QString& file);

  // Dataset runs (main_window_dataset.cpp). The job runs on the inference thread with the input
  // panel's device and dtype; progress shows in the status bar, Cancel stops it keeping the
  // finished examples in its results file. False (and a banner) when it cannot start.
  bool startDatasetRun(const DatasetJob& job);
  // The demo's 48 examples with their soft tokens, results in the demo's cache folder.
  bool analyzeDemoDataset();
  // Opens a stats.json (read off the GUI thread) as run 0, or as run 1 to compare two runs;
  // errors end in the banner.
  void openDatasetResults(const QString& file, int run = 0);
  // Runs example `index` of dataset run `run` in the explorer (the main document).
  bool openExampleInExplorer(int run, int index);
  DatasetDocument* datasetDocument() const { return datasetDoc_; }
  ComparisonWindow* comparisonWindow() const;  // null until results were shown
  void showComparisonWindow();

 signals:
  // The outcome of each run, after the views were updated.
  void runFinished();
  void runFailed(const QString& message);
  void runCancelled();
  void modelLoadFailed(const QString& message);
  // Run files, after the views show the opened run (or the banner the failure).
  void runFileOpened(const QString& file);
  void runFileFailed(const QString& message);
  void runFileSaved(const QString& file);
  void sessionOpened(const QString& file);  // after the run opened and the state was restored
  void sessionSaved(const QString& file);   // the session and its run file are written
  // A knockout's run, opened in `window` (deleted when closed); `summary` is the status line.
  void knockoutOpened(attnx::MainWindow* window, const QString& summary);
  void knockoutFailed(const QString& message);
  void scanFinished();  // the causal grid shows the scan
  void scanFailed(const QString& message);
  void sessionFailed(const QString& message);
  // Dataset runs and results files.
  void datasetFinished();
  void datasetFailed(const QString& message);
  void datasetCancelled();
  void datasetResultsOpened(int run);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void buildActions();
  void buildDatasetMenu();
  void connectDatasetSignals();
  void analyzeDatasetDialog();
  void openDatasetResultsDialog(int run);
  void onDatasetResults(std::shared_ptr<const DatasetResults> results, const QString& file,
                        int run);
  ComparisonWindow* ensureComparisonWindow();  // created hidden, connected, on first use
  void buildViews();
  void buildToolBar();
  void buildStatusBar();
  void installNavigation(QWidget* view);
  // Figures: the view that has focus (the heatmap when none does), exported or copied.
  QWidget* figureView() const;
  void exportFigureDialog();
  void copyFigure();
  void exportStatisticsDialog();
  void browseModel();
  void fillDemoMenu();
  void openRunDialog();
  void saveRunDialog();
  void saveSessionDialog(QWidget* parent);  // the dialog over `parent`
  // The knockout `spec` of batch row `row` of `original` ended with `outcome`.
  void onKnockoutDone(const std::shared_ptr<const RunResult>& original, int row,
                      const QString& spec, const RunOutcome& outcome);
  // A window beside another (a knockout's): it runs on that window's inference thread, sharing
  // the models it holds, and does not write the window's settings (geometry, docks, look) when
  // it closes: they stay the first window's.
  MainWindow(std::shared_ptr<InferenceService> shared, QWidget* parent);
  // Shows `run`, knocked out by `spec`, in this (new) window with the look of the original's.
  void showKnockoutRun(std::shared_ptr<const RunResult> run, const ExplorerSession& look,
                       const QString& spec, const QString& summary, const QString& modelDir);
  void knockOutDialog();
  void scanHeadsDialog();
  void onScanDone(const std::shared_ptr<const RunResult>& original, const QString& keys,
                  const RunOutcome& outcome);
  // A job that runs batch row `row` of `original` again: its own input (partsOfRun), on the
  // model and soft-token file it records, in its precision; nothing (and *why) when it cannot.
  std::optional<RunJob> rerunJob(const RunResult& original, int row, QString* why) const;
  ExplorerSession captureSession() const;  // the explorer's part (no comparison)
  void applySession(const ExplorerSession& session);
  // The comparison window's state; nothing without dataset results read from a file.
  std::optional<ComparisonSession> captureComparison() const;
  // Shows `results` (read from the session's files, in order) as the comparison's runs, then
  // its groups, selection, examples and tab.
  void applyComparison(const ComparisonSession& comparison,
                       const std::vector<std::shared_ptr<const DatasetResults>>& results);
  // The explorer's own runs (not knockouts, not dataset runs), counted as files asked for.
  void submitRun(const RunJob& job);
  void fillRecentFilesMenu();
  // Shows a run read from `path` (imported: converted from a Python file, not a run file).
  void showOpenedRun(const QString& path, std::shared_ptr<const RunResult> run, bool imported);
  // Shows `result` in every view, with its time and memory in the status bar.
  void showResult(std::shared_ptr<const RunResult> result);

  void onModelLoaded(const ModelInfo& info);
  // The status bar's device and model labels and the window title for the model `info`; true
  // when it is the built-in demo.
  bool showLoadedModel(const ModelInfo& info);
  void onRunFinished(std::shared_ptr<const RunResult> result);
  void onFailed(const QString& message, bool whileLoading);
  void onCancelled();
  void onBusyChanged(bool busy);
  void syncToolBarFromDocument();
  void applyHeadFromToolBar();
  void moveLayer(int delta);
  void moveHead(int delta);

  void restoreSettings();
  // Puts `dir` in the input panel's model field, the demo's copy under its name.
  void showModelDir(const QString& dir);
  // The heatmap's colour map and scale from their stable names (defaults for unknown ones).
  void setHeatmapLook(const QString& colorMap, const QString& scale, double gamma = 0.5);
  void saveSettings();

  RunDocument* doc_ = nullptr;
  // The inference thread, shared by the clients below and by the knockout windows beside this
  // one; it goes with the last of them.
  std::shared_ptr<InferenceService> service_;
  bool writesSettings_ = true;  // false in a window beside another
  InferenceController* controller_ = nullptr;
  InferenceController* datasetController_ = nullptr;
  InferenceController* knockoutController_ = nullptr;
  InferenceController* scanController_ = nullptr;  // scanHeads: Esc cancels it
  quint64 knockoutCount_ = 0;  // tags the knockouts apart
  QAction* cancelDatasetAction_ = nullptr;
  InputPanel* panel_ = nullptr;

  HeatmapView* heatmap_ = nullptr;
  LayerCurvesView* curves_ = nullptr;
  HeadGridView* heads_ = nullptr;
  TokenStripView* strip_ = nullptr;
  StepSelector* steps_ = nullptr;
  DiagnosticsPanel* diagnostics_ = nullptr;
  LensView* lens_ = nullptr;
  CausalGridView* causal_ = nullptr;
  QDockWidget* causalDock_ = nullptr;

  QFrame* banner_ = nullptr;
  QLabel* bannerLabel_ = nullptr;

  QAction* openAction_ = nullptr;
  QAction* saveRunAction_ = nullptr;
  // Run files being written for sessions: a second save picks another name while one is.
  QSet<QString> runFilesBeingWritten_;
  QMenu* recentFilesMenu_ = nullptr;
  QString runFile_;
  // Counts the files asked to open (runs, imports, sessions): a read that ends after a newer
  // one was asked for is dropped, so that what the window shows is the last file asked for.
  quint64 openGeneration_ = 0;
  quint64 runGeneration_ = 0;  // openGeneration_ when the explorer's latest run was started
  // openGeneration_ of the last file shown: a run started before it is not shown over it (a
  // file asked for that failed to open leaves the run to show).
  quint64 shownFileGeneration_ = 0;
  // The same for dataset results, per run (first, second) they are opened as.
  std::array<quint64, 2> resultsGeneration_{};
  // The same between dataset runs and results opened (or restored by a session) as the first
  // run: resultsGeneration_[0] when the latest dataset run started, and when results were last
  // shown from a file.
  quint64 datasetGeneration_ = 0;
  quint64 shownResultsGeneration_ = 0;
  // Reads the run file `path` for open request `generation`; `session` (read from
  // `sessionFile`) is restored once the run shows.
  void readRunFile(const QString& path, quint64 generation,
                   const std::optional<ExplorerSession>& session = std::nullopt,
                   const QString& sessionFile = QString());
  bool asksForLayout_ = true;
  QAction* runAction_ = nullptr;
  QAction* cancelAction_ = nullptr;
  QSpinBox* layerSpin_ = nullptr;
  QSpinBox* headSpin_ = nullptr;
  QComboBox* aggregateCombo_ = nullptr;
  bool syncing_ = false;  // true while the toolbar is being set from the document

  QLabel* deviceLabel_ = nullptr;
  QLabel* modelLabel_ = nullptr;
  QLabel* timeLabel_ = nullptr;
  QLabel* memoryLabel_ = nullptr;

  QMenu* demoMenu_ = nullptr;  // one entry per example of the demo
  QString demoDir_;            // the extracted demo; never added to the recent models
  // The demo's folder, extracted (or checked) now; empty with *error set when it cannot be.
  QString extractDemo(QString* error);

  DatasetDocument* datasetDoc_ = nullptr;   // the comparison window's document
  QPointer<ComparisonWindow> comparison_;   // created when the first results arrive
  QLabel* datasetProgressLabel_ = nullptr;  // "37 / 200 examples, about 40 s left"
};

}  // namespace attnx
