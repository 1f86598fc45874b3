// The explorer's views driven like a user would, on a real run of a fixture checkpoint with a
// soft prefix: clicks on the head grid, the heatmap and the token strip move the one selection;
// what the heatmap draws is exactly the captured attention (and matches the Hugging Face
// reference); the layer curves plot the statistics of the captured rows; partial captures and
// generation steps show the rows they hold. Screenshots go to /tmp/attnx-shots/.
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>
#include <QHBoxLayout>
#include <QSet>
#include <QSlider>
#include <QSplitter>
#include <QVBoxLayout>
#include <QSvgGenerator>
#include <QToolButton>
#include <QTreeWidget>
#include <QtTest>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <numeric>
#include <random>

#include "diagnostics_panel.h"
#include "figure_export.h"
#include "head_grid_view.h"
#include "heatmap_view.h"
#include "layer_curves_plot.h"
#include "layer_curves_view.h"
#include "fixtures.h"
#include "model.h"
#include "qt_support.h"
#include "run_document.h"
#include "synthetic_attention.h"
#include "table_figure.h"
#include "safetensors.h"
#include "segment_style.h"
#include "step_selector.h"
#include "token_strip_view.h"
#include "token_ticker.h"
#include "tolerance.h"

using namespace attnx;
using attnx::fixtures::floats;
using attnx::qt_support::sharedDir;

namespace {

std::string fixture(const QString& rel) {
  return (sharedDir() + QStringLiteral("/fixtures/") + rel).toStdString();
}

std::vector<int64_t> int64s(const TensorView& t) { return fixtures::longs(t); }

const QString kShots = QStringLiteral("/tmp/attnx-shots");

void shoot(QWidget* w, const QString& name) { qt_support::shoot(w, kShots, name); }

// The [queries, keys] slice of head h, batch row 0, straight from the captured tensor.
std::vector<float> headSlice(const AttentionTensor& a, int h) {
  std::vector<float> v;
  for (int q = 0; q < a.queries; ++q)
    for (int k = 0; k < a.keys; ++k) v.push_back(a.at(0, h, q, k));
  return v;
}

// A hand-made run of L layers x H heads over T positions (soft, BOS, anchor, text), with
// random causal softmax rows: only for the paint-time check of a 32 x 32 grid.
std::shared_ptr<RunResult> syntheticRun(int L, int H, int T) {
  auto r = std::make_shared<RunResult>();
  r->model.layers = L;
  r->model.heads = H;
  r->batch = 1;
  r->seqLen = T;
  r->layout = {{{SegmentKind::Soft, 0, 8},
                {SegmentKind::Bos, 8, 9},
                {SegmentKind::Anchor, 9, 12},
                {SegmentKind::Text, 12, T}}};
  for (int t = 0; t < T; ++t)
    r->tokens.push_back(t < 8 ? "<soft " + std::to_string(t) + ">" : " tok" + std::to_string(t));
  std::mt19937 rng(7);
  for (int l = 0; l < L; ++l) r->attentions.push_back(synthetic::causalAttention(l, H, T, rng));
  return r;
}

}  // namespace

class TestViews : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void emptyStates();
  void headGridClickShowsThatHead();
  void aggregatesOverHeads();
  void heatmapClickSelectsQuery();
  void tokenStripClickMovesQuery();
  void layerCurvesPlotCapturedStatistics();
  void diagnosticsFollowThresholds();
  void lastRowCaptureShowsOnlyThatRow();
  void generationSteps();
  void bigHeadGridPaints();
  void renderToDevices();
  void legendNeverCoversData();
  void thinnedLabelsAreDistinctAndEvenlySpread();
  void colourBarTicksNeverOverlap();
  void zoomToPrefixShowsSoftBosAnchor();
  void aTableTooWideLosesColumnsThenGrowsItsTypeBack();
  void screenshots();
  void windowLayout();

 private:
  void settle() {
    for (QWidget* w : views()) w->update();
    heatmap_->refreshNow();
    grid_->refreshNow();
    curves_->refreshNow();
    strip_->refreshNow();
    diag_->refreshNow();
    QCoreApplication::processEvents();
  }
  std::vector<QWidget*> views() {
    return {heatmap_.get(), grid_.get(), curves_.get(), strip_.get(), steps_.get(), diag_.get()};
  }

  std::unique_ptr<Model> model_;
  std::unique_ptr<SafetensorsFile> case_;
  RunRequest request_;
  std::shared_ptr<const RunResult> run_;
  std::unique_ptr<RunDocument> doc_;
  std::unique_ptr<HeatmapView> heatmap_;
  std::unique_ptr<HeadGridView> grid_;
  std::unique_ptr<LayerCurvesView> curves_;
  std::unique_ptr<TokenStripView> strip_;
  std::unique_ptr<StepSelector> steps_;
  std::unique_ptr<DiagnosticsPanel> diag_;
};

