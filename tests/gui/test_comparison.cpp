// The comparison views driven on data whose every number the test knows: hand-made dataset
// results (the curves plot exactly the groups' per-layer means and 95% intervals, the difference
// grid exactly A - B, the ranking orders by |A - B|), the diverging colour map, the two example
// slots kept in step, the difference heatmap only for aligned layouts, figure export, and the
// analysis figures. Then the built-in demo: a dataset run of its 48 examples in the window, its
// correct vs incorrect curves against the numbers the demo's trainer measured, the correct and
// incorrect example side by side, and `attnx analyze` whose outputs reopen in the window.
// Screenshots go to /tmp/cmp-shots/.
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSvgRenderer>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <memory>
#include <random>

#include "analysis_figures.h"
#include "color_scale.h"
#include "comparison_window.h"
#include "dataset_document.h"
#include "dataset_results.h"
#include "demo_dataset.h"
#include "dataset_run.h"
#include "difference_grid_view.h"
#include "difference_heatmap_view.h"
#include "examples_file.h"
#include "figure_export.h"
#include "group_curves_view.h"
#include "group_diagnostics_view.h"
#include "heatmap_view.h"
#include "model.h"
#include "qt_support.h"
#include "ranked_heads_view.h"
#include "run_document.h"
#include "synthetic_attention.h"
#include "tolerance.h"

using namespace attnx;
using namespace attnx::qt_support;

namespace {

const QString kShots = QStringLiteral("/tmp/cmp-shots");

void shoot(QWidget* w, const QString& name) { qt_support::shoot(w, kShots, name); }

constexpr int kLayers = 3, kHeads = 4;

// An example of the hand-made set: soft mass of (layer l, head h) is `base + 0.02 l - 0.01 h`,
// plus `planted` at layer 2, head 3; anchor takes 0.8 minus that, BOS 0.2.
ExampleStats syntheticExample(int index, bool correct, float base, float planted, bool collapse,
                              bool anchorDominance) {
  ExampleStats e;
  e.index = index;
  e.id = "ex-" + std::to_string(index);
  e.correct = correct;
  e.correctSource = "given";
  e.prediction = correct ? "yes" : "no";
  e.firstTokenCorrect = correct;
  e.queryPosition = 9;
  e.seqLen = 10;
  e.layout = {{SegmentKind::Soft, 0, 4}, {SegmentKind::Bos, 4, 5}, {SegmentKind::Anchor, 5, 10}};
  e.layers = {0, 1, 2};
  for (auto& grid : e.mass) grid.assign(kLayers, std::vector<float>(kHeads, 0.0f));
  e.entropy.assign(kLayers, std::vector<float>(kHeads, 1.0f));
  for (int l = 0; l < kLayers; ++l)
    for (int h = 0; h < kHeads; ++h) {
      float soft = base + 0.02f * l - 0.01f * h;
      if (l == 2 && h == 3) soft += planted;
      e.mass[kindIndex(SegmentKind::Soft)][l][h] = soft;
      e.mass[kindIndex(SegmentKind::Bos)][l][h] = 0.2f;
      e.mass[kindIndex(SegmentKind::Anchor)][l][h] = 0.8f - soft;
    }
  e.collapse = collapse;
  e.anchorDominance = anchorDominance;
  return e;
}

// Four correct examples (one flagged for collapse) and three incorrect ones (two flagged for
// anchor dominance), interleaved; the correct ones attend 0.2 more to soft tokens at layer 2,
// head 3.
std::shared_ptr<DatasetResults> syntheticResults() {
  auto r = std::make_shared<DatasetResults>();
  r->settings.modelDir = "/models/synthetic";
  r->settings.examplesFile = "/data/synthetic.jsonl";
  r->model.family = "llama";
  r->model.layers = kLayers;
  r->model.heads = kHeads;
  const float correctBase[4] = {0.50f, 0.52f, 0.47f, 0.55f};
  const float wrongBase[3] = {0.45f, 0.40f, 0.49f};
  int c = 0, w = 0;
  for (int i = 0; i < 7; ++i) {
    if (i % 2 == 0) {
      r->examples.push_back(syntheticExample(i, true, correctBase[c], 0.2f, c == 0, false));
      ++c;
    } else {
      r->examples.push_back(syntheticExample(i, false, wrongBase[w], 0.0f, false, w < 2));
      ++w;
    }
  }
  r->total = 7;
  return r;
}

// What the statistics must be, computed here from the examples directly.
double meanOf(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / v.size();
}
double sampleSd(const std::vector<double>& v) {
  const double m = meanOf(v);
  double s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return std::sqrt(s / (v.size() - 1));
}
// Two-sided 95% quantiles of Student's t (0.975 quantile) for 2 and 3 degrees of freedom.
double t975(int df) { return df == 2 ? 4.302652729911275 : df == 3 ? 3.182446305284263 : NAN; }

std::vector<int> membersOf(const DatasetResults& r, bool correct) {
  std::vector<int> out;
  for (int i = 0; i < static_cast<int>(r.examples.size()); ++i)
    if (r.examples[i].correct == correct) out.push_back(i);
  return out;
}
double headMass(const DatasetResults& r, const std::vector<int>& members, SegmentKind k, int l,
                int h) {
  std::vector<double> v;
  for (int i : members) v.push_back(r.examples[i].of(k)[l][h]);
  return meanOf(v);
}
std::vector<double> layerMeans(const DatasetResults& r, const std::vector<int>& members,
                               SegmentKind k, int l) {
  std::vector<double> v;
  for (int i : members) {
    double s = 0;
    for (int h = 0; h < kHeads; ++h) s += r.examples[i].of(k)[l][h];
    v.push_back(s / kHeads);
  }
  return v;
}

// A run of `layout` (batch 1) with random causal softmax rows in every layer and head.
std::shared_ptr<RunResult> syntheticRun(const std::vector<Segment>& layout, unsigned seed) {
  auto r = std::make_shared<RunResult>();
  const int T = layout.back().end;
  r->model.layers = kLayers;
  r->model.heads = kHeads;
  r->batch = 1;
  r->seqLen = T;
  r->layout = {layout};
  r->inputIds.assign(T, 5);
  r->attentionMask.assign(T, 1);
  for (int t = 0; t < T; ++t) r->tokens.push_back("t" + std::to_string(t));
  std::mt19937 rng(seed);
  for (int l = 0; l < kLayers; ++l)
    r->attentions.push_back(synthetic::causalAttention(l, kHeads, T, rng));
  return r;
}

const std::vector<Segment> kLayoutA = {
    {SegmentKind::Soft, 0, 4}, {SegmentKind::Bos, 4, 5}, {SegmentKind::Anchor, 5, 12}};
const std::vector<Segment> kLayoutB = {{SegmentKind::Soft, 0, 4},
                                       {SegmentKind::Bos, 4, 5},
                                       {SegmentKind::Anchor, 5, 9},
                                       {SegmentKind::Text, 9, 12}};

}  // namespace

