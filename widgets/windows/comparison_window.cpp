#include "comparison_window.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QMessageBox>
#include <QMetaMethod>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include "child_widgets.h"
#include "dataset_view_data.h"
#include "difference_grid_view.h"
#include "difference_heatmap_view.h"
#include "figure_dialog.h"
#include "figure_export.h"
#include "figure_view.h"
#include "group_curves_view.h"
#include "group_diagnostics_view.h"
#include "heatmap_view.h"
#include "inference_controller.h"
#include "ranked_heads_view.h"
#include "run_document.h"
#include "segment_style.h"
#include "settings.h"
#include "stable_names.h"
#include "view_data.h"

namespace attnx {

namespace {

// The groups a side can be, in chooser order.
constexpr GroupSpec::Source kSources[] = {
    GroupSpec::Source::Correct, GroupSpec::Source::Incorrect, GroupSpec::Source::All,
    GroupSpec::Source::FirstTokenCorrect, GroupSpec::Source::FirstTokenIncorrect};

// The one example panel of a slot: which example, what is happening, and its heatmap.
struct ExampleSlot {
  QComboBox* chooser = nullptr;
  QLabel* title = nullptr;
  QStackedWidget* stack = nullptr;
  QLabel* message = nullptr;  // busy note, failure, or how to choose an example
  HeatmapView* heatmap = nullptr;
  RunDocument* doc = nullptr;
};

}  // namespace

struct ComparisonWindow::Ui {
  QComboBox* groupCombo[2] = {nullptr, nullptr};
  std::vector<GroupSpec> choices;  // what each group combo entry stands for
  QComboBox* kindCombo = nullptr;
  QTabWidget* tabs = nullptr;
  GroupCurvesView* curves = nullptr;
  DifferenceGridView* grid = nullptr;
  RankedHeadsView* ranked = nullptr;
  GroupDiagnosticsView* diagnostics = nullptr;
  QWidget* groupsPage = nullptr;
  QWidget* examplesPage = nullptr;
  ExampleSlot panes[2];
  DifferenceHeatmapView* difference = nullptr;
  QSpinBox* layerSpin = nullptr;
  QComboBox* headCombo = nullptr;
  QAction* exportAction = nullptr;
  QAction* copyAction = nullptr;
  QAction* exportPairAction = nullptr;
  bool syncing = false;  // true while one side's selection or zoom is copied to the other
  QWidget* lastFigureView = nullptr;  // the figure view that last had the focus
};

ComparisonWindow::ComparisonWindow(DatasetDocument* doc, QWidget* parent)
    : QMainWindow(parent), doc_(doc), ui_(std::make_unique<Ui>()) {
  setWindowTitle(tr("Comparison"));
  resize(1400, 900);

  // --- Toolbar: the two groups, the kind of token, export.
  QToolBar* bar = addToolBar(tr("Comparison"));
  bar->setObjectName(QStringLiteral("comparisonToolBar"));
  bar->setMovable(false);
  for (int side = 0; side < 2; ++side) {
    auto* label = new QLabel(side == 0 ? tr(" Group A: ") : tr("  Group B: "), this);
    label->setStyleSheet(
        QStringLiteral("color: %1; font-weight: bold").arg(groupColor(side).name()));
    bar->addWidget(label);
    ui_->groupCombo[side] = new QComboBox(this);
    ui_->groupCombo[side]->setObjectName(side == 0 ? QStringLiteral("groupA")
                                                   : QStringLiteral("groupB"));
    ui_->groupCombo[side]->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    ui_->groupCombo[side]->setToolTip(
        side == 0 ? tr("The first group of examples (A); differences are A − B")
                  : tr("The second group of examples (B); differences are A − B"));
    bar->addWidget(ui_->groupCombo[side]);
  }
  bar->addWidget(new QLabel(tr("   Attention to: "), this));
  ui_->kindCombo = new QComboBox(this);
  ui_->kindCombo->setObjectName(QStringLiteral("kindCombo"));
  for (SegmentKind k : comparableKinds())
    ui_->kindCombo->addItem(tr("%1 tokens").arg(segmentLabel(k)), static_cast<int>(k));
  ui_->kindCombo->setToolTip(
      tr("Which kind of token the curves, the difference grid and the ranking measure the "
         "attention mass to"));
  bar->addWidget(ui_->kindCombo);
  bar->addSeparator();
  ui_->exportAction = new QAction(tr("Export &figure…"), this);
  ui_->exportAction->setObjectName(QStringLiteral("exportFigureAction"));
  ui_->exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  ui_->exportAction->setToolTip(tr("Export the focused view as a PDF, SVG or PNG figure (Ctrl+E)"));
  ui_->exportPairAction = new QAction(tr("Export &side by side…"), this);
  ui_->exportPairAction->setObjectName(QStringLiteral("exportSideBySideAction"));
  ui_->exportPairAction->setToolTip(
      tr("Export the two examples' heatmaps as one figure with two panels"));
  bar->addAction(ui_->exportAction);
  bar->addAction(ui_->exportPairAction);
  addAction(ui_->exportAction);
  ui_->copyAction = new QAction(tr("&Copy as image"), this);
  ui_->copyAction->setObjectName(QStringLiteral("copyImageAction"));
  ui_->copyAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
  ui_->copyAction->setToolTip(tr("Copy the focused view to the clipboard (Ctrl+Shift+C)"));
  addAction(ui_->copyAction);
  auto* saveSession = new QAction(tr("Save s&ession…"), this);
  saveSession->setObjectName(QStringLiteral("saveSessionAction"));
  saveSession->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_S));
  saveSession->setToolTip(
      tr("Save these results with the groups, the layer, the head and the examples shown as a "
         ".attnx session to reopen exactly as it is (Ctrl+Alt+S)"));
  connect(saveSession, &QAction::triggered, this, &ComparisonWindow::sessionSaveRequested);
  bar->addAction(saveSession);
  addAction(saveSession);

  // --- Groups: curves and difference grid above, ranked heads and diagnostics below.
  ui_->curves = new GroupCurvesView(doc_, this);
  ui_->grid = new DifferenceGridView(doc_, this);
  ui_->ranked = new RankedHeadsView(doc_, this);
  ui_->diagnostics = new GroupDiagnosticsView(doc_, this);
  for (QWidget* w :
       std::initializer_list<QWidget*>{ui_->curves, ui_->grid, ui_->ranked, ui_->diagnostics})
    w->setFocusPolicy(Qt::ClickFocus);
  auto* top = new QSplitter(Qt::Horizontal);
  top->addWidget(ui_->curves);
  top->addWidget(ui_->grid);
  auto* bottom = new QSplitter(Qt::Horizontal);
  bottom->addWidget(ui_->ranked);
  auto* diagBox = new QWidget;
  auto* diagLayout = new QVBoxLayout(diagBox);
  diagLayout->setContentsMargins(0, 0, 0, 0);
  diagLayout->addWidget(new QLabel(tr("Set-level diagnostics"), diagBox));
  diagLayout->addWidget(ui_->diagnostics, 1);
  bottom->addWidget(diagBox);
  auto* groups = new QSplitter(Qt::Vertical);
  groups->addWidget(top);
  groups->addWidget(bottom);
  // Initial proportions (the splitters keep them when the window is resized).
  top->setSizes({600, 400});
  bottom->setSizes({600, 400});
  groups->setSizes({550, 350});
  ui_->groupsPage = groups;

  // --- Examples: two heatmaps with shared layer, head, query and zoom; their difference below.
  auto* examples = new QWidget;
  auto* exLayout = new QVBoxLayout(examples);
  auto* controls = new QHBoxLayout;
  ui_->layerSpin = new QSpinBox(examples);
  ui_->layerSpin->setObjectName(QStringLiteral("exampleLayer"));
  ui_->layerSpin->setToolTip(tr("The layer both examples show"));
  ui_->headCombo = new QComboBox(examples);
  ui_->headCombo->setObjectName(QStringLiteral("exampleHead"));
  ui_->headCombo->setToolTip(tr("The head both examples show, or the mean / max over heads"));
  controls->addWidget(new QLabel(tr("Layer:"), examples));
  controls->addWidget(ui_->layerSpin);
  controls->addWidget(new QLabel(tr("Head:"), examples));
  controls->addWidget(ui_->headCombo);
  auto* hint = new QLabel(
      tr("Layer, head, the query (click a cell) and zoom are the same on both sides."), examples);
  hint->setEnabled(false);
  controls->addWidget(hint, 1);
  exLayout->addLayout(controls);
  auto* pair = new QSplitter(Qt::Horizontal);
  for (int slot = 0; slot < 2; ++slot) {
    ExampleSlot& s = ui_->panes[slot];
    s.doc = new RunDocument(this);
    auto* panel = new QWidget;
    auto* v = new QVBoxLayout(panel);
    v->setContentsMargins(0, 0, 0, 0);
    s.chooser = new QComboBox(panel);
    s.chooser->setObjectName(slot == 0 ? QStringLiteral("exampleLeft")
                                       : QStringLiteral("exampleRight"));
    s.chooser->setToolTip(slot == 0 ? tr("An example of group A, shown on the left")
                                    : tr("An example of group B, shown on the right"));
    // Neither the chooser's longest example nor the title's line sets how narrow the pane can
    // be: the difference beside the pair is as wide as each of them.
    s.chooser->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    s.chooser->setMinimumContentsLength(20);
    s.title = new QLabel(panel);
    s.title->setWordWrap(true);
    s.title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    s.message = new QLabel(panel);
    s.message->setAlignment(Qt::AlignCenter);
    s.message->setWordWrap(true);
    s.heatmap = new HeatmapView(s.doc, panel);
    s.heatmap->setFocusPolicy(Qt::ClickFocus);
    s.heatmap->setCompactControls(true);
    s.stack = new QStackedWidget(panel);
    s.stack->addWidget(s.message);
    s.stack->addWidget(s.heatmap);
    v->addWidget(s.chooser);
    v->addWidget(s.title);
    v->addWidget(s.stack, 1);
    pair->addWidget(panel);
  }
  ui_->difference = new DifferenceHeatmapView(ui_->panes[0].doc, ui_->panes[1].doc);
  ui_->difference->setFocusPolicy(Qt::ClickFocus);
  // The difference is a third column, as wide as the two it subtracts, so that its cells line
  // up with theirs by eye.
  auto* diffPanel = new QWidget;
  auto* dv = new QVBoxLayout(diffPanel);
  dv->setContentsMargins(0, 0, 0, 0);
  auto* diffTitle = new QLabel(tr("Left − right"), diffPanel);
  diffTitle->setToolTip(
      tr("Shown when both inputs have the same token layout (the same kinds of segment with the "
         "same lengths)"));
  diffTitle->setMinimumHeight(ui_->panes[0].chooser->sizeHint().height());
  auto* diffNote = new QLabel(tr("red: the left attends more · blue: the right does"), diffPanel);
  diffNote->setEnabled(false);
  dv->addWidget(diffTitle);
  dv->addWidget(diffNote);
  dv->addWidget(ui_->difference, 1);
  pair->addWidget(diffPanel);
  pair->setSizes({500, 500, 500});
  QWidget* exSplit = pair;
  exLayout->addWidget(exSplit, 1);
  ui_->examplesPage = examples;

  ui_->tabs = new QTabWidget(this);
  ui_->tabs->addTab(ui_->groupsPage, tr("&Groups"));
  ui_->tabs->addTab(ui_->examplesPage, tr("E&xamples"));
  setCentralWidget(ui_->tabs);
  statusBar();

  // --- Wiring.
  for (int side = 0; side < 2; ++side)
    connect(ui_->groupCombo[side], &QComboBox::activated, this, [this] { applyGroups(); });
  connect(ui_->kindCombo, &QComboBox::activated, this, [this] {
    if (doc_) doc_->setKind(static_cast<SegmentKind>(ui_->kindCombo->currentData().toInt()));
  });
  for (int slot = 0; slot < 2; ++slot) {
    connect(ui_->panes[slot].chooser, &QComboBox::activated, this, [this, slot] {
      const QVariant v = ui_->panes[slot].chooser->currentData();
      if (!doc_ || !v.isValid()) return;
      const QPoint ref = v.toPoint();  // (run, index)
      doc_->setShownExample(slot, {ref.x(), ref.y()});
    });
    connect(ui_->panes[slot].doc, &RunDocument::selectionChanged, this,
            [this, slot] { copySelection(slot); });
    connect(ui_->panes[slot].heatmap->plot()->xAxis,
            qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
            [this, slot](const QCPRange&) { copyZoom(ui_->panes[slot].heatmap->plot()); });
    connect(ui_->panes[slot].heatmap->plot()->yAxis,
            qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
            [this, slot](const QCPRange&) { copyZoom(ui_->panes[slot].heatmap->plot()); });
  }
  for (QCPAxis* a : {ui_->difference->plot()->xAxis, ui_->difference->plot()->yAxis})
    connect(a, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
            [this](const QCPRange&) { copyZoom(ui_->difference->plot()); });
  connect(ui_->layerSpin, &QSpinBox::valueChanged, this, [this](int layer) {
    if (ui_->syncing) return;
    setExampleSelection([layer](Selection& s) { s.layer = layer; });
    if (doc_) doc_->setLayer(layer);
  });
  connect(ui_->headCombo, &QComboBox::activated, this, [this] {
    const HeadChoice head = ui_->headCombo->currentData().value<HeadChoice>();
    setExampleSelection([head](Selection& s) { s.head = head; });
  });
  connect(ui_->exportAction, &QAction::triggered, this, &ComparisonWindow::exportFocusedFigure);
  connect(ui_->copyAction, &QAction::triggered, this, &ComparisonWindow::copyFocusedFigure);
  connect(ui_->exportPairAction, &QAction::triggered, this,
          &ComparisonWindow::exportSideBySideDialog);
  connect(ui_->tabs, &QTabWidget::currentChanged, this, [this] {
    if (ui_->tabs->currentWidget() == ui_->examplesPage) chooseDefaultExamples();
    syncActions();
  });
  focusConnection_ =
      connect(qApp, &QApplication::focusChanged, this, [this](QWidget*, QWidget* now) {
    if (QWidget* v = figureViewOf(now)) ui_->lastFigureView = v;
  });
  if (doc_) {
    connect(doc_, &DatasetDocument::datasetChanged, this, [this] { syncFromDocument(); });
    connect(doc_, &DatasetDocument::selectionChanged, this, [this] { syncSelection(); });
    connect(doc_, &DatasetDocument::shownExampleChanged, this,
            [this](int slot) { onShownExampleChanged(slot); });
  }
  for (int slot = 0; slot < 2; ++slot) showSlotMessage(slot, QString());
  syncFromDocument();
}