void TestViews::initTestCase() {
  doc_ = std::make_unique<RunDocument>();
  heatmap_ = std::make_unique<HeatmapView>(doc_.get());
  grid_ = std::make_unique<HeadGridView>(doc_.get());
  curves_ = std::make_unique<LayerCurvesView>(doc_.get());
  strip_ = std::make_unique<TokenStripView>(doc_.get());
  steps_ = std::make_unique<StepSelector>(doc_.get());
  diag_ = std::make_unique<DiagnosticsPanel>(doc_.get());
  heatmap_->resize(820, 640);
  grid_->resize(420, 380);
  curves_->resize(620, 320);
  strip_->resize(640, 120);
  steps_->resize(640, 40);
  diag_->resize(460, 420);
  for (QWidget* w : views()) w->show();

  // llama_gqa: 3 layers, 4 heads (2 key/value heads), 4 soft rows then 16 text ids.
  model_ = Model::load(fixture(QStringLiteral("models/llama_gqa")));
  case_ = std::make_unique<SafetensorsFile>(
      SafetensorsFile::open(fixture(QStringLiteral("cases/llama_gqa__b_soft_prefix.safetensors"))));
  InputPart soft;
  soft.kind = SegmentKind::Soft;
  soft.rows = 4;
  soft.embeddings = floats(case_->at("in.soft_prefix"));
  InputPart text;
  text.kind = SegmentKind::Text;
  text.ids = int64s(case_->at("in.input_ids"));
  request_.parts = {soft, text};
  request_.capture.rows = CapturePolicy::Rows::Full;
  run_ = std::make_shared<const RunResult>(model_->run(request_));
  QCOMPARE(run_->seqLen, 20);
  QCOMPARE(int(run_->attentions.size()), 3);
  QCOMPARE(run_->attentions[0].heads, 4);
  QVERIFY(!run_->layout.empty());
  QCOMPARE(int(run_->layout[0].front().kind), int(SegmentKind::Soft));
  QCOMPARE(run_->layout[0].front().size(), 4);
}

void TestViews::emptyStates() {
  // Before any run every view shows its empty state and nothing is drawn.
  settle();
  QCOMPARE(heatmap_->displayedRows(), 0);
  QVERIFY(heatmap_->displayedValues().empty());
  QVERIFY(grid_->cellRect(0, 0).isEmpty());
  QVERIFY(curves_->plottedLayers().empty());
  QVERIFY(strip_->tokenRect(0).isEmpty());
  QVERIFY(diag_->diagnostics().empty());
  QVERIFY(!steps_->slider()->isEnabled());
  shoot(heatmap_.get(), QStringLiteral("00_heatmap_empty"));
  shoot(grid_.get(), QStringLiteral("00_headgrid_empty"));

  doc_->setResult(run_);
  settle();
  QCOMPARE(doc_->resolvedQuery(), 19);  // the last valid position by default
  QCOMPARE(heatmap_->displayedRows(), 20);
  QCOMPARE(heatmap_->displayedKeys(), 20);
}

void TestViews::headGridClickShowsThatHead() {
  double maxRefDiff = 0;
  for (const AttentionTensor& a : run_->attentions) {
    const std::vector<float> ref = floats(case_->at("out.attentions." + std::to_string(a.layer)));
    for (int h = 0; h < a.heads; ++h) {
      const QRect cell = grid_->cellRect(a.layer, h);
      QVERIFY2(!cell.isEmpty(), "cell not shown");
      QTest::mouseClick(grid_.get(), Qt::LeftButton, {}, cell.center());
      QCOMPARE(doc_->selection().layer, a.layer);
      QCOMPARE(doc_->selection().head, HeadChoice::one(h));
      settle();
      QCOMPARE(heatmap_->displayedRows(), a.queries);
      QCOMPARE(heatmap_->displayedKeys(), a.keys);
      // Exactly the captured values, nothing rescaled or reordered.
      QVERIFY(heatmap_->displayedValues() == headSlice(a, h));
      // And those are Hugging Face's attention probabilities for the same input.
      const std::vector<float> shown = heatmap_->displayedValues();
      const std::size_t off = static_cast<std::size_t>(h) * a.queries * a.keys;
      for (std::size_t i = 0; i < shown.size(); ++i) {
        const double d = std::abs(double(shown[i]) - ref[off + i]);
        maxRefDiff = std::max(maxRefDiff, d);
        QVERIFY2(d <= 1e-5 + 1e-4 * std::abs(ref[off + i]), "differs from the HF reference");
      }
    }
  }
  qInfo("heatmap vs Hugging Face reference attention: max |diff| = %.3g", maxRefDiff);
}

void TestViews::aggregatesOverHeads() {
  for (const AttentionTensor& a : run_->attentions) {
    doc_->setLayer(a.layer);
    doc_->setHead(HeadChoice::mean());
    settle();
    std::vector<float> shown = heatmap_->displayedValues();
    QCOMPARE(int(shown.size()), a.queries * a.keys);
    double maxDiff = 0;
    for (int q = 0; q < a.queries; ++q)
      for (int k = 0; k < a.keys; ++k) {
        double sum = 0;
        for (int h = 0; h < a.heads; ++h) sum += a.at(0, h, q, k);
        maxDiff = std::max(maxDiff, std::abs(sum / a.heads - shown[size_t(q) * a.keys + k]));
      }
    qInfo("layer %d: mean over heads, max |diff| = %.3g", a.layer, maxDiff);
    // The view sums the H weights (each <= 1) in float32: within gamma_H of the double sum, and
    // one more rounding for the division.
    QVERIFY(maxDiff <= tolerance::gamma(a.heads) + tolerance::kUnit);

    doc_->setHead(HeadChoice::max());
    settle();
    shown = heatmap_->displayedValues();
    for (int q = 0; q < a.queries; ++q)
      for (int k = 0; k < a.keys; ++k) {
        float m = -1;
        for (int h = 0; h < a.heads; ++h) m = std::max(m, a.at(0, h, q, k));
        QCOMPARE(shown[size_t(q) * a.keys + k], m);
      }
  }
}