class TestComparison : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void divergingMapIsCentredAtZero();
  void curvesPlotGroupMeansAndIntervals();
  void differenceGridIsAMinusB();
  void rankedHeadsAndDiagnostics();
  void kindAndGroupChoosersDriveTheViews();
  void exampleSlotsStayInStep();
  void differenceHeatmapOnlyForAlignedLayouts();
  void exampleFailureShownInPlace();
  void figuresExport();
  void analysisFiguresWriteFourFiles();
  void demoCorrectVersusIncorrect();
  void cliAnalyzeOutputsReopen();

 private:
  void settle() {
    for (QWidget* w : {win_->groupCurvesView(), win_->differenceGridView(), win_->rankedHeadsView(),
                       win_->diagnosticsView(), win_->exampleView(0), win_->exampleView(1),
                       win_->exampleDifferenceView()})
      if (auto* f = dynamic_cast<IFigureView*>(w)) f->refreshNow();
    QCoreApplication::processEvents();
  }
  GroupCurvesView* curves() { return static_cast<GroupCurvesView*>(win_->groupCurvesView()); }
  DifferenceGridView* grid() {
    return static_cast<DifferenceGridView*>(win_->differenceGridView());
  }
  HeatmapView* heatmap(int slot) { return static_cast<HeatmapView*>(win_->exampleView(slot)); }
  DifferenceHeatmapView* diff() {
    return static_cast<DifferenceHeatmapView*>(win_->exampleDifferenceView());
  }

  std::shared_ptr<DatasetResults> results_;
  std::unique_ptr<DatasetDocument> doc_;
  std::unique_ptr<ComparisonWindow> win_;
  std::vector<std::tuple<int, int, int>> requests_;  // exampleRunRequested (slot, run, index)
  QTemporaryDir tmp_;
};

void TestComparison::initTestCase() {
  QVERIFY(tmp_.isValid());
  results_ = syntheticResults();
  doc_ = std::make_unique<DatasetDocument>();
  doc_->setResults(0, results_, QStringLiteral("/data/synthetic/stats.json"));
  win_ = std::make_unique<ComparisonWindow>(doc_.get());
  connect(win_.get(), &ComparisonWindow::exampleRunRequested, this,
          [this](int slot, int run, int index) { requests_.emplace_back(slot, run, index); });
  win_->resize(1400, 900);
  win_->show();
  QVERIFY(QTest::qWaitForWindowExposed(win_.get()));
  settle();
}