ComparisonWindow::~ComparisonWindow() {
  // Deleting the focused view moves the focus, and the application's focusChanged would call
  // back into this window while its views and ui_ are going: that connection ends first, then
  // the views go while the example documents they observe still exist.
  disconnect(focusConnection_);
  destroyChildWidgets(this);
}

RunDocument* ComparisonWindow::exampleDocument(int slot) const {
  return slot == 0 || slot == 1 ? ui_->panes[slot].doc : nullptr;
}
QWidget* ComparisonWindow::groupCurvesView() const { return ui_->curves; }
QWidget* ComparisonWindow::differenceGridView() const { return ui_->grid; }
QWidget* ComparisonWindow::exampleView(int slot) const {
  return slot == 0 || slot == 1 ? ui_->panes[slot].heatmap : nullptr;
}
QWidget* ComparisonWindow::exampleDifferenceView() const { return ui_->difference; }
QWidget* ComparisonWindow::rankedHeadsView() const { return ui_->ranked; }
QWidget* ComparisonWindow::diagnosticsView() const { return ui_->diagnostics; }
QString ComparisonWindow::exampleMessage(int slot) const {
  if (slot != 0 && slot != 1) return {};
  const ExampleSlot& s = ui_->panes[slot];
  return s.stack->currentWidget() == s.message ? s.message->text() : QString();
}
void ComparisonWindow::showGroupsTab() { ui_->tabs->setCurrentWidget(ui_->groupsPage); }
void ComparisonWindow::showExamplesTab() { ui_->tabs->setCurrentWidget(ui_->examplesPage); }
bool ComparisonWindow::examplesTabShown() const {
  return ui_->tabs->currentWidget() == ui_->examplesPage;
}