void TestViews::heatmapClickSelectsQuery() {
  doc_->setHead(HeadChoice::one(1));
  settle();
  const QPoint p = heatmap_->cellCenter(7, 3);
  QTest::mouseMove(heatmap_->plot(), heatmap_->plot()->mapFrom(heatmap_.get(), p));
  QTest::mouseClick(heatmap_->plot(), Qt::LeftButton, {},
                    heatmap_->plot()->mapFrom(heatmap_.get(), p));
  QCOMPARE(doc_->selection().query, 7);
  QCOMPARE(doc_->resolvedQuery(), 7);
}

void TestViews::tokenStripClickMovesQuery() {
  settle();
  for (int pos : {2, 11, 19}) {
    const QRect chip = strip_->tokenRect(pos);
    QVERIFY2(!chip.isEmpty(), "token chip not shown");
    QTest::mouseClick(strip_.get(), Qt::LeftButton, {}, chip.center());
    QCOMPARE(doc_->selection().query, pos);
    settle();
    // The strip shades the selected head's row of that query.
    const AttentionTensor& a = run_->attentions[size_t(doc_->selection().layer)];
    for (int k = 0; k < a.keys; ++k)
      QCOMPARE(strip_->shownWeights()[size_t(k)], a.at(0, doc_->selection().head.index, pos, k));
  }
  // Chips of one row do not overlap and soft chips come first.
  for (int pos = 1; pos < run_->seqLen; ++pos)
    QVERIFY(!strip_->tokenRect(pos).intersects(strip_->tokenRect(pos - 1)));
}

void TestViews::layerCurvesPlotCapturedStatistics() {
  for (int query : {19, 6}) {
    doc_->setQuery(query);
    settle();
    QCOMPARE(int(curves_->plottedLayers().size()), 3);
    const auto& layout = run_->layout[0];
    for (SegmentKind kind : {SegmentKind::Soft, SegmentKind::Text}) {
      const std::vector<double> plotted = curves_->plottedMeans(kind);
      QCOMPARE(int(plotted.size()), 3);
      double maxDiff = 0;
      for (std::size_t l = 0; l < 3; ++l) {
        const AttentionTensor& a = run_->attentions[l];
        double mean = 0;
        for (int h = 0; h < a.heads; ++h) {
          double mass = 0;
          for (const Segment& s : layout)
            if (s.kind == kind)
              for (int k = s.begin; k < s.end; ++k) mass += a.at(0, h, query, k);
          mean += mass / a.heads;
        }
        maxDiff = std::max(maxDiff, std::abs(mean - plotted[l]));
      }
      qInfo("query %d, %s mass per layer: max |plotted - direct| = %.3g", query,
            std::string(segmentKindName(kind)).c_str(), maxDiff);
      // The same floats summed in another order: at most T keys and H heads, total <= 1.
      const AttentionTensor& a0 = run_->attentions.front();
      QVERIFY(maxDiff <= tolerance::twoOrders(a0.keys + a0.heads, 1.0));
    }
    QVERIFY(curves_->plottedMeans(SegmentKind::Anchor).empty());  // no anchor in this input
  }
  // Clicking near a layer selects it.
  const QPoint p = curves_->pointFor(SegmentKind::Soft, 2);
  QTest::mouseClick(curves_->plot(), Qt::LeftButton, {},
                    curves_->plot()->mapFrom(curves_.get(), p));
  QCOMPARE(doc_->selection().layer, 2);
}

void TestViews::diagnosticsFollowThresholds() {
  doc_->setQuery(19);
  settle();
  QCOMPARE(int(diag_->diagnostics().size()), 4);
  QCOMPARE(diag_->diagnostics()[0].id, std::string("collapse"));
  // A collapse threshold above every layer's soft mass must flag; zero never can.
  DiagnosticThresholds t = diag_->thresholds();
  t.collapseSoft = 1.0f;
  diag_->setThresholds(t);
  QVERIFY(diag_->diagnostics()[0].flagged);
  QCOMPARE(diag_->table()->topLevelItem(0)->background(1).color(), QColor(253, 226, 222));
  t.collapseSoft = 0.0f;
  diag_->setThresholds(t);
  QVERIFY(!diag_->diagnostics()[0].flagged);
  diag_->setThresholds(DiagnosticThresholds{});
  // Every number says what it is, and the view wraps rather than elides: a check with two
  // numbers per layer names both in its first layer's entry, with the values it computed.
  const std::map<std::string, std::pair<QString, QString>> names{
      {"anchor_dominance", {QStringLiteral("anchor"), QStringLiteral("soft")}},
      {"head_uniformity", {QStringLiteral("heads' L1"), QStringLiteral("soft sd")}}};
  int checked = 0;
  for (int i = 0; i < int(diag_->diagnostics().size()); ++i) {
    const Diagnostic& d = diag_->diagnostics()[std::size_t(i)];
    if (!d.applicable || d.values.empty() || d.values2.empty() || !names.count(d.id)) continue;
    QTreeWidgetItem* item = diag_->table()->topLevelItem(i);
    QVERIFY(item && item->childCount() > 0);
    const QString row = item->child(0)->text(2);
    const QString first = QStringLiteral("L%1 %2 %3, %4 %5")
                              .arg(curves_->plottedLayers().front())
                              .arg(names.at(d.id).first)
                              .arg(d.values[0], 0, 'f', 2)
                              .arg(names.at(d.id).second)
                              .arg(d.values2[0], 0, 'f', 3);
    QVERIFY2(row.startsWith(first), qPrintable(row + QStringLiteral(" vs ") + first));
    ++checked;
  }
  QVERIFY(checked > 0);
  QCOMPARE(diag_->table()->textElideMode(), Qt::ElideNone);
}