void TestComparison::divergingMapIsCentredAtZero() {
  QCOMPARE(divergingColorAt(0.0), divergingCenterColor());
  QCOMPARE(divergingColorAt(-1.0), QColor(0x05, 0x30, 0x61));
  QCOMPARE(divergingColorAt(1.0), QColor(0x67, 0x00, 0x1f));
  DivergingScale s;
  s.range = 0.2;
  QCOMPARE(QColor::fromRgb(s.rgb(0.0)), divergingCenterColor());
  QCOMPARE(QColor::fromRgb(s.rgb(0.2)), divergingColorAt(1.0));
  QCOMPARE(QColor::fromRgb(s.rgb(-0.2)), divergingColorAt(-1.0));
  QCOMPARE(QColor::fromRgb(s.rgb(0.7)), divergingColorAt(1.0));  // clamped
  QCOMPARE(QColor::fromRgb(s.rgb(NAN)), divergingCenterColor());
  // Equal magnitudes: mirror-image positions on the map.
  QCOMPARE(s.normalize(-0.05), -s.normalize(0.05));
  // The QCustomPlot gradient agrees: centre at 0, ends at +-range.
  QCPColorGradient g = s.gradient();
  QCOMPARE(QColor::fromRgb(g.color(0.0, s.dataRange())), divergingCenterColor());
  QCOMPARE(QColor::fromRgb(g.color(0.2, s.dataRange())), divergingColorAt(1.0));
  QCOMPARE(QColor::fromRgb(g.color(-0.2, s.dataRange())), divergingColorAt(-1.0));
  QCOMPARE(DivergingScale::symmetricRange({-0.3f, 0.1f, NAN}), double(0.3f));
  QCOMPARE(DivergingScale::symmetricRange({0.0f}, 0.5), 0.5);
}

void TestComparison::curvesPlotGroupMeansAndIntervals() {
  settle();
  GroupCurvesView* v = curves();
  QCOMPARE(v->plottedLayers(), (std::vector<int>{0, 1, 2}));
  const std::vector<int> members[2] = {membersOf(*results_, true), membersOf(*results_, false)};
  QCOMPARE(int(members[0].size()), 4);
  QCOMPARE(int(members[1].size()), 3);
  double maxDiff = 0;
  for (int side = 0; side < 2; ++side) {
    const GroupStats& g = doc_->group(side);
    const std::vector<double> mean = v->plottedMeans(side), lo = v->plottedLower(side),
                              hi = v->plottedUpper(side);
    QCOMPARE(int(mean.size()), kLayers);
    for (int l = 0; l < kLayers; ++l) {
      // What is drawn is exactly GroupStats::byLayer ...
      const MeanCi& ci = g.byLayer[kindIndex(SegmentKind::Soft)][l];
      QCOMPARE(mean[l], double(ci.mean));
      QCOMPARE(lo[l], double(ci.lo));
      QCOMPARE(hi[l], double(ci.hi));
      // ... which is the mean over the examples with its t interval, computed here.
      const std::vector<double> x = layerMeans(*results_, members[side], SegmentKind::Soft, l);
      const double m = meanOf(x);
      const double half = t975(int(x.size()) - 1) * sampleSd(x) / std::sqrt(double(x.size()));
      maxDiff = std::max({maxDiff, std::abs(mean[l] - m), std::abs(lo[l] - (m - half)),
                          std::abs(hi[l] - (m + half))});
    }
  }
  qInfo("curves vs independent mean and 95%% CI: max difference %.3g", maxDiff);
  // Both in double from the same floats; the group statistics are stored as float32: half an ulp
  // of values below 2 each, for the mean, the sd and the bound made from them.
  QVERIFY(maxDiff <= 4 * tolerance::stored(2.0));
  QCOMPARE(v->legendText(0), doc_->groupName(0));
  QVERIFY(v->legendText(0).contains(QStringLiteral("n = 4")));
  QVERIFY(v->legendText(1).contains(QStringLiteral("n = 3")));
  QVERIFY(v->titleText().contains(QStringLiteral("95% CI")));

  // A click near layer 1 selects it in the document.
  const QPoint p = v->pointFor(0, 1);
  QTest::mouseClick(v->plot(), Qt::LeftButton, {}, v->plot()->mapFrom(v, p));
  QCOMPARE(doc_->layer(), 1);
}