HeadChoice ComparisonWindow::exampleHead() const {
  const QVariant v = ui_->headCombo->currentData();
  return v.isValid() ? v.value<HeadChoice>() : HeadChoice::mean();
}

void ComparisonWindow::setExampleHead(HeadChoice head) {
  fillHeadChoices();
  const int i = ui_->headCombo->findData(QVariant::fromValue(head));
  if (i < 0) return;  // a head the model does not have
  ui_->headCombo->setCurrentIndex(i);
  setExampleSelection([head](Selection& s) { s.head = head; });
}

// ---------------------------------------------------------------------------------------------
// Groups

void ComparisonWindow::syncFromDocument() {
  const QSignalBlocker blockA(ui_->groupCombo[0]), blockB(ui_->groupCombo[1]);
  ui_->choices.clear();
  for (QComboBox* c : ui_->groupCombo) c->clear();
  const int runs = doc_ ? std::max(1, doc_->runCount()) : 1;
  for (int run = 0; run < runs; ++run)
    for (GroupSpec::Source source : kSources) {
      GroupSpec spec;
      spec.source = source;
      spec.run = run;
      QString label = DatasetDocument::sourceName(source);
      if (runs > 1) {
        // Runs are numbered from 1, as the group names say.
        const QString file = doc_ ? QFileInfo(doc_->resultsFile(run)).fileName() : QString();
        label = file.isEmpty() ? tr("run %1: %2").arg(run + 1).arg(label)
                               : tr("run %1 (%2): %3").arg(run + 1).arg(file, label);
      }
      ui_->choices.push_back(spec);
      for (QComboBox* c : ui_->groupCombo) c->addItem(label);
    }
  for (int side = 0; side < 2; ++side) {
    if (!doc_) break;
    const GroupSpec& spec = doc_->groupSpec(side);
    auto it = std::find(ui_->choices.begin(), ui_->choices.end(), spec);
    if (it == ui_->choices.end()) {
      // A list of ids chosen elsewhere: shown as such, for both sides to pick from.
      ui_->choices.push_back(spec);
      const QString label = tr("%n chosen example(s)", nullptr, static_cast<int>(spec.ids.size()));
      for (QComboBox* c : ui_->groupCombo) c->addItem(label);
      it = ui_->choices.end() - 1;
    }
    ui_->groupCombo[side]->setCurrentIndex(static_cast<int>(it - ui_->choices.begin()));
  }
  const DatasetResults* r = doc_ ? doc_->results(0) : nullptr;
  const QString file = doc_ ? doc_->resultsFile(0) : QString();
  setWindowTitle(file.isEmpty() ? tr("Comparison")
                                : tr("Comparison — %1").arg(QFileInfo(file).fileName()));
  const bool loaded = r != nullptr;
  for (QComboBox* c : ui_->groupCombo) c->setEnabled(loaded);
  ui_->kindCombo->setEnabled(loaded);
  fillExampleChoosers();
  fillHeadChoices();
  syncSelection();
  syncActions();
  if (r)
    statusBar()->showMessage(tr("%1 of %2 examples · %3 · %4 | %5")
                                 .arg(r->examples.size())
                                 .arg(r->expected())
                                 .arg(QString::fromStdString(r->model.family))
                                 .arg(doc_->groupName(0), doc_->groupName(1)));
}