void TestViews::lastRowCaptureShowsOnlyThatRow() {
  RunRequest req = request_;
  req.capture.rows = CapturePolicy::Rows::LastRow;
  auto last = std::make_shared<const RunResult>(model_->run(req));
  doc_->setResult(last);
  doc_->setHead(HeadChoice::one(2));
  settle();
  QCOMPARE(heatmap_->displayedRows(), 1);
  QCOMPARE(heatmap_->displayedQueryPositions(), std::vector<int>{19});
  const AttentionTensor& a = last->attentions[size_t(doc_->selection().layer)];
  QVERIFY(heatmap_->displayedValues() == headSlice(a, 2));
  // Equal to the last row of the full capture.
  const AttentionTensor& full = run_->attentions[size_t(doc_->selection().layer)];
  for (int k = 0; k < full.keys; ++k)
    QCOMPARE(heatmap_->displayedValues()[size_t(k)], full.at(0, 2, 19, k));
  // A click elsewhere in the strip snaps to the one captured row.
  QTest::mouseClick(strip_.get(), Qt::LeftButton, {}, strip_->tokenRect(5).center());
  QCOMPARE(doc_->resolvedQuery(), 19);
  QCOMPARE(int(curves_->plottedLayers().size()), 3);
  shoot(heatmap_.get(), QStringLiteral("05_heatmap_last_row"));
}

void TestViews::generationSteps() {
  RunRequest req = request_;
  req.generate = 3;
  req.stopAtEos = false;
  auto gen = std::make_shared<const RunResult>(model_->run(req));
  QVERIFY(gen->generated > 0);
  doc_->setResult(gen);
  settle();
  QVERIFY(steps_->slider()->isEnabled());
  QCOMPARE(steps_->slider()->maximum(), int(gen->stepAttentions.size()));
  const int last = int(gen->stepAttentions.size()) - 1;
  steps_->slider()->setValue(last + 1);
  QCOMPARE(doc_->selection().step, last);
  doc_->setHead(HeadChoice::one(0));
  settle();
  const AttentionTensor& a = gen->stepAttentions[size_t(last)][size_t(doc_->selection().layer)];
  QCOMPARE(heatmap_->displayedRows(), 1);
  QCOMPARE(heatmap_->displayedKeys(), gen->seqLen + last);
  QVERIFY(heatmap_->displayedValues() == headSlice(a, 0));
  QVERIFY(!curves_->plottedMeans(SegmentKind::Generated).empty());
  QVERIFY(!strip_->tokenRect(gen->seqLen).isEmpty());  // generated tokens are chips too
  // One row is a row strip: cells about as high as kStripHeight, not stretched over the plot,
  // the colour bar under it, and a figure only as high as that content (no empty band).
  {
    QCustomPlot* plot = heatmap_->plot();
    const QRect rect = plot->axisRect()->rect();
    QVERIFY2(std::abs(rect.height() - kStripHeight) <= 1,
             qPrintable(QString::number(rect.height())));
    QVERIFY(heatmap_->height() > 4 * kStripHeight);  // the widget itself is much higher
    auto* bar = plot->findChild<QCPColorScale*>();
    QVERIFY(bar && bar->type() == QCPAxis::atBottom);
    QVERIFY(bar->axis()->axisRect()->rect().top() > rect.bottom());  // below the strip
    QVERIFY(plot->yAxis->label().isEmpty());
    FigureOptions o;
    o.widthIn = 3.25;
    o.dpi = 100;
    for (double width : {3.25, 6.75}) {
      o.widthIn = width;
      const QImage figure = renderFigureImage(heatmap_.get(), o);
      figure.save(kShots + QStringLiteral("/06_heatmap_step_figure_%1in.png").arg(width));
      QCOMPARE(figure.width(), int(std::lround(width * 100)));
      // Flatter than the widget where the width leaves room (the strip, its labels and the bar
      // take about the same height at any width), and the bottom rows blank but for a thin
      // margin: the bar's label is the last thing drawn.
      if (width > 5)
        QVERIFY2(figure.height() < 0.6 * figure.width() * heatmap_->height() / heatmap_->width(),
                 qPrintable(QString::number(figure.height())));
      int lastInk = 0;
      for (int y = 0; y < figure.height(); ++y)
        for (int x = 0; x < figure.width(); ++x)
          if (qGray(figure.pixel(x, y)) < 200) lastInk = y;
      QVERIFY2(figure.height() - lastInk < 0.1 * width * 100,
               qPrintable(QStringLiteral("%1 of %2").arg(lastInk).arg(figure.height())));
      // The strip itself keeps its height: its first column of cells is drawn, not squeezed away.
      QVERIFY(lastInk > 0.5 * figure.height());
    }
  }
  shoot(steps_.get(), QStringLiteral("06_step_selector"));
  shoot(heatmap_.get(), QStringLiteral("06_heatmap_step"));
  shoot(strip_.get(), QStringLiteral("06_token_strip_step"));
  shoot(curves_.get(), QStringLiteral("06_layer_curves_step"));
  // Clicking the first generated token shows the step that fed it back.
  QTest::mouseClick(strip_.get(), Qt::LeftButton, {}, strip_->tokenRect(gen->seqLen).center());
  QCOMPARE(doc_->selection().step, 1);
  steps_->slider()->setValue(0);
  QVERIFY(!doc_->selection().step);
  doc_->setResult(run_);
  settle();
  // The colour bar after full -> strip -> full, on the log scale: the gradient runs along the
  // bar (its ends differ, its two sides across do not), and the axis kept the log scale.
  heatmap_->setScaleKind(ScaleKind::Logarithmic);
  settle();
  doc_->setResult(gen);
  doc_->setStep(0);
  settle();
  QCOMPARE(heatmap_->plot()->findChild<QCPColorScale*>()->axis()->scaleType(),
           QCPAxis::stLogarithmic);
  doc_->setResult(run_);
  settle();
  {
    auto* bar = heatmap_->plot()->findChild<QCPColorScale*>();
    QCOMPARE(bar->axis()->scaleType(), QCPAxis::stLogarithmic);
    const QImage shot = heatmap_->plot()->toPixmap().toImage();
    const QRect r = bar->axis()->axisRect()->rect();
    // In the bar's left half: the axis draws its ticks into the right half.
    const int x = r.left() + r.width() / 4;
    const QRgb top = shot.pixel(x, r.top() + 2);
    const QRgb bottom = shot.pixel(x, r.bottom() - 2);
    const QRgb left = shot.pixel(r.left() + 1, r.center().y());
    const QRgb right = shot.pixel(r.left() + r.width() / 2 - 1, r.center().y());
    QVERIFY2(top != bottom, "the vertical bar's colours do not run along it");
    QCOMPARE(left, right);
  }
  heatmap_->setScaleKind(ScaleKind::Linear);
  settle();
  // The whole matrix again: the plot's height, the bar on the right, the query axis titled.
  QVERIFY(heatmap_->plot()->axisRect()->rect().height() > 4 * kStripHeight);
  QVERIFY(heatmap_->plot()->findChild<QCPColorScale*>()->type() == QCPAxis::atRight);
  QVERIFY(!heatmap_->plot()->yAxis->label().isEmpty());
}