void TestComparison::differenceGridIsAMinusB() {
  settle();
  DifferenceGridView* g = grid();
  QVERIFY2(g->message().isEmpty(), qPrintable(g->message()));
  const auto a = membersOf(*results_, true), b = membersOf(*results_, false);
  double maxAbs = 0, maxErr = 0;
  for (int l = 0; l < kLayers; ++l)
    for (int h = 0; h < kHeads; ++h) {
      const double expect = headMass(*results_, a, SegmentKind::Soft, l, h) -
                            headMass(*results_, b, SegmentKind::Soft, l, h);
      maxErr = std::max(maxErr, std::abs(g->cellValue(l, h) - expect));
      maxAbs = std::max(maxAbs, std::abs(expect));
      QCOMPARE(g->cellValue(l, h),
               double(doc_->group(0).massMean[0][l][h] - doc_->group(1).massMean[0][l][h]));
      // Painted with the diverging colour of exactly that value.
      QCOMPARE(g->cellColor(l, h), QColor::fromRgb(g->scale().rgb(g->cellValue(l, h))));
      QVERIFY(!g->cellRect(l, h).isEmpty());
    }
  qInfo("grid vs independent A - B: max difference %.3g", maxErr);
  // Two group means stored as float32 (half an ulp each, values <= 1), and their difference.
  QVERIFY(maxErr <= 3 * tolerance::stored(1.0));
  // Symmetric range = the largest magnitude; that cell (layer 2, head 3) is at the map's end.
  QVERIFY(std::abs(g->scale().range - maxAbs) <= 3 * tolerance::stored(1.0));
  QCOMPARE(g->cellColor(2, 3), divergingColorAt(g->cellValue(2, 3) > 0 ? 1.0 : -1.0));
  QCOMPARE(g->colorBarLabel(), QStringLiteral("A − B"));
  const HeadDifference* d = g->cellDifference(2, 3);
  QVERIFY(d);
  QVERIFY(g->cellDescription(2, 3).contains(QString::number(d->t, 'f', 2)));
  QVERIFY(g->cellDescription(2, 3).contains(QString::number(d->a, 'f', 4)));

  // A click on a cell selects its layer.
  QTest::mouseClick(g, Qt::LeftButton, {}, g->cellRect(0, 2).center());
  QCOMPARE(doc_->layer(), 0);
}

void TestComparison::rankedHeadsAndDiagnostics() {
  settle();
  auto* ranked = static_cast<RankedHeadsView*>(win_->rankedHeadsView());
  const auto& rows = ranked->rows();
  QCOMPARE(int(rows.size()), kLayers * kHeads);
  for (std::size_t i = 1; i < rows.size(); ++i)
    QVERIFY(std::abs(rows[i - 1].diff) >= std::abs(rows[i].diff));
  // The planted head ranks first, in the table too.
  QCOMPARE(rows.front().layer, 2);
  QCOMPARE(rows.front().head, 3);
  QCOMPARE(ranked->table()->item(0, 0)->text(), QStringLiteral("2"));
  QCOMPARE(ranked->table()->item(0, 1)->text(), QStringLiteral("3"));
  QVERIFY(ranked->table()->item(0, 4)->text().startsWith(QLatin1Char('+')));
  // Every row of the table is its HeadDifference.
  for (int r = 0; r < ranked->table()->rowCount(); ++r)
    QCOMPARE(ranked->table()->item(r, 2)->text(), QString::number(rows[r].a, 'f', 4));

  auto* diag = static_cast<GroupDiagnosticsView*>(win_->diagnosticsView());
  QCOMPARE(diag->cellText(GroupDiagnosticsView::kSize, 0), QStringLiteral("4"));
  QCOMPARE(diag->cellText(GroupDiagnosticsView::kSize, 1), QStringLiteral("3"));
  QCOMPARE(diag->cellText(GroupDiagnosticsView::kAccuracy, 0), QStringLiteral("100.0%"));
  QCOMPARE(diag->cellText(GroupDiagnosticsView::kAccuracy, 1), QStringLiteral("0.0%"));
  QCOMPARE(diag->cellText(GroupDiagnosticsView::kCollapse, 0), QStringLiteral("25.0% (1 of 4)"));
  QCOMPARE(diag->cellText(GroupDiagnosticsView::kCollapse, 1), QStringLiteral("0.0% (0 of 3)"));
  QCOMPARE(diag->cellText(GroupDiagnosticsView::kAnchorDominance, 1),
           QStringLiteral("66.7% (2 of 3)"));
  // Group A's top soft head is the planted one: mean of 0.5, 0.47 (+0.04 -0.03 +0.2) ...
  const double top = headMass(*results_, membersOf(*results_, true), SegmentKind::Soft, 2, 3);
  QCOMPARE(diag->cellText(GroupDiagnosticsView::kTopSoft1, 0),
           QStringLiteral("layer 2 head 3: %1").arg(top, 0, 'f', 3));
}