void ComparisonWindow::applyGroups() {
  if (!doc_) return;
  const int a = ui_->groupCombo[0]->currentIndex(), b = ui_->groupCombo[1]->currentIndex();
  if (a < 0 || b < 0 || a >= static_cast<int>(ui_->choices.size()) ||
      b >= static_cast<int>(ui_->choices.size()))
    return;
  doc_->setGroups(ui_->choices[static_cast<std::size_t>(a)],
                  ui_->choices[static_cast<std::size_t>(b)]);
}

void ComparisonWindow::syncSelection() {
  if (!doc_) return;
  const int k = ui_->kindCombo->findData(static_cast<int>(doc_->kind()));
  if (k >= 0 && k != ui_->kindCombo->currentIndex()) {
    const QSignalBlocker block(ui_->kindCombo);
    ui_->kindCombo->setCurrentIndex(k);
  }
  // The layer chosen in a group view is the layer the examples show.
  if (doc_->layer() >= 0 && doc_->layer() != ui_->layerSpin->value()) {
    ui_->layerSpin->setValue(doc_->layer());  // moves both examples
  }
}

// ---------------------------------------------------------------------------------------------
// Examples

void ComparisonWindow::fillExampleChoosers() {
  for (int slot = 0; slot < 2; ++slot) {
    QComboBox* c = ui_->panes[slot].chooser;
    const QSignalBlocker block(c);
    c->clear();
    if (!doc_ || !doc_->results(0)) {
      c->addItem(tr("No dataset results loaded"));
      c->setEnabled(false);
      continue;
    }
    c->setEnabled(true);
    // The left side offers group A's examples, the right side group B's.
    const int run = doc_->groupSpec(slot).run;
    const std::vector<int>& members = doc_->members(slot);
    c->addItem(members.empty() ? tr("Group %1 has no examples")
                                     .arg(slot == 0 ? QStringLiteral("A") : QStringLiteral("B"))
                               : tr("Choose an example of %1…").arg(doc_->groupName(slot)));
    for (int index : members)
      if (const ExampleStats* e = exampleAt(*doc_, run, index))
        c->addItem(exampleLabel(*e), QPoint(run, index));
    // An example shown already (possibly from another group) stays listed and selected.
    const DatasetDocument::ExampleRef& shown = doc_->shownExample(slot);
    if (shown.index >= 0) {
      int i = c->findData(QPoint(shown.run, shown.index));
      if (i < 0)
        if (const ExampleStats* e = exampleAt(*doc_, shown.run, shown.index)) {
          c->addItem(exampleLabel(*e), QPoint(shown.run, shown.index));
          i = c->count() - 1;
        }
      c->setCurrentIndex(std::max(0, i));
    }
  }
}