void TestViews::bigHeadGridPaints() {
  RunDocument doc;
  HeadGridView grid(&doc);
  grid.resize(760, 760);
  grid.show();
  doc.setResult(syntheticRun(32, 32, 96));
  grid.refreshNow();
  QElapsedTimer timer;
  timer.start();
  const QPixmap first = grid.grab();
  const qint64 massMs = timer.restart();
  grid.setMetric(HeadGridView::Metric::Thumbnail);
  const QPixmap thumbs = grid.grab();
  const qint64 thumbMs = timer.restart();
  for (int i = 0; i < 10; ++i) grid.grab();
  const qint64 repaintMs = timer.elapsed() / 10;
  qInfo("32 x 32 head grid: mass paint %lld ms, thumbnails build+paint %lld ms, repaint %lld ms",
        massMs, thumbMs, repaintMs);
  // Every cell has its own rectangle, none overlapping its neighbour.
  QVERIFY(!grid.cellRect(31, 31).isEmpty());
  QVERIFY(!grid.cellRect(0, 0).intersects(grid.cellRect(0, 1)));
  QTest::mouseClick(&grid, Qt::LeftButton, {}, grid.cellRect(17, 29).center());
  QCOMPARE(doc.selection().layer, 17);
  QCOMPARE(doc.selection().head, HeadChoice::one(29));
  QDir().mkpath(kShots);
  first.save(kShots + QStringLiteral("/07_headgrid_32x32_mass.png"));
  thumbs.save(kShots + QStringLiteral("/07_headgrid_32x32_thumbs.png"));
}