void TestComparison::kindAndGroupChoosersDriveTheViews() {
  // Anchor instead of soft: the curves and the grid follow the document's kind.
  doc_->setKind(SegmentKind::Anchor);
  settle();
  const GroupStats& a = doc_->group(0);
  QCOMPARE(curves()->plottedMeans(0)[1], double(a.byLayer[kindIndex(SegmentKind::Anchor)][1].mean));
  QCOMPARE(grid()->cellValue(2, 3),
           double(a.massMean[kindIndex(SegmentKind::Anchor)][2][3] -
                  doc_->group(1).massMean[kindIndex(SegmentKind::Anchor)][2][3]));
  auto* kind = win_->findChild<QComboBox*>(QStringLiteral("kindCombo"));
  QVERIFY(kind);
  QCOMPARE(kind->currentData().toInt(), int(SegmentKind::Anchor));
  doc_->setKind(SegmentKind::Soft);

  // Group B = all examples, through the chooser as a user would.
  auto* b = win_->findChild<QComboBox*>(QStringLiteral("groupB"));
  QVERIFY(b);
  const int all = b->findText(DatasetDocument::sourceName(GroupSpec::Source::All));
  QVERIFY(all >= 0);
  b->setCurrentIndex(all);
  emit b->activated(all);
  QCOMPARE(doc_->groupSpec(1).source, GroupSpec::Source::All);
  settle();
  QCOMPARE(int(doc_->members(1).size()), 7);
  QVERIFY(curves()->legendText(1).contains(QStringLiteral("n = 7")));
  // Back to correct vs incorrect.
  doc_->setGroups(GroupSpec{GroupSpec::Source::Correct}, GroupSpec{GroupSpec::Source::Incorrect});
  settle();
  QCOMPARE(b->currentText(), DatasetDocument::sourceName(GroupSpec::Source::Incorrect));
}

void TestComparison::exampleSlotsStayInStep() {
  win_->showExamplesTab();
  // Opening the tab chooses the first example of each group and asks for its attention.
  QCOMPARE(int(requests_.size()), 2);
  QVERIFY(requests_[0] == std::make_tuple(0, 0, 0));  // ex-0, the first correct example
  QVERIFY(requests_[1] == std::make_tuple(1, 0, 1));  // ex-1, the first incorrect one
  QVERIFY(!win_->exampleMessage(0).isEmpty());        // busy until the answer comes
  // Choosing another example in the right-hand list asks for that one.
  auto* right = win_->findChild<QComboBox*>(QStringLiteral("exampleRight"));
  QVERIFY(right);
  const int i = right->findData(QPoint(0, 3));
  QVERIFY(i > 0);
  right->setCurrentIndex(i);
  emit right->activated(i);
  QVERIFY(requests_.back() == std::make_tuple(1, 0, 3));
  QCOMPARE(doc_->shownExample(1).index, 3);

  win_->setExampleResult(0, syntheticRun(kLayoutA, 1));
  win_->setExampleResult(1, syntheticRun(kLayoutA, 2));
  settle();
  QVERIFY(win_->exampleMessage(0).isEmpty());
  QVERIFY(win_->exampleMessage(1).isEmpty());
  RunDocument* left = win_->exampleDocument(0);
  RunDocument* rightDoc = win_->exampleDocument(1);
  Selection s = left->selection();
  s.layer = 2;
  s.head = HeadChoice::one(1);
  s.query = 7;
  left->setSelection(s);
  QCOMPARE(rightDoc->selection().layer, 2);
  QCOMPARE(rightDoc->selection().head, HeadChoice::one(1));
  QCOMPARE(rightDoc->selection().query, 7);
  QCOMPARE(doc_->layer(), 2);  // the group views highlight the same layer
  // And from the right back to the left, by a click on a heatmap cell (selects its query).
  settle();
  QTest::mouseClick(heatmap(1)->plot(), Qt::LeftButton, {},
                    heatmap(1)->plot()->mapFrom(heatmap(1), heatmap(1)->cellCenter(10, 3)));
  QCOMPARE(rightDoc->selection().query, 10);
  QCOMPARE(left->selection().query, 10);
  // Zoom and pan follow on every example plot.
  heatmap(0)->plot()->xAxis->setRange(2.5, 7.5);
  heatmap(0)->plot()->yAxis->setRange(3.5, 9.5);
  QCOMPARE(heatmap(1)->plot()->xAxis->range().lower, 2.5);
  QCOMPARE(heatmap(1)->plot()->yAxis->range().upper, 9.5);
  QCOMPARE(diff()->plot()->xAxis->range().upper, 7.5);
  diff()->plot()->xAxis->setRange(0.5, 4.5);
  QCOMPARE(heatmap(0)->plot()->xAxis->range().lower, 0.5);
  // The layer control moves both.
  auto* layer = win_->findChild<QSpinBox*>(QStringLiteral("exampleLayer"));
  QVERIFY(layer);
  layer->setValue(1);
  QCOMPARE(left->selection().layer, 1);
  QCOMPARE(rightDoc->selection().layer, 1);
  settle();
  shoot(win_.get(), QStringLiteral("synthetic_examples"));
}