void ComparisonWindow::chooseDefaultExamples() {
  if (!doc_ || !doc_->results(0)) return;
  for (int slot = 0; slot < 2; ++slot)
    if (doc_->shownExample(slot).index < 0 && !doc_->members(slot).empty())
      doc_->setShownExample(slot, {doc_->groupSpec(slot).run, doc_->members(slot).front()});
}

void ComparisonWindow::onShownExampleChanged(int slot) {
  if ((slot != 0 && slot != 1) || !doc_) return;
  const DatasetDocument::ExampleRef ref = doc_->shownExample(slot);
  ExampleSlot& s = ui_->panes[slot];
  {
    const QSignalBlocker block(s.chooser);
    const int i = s.chooser->findData(QPoint(ref.run, ref.index));
    if (i >= 0)
      s.chooser->setCurrentIndex(i);
    else if (ref.index >= 0)
      fillExampleChoosers();  // an example of neither group (a session's): listed and selected
  }
  if (ref.index < 0) {
    s.doc->setResult(nullptr);
    s.title->clear();
    showSlotMessage(slot, QString());
    return;
  }
  const ExampleStats* e = exampleAt(*doc_, ref.run, ref.index);
  s.title->setText(e ? exampleDetails(*e) : QString());
  // The example's full attention, recomputed here or by whoever listens; without either, say so
  // instead of waiting.
  static const QMetaMethod requested =
      QMetaMethod::fromSignal(&ComparisonWindow::exampleRunRequested);
  const DatasetResults* r = doc_->results(ref.run);
  if (!examples_ && !isSignalConnected(requested)) {
    showSlotMessage(slot, tr("No model is loaded to recompute this example's attention."));
    return;
  }
  if (examples_ && (!e || !r)) {
    setExampleFailed(slot, tr("There is no such example in the results."));
    return;
  }
  showSlotMessage(slot, tr("Computing the attention of %1…")
                            .arg(e ? QString::fromStdString(e->id) : QString::number(ref.index)));
  if (!examples_) {
    emit exampleRunRequested(slot, ref.run, ref.index);
    return;
  }
  // The run's own checkpoint, on the device and in the precision the explorer uses.
  ModelSpec spec;
  spec.dir = QString::fromStdString(r->settings.modelDir);
  spec.device = Settings::string(Settings::Key::Device);
  spec.dtype = Settings::string(Settings::Key::Dtype);
  // Each pane's newest request replaces only that pane's queued one.
  examples_->run(InferenceController::exampleJob(r->settings, e->index, spec),
                 slot == 0 ? QStringLiteral("example:left") : QStringLiteral("example:right"),
                 this, [this, slot](const RunOutcome& o) {
                   if (o.result)
                     setExampleResult(slot, o.result);
                   else
                     setExampleFailed(slot, o.cancelled ? tr("cancelled") : o.error);
                 });
}