void TestViews::legendNeverCoversData() {
  // Curves of 4 layers on plots of several shapes: wherever the legend goes, no curve point, no
  // marker and no band at a layer lies under it. Data filling every corner sends it out of the
  // plot: above a tall plot, beside a flat one.
  struct Case {
    QVector<double> mean, lower, upper;
    QSize size;
    bool outside;
  };
  const QList<Case> cases{
      // High on the right, low on the left: the top left corner is free.
      {{0.1, 0.3, 0.9, 0.95}, {0.05, 0.25, 0.85, 0.9}, {0.15, 0.35, 0.95, 1.0}, {500, 350}, false},
      // A band over the whole range: no corner is free.
      {{0.5, 0.5, 0.5, 0.5}, {0.0, 0.0, 0.0, 0.0}, {1.0, 1.0, 1.0, 1.0}, {500, 400}, true},
      // Flat and wide: 8 layers, so that the half layer beyond the last one is too narrow for it.
      {QVector<double>(8, 0.5), QVector<double>(8, 0.0), QVector<double>(8, 1.0), {900, 250}, true},
  };
  for (const Case& c : cases) {
    QWidget host;
    host.resize(c.size);
    LayerCurvesPlot plot(&host);
    plot.plot()->resize(c.size);
    host.show();
    QVERIFY(QTest::qWaitForWindowExposed(&host));
    QCOMPARE(plot.plot()->viewport().size(), c.size);
    std::vector<int> layers(std::size_t(c.mean.size()));
    std::iota(layers.begin(), layers.end(), 0);
    plot.reset(layers);
    LayerCurvesPlot::Curve curve;
    curve.name = QStringLiteral("soft");
    curve.color = Qt::red;
    curve.mean = c.mean;
    curve.lower = c.lower;
    curve.upper = c.upper;
    const LayerCurvesPlot::CurveGraphs g = plot.addCurve(curve);
    curve.name = QStringLiteral("anchor");  // the same shape, lower
    for (QVector<double>* v : {&curve.mean, &curve.lower, &curve.upper})
      for (double& x : *v) x *= 0.8;
    plot.addCurve(curve);
    plot.setYRange(-0.02, 1.02);
    plot.plot()->replot();
    const QRectF legend = plot.plot()->legend->outerRect();
    const QRectF axes = plot.plot()->axisRect()->rect();
    QVERIFY(legend.isValid());
    QCOMPARE(plot.legendPlace() != LayerCurvesPlot::LegendPlace::Inside, c.outside);
    if (c.outside) {
      QVERIFY2(!legend.intersects(axes), "the legend is outside but overlaps the plot");
      const auto expected = c.size.width() > 2 * c.size.height()
                                ? LayerCurvesPlot::LegendPlace::Beside
                                : LayerCurvesPlot::LegendPlace::Above;
      QCOMPARE(plot.legendPlace(), expected);
      QVERIFY(expected == LayerCurvesPlot::LegendPlace::Above ? legend.bottom() <= axes.top()
                                                              : legend.left() >= axes.right());
    }
    QVERIFY2(QRectF(QPointF(0, 0), QSizeF(c.size)).contains(legend),
             qPrintable(QStringLiteral("legend %1,%2 %3x%4 in %5x%6")
                            .arg(legend.x())
                            .arg(legend.y())
                            .arg(legend.width())
                            .arg(legend.height())
                            .arg(c.size.width())
                            .arg(c.size.height())));
    // Every point of the means (with their markers) and the bands' extent at every layer.
    const QCPAxis* x = plot.plot()->xAxis;
    const QCPAxis* y = plot.plot()->yAxis;
    for (double scale : {1.0, 0.8})
      for (int i = 0; i < int(c.mean.size()); ++i) {
        const double px = x->coordToPixel(i);
        const QRectF marker(px - 4, y->coordToPixel(scale * c.mean[i]) - 4, 8, 8);
        QVERIFY2(!legend.intersects(marker), qPrintable(QStringLiteral("layer %1's point").arg(i)));
        const QRectF band(QPointF(px - 0.5, y->coordToPixel(scale * c.upper[i])),
                          QPointF(px + 0.5, y->coordToPixel(scale * c.lower[i])));
        QVERIFY2(!legend.intersects(band), qPrintable(QStringLiteral("layer %1's band").arg(i)));
      }
    QVERIFY(g.mean);
  }
  // Six entries above a journal-column plot wrap into rows as wide as the plot.
  QWidget host;
  host.resize(312, 400);
  LayerCurvesPlot plot(&host);
  plot.plot()->resize(host.size());
  host.show();
  QVERIFY(QTest::qWaitForWindowExposed(&host));
  plot.reset({0, 1, 2, 3});
  for (const char* name : {"soft", "BOS", "anchor", "text", "special", "generated"}) {
    LayerCurvesPlot::Curve c;
    c.name = QLatin1String(name);
    c.color = Qt::blue;
    c.mean = {0.5, 0.5, 0.5, 0.5};
    c.lower = {0, 0, 0, 0};
    c.upper = {1, 1, 1, 1};
    plot.addCurve(c);
  }
  plot.setYRange(-0.02, 1.02);
  plot.plot()->replot();
  QCOMPARE(plot.legendPlace(), LayerCurvesPlot::LegendPlace::Above);
  const QRectF legend = plot.plot()->legend->outerRect();
  QVERIFY2(
      QRectF(0, 0, 312, 400).contains(legend),
      qPrintable(QStringLiteral("legend %1 wide at x %2").arg(legend.width()).arg(legend.x())));
  QVERIFY(plot.plot()->legend->rowCount() > 1);
}

void TestViews::thinnedLabelsAreDistinctAndEvenlySpread() {
  // A prompt that repeats every 4 tokens, labelled every 4th position: plain multiples of the
  // stride would read "·owl" at every label.
  QStringList labels;
  for (int i = 0; i < 56; ++i)
    labels << QStringList{QStringLiteral("·the"), QStringLiteral("·old"), QStringLiteral("·grey"),
                          QStringLiteral("·owl")}[i % 4];
  labels.prepend(QStringLiteral("<bos>"));  // position 0; the owls at 4, 8, ...
  for (int stride : {4, 8}) {
    const QVector<double> ticks = thinnedPositions(labels, 0, int(labels.size()) - 1, stride);
    QVERIFY(ticks.size() >= int(labels.size()) / (2 * stride));
    QSet<QString> shown;
    for (int i = 0; i < ticks.size(); ++i) {
      shown.insert(labels[int(ticks[i])]);
      if (i == 0) continue;
      const double gap = ticks[i] - ticks[i - 1];
      QVERIFY2(gap >= stride && gap < 2 * stride,
               qPrintable(QStringLiteral("gap %1 at stride %2").arg(gap).arg(stride)));
    }
    // Every token of the period shows, none of them at every label.
    QVERIFY2(shown.size() >= 4, qPrintable(QStringList(shown.values()).join(QLatin1Char(' '))));
  }
  // Stride 1: every position.
  QCOMPARE(thinnedPositions(labels, 3, 9, 1), (QVector<double>{3, 4, 5, 6, 7, 8, 9}));
}

void TestViews::colourBarTicksNeverOverlap() {
  // A heatmap as small as a panel of a multi-panel figure, in a large font: the colour bar
  // keeps labels at least a line apart (5 ticks would pile up on a bar this short).
  const QSize before = heatmap_->size();
  const QFont font =
      heatmap_->figurePlot()->findChildren<QCPColorScale*>().front()->axis()->tickLabelFont();
  QCPColorScale* bar = heatmap_->figurePlot()->findChildren<QCPColorScale*>().front();
  QFont big = font;
  big.setPointSizeF(14);
  bar->axis()->setTickLabelFont(big);
  for (int height : {180, 260, 900}) {
    heatmap_->resize(420, height);
    settle();
    heatmap_->figurePlot()->replot();
    heatmap_->figurePlot()->replot();  // the tick count follows the previous layout's length
    const QVector<double> ticks = bar->axis()->tickVector();
    QVERIFY(ticks.size() >= 2);
    const double line = QFontMetricsF(big).height();
    for (int i = 1; i < ticks.size(); ++i) {
      const double gap =
          std::abs(bar->axis()->coordToPixel(ticks[i]) - bar->axis()->coordToPixel(ticks[i - 1]));
      QVERIFY2(
          gap >= line,
          qPrintable(
              QStringLiteral("%1 px between ticks on a %2 px high view").arg(gap).arg(height)));
    }
  }
  bar->axis()->setTickLabelFont(font);
  heatmap_->resize(before);
  settle();
}