void TestComparison::differenceHeatmapOnlyForAlignedLayouts() {
  settle();
  DifferenceHeatmapView* d = diff();
  QVERIFY2(d->showsDifference(), qPrintable(d->note()));
  const Selection& s = win_->exampleDocument(0)->selection();
  const RunResult& l = *win_->exampleDocument(0)->result();
  const RunResult& r = *win_->exampleDocument(1)->result();
  const std::vector<float> a = attentionMatrix(l.attentions[s.layer], 0, s.head);
  const std::vector<float> b = attentionMatrix(r.attentions[s.layer], 0, s.head);
  QCOMPARE(d->displayedValues().size(), a.size());
  float maxErr = 0, maxAbs = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    maxErr = std::max(maxErr, std::abs(d->displayedValues()[i] - (a[i] - b[i])));
    maxAbs = std::max(maxAbs, std::abs(a[i] - b[i]));
  }
  QCOMPARE(maxErr, 0.0f);
  QCOMPARE(float(d->scale().range), maxAbs);

  // Same length, other segments: no difference, and the note says why.
  win_->setExampleResult(1, syntheticRun(kLayoutB, 3));
  settle();
  QVERIFY(!d->showsDifference());
  QVERIFY2(d->note().contains(QStringLiteral("differ")), qPrintable(d->note()));
  QVERIFY(d->note().contains(QStringLiteral("text 3")));
  QVERIFY(!sameTokenLayout(l, *win_->exampleDocument(1)->result()));
  // Aligned again: shown again.
  win_->setExampleResult(1, syntheticRun(kLayoutA, 4));
  settle();
  QVERIFY(d->showsDifference());
}

void TestComparison::exampleFailureShownInPlace() {
  win_->setExampleFailed(1, QStringLiteral("the model ran out of memory"));
  settle();
  QVERIFY(win_->exampleMessage(1).contains(QStringLiteral("the model ran out of memory")));
  QVERIFY(!diff()->showsDifference());
  win_->setExampleResult(1, syntheticRun(kLayoutA, 5));
  settle();
  QVERIFY(win_->exampleMessage(1).isEmpty());
  QVERIFY(diff()->showsDifference());
}

void TestComparison::figuresExport() {
  win_->showGroupsTab();
  settle();
  const QDir dir(tmp_.path());
  FigureOptions o;
  o.format = FigureFormat::Png;
  o.widthIn = 4.0;
  o.dpi = 150;
  o.aspect = 0.6;
  const QString png = dir.filePath(QStringLiteral("curves.png"));
  QVERIFY(win_->exportViewFigure(win_->groupCurvesView(), png, o));
  QImage image(png);
  QCOMPARE(image.size(), QSize(600, 360));
  // The manifest records the groups.
  QFile side(png + QStringLiteral(".json"));
  QVERIFY(side.open(QIODevice::ReadOnly));
  const QJsonObject m = QJsonDocument::fromJson(side.readAll()).object();
  QCOMPARE(m[QStringLiteral("view")].toString(), QStringLiteral("group_layers"));
  QCOMPARE(m[QStringLiteral("groups")].toArray().size(), 2);
  QCOMPARE(m[QStringLiteral("groups")].toArray()[0].toObject()[QStringLiteral("n")].toInt(), 4);

  // Copy as image (Ctrl+Shift+C) puts the focused view, 6.75 in at 150 dpi, on the clipboard.
  QApplication::clipboard()->clear();
  win_->groupCurvesView()->setFocus();
  auto* copy = win_->findChild<QAction*>(QStringLiteral("copyImageAction"));
  QVERIFY(copy);
  QVERIFY(copy->isEnabled());
  copy->trigger();
  QCOMPARE(QApplication::clipboard()->image().width(), 1013);  // round(6.75 * 150)

  // The difference grid as SVG: it parses, and its labels are text.
  o.format = FigureFormat::Svg;
  o.aspect = 0;
  const QString svg = dir.filePath(QStringLiteral("grid.svg"));
  QVERIFY(win_->exportViewFigure(win_->differenceGridView(), svg, o));
  QSvgRenderer renderer(svg);
  QVERIFY(renderer.isValid());
  QFile svgFile(svg);
  QVERIFY(svgFile.open(QIODevice::ReadOnly));
  const QString svgText = QString::fromUtf8(svgFile.readAll());
  QVERIFY(svgText.contains(QStringLiteral("A − B")));
  // Ranked list and diagnostics render as tables.
  o.format = FigureFormat::Png;
  QVERIFY(win_->exportViewFigure(win_->rankedHeadsView(), dir.filePath("ranked.png"), o));
  QVERIFY(win_->exportViewFigure(win_->diagnosticsView(), dir.filePath("diag.png"), o));
  // The difference heatmap of the two examples, as PDF.
  o.format = FigureFormat::Pdf;
  const QString pdf = dir.filePath(QStringLiteral("diff.pdf"));
  QVERIFY(win_->exportViewFigure(win_->exampleDifferenceView(), pdf, o));
  QFile pdfFile(pdf);
  QVERIFY(pdfFile.open(QIODevice::ReadOnly));
  QVERIFY(pdfFile.read(5) == "%PDF-");

  // Both examples side by side and their difference (their layouts align) in one row.
  o.format = FigureFormat::Png;
  o.widthIn = 6.75;
  o.dpi = 100;
  const QString pair = dir.filePath(QStringLiteral("pair.png"));
  QVERIFY(win_->exportSideBySide(pair, o));
  QCOMPARE(QImage(pair).width(), 675);
  QFile pairSide(pair + QStringLiteral(".json"));
  QVERIFY(pairSide.open(QIODevice::ReadOnly));
  const QJsonObject pm = QJsonDocument::fromJson(pairSide.readAll()).object();
  QCOMPARE(pm[QStringLiteral("panels")].toArray().size(), 3);
  QCOMPARE(
      pm[QStringLiteral("panels")].toArray()[1].toObject()[QStringLiteral("example_id")].toString(),
      QStringLiteral("ex-3"));
  QCOMPARE(pm[QStringLiteral("panels")].toArray()[2].toObject()[QStringLiteral("difference_of")],
           QJsonValue(QJsonArray{0, 1}));
  QCOMPARE(pm[QStringLiteral("figure")].toObject()[QStringLiteral("columns")].toInt(), 3);
}