void ComparisonWindow::setInferenceService(InferenceService* service) {
  delete examples_;
  examples_ = service ? new InferenceController(service, this) : nullptr;
}

void ComparisonWindow::setExampleResult(int slot, std::shared_ptr<const RunResult> result) {
  if (slot != 0 && slot != 1) return;
  ExampleSlot& s = ui_->panes[slot];
  const ExampleSlot& other = ui_->panes[1 - slot];
  ui_->syncing = true;
  s.doc->setResult(std::move(result));
  // The new example shows what the other side shows (or the window's layer and head).
  Selection sel = other.doc->result() ? other.doc->selection() : s.doc->selection();
  if (!other.doc->result()) {
    sel.layer = ui_->layerSpin->value();
    sel.head = ui_->headCombo->currentData().isValid()
                   ? ui_->headCombo->currentData().value<HeadChoice>()
                   : HeadChoice::mean();
  }
  sel.batchRow = 0;
  s.doc->setSelection(sel);
  ui_->syncing = false;
  fillHeadChoices();
  showSlotMessage(slot, QString(), s.doc->result() != nullptr);
  copySelection(slot);
  // Zoom: the new heatmap starts from the other side's view when both show the same layout.
  if (other.doc->result()) copyZoom(other.heatmap->plot());
}

void ComparisonWindow::setExampleFailed(int slot, const QString& message) {
  if (slot != 0 && slot != 1) return;
  ui_->panes[slot].doc->setResult(nullptr);
  showSlotMessage(slot, tr("The example's attention could not be computed:\n%1").arg(message));
  ui_->panes[slot].message->setStyleSheet(QStringLiteral("color: #b2182b"));
}

void ComparisonWindow::showSlotMessage(int slot, const QString& text, bool showHeatmap) {
  ExampleSlot& s = ui_->panes[slot];
  s.message->setStyleSheet(QString());
  if (showHeatmap) {
    s.stack->setCurrentWidget(s.heatmap);
    return;
  }
  s.message->setText(text.isEmpty() ? tr("Choose an example above to see its attention.") : text);
  s.stack->setCurrentWidget(s.message);
}

void ComparisonWindow::fillHeadChoices() {
  int layers = 0, heads = 0;
  for (const ExampleSlot& s : ui_->panes)
    if (const RunResult* r = s.doc->result()) {
      layers = std::max(layers, r->model.layers);
      heads = std::max(heads, r->model.heads);
    }
  if (layers == 0 && doc_ && doc_->results(0)) {
    layers = doc_->results(0)->model.layers;
    heads = doc_->results(0)->model.heads;
  }
  ui_->syncing = true;
  ui_->layerSpin->setRange(0, std::max(0, layers - 1));
  const QVariant current = ui_->headCombo->currentData().isValid()
                               ? ui_->headCombo->currentData()
                               : QVariant::fromValue(HeadChoice::mean());
  if (ui_->headCombo->count() != heads + 2) {
    ui_->headCombo->clear();
    std::vector<HeadChoice> choices{HeadChoice::mean(), HeadChoice::max()};
    for (int h = 0; h < heads; ++h) choices.push_back(HeadChoice::one(h));
    for (const HeadChoice& c : choices) ui_->headCombo->addItem(headName(c), QVariant::fromValue(c));
  }
  const int i = ui_->headCombo->findData(current);
  ui_->headCombo->setCurrentIndex(i >= 0 ? i : 0);
  ui_->syncing = false;
}

void ComparisonWindow::setExampleSelection(const std::function<void(Selection&)>& change) {
  for (const ExampleSlot& s : ui_->panes) {
    if (!s.doc->result()) continue;
    Selection sel = s.doc->selection();
    change(sel);
    s.doc->setSelection(sel);  // the other side follows through copySelection
  }
}

void ComparisonWindow::copySelection(int from) {
  if (ui_->syncing) return;
  const ExampleSlot& src = ui_->panes[from];
  const ExampleSlot& dst = ui_->panes[1 - from];
  if (!src.doc->result()) return;
  ui_->syncing = true;
  const Selection& s = src.doc->selection();
  if (dst.doc->result()) {
    Selection d = dst.doc->selection();
    d.layer = s.layer;
    d.head = s.head;
    d.query = s.query;
    d.step = s.step;
    if (!(d == dst.doc->selection())) dst.doc->setSelection(d);
  }
  // The controls follow, and the group views highlight the same layer.
  ui_->layerSpin->setValue(s.layer);
  const int i = ui_->headCombo->findData(QVariant::fromValue(s.head));
  if (i >= 0) ui_->headCombo->setCurrentIndex(i);
  if (doc_ && doc_->layer() != s.layer) doc_->setLayer(s.layer);
  ui_->syncing = false;
}

