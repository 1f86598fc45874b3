#pragma once
// The comparison window of a dataset run: two groups (correct vs incorrect by default, any two
// filters, or two runs) side by side — per-layer curves with 95% confidence bands, the head grid
// of the difference A - B with the ranked heads, set-level diagnostics — and two chosen examples
// side by side with synchronised layer, head, query and zoom, and their difference heatmap when
// their token layouts align. Every view exports through the figure machinery.
//
// Given the application's inference service (setInferenceService), the window recomputes an
// example's full attention itself, as a client of its own: its runs never show in the explorer's
// busy state, title or progress. Without one (tests, figures) it emits exampleRunRequested and
// whoever listens answers with setExampleResult or setExampleFailed.
#include <QJsonObject>
#include <QMainWindow>
#include <functional>
#include <memory>

#include "dataset_document.h"
#include "run_types.h"
#include "value_meta_types.h"  // setExampleResult is connected queued from the inference thread

class QCustomPlot;

namespace attnx {

class RunDocument;
class InferenceController;
class InferenceService;
struct Selection;
struct FigureOptions;

class ComparisonWindow : public QMainWindow {
  Q_OBJECT
 public:
  // `doc` is not owned and must outlive the window.
  explicit ComparisonWindow(DatasetDocument* doc, QWidget* parent = nullptr);
  ~ComparisonWindow() override;

  DatasetDocument* document() const { return doc_; }
  // Runs the examples' models through `service` (which must outlive the window).
  void setInferenceService(InferenceService* service);
  InferenceController* inferenceClient() const { return examples_; }
  // The run document of example slot 0 (left) or 1 (right).
  RunDocument* exampleDocument(int slot) const;

  // Views, for the tests and the figure commands (each is an IFigureView).
  QWidget* groupCurvesView() const;
  QWidget* differenceGridView() const;
  QWidget* exampleView(int slot) const;
  QWidget* exampleDifferenceView() const;
  QWidget* rankedHeadsView() const;
  QWidget* diagnosticsView() const;
  // The note shown in place of slot's heatmap (busy, failed, nothing chosen); empty while the
  // heatmap is shown.
  QString exampleMessage(int slot) const;
  void showGroupsTab();
  void showExamplesTab();
  bool examplesTabShown() const;
  // The head the two examples show (mean, max or one head); set before their runs arrive, they
  // show it when they do.
  HeadChoice exampleHead() const;
  void setExampleHead(HeadChoice head);

  // Figures without dialogs (the dialogs end here too). False, with a message box, on failure.
  bool exportViewFigure(QWidget* view, const QString& file, const FigureOptions& options);
  // The two examples' heatmaps as one figure with panels (a) and (b).
  bool exportSideBySide(const QString& file, const FigureOptions& options);
  // The manifest a figure of `view` (one of the views above) records.
  QJsonObject manifestFor(QWidget* view) const;

 signals:
  // The user chose example (run, index) for `slot`: its full attention is wanted.
  void exampleRunRequested(int slot, int run, int index);
  // File › Save session… (Ctrl+Alt+S): whoever owns the dataset document saves it.
  void sessionSaveRequested();

 public slots:
  void setExampleResult(int slot, std::shared_ptr<const attnx::RunResult> result);
  void setExampleFailed(int slot, const QString& message);

 private:
  void syncFromDocument();  // groups, choosers and title after the results or groups changed
  void applyGroups();       // the group choosers into the document
  void syncSelection();     // kind and layer from the document
  void fillExampleChoosers();
  void fillHeadChoices();
  void chooseDefaultExamples();
  void onShownExampleChanged(int slot);
  void showSlotMessage(int slot, const QString& text, bool showHeatmap = false);
  void setExampleSelection(const std::function<void(Selection&)>& change);
  void copySelection(int from);      // slot `from`'s layer, head, query, step to the other
  void copyZoom(QCustomPlot* from);  // one plot's axis ranges to the other example plots
  QWidget* figureViewOf(QWidget* w) const;
  QWidget* focusedFigureView() const;
  void syncActions();
  QJsonObject exampleManifest(int slot) const;
  void exportFocusedFigure();
  void copyFocusedFigure();  // Ctrl+Shift+C, as in the explorer
  void exportSideBySideDialog();
  // Runs `write`; says in the status bar that `file` was saved, or why not in a box titled
  // `title`. Whether it was saved.
  bool saveFigure(const QString& title, const QString& file, const std::function<void()>& write);

  DatasetDocument* doc_ = nullptr;
  InferenceController* examples_ = nullptr;  // this window's client of the inference thread
  QMetaObject::Connection focusConnection_;  // qApp's focusChanged: ended first on destruction
  struct Ui;
  std::unique_ptr<Ui> ui_;
};

}  // namespace attnx