void TestComparison::analysisFiguresWriteFourFiles() {
  const QString out = QDir(tmp_.path()).filePath(QStringLiteral("analysis"));
  const QStringList files = writeAnalysisFigures(*results_, out);
  QCOMPARE(files.size(), 4);
  for (const QString& name : {"layers_by_group.pdf", "layers_by_group.png", "grid_difference.pdf",
                              "grid_difference.png"}) {
    const QString f = QDir(out).filePath(name);
    QVERIFY2(files.contains(f), qPrintable(f));
    QVERIFY2(QFileInfo(f).size() > 1000, qPrintable(f));
    QFile side(f + QStringLiteral(".json"));
    QVERIFY2(side.open(QIODevice::ReadOnly), qPrintable(side.fileName()));
    const QJsonObject m = QJsonDocument::fromJson(side.readAll()).object();
    QCOMPARE(m[QStringLiteral("kind")].toString(), QStringLiteral("soft"));
    QCOMPARE(m[QStringLiteral("figure")].toObject()[QStringLiteral("style")].toString(),
             QStringLiteral("paper"));
  }
  // 3.25 in at 300 dpi.
  QCOMPARE(QImage(QDir(out).filePath("layers_by_group.png")).width(), 975);
  QCOMPARE(QImage(QDir(out).filePath("grid_difference.png")).width(), 975);
  QFile pdf(QDir(out).filePath("grid_difference.pdf"));
  QVERIFY(pdf.open(QIODevice::ReadOnly));
  QVERIFY(pdf.read(5) == "%PDF-");
}

void TestComparison::demoCorrectVersusIncorrect() {
  if (!QFileInfo::exists(demoDir() + QStringLiteral("/model.safetensors")))
    QSKIP("resources/demo is not there");
  // A dataset run over the demo's examples, as `attnx analyze` makes it.
  demo_dataset::DemoDataset demo;
  demo.run(demoDir().toStdString());
  const DatasetResults& results = demo.results;
  QCOMPARE(int(results.examples.size()), 48);

  DatasetDocument doc;
  doc.setResults(0, std::make_shared<DatasetResults>(results), QStringLiteral("demo"));
  QCOMPARE(doc.group(0).n(), 33);  // the demo's README: 33 of 48 answered correctly
  QCOMPARE(doc.group(1).n(), 15);
  ComparisonWindow win(&doc);
  // The owner's part: recompute an example's full attention with the model.
  connect(&win, &ComparisonWindow::exampleRunRequested, &win, [&](int slot, int run, int index) {
    QCOMPARE(run, 0);
    win.setExampleResult(slot, demo.fullRun(index));
  });
  win.resize(1500, 950);
  QVERIFY(showActive(&win));
  auto* curvesView = static_cast<GroupCurvesView*>(win.groupCurvesView());
  curvesView->refreshNow();
  // Soft-token mass by layer, correct vs incorrect, as the demo's trainer measured it (README
  // table, 3 decimals): the window's numbers come from our own forward pass and statistics.
  const double readme[2][4] = {{0.567, 0.432, 0.354, 0.359}, {0.565, 0.401, 0.365, 0.360}};
  double maxDiff = 0;
  for (int side = 0; side < 2; ++side) {
    const std::vector<double> m = curvesView->plottedMeans(side);
    QCOMPARE(int(m.size()), 4);
    for (int l = 0; l < 4; ++l) {
      qInfo("side %d layer %d: %.4f (README %.3f)", side, l, m[l], readme[side][l]);
      maxDiff = std::max(maxDiff, std::abs(m[l] - readme[side][l]));
    }
  }
  qInfo("demo soft mass by layer vs README: max difference %.4f", maxDiff);
  QVERIFY(maxDiff < 0.0015);  // the README rounds to 3 decimals
  doc.setLayer(1);
  QCoreApplication::processEvents();
  QTest::qWait(50);
  shoot(&win, QStringLiteral("demo_groups"));

  // The shipped correct and incorrect examples (demo-000, demo-003) side by side.
  win.showExamplesTab();
  doc.setShownExample(0, {0, 0});
  doc.setShownExample(1, {0, 3});
  QVERIFY(win.exampleMessage(0).isEmpty());
  QVERIFY(win.exampleMessage(1).isEmpty());
  auto* d = static_cast<DifferenceHeatmapView*>(win.exampleDifferenceView());
  d->refreshNow();
  QVERIFY2(d->showsDifference(), qPrintable(d->note()));  // same layout: soft 8, BOS 1, anchor 16
  QCOMPARE(win.exampleDocument(1)->selection().layer, 1);
  QTest::qWait(50);
  shoot(&win, QStringLiteral("demo_examples"));
  // The difference beside the pair is as wide as each of them: the panes' controls, chooser and
  // title no longer hold them wider than a third of the window, squeezing the difference.
  const int pane = win.exampleView(0)->width(), diff = win.exampleDifferenceView()->width();
  qInfo("examples tab %d px wide: example %d px, difference %d px", win.width(), pane, diff);
  QVERIFY2(diff >= 0.9 * pane && win.width() <= 1550, "the difference is squeezed");
  FigureOptions o;
  o.widthIn = 6.75;
  o.dpi = 200;
  QDir().mkpath(kShots);
  QVERIFY(win.exportSideBySide(kShots + QStringLiteral("/demo_side_by_side.png"), o));
  QVERIFY(win.exportViewFigure(win.exampleDifferenceView(),
                               kShots + QStringLiteral("/demo_difference.png"), o));
  o.widthIn = 4.5;
  o.aspect = 0.5;
  QVERIFY(
      win.exportViewFigure(win.rankedHeadsView(), kShots + QStringLiteral("/demo_ranked.png"), o));
  QVERIFY(win.exportViewFigure(win.diagnosticsView(),
                               kShots + QStringLiteral("/demo_diagnostics.png"), o));
  const QStringList figures = writeAnalysisFigures(results, kShots + QStringLiteral("/analysis"));
  QCOMPARE(figures.size(), 4);
}