void ComparisonWindow::copyZoom(QCustomPlot* from) {
  if (ui_->syncing || !from) return;
  ui_->syncing = true;
  const QCPRange x = from->xAxis->range(), y = from->yAxis->range();
  for (QCustomPlot* p :
       {ui_->panes[0].heatmap->plot(), ui_->panes[1].heatmap->plot(), ui_->difference->plot()}) {
    if (p == from) continue;
    if (p->xAxis->range() == x && p->yAxis->range() == y) continue;
    p->xAxis->setRange(x);
    p->yAxis->setRange(y);
    p->replot(QCustomPlot::rpQueuedReplot);
  }
  ui_->syncing = false;
}

// ---------------------------------------------------------------------------------------------
// Figures

QWidget* ComparisonWindow::figureViewOf(QWidget* w) const {
  const QWidget* views[] = {
      ui_->curves,           ui_->grid,      ui_->ranked, ui_->diagnostics, ui_->panes[0].heatmap,
      ui_->panes[1].heatmap, ui_->difference};
  for (; w; w = w->parentWidget())
    for (const QWidget* v : views)
      if (w == v) return w;
  return nullptr;
}

QWidget* ComparisonWindow::focusedFigureView() const {
  const bool examples = ui_->tabs->currentWidget() == ui_->examplesPage;
  QWidget* v = figureViewOf(QApplication::focusWidget());
  if (!v) v = ui_->lastFigureView;
  // Only a view of the tab on screen: the user exports what they see.
  if (v && (examples ? ui_->examplesPage : ui_->groupsPage)->isAncestorOf(v)) return v;
  return examples ? static_cast<QWidget*>(ui_->panes[0].heatmap)
                  : static_cast<QWidget*>(ui_->curves);
}

void ComparisonWindow::syncActions() {
  const bool loaded = doc_ && doc_->results(0);
  ui_->exportAction->setEnabled(loaded);
  ui_->copyAction->setEnabled(loaded);
  ui_->exportPairAction->setEnabled(loaded);
}

QJsonObject ComparisonWindow::exampleManifest(int slot) const {
  QJsonObject m;
  const ExampleSlot& s = ui_->panes[slot];
  if (doc_) {
    const DatasetDocument::ExampleRef& ref = doc_->shownExample(slot);
    if (const ExampleStats* e = exampleAt(*doc_, ref.run, ref.index)) {
      m[QStringLiteral("example_id")] = QString::fromStdString(e->id);
      m[QStringLiteral("example_index")] = e->index;
      m[QStringLiteral("run")] = ref.run;
      m[QStringLiteral("correct")] = e->correct;
    }
  }
  writeManifestSelection(*s.doc, &m);
  return m;
}

QJsonObject ComparisonWindow::manifestFor(QWidget* view) const {
  if (!doc_) return {};
  auto* fv = dynamic_cast<IFigureView*>(view);
  QJsonObject m = datasetManifest(*doc_, fv ? fv->figureViewName() : QString());
  for (int slot = 0; slot < 2; ++slot) {
    if (view != ui_->panes[slot].heatmap) continue;
    // An example's heatmap: the run document's own manifest (model hashes, input ids,
    // segments, selection), with the dataset and the example it came from.
    const RunDocument& rd = *ui_->panes[slot].doc;
    FigureSource source;
    const DatasetResults* r = doc_->results(doc_->shownExample(slot).run);
    if (r) {
      source.modelDir = QString::fromStdString(r->settings.modelDir);
      source.anchor = QString::fromStdString(r->settings.anchor);
    }
    source.viewName = view_names::kHeatmap;
    const ColorScale cs = ui_->panes[slot].heatmap->colorScale();
    // Stable names, whatever the language of the interface.
    source.colorMap = colorMapNames().id(cs.map);
    source.colorScale = scaleManifestName(cs.scale, cs.gamma);
    QJsonObject run = figureManifest(rd, source);
    run[QStringLiteral("example")] = exampleManifest(slot);
    run[QStringLiteral("dataset")] = m;
    return run;
  }
  if (view == ui_->difference) {
    m[QStringLiteral("left")] = exampleManifest(0);
    m[QStringLiteral("right")] = exampleManifest(1);
  }
  return m;
}

bool ComparisonWindow::exportViewFigure(QWidget* view, const QString& file,
                                        const FigureOptions& options) {
  return saveFigure(tr("Export figure"), file,
                    [&] { exportFigure(view, file, options, manifestFor(view)); });
}