void TestViews::zoomToPrefixShowsSoftBosAnchor() {
  // A long input for the model (128 positions): the fixture's 4 soft rows, a BOS, an anchor of
  // 3 ids, then 110 text ids.
  RunRequest req = request_;
  InputPart bos;
  bos.kind = SegmentKind::Bos;
  bos.ids = {1};
  InputPart anchor;
  anchor.kind = SegmentKind::Anchor;
  anchor.ids = {17, 42, 99};
  InputPart text;
  text.kind = SegmentKind::Text;
  for (int i = 0; i < 110; ++i) text.ids.push_back(5 + (i * 37) % 400);
  req.parts = {request_.parts.front(), bos, anchor, text};
  auto longRun = std::make_shared<const RunResult>(model_->run(req));
  doc_->setResult(longRun);
  settle();
  auto* button = heatmap_->findChild<QToolButton*>(QStringLiteral("zoomToPrefix"));
  QVERIFY(button && button->isEnabled());
  QTest::mouseClick(button, Qt::LeftButton);
  // Keys 0-7 (soft 0-3, BOS 4, anchor 5-7) and the same rows.
  std::array<double, 4> r = heatmap_->zoomRange();
  QCOMPARE(r, (std::array<double, 4>{-0.5, 7.5, -0.5, 7.5}));
  shoot(heatmap_.get(), QStringLiteral("08_heatmap_zoom_prefix"));
  // A last-row capture keeps its one row (the last text token, outside the prefix).
  req.capture.rows = CapturePolicy::Rows::LastRow;
  doc_->setResult(std::make_shared<const RunResult>(model_->run(req)));
  settle();
  QVERIFY(heatmap_->zoomToPrefix());
  r = heatmap_->zoomRange();
  QCOMPARE(r, (std::array<double, 4>{-0.5, 7.5, -0.5, 0.5}));
  // Text alone: nothing to zoom to.
  req.parts = {text};
  doc_->setResult(std::make_shared<const RunResult>(model_->run(req)));
  settle();
  QVERIFY(!button->isEnabled());
  const std::array<double, 4> before = heatmap_->zoomRange();
  QVERIFY(!heatmap_->zoomToPrefix());
  QCOMPARE(heatmap_->zoomRange(), before);
  doc_->setResult(run_);
  settle();
}

void TestViews::aTableTooWideLosesColumnsThenGrowsItsTypeBack() {
  // A lens-like table whose last candidates are long: they go before the type gets tiny.
  TextTable t;
  t.header = {QStringLiteral("residual"), QStringLiteral("top 1"), QStringLiteral("top 2"),
              QStringLiteral("top 3"),    QStringLiteral("top 4"), QStringLiteral("top 5"),
              QStringLiteral("rank"),     QStringLiteral("p")};
  const QString longWord = QStringLiteral("an unusually long candidate token 0.012");
  for (int r = 0; r < 4; ++r)
    t.rows << QStringList{QStringLiteral("after layer %1").arg(r),
                          QStringLiteral("owl 0.41"),
                          QStringLiteral("bird 0.22"),
                          longWord,
                          longWord,
                          longWord,
                          QString::number(r + 1),
                          QStringLiteral("0.0412")};
  t.droppable = {3, 4, 5};
  QFont font = QApplication::font();
  font.setPointSizeF(10.0);
  const double full = textTableWidth(t, font);

  // Wide enough: as it is.
  FittedTable fitted = fitTextTable(t, full + 1, font);
  QCOMPARE(fitted.font.pointSizeF(), 10.0);
  QCOMPARE(int(fitted.table.header.size()), 8);
  // A little too wide: smaller type, every column.
  fitted = fitTextTable(t, 0.85 * full, font);
  QCOMPARE(int(fitted.table.header.size()), 8);
  QVERIFY(fitted.font.pointSizeF() < 10.0 && fitted.font.pointSizeF() >= 7.0);
  QVERIFY(textTableWidth(fitted.table, fitted.font) <= 0.85 * full);
  // Too wide even in 70% type: the 5th candidates go, and the seven columns left get the largest
  // type they fit in, not the 70% the whole table was tried in.
  const double width = 0.6 * full;
  fitted = fitTextTable(t, width, font);
  QCOMPARE(int(fitted.table.header.size()), 7);
  QCOMPARE(fitted.table.header.at(5), QStringLiteral("rank"));
  const double size = fitted.font.pointSizeF();
  QFont larger = fitted.font;
  larger.setPointSizeF(std::min(10.0, size * 1.06));
  qInfo("table %.0f units wide in 10 pt, fitted to %.0f: %d columns in %.2f pt", full, width,
        int(fitted.table.header.size()), size);
  QVERIFY2(size > 7.0 * 1.05, qPrintable(QString::number(size)));
  QVERIFY(textTableWidth(fitted.table, fitted.font) <= width);
  QVERIFY(textTableWidth(fitted.table, larger) > width);  // as large as fits (3% steps)
}

