#pragma once
// The explorer window: the input panel, the views of the current run (all following one
// RunDocument), a toolbar to move through layers and heads, and a status bar with the device,
// the model size, the run time and the memory the result holds. Inference runs on the
// InferenceController's thread; nothing here waits for it.
#include <QMainWindow>
#include <memory>

#include "run_document.h"

class QComboBox;
class QLabel;
class QSpinBox;
class QToolButton;
class QFrame;
class QMenu;

namespace attnx {

class InferenceController;
class InputPanel;
class HeatmapView;
class LayerCurvesView;
class HeadGridView;
class TokenStripView;
class StepSelector;
class DiagnosticsPanel;
struct DemoExample;
struct ModelInfo;
struct RunResult;

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

  RunDocument* document() const { return doc_; }
  InputPanel* inputPanel() const { return panel_; }
  InferenceController* controller() const { return controller_; }
  HeatmapView* heatmapView() const { return heatmap_; }
  LayerCurvesView* layerCurvesView() const { return curves_; }
  HeadGridView* headGridView() const { return heads_; }
  TokenStripView* tokenStripView() const { return strip_; }
  StepSelector* stepSelector() const { return steps_; }
  DiagnosticsPanel* diagnosticsPanel() const { return diagnostics_; }

  // The non-modal message banner above the views (errors that need the user's attention).
  bool isBannerVisible() const;
  QString bannerText() const;
  void dismissBanner();
  void showBanner(const QString& text);

 signals:
  // The outcome of each run, after the views were updated.
  void runFinished();
  void runFailed(const QString& message);
  void runCancelled();
  void modelLoadFailed(const QString& message);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void buildActions();
  void buildViews();
  void buildToolBar();
  void buildStatusBar();
  void installNavigation(QWidget* view);
  // Figures: the view that has focus (the heatmap when none does), exported or copied.
  QWidget* figureView() const;
  void exportFigureDialog();
  void copyFigure();
  void browseModel();
  void fillDemoMenu();

  void onModelLoaded(const ModelInfo& info);
  void onRunFinished(std::shared_ptr<const RunResult> result);
  void onFailed(const QString& message, bool whileLoading);
  void onCancelled();
  void onBusyChanged(bool busy);
  void syncToolBarFromDocument();
  void applyHeadFromToolBar();
  void moveLayer(int delta);
  void moveHead(int delta);

  void restoreSettings();
  void saveSettings();

  RunDocument* doc_ = nullptr;
  InferenceController* controller_ = nullptr;
  InputPanel* panel_ = nullptr;

  HeatmapView* heatmap_ = nullptr;
  LayerCurvesView* curves_ = nullptr;
  HeadGridView* heads_ = nullptr;
  TokenStripView* strip_ = nullptr;
  StepSelector* steps_ = nullptr;
  DiagnosticsPanel* diagnostics_ = nullptr;

  QFrame* banner_ = nullptr;
  QLabel* bannerLabel_ = nullptr;

  QAction* openAction_ = nullptr;
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
};

}  // namespace attnx