bool ComparisonWindow::saveFigure(const QString& title, const QString& file,
                                  const std::function<void()>& write) {
  try {
    write();
    statusBar()->showMessage(tr("Figure saved to %1").arg(file), 5000);
    return true;
  } catch (const std::exception& e) {
    QMessageBox::warning(this, title,
                         tr("Cannot export the figure: %1").arg(QString::fromUtf8(e.what())));
    return false;
  }
}

bool ComparisonWindow::exportSideBySide(const QString& file, const FigureOptions& options) {
  if (!doc_) return false;
  QList<FigurePanel> panels;
  QJsonArray described;
  for (int slot = 0; slot < 2; ++slot) {
    const ExampleSlot& s = ui_->panes[slot];
    if (!s.doc->result()) {
      QMessageBox::information(this, tr("Export side by side"),
                               tr("Choose an example on both sides first."));
      return false;
    }
    const QString letter = slot == 0 ? QStringLiteral("(a)") : QStringLiteral("(b)");
    const DatasetDocument::ExampleRef& ref = doc_->shownExample(slot);
    const ExampleStats* e = exampleAt(*doc_, ref.run, ref.index);
    // The caption replaces the heatmap's title: it names the example and what is shown.
    const Selection& sel = s.doc->selection();
    // Short enough for half a journal page: the prediction is in the manifest.
    QString what = e ? QString::fromStdString(e->id) : QString();
    if (e) what += e->correct ? tr(" (correct)") : tr(" (wrong)");
    panels.append(FigurePanel{
        s.heatmap,
        tr("%1 %2 · layer %3, %4").arg(letter, what).arg(sel.layer).arg(headName(sel.head))});
    described.append(exampleManifest(slot));
  }
  // The difference of the two, when there is one (the same token layout, or the same but for
  // a soft prefix), as a third panel: in a row in a double column, below the pair in a single
  // one.
  DifferenceHeatmapView* diff = ui_->difference;
  diff->refreshNow();
  const bool withDifference = diff->showsDifference();
  if (withDifference) {
    const Selection& sel = ui_->panes[0].doc->selection();
    QString what = tr("(c) left − right · layer %1, %2").arg(sel.layer).arg(headName(sel.head));
    if (!diff->alignment().whole()) what += tr(" · tokens both have");
    panels.append(FigurePanel{diff, what});
    QJsonObject d;
    d[QStringLiteral("difference_of")] = QJsonArray{0, 1};
    described.append(d);
  }
  const bool wide = options.widthIn >= 5.0;
  const int columns = withDifference && wide ? 3 : 2;
  // Panels of about square matrices, whatever the shape of the panes on screen.
  FigureOptions o = options;
  if (o.aspect <= 0) o.aspect = !withDifference ? 0.62 : wide ? 0.42 : 1.15;
  QJsonObject manifest = datasetManifest(*doc_, QStringLiteral("heatmap_pair"));
  manifest[QStringLiteral("panels")] = described;
  return saveFigure(tr("Export side by side"), file,
                    [&] { exportFigurePanels(panels, columns, file, o, manifest); });
}

namespace {

// The export dialog without its heatmap panel choices, which are about one run's layers and
// heads and do not apply here.
void hidePanelChoices(FigureDialog& dialog) {
  auto* form = qobject_cast<QFormLayout*>(dialog.layout());
  if (!form) return;
  for (const char* name : {"figurePanels", "figureColumns"})
    if (auto* w = dialog.findChild<QWidget*>(QLatin1String(name))) form->setRowVisible(w, false);
}

}  // namespace

void ComparisonWindow::copyFocusedFigure() {
  QWidget* view = focusedFigureView();
  if (!view) return;
  try {
    FigureOptions options;
    options.widthIn = 6.75;
    options.dpi = 150;
    QApplication::clipboard()->setImage(renderFigureImage(view, options));
    statusBar()->showMessage(tr("Figure copied to the clipboard"), 3000);
  } catch (const std::exception& e) {
    QMessageBox::warning(this, tr("Copy as image"), QString::fromUtf8(e.what()));
  }
}

void ComparisonWindow::exportFocusedFigure() {
  QWidget* view = focusedFigureView();
  FigureDialog dialog(this);
  hidePanelChoices(dialog);
  auto* fv = dynamic_cast<IFigureView*>(view);
  if (fv) dialog.setFileName(QFileInfo(dialog.fileName()).dir().filePath(fv->figureViewName()));
  if (dialog.exec() != QDialog::Accepted) return;
  exportViewFigure(view, dialog.fileName(), dialog.options());
}

void ComparisonWindow::exportSideBySideDialog() {
  FigureDialog dialog(this);
  hidePanelChoices(dialog);
  dialog.setWindowTitle(tr("Export side by side"));
  dialog.setFileName(QFileInfo(dialog.fileName()).dir().filePath(QStringLiteral("examples")));
  if (dialog.exec() != QDialog::Accepted) return;
  FigureOptions o = dialog.options();
  exportSideBySide(dialog.fileName(), o);
}

}  // namespace attnx