void TestComparison::cliAnalyzeOutputsReopen() {
  const QString exe = QStringLiteral(ATTNX_EXE_PATH);
  if (!QFileInfo::exists(exe)) QSKIP("the attnx executable is not built");
  if (!QFileInfo::exists(demoDir() + QStringLiteral("/model.safetensors")))
    QSKIP("resources/demo is not there");
  const QString out = QDir(tmp_.path()).filePath(QStringLiteral("cli"));
  QProcess p;
  p.start(exe,
          {QStringLiteral("analyze"), QStringLiteral("--model"), demoDir(),
           QStringLiteral("--examples"), demoDir() + QStringLiteral("/examples.jsonl"),
           QStringLiteral("--soft-tokens"), demoDir() + QStringLiteral("/soft_tokens.safetensors"),
           QStringLiteral("--bos-after-soft"), QStringLiteral("--threads"), QStringLiteral("2"),
           QStringLiteral("--out"), out});
  QVERIFY(p.waitForFinished(300000));
  const QString err = QString::fromUtf8(p.readAllStandardError());
  QVERIFY2(p.exitCode() == 0, qPrintable(err));
  for (const char* name : {"stats.json", "summary.csv", "layers_by_group.pdf",
                           "layers_by_group.png", "grid_difference.pdf", "grid_difference.png"})
    QVERIFY2(QFileInfo(QDir(out).filePath(QString::fromLatin1(name))).size() > 0, name);
  // summary.csv: a header and one row per example.
  QFile csv(QDir(out).filePath("summary.csv"));
  QVERIFY(csv.open(QIODevice::ReadOnly));
  const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
  QCOMPARE(lines.size(), 49);
  QVERIFY(lines[0].contains(",id,correct,"));
  QVERIFY(lines[0].contains(",soft_L0,"));
  // stats.json reopens in the window.
  const QString stats = QDir(out).filePath("stats.json");
  auto results = std::make_shared<DatasetResults>(readResultsJson(stats.toStdString()));
  QCOMPARE(int(results->examples.size()), 48);
  DatasetDocument doc;
  doc.setResults(0, results, stats);
  ComparisonWindow win(&doc);
  win.resize(1200, 800);
  win.show();
  QVERIFY(QTest::qWaitForWindowExposed(&win));
  QCOMPARE(doc.group(0).n(), 33);
  QCOMPARE(doc.group(1).n(), 15);
  auto* c = static_cast<GroupCurvesView*>(win.groupCurvesView());
  c->refreshNow();
  QCOMPARE(int(c->plottedMeans(0).size()), 4);
  for (int l = 0; l < 4; ++l)
    QCOMPARE(c->plottedMeans(0)[l], double(doc.group(0).byLayer[0][l].mean));
  QVERIFY(win.windowTitle().contains(QStringLiteral("stats.json")));
}

QTEST_MAIN(TestComparison)
#include "test_comparison.moc"