void TestViews::renderToDevices() {
  // Each view draws itself at print size on PDF, SVG and image devices, independent of its own
  // size on screen.
  QDir().mkpath(kShots);
  {
    QImage img(1600, 1200, QImage::Format_ARGB32);
    img.fill(Qt::white);
    QPainter p(&img);
    heatmap_->renderTo(p, QRectF(0, 0, 1000, 800), FigureMarks{});
    grid_->renderTo(p, QRectF(1000, 0, 600, 600), FigureMarks{});
    strip_->renderTo(p, QRectF(0, 800, 1000, 200), FigureMarks{});
    curves_->renderTo(p, QRectF(1000, 600, 600, 400), FigureMarks{});
    diag_->renderTo(p, QRectF(0, 1000, 1000, 200), FigureMarks{});
    p.end();
    QVERIFY(img.save(kShots + QStringLiteral("/08_render_to_image.png")));
    // Something was drawn where the heatmap went.
    int colored = 0;
    for (int y = 100; y < 700; y += 10)
      for (int x = 100; x < 900; x += 10)
        if (img.pixelColor(x, y) != QColor(Qt::white)) ++colored;
    QVERIFY(colored > 100);
  }
  {
    QPdfWriter pdf(kShots + QStringLiteral("/08_heatmap.pdf"));
    pdf.setPageSize(QPageSize(QPageSize::A4));
    QPainter p(&pdf);
    heatmap_->renderTo(p, QRectF(0, 0, pdf.width(), pdf.height() / 2), FigureMarks{});
    p.end();
    QVERIFY(QFileInfo(kShots + QStringLiteral("/08_heatmap.pdf")).size() > 1000);
  }
  {
    QSvgGenerator svg;
    svg.setFileName(kShots + QStringLiteral("/08_head_grid.svg"));
    svg.setSize(QSize(600, 500));
    QPainter p(&svg);
    grid_->renderTo(p, QRectF(0, 0, 600, 500), FigureMarks{});
    p.end();
    QVERIFY(QFileInfo(kShots + QStringLiteral("/08_head_grid.svg")).size() > 1000);
  }
}

void TestViews::screenshots() {
  doc_->setResult(run_);
  Selection s = doc_->selection();
  s.layer = 1;
  s.head = HeadChoice::one(2);
  s.query = 19;
  doc_->setSelection(s);
  settle();
  shoot(heatmap_.get(), QStringLiteral("01_heatmap_head"));
  doc_->setHead(HeadChoice::mean());
  settle();
  shoot(heatmap_.get(), QStringLiteral("01_heatmap_mean"));
  heatmap_->setScaleKind(ScaleKind::Logarithmic);
  heatmap_->setColorMap(ColorMapKind::Magma);
  settle();
  shoot(heatmap_.get(), QStringLiteral("01_heatmap_log_magma"));
  heatmap_->setScaleKind(ScaleKind::Power, 0.5);
  heatmap_->setColorMap(ColorMapKind::Grays);
  settle();
  shoot(heatmap_.get(), QStringLiteral("01_heatmap_power_grays"));
  heatmap_->setScaleKind(ScaleKind::Linear);
  heatmap_->setColorMap(ColorMapKind::Viridis);
  heatmap_->resize(360, 300);  // small: labels must thin out, not overlap
  settle();
  shoot(heatmap_.get(), QStringLiteral("01_heatmap_small"));
  heatmap_->resize(820, 640);
  doc_->setHead(HeadChoice::one(2));
  settle();
  shoot(grid_.get(), QStringLiteral("02_headgrid_soft"));
  grid_->setMetric(HeadGridView::Metric::Thumbnail);
  settle();
  shoot(grid_.get(), QStringLiteral("02_headgrid_thumbs"));
  grid_->setMetric(HeadGridView::Metric::Entropy);
  settle();
  shoot(grid_.get(), QStringLiteral("02_headgrid_entropy"));
  grid_->setMetric(HeadGridView::Metric::SegmentMass, SegmentKind::Soft);
  curves_->setShowRange(true);
  settle();
  shoot(curves_.get(), QStringLiteral("03_layer_curves"));
  shoot(strip_.get(), QStringLiteral("04_token_strip"));
  shoot(diag_.get(), QStringLiteral("04_diagnostics"));
}

void TestViews::windowLayout() {
  // All views side by side as the explorer window arranges them, at a common window size.
  QWidget window;
  auto* centre = new QWidget;
  auto* column = new QVBoxLayout(centre);
  column->addWidget(new StepSelector(doc_.get()));
  column->addWidget(new TokenStripView(doc_.get()));
  column->addWidget(new HeatmapView(doc_.get()), 1);
  auto* right = new QSplitter(Qt::Vertical);
  right->addWidget(new HeadGridView(doc_.get()));
  right->addWidget(new DiagnosticsPanel(doc_.get()));
  auto* top = new QSplitter(Qt::Horizontal);
  top->addWidget(centre);
  top->addWidget(right);
  top->setSizes({900, 420});
  auto* all = new QSplitter(Qt::Vertical);
  all->addWidget(top);
  all->addWidget(new LayerCurvesView(doc_.get()));
  all->setSizes({700, 260});
  auto* layout = new QHBoxLayout(&window);
  layout->addWidget(all);
  window.resize(1320, 960);
  window.show();
  QTest::qWait(50);  // the views' coalesced redraws
  QCoreApplication::processEvents();
  shoot(&window, QStringLiteral("09_window_layout"));
}

QTEST_MAIN(TestViews)
#include "test_views.moc"
