// Multi-panel figures, colour scales and statistics export. `attnx figure --panels / --columns /
// --compare-without-soft / --scale / --range` on a fixture checkpoint: PNG size from width, DPI
// and aspect; SVG with every panel's token labels and captions as <text>; PDF of the figure's
// page size with embedded fonts and the captions as text; the manifest lists the panels. The
// window's export dialog driven like a user (accept writes the file, cancel writes nothing) and
// File > Export statistics compared with writeStatsJson / writeStatsCsv on the same run.
// Output in /tmp/attnx-figures/ (look at them: pdftoppm -png -r 150).
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTimer>
#include <QXmlStreamReader>
#include <QtTest>
#include <cmath>
#include <functional>
#include <qcustomplot.h>

#include "compared_curves_view.h"
#include "diagnostics_panel.h"
#include "difference_heatmap_view.h"
#include "figure_dialog.h"
#include "figure_export.h"
#include "figure_panels.h"
#include "figure_view.h"
#include "heatmap_view.h"
#include "main_window.h"
#include "model.h"
#include "qt_support.h"
#include "run_difference_grid_view.h"
#include "run_document.h"
#include "safetensors.h"
#include "segment_style.h"
#include "stats_export.h"
#include "tolerance.h"

using namespace attnx;
using attnx::qt_support::Outcome;
using attnx::qt_support::runProgram;
using attnx::qt_support::sharedDir;

namespace {

QString modelDir() { return qt_support::modelDir("llama_gqa"); }

const QString kIds = QStringLiteral("5,17,42,99,7,250,3,11");
constexpr int kLayers = 3, kHeads = 4;  // llama_gqa

QString outDir() {
  QDir().mkpath(QStringLiteral("/tmp/attnx-figures"));
  return QStringLiteral("/tmp/attnx-figures");
}

Outcome runFigure(const QStringList& args) {
  return qt_support::runAttnx(QStringList{QStringLiteral("figure")} + args);
}

QStringList baseArgs(const QString& format, const QString& out) {
  return {QStringLiteral("--model"),     modelDir(),
          QStringLiteral("--input-ids"), kIds,
          QStringLiteral("--view"),      QStringLiteral("heatmap"),
          QStringLiteral("--format"),    format,
          QStringLiteral("--out"),       out};
}

QJsonObject readJson(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QJsonDocument::fromJson(f.readAll()).object();
}

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

std::shared_ptr<const RunResult> fixtureRun() {
  static std::shared_ptr<const RunResult> result = [] {
    auto model = Model::load(modelDir().toStdString());
    BatchInput in;
    in.seqLen = 8;
    for (const QString& s : kIds.split(QLatin1Char(','))) in.ids.push_back(s.toLongLong());
    return std::make_shared<const RunResult>(model->run(in, CapturePolicy{}));
  }();
  return result;
}

// Text elements of an SVG (and whether it parsed).
QStringList svgTexts(const QString& path, QString* error) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) {
    *error = QStringLiteral("cannot open ") + path;
    return {};
  }
  QXmlStreamReader xml(&f);
  QStringList texts;
  while (!xml.atEnd()) {
    xml.readNext();
    if (xml.isStartElement() && xml.name() == QLatin1String("text"))
      texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
  }
  if (xml.hasError()) *error = xml.errorString();
  return texts;
}

// The soft prefix of the fixture case as a soft-token file of its own.
QString softTokenFile() {
  const QString file = outDir() + QStringLiteral("/panels_soft_tokens.safetensors");
  const auto cases = SafetensorsFile::open(
      (sharedDir() + QStringLiteral("/fixtures/cases/llama_gqa__b_soft_prefix.safetensors"))
          .toStdString());
  const TensorView& prefix = cases.at("in.soft_prefix");
  writeSafetensors(file.toStdString(),
                   {OwnedTensor::fromFloats("soft_tokens", prefix.shape,
                                            reinterpret_cast<const float*>(prefix.data))});
  return file;
}

// Runs `drive` on the next modal dialog once it is shown (the caller then calls exec()).
void whenModal(std::function<void(QWidget*)> drive) {
  QTimer::singleShot(0, qApp, [drive] {
    for (int i = 0; i < 200 && !QApplication::activeModalWidget(); ++i)
      QApplication::processEvents(QEventLoop::AllEvents, 10);
    drive(QApplication::activeModalWidget());
  });
}

// Sum of |difference| of two same-size image regions, normalised per pixel and channel.
double regionDifference(const QImage& a, const QRect& ra, const QImage& b, const QRect& rb) {
  double sum = 0;
  int n = 0;
  for (int y = 0; y < ra.height(); y += 2)
    for (int x = 0; x < ra.width(); x += 2) {
      const QRgb p = a.pixel(ra.x() + x, ra.y() + y), q = b.pixel(rb.x() + x, rb.y() + y);
      sum += std::abs(qRed(p) - qRed(q)) + std::abs(qGreen(p) - qGreen(q)) +
             std::abs(qBlue(p) - qBlue(q));
      n += 3;
    }
  return n ? sum / n : 0.0;
}

}  // namespace

class TestFigurePanels : public QObject {
  Q_OBJECT
 private slots:
  void headPanelsPngSizeAndManifest() {
    const QString out = outDir() + QStringLiteral("/panels_heads.png");
    QFile::remove(out);
    const Outcome o = runFigure(baseArgs(QStringLiteral("png"), out) +
                                QStringList{QStringLiteral("--panels"), QStringLiteral("heads:all"),
                                            QStringLiteral("--layer"), QStringLiteral("1"),
                                            QStringLiteral("--columns"), QStringLiteral("2"),
                                            QStringLiteral("--width-in"), QStringLiteral("6.75"),
                                            QStringLiteral("--dpi"), QStringLiteral("200"),
                                            QStringLiteral("--aspect"), QStringLiteral("0.8")});
    QVERIFY2(o.code == 0, qPrintable(o.err));
    const QImage image(out);
    QCOMPARE(image.width(), 1350);                                              // 6.75 in x 200
    QCOMPARE(image.height(), static_cast<int>(std::lround(6.75 * 0.8 * 200)));  // the aspect
    const QJsonObject m = readJson(out + QStringLiteral(".json"));
    QCOMPARE(
        QJsonDocument::fromJson(image.text(QStringLiteral("attnx-manifest")).toUtf8()).object(), m);
    const QJsonObject figure = m.value(QStringLiteral("figure")).toObject();
    QCOMPARE(figure.value(QStringLiteral("columns")).toInt(), 2);
    QCOMPARE(figure.value(QStringLiteral("height_in")).toDouble(), 6.75 * 0.8);
    const QJsonArray panels = m.value(QStringLiteral("panels")).toArray();
    QCOMPARE(panels.size(), kHeads);
    const char* const letters[] = {"(a)", "(b)", "(c)", "(d)"};
    std::vector<QRect> boxes;
    for (int h = 0; h < kHeads; ++h) {
      const QJsonObject p = panels[h].toObject();
      QCOMPARE(p.value(QStringLiteral("layer")).toInt(-1), 1);
      QCOMPARE(p.value(QStringLiteral("head")).toString(), QString::number(h));
      QCOMPARE(p.value(QStringLiteral("view")).toString(), QStringLiteral("heatmap"));
      QCOMPARE(p.value(QStringLiteral("query")).toInt(-1), 7);
      const QString caption = p.value(QStringLiteral("caption")).toString();
      QVERIFY2(caption.startsWith(QLatin1String(letters[h])) &&
                   caption.contains(QStringLiteral("head %1").arg(h)),
               qPrintable(caption));
      const QJsonArray box = p.value(QStringLiteral("box_in")).toArray();
      QCOMPARE(box.size(), 4);
      boxes.emplace_back(static_cast<int>(std::lround(box[0].toDouble() * 200)),
                         static_cast<int>(std::lround(box[1].toDouble() * 200)),
                         static_cast<int>(std::lround(box[2].toDouble() * 200)),
                         static_cast<int>(std::lround(box[3].toDouble() * 200)));
      QVERIFY(QRect(QPoint(0, 0), image.size()).contains(boxes.back()));
    }
    // Two columns, two rows; the right column starts after the left one. The panels share
    // their tick labels: the left column is wider by the query labels, the lower row higher by
    // the key labels; a column's panels are as wide, a row's as high.
    QCOMPARE(boxes[0].y(), boxes[1].y());
    QVERIFY(boxes[1].x() > boxes[0].right());
    QVERIFY(boxes[2].y() > boxes[0].bottom());
    QCOMPARE(boxes[0].width(), boxes[2].width());
    QCOMPARE(boxes[1].width(), boxes[3].width());
    QCOMPARE(boxes[0].height(), boxes[1].height());
    QCOMPARE(boxes[2].height(), boxes[3].height());
    QVERIFY(boxes[0].width() > boxes[1].width());
    QVERIFY(boxes[2].height() > boxes[0].height());
    // The heads attend differently: the panels are not copies of one another. The matrices lie
    // at the same place from each box's top right corner (labels are left and below them).
    const int w = boxes[1].width(), hgt = boxes[0].height();
    const auto matrixCorner = [&](const QRect& b) {
      return QRect(b.right() - w + 1, b.y(), w, hgt);
    };
    for (int h = 1; h < kHeads; ++h) {
      const double d =
          regionDifference(image, matrixCorner(boxes[0]), image, matrixCorner(boxes[h]));
      QVERIFY2(d > 0.5, qPrintable(QStringLiteral("head %1 vs 0: %2").arg(h).arg(d)));
    }
    QCOMPARE(m.value(QStringLiteral("scale")).toString(), QStringLiteral("linear"));
    QCOMPARE(m.value(QStringLiteral("scale_range")).toArray().at(1).toDouble(), 1.0);
  }

  void panelsOfOneRangeShareOneColorBar() {
    // heads:all on one range: one bar right of the panels, its ticks and label drawn once; the
    // views' own bars are back in their layouts afterwards. A comparison with its difference
    // (another range, another map) keeps a bar per panel.
    const QString out = outDir() + QStringLiteral("/panels_shared_bar.svg");
    Outcome o = runFigure(baseArgs(QStringLiteral("svg"), out) +
                          QStringList{QStringLiteral("--panels"), QStringLiteral("heads:all"),
                                      QStringLiteral("--layer"), QStringLiteral("1")});
    QVERIFY2(o.code == 0, qPrintable(o.err));
    QJsonObject m = readJson(out + QStringLiteral(".json"));
    QCOMPARE(m.value(QStringLiteral("figure")).toObject().value(QStringLiteral("color_bar")),
             QJsonValue(QStringLiteral("shared")));
    QString error;
    const QStringList texts = svgTexts(out, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(texts.count(QStringLiteral("attention weight")), 1);
    QStringList ticks;
    for (const QString& t : texts) {
      bool number = false;
      t.toDouble(&number);
      if (number) ticks << t;
    }
    QVERIFY2(ticks.size() >= 2, qPrintable(texts.join(QLatin1Char('|'))));
    for (const QString& t : ticks) QCOMPARE(ticks.count(t), 1);
    // The panels leave the bar its column: every box ends left of the bar's ticks.
    const double widthIn =
        m.value(QStringLiteral("figure")).toObject().value(QStringLiteral("width_in")).toDouble();
    double right = 0;
    for (const QJsonValue& p : m.value(QStringLiteral("panels")).toArray()) {
      const QJsonArray box = p.toObject().value(QStringLiteral("box_in")).toArray();
      right = std::max(right, box[0].toDouble() + box[2].toDouble());
    }
    QVERIFY2(right < widthIn - 0.2, qPrintable(QString::number(right)));

    const QString cmp = outDir() + QStringLiteral("/panels_per_panel_bars.svg");
    o = runFigure(baseArgs(QStringLiteral("svg"), cmp) +
                  QStringList{QStringLiteral("--soft-tokens"), softTokenFile(),
                              QStringLiteral("--compare-without-soft")});
    QVERIFY2(o.code == 0, qPrintable(o.err));
    m = readJson(cmp + QStringLiteral(".json"));
    QCOMPARE(m.value(QStringLiteral("figure")).toObject().value(QStringLiteral("color_bar")),
             QJsonValue(QStringLiteral("per_panel")));
    QCOMPARE(svgTexts(cmp, &error).count(QStringLiteral("attention weight")), 2);

    // In process: the views' bars are shown and laid out again after the export.
    FigurePanelSet set;
    for (int h = 0; h < 2; ++h) {
      Selection sel;
      sel.layer = 0;
      sel.head = HeadChoice::one(h);
      set.add(QStringLiteral("heatmap"), fixtureRun(), sel, panelLetter(h));
    }
    set.applyColorRange();
    FigureOptions opts;
    const QImage image = renderFigurePanelsImage(set.panels(), 2, opts);
    QVERIFY(!image.isNull());
    for (int i = 0; i < set.size(); ++i) {
      QCPColorScale* bar = dynamic_cast<IFigureView*>(set.view(i))->figureColorBar();
      QVERIFY(bar && bar->visible() && bar->layout() != nullptr);
    }
  }

  void panelsOfOneInputShareTickLabels() {
    // The heads of one layer in two columns: queries labelled left of the first column, keys
    // under the lower row, every matrix of one size; the views get their labels back.
    FigurePanelSet set;
    for (int h = 0; h < kHeads; ++h) {
      Selection sel;
      sel.layer = 1;
      sel.head = HeadChoice::one(h);
      set.add(QStringLiteral("heatmap"), fixtureRun(), sel, panelLetter(h));
    }
    set.applyColorRange();
    const QString out = outDir() + QStringLiteral("/panels_shared_ticks.svg");
    FigureOptions opts;
    opts.format = FigureFormat::Svg;
    exportFigurePanels(set.panels(), 2, out, opts, QJsonObject());
    // Layouts place elements on whole logical units and each panel's width and height are
    // rounded once: matrices of panels of one size agree to a unit (1/96 in).
    constexpr double kUnit = 1.0;
    std::vector<QRectF> data;
    for (int i = 0; i < set.size(); ++i)
      data.push_back(dynamic_cast<IFigureView*>(set.view(i))->figureDataRect());
    double maxDiff = 0;
    for (int i = 1; i < set.size(); ++i) {
      maxDiff = std::max({maxDiff, std::abs(data[i].width() - data[0].width()),
                          std::abs(data[i].height() - data[0].height())});
      QVERIFY2(std::abs(data[i].width() - data[0].width()) <= kUnit &&
                   std::abs(data[i].height() - data[0].height()) <= kUnit,
               qPrintable(QStringLiteral("matrix %1: %2 x %3, matrix 0: %4 x %5")
                              .arg(i)
                              .arg(data[i].width())
                              .arg(data[i].height())
                              .arg(data[0].width())
                              .arg(data[0].height())));
    }
    qInfo("matrices: max |size - size of panel 0| = %g units (limit %g)", maxDiff, kUnit);
    QVERIFY(std::abs(data[0].left() - data[2].left()) <= kUnit);
    QVERIFY(std::abs(data[0].top() - data[1].top()) <= kUnit);
    // Each label once per row (queries) and once per column (keys): 2 + 2, not 4 + 4.
    QString error;
    const QStringList texts = svgTexts(out, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QString first = QString::fromStdString(fixtureRun()->tokens.front()).trimmed();
    QVERIFY2(texts.count(first) == 4,
             qPrintable(QStringLiteral("'%1' in %2").arg(first, texts.join(QLatin1Char('|')))));
    QCOMPARE(texts.count(QStringLiteral("query (attending from)")), 0);  // narrow panels
    for (int i = 0; i < set.size(); ++i) {
      QCustomPlot* plot = dynamic_cast<IFigureView*>(set.view(i))->figurePlot();
      QVERIFY(plot->xAxis->tickLabels() && plot->yAxis->tickLabels());
      QVERIFY(!plot->xAxis->label().isEmpty() && !plot->yAxis->label().isEmpty());
    }
  }

  void layerPanelsSvgHasLabelsAndCaptions() {
    const QString out = outDir() + QStringLiteral("/panels_layers.svg");
    const Outcome o =
        runFigure(baseArgs(QStringLiteral("svg"), out) +
                  QStringList{QStringLiteral("--panels"), QStringLiteral("layers:all"),
                              QStringLiteral("--head"), QStringLiteral("2"),
                              QStringLiteral("--width-in"), QStringLiteral("6.75")});
    QVERIFY2(o.code == 0, qPrintable(o.err));
    QString error;
    const QStringList texts = svgTexts(out, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QJsonArray panels =
        readJson(out + QStringLiteral(".json")).value(QStringLiteral("panels")).toArray();
    QCOMPARE(panels.size(), kLayers);
    for (int l = 0; l < kLayers; ++l) {
      const QString caption = panels[l].toObject().value(QStringLiteral("caption")).toString();
      QCOMPARE(panels[l].toObject().value(QStringLiteral("layer")).toInt(-1), l);
      QVERIFY2(texts.contains(caption), qPrintable(caption + " not in " + texts.join('|')));
    }
    // The panels (one row) share the query labels: every panel labels every key, the first
    // one the queries too.
    const auto r = fixtureRun();
    for (const std::string& token : r->tokens) {
      const QString t = QString::fromStdString(token).trimmed();
      int count = 0;
      for (const QString& text : texts) count += text.contains(t) ? 1 : 0;
      QVERIFY2(count >= kLayers && texts.count(t) <= kLayers + 1,
               qPrintable(QStringLiteral("'%1' appears %2 times in %3")
                              .arg(t)
                              .arg(count)
                              .arg(texts.join(QLatin1Char('|')))));
    }
    // The default columns for 3 panels in a double column: all in one row.
    QCOMPARE(readJson(out + QStringLiteral(".json"))
                 .value(QStringLiteral("figure"))
                 .toObject()
                 .value(QStringLiteral("columns"))
                 .toInt(),
             defaultFigureColumns(kLayers, 6.75));
  }

  void comparisonViewsShowBothRuns() {
    // The input with the fixture's soft prefix (4 rows) and without it: the difference heatmap
    // covers the tokens both have, the overlaid curves and the difference grid hold each run's
    // own numbers. Every value is compared with the same float operation on the runs' stored
    // attention and masses, so the expected difference is exactly 0.
    auto model = Model::load(modelDir().toStdString());
    const auto cases = SafetensorsFile::open(
        (sharedDir() + QStringLiteral("/fixtures/cases/llama_gqa__b_soft_prefix.safetensors"))
            .toStdString());
    const TensorView& prefix = cases.at("in.soft_prefix");  // [1, M, hidden]
    const int m = static_cast<int>(prefix.shape[1]);
    const auto* rows = reinterpret_cast<const float*>(prefix.data);
    BatchInput without;
    for (const QString& s : kIds.split(QLatin1Char(','))) without.ids.push_back(s.toLongLong());
    without.seqLen = static_cast<int>(without.ids.size());
    BatchInput with;
    with.seqLen = m + without.seqLen;
    with.ids.assign(static_cast<std::size_t>(m), 0);
    with.ids.insert(with.ids.end(), without.ids.begin(), without.ids.end());
    with.softMask.assign(static_cast<std::size_t>(with.seqLen), 0);
    std::fill(with.softMask.begin(), with.softMask.begin() + m, 1);
    with.softRows.assign(rows, rows + prefix.numel());
    auto a = std::make_shared<const RunResult>(model->run(with, CapturePolicy{}));
    auto b = std::make_shared<const RunResult>(model->run(without, CapturePolicy{}));

    FigureLook look;
    look.gridKind = SegmentKind::Text;
    FigurePanelSet set(look);
    Selection sel;
    sel.layer = 1;
    sel.head = HeadChoice::one(2);
    set.add(QStringLiteral("heatmap"), a, sel, QString());
    set.add(QStringLiteral("heatmap"), b, sel, QString());
    const std::array<QString, 2> labels{QStringLiteral("with"), QStringLiteral("without")};
    auto* diff = qobject_cast<DifferenceHeatmapView*>(
        set.addComparison(QStringLiteral("heatmap"), 0, 1, labels, QString()));
    auto* curves = qobject_cast<ComparedCurvesView*>(
        set.addComparison(QStringLiteral("layers"), 0, 1, labels, QString()));
    auto* grid = qobject_cast<RunDifferenceGridView*>(
        set.addComparison(QStringLiteral("grid"), 0, 1, labels, QString()));
    QVERIFY(diff && curves && grid);
    for (int i = 0; i < set.size(); ++i) qobject_cast<DocumentView*>(set.view(i))->refreshNow();

    // The heatmap: rows and keys of the shared tokens, left positions shifted by M.
    QVERIFY2(diff->showsDifference(), qPrintable(diff->note()));
    QCOMPARE(diff->alignment().leftStart, m);
    QCOMPARE(diff->alignment().rightStart, 0);
    const int t = without.seqLen;
    QCOMPARE(diff->displayedRows(), t);
    QCOMPARE(diff->displayedKeys(), t);
    const AttentionTensor& ta = a->attentions[1];
    const AttentionTensor& tb = b->attentions[1];
    double maxDiff = 0;
    for (int q = 0; q < t; ++q)
      for (int k = 0; k < t; ++k) {
        const float expected = ta.at(0, 2, q + m, k + m) - tb.at(0, 2, q, k);
        maxDiff = std::max(
            maxDiff, double(std::abs(diff->displayedValues()[std::size_t(q) * t + k] - expected)));
      }
    qInfo("difference heatmap: max |shown - (a - b)| = %g", maxDiff);
    QCOMPARE(maxDiff, 0.0);
    // The other way round (the right side has the prefix): the same cells, negated.
    {
      RunDocument docA, docB;
      docA.setResult(b);
      docB.setResult(a);
      docA.setSelection(sel);
      docB.setSelection(sel);
      DifferenceHeatmapView swapped(&docA, &docB);
      swapped.refreshNow();
      QVERIFY2(swapped.showsDifference(), qPrintable(swapped.note()));
      QCOMPARE(swapped.alignment().leftStart, 0);
      QCOMPARE(swapped.alignment().rightStart, m);
      QCOMPARE(swapped.displayedValues().size(), diff->displayedValues().size());
      double maxSwap = 0;
      for (std::size_t i = 0; i < swapped.displayedValues().size(); ++i)
        maxSwap = std::max(
            maxSwap, double(std::abs(swapped.displayedValues()[i] + diff->displayedValues()[i])));
      qInfo("swapped difference heatmap: max |shown + (a - b)| = %g", maxSwap);
      QCOMPARE(maxSwap, 0.0);
    }
    // Not everything cancels: the soft prefix changes the text tokens' attention.
    QVERIFY(*std::max_element(diff->displayedValues().begin(), diff->displayedValues().end()) >
            1e-3);

    // The curves: each run's own means; the soft curve for the first run only; each kind and
    // each run once in the legend.
    const SegmentMass ma = computeSegmentMass(*a, 0, with.seqLen - 1);
    const SegmentMass mb = computeSegmentMass(*b, 0, t - 1);
    QCOMPARE(curves->plottedLayers(), ma.layers);
    maxDiff = 0;
    for (SegmentKind kind : {SegmentKind::Soft, SegmentKind::Text}) {
      const std::vector<double> shown = curves->plottedMeans(0, kind);
      QCOMPARE(shown.size(), ma.layers.size());
      for (std::size_t i = 0; i < shown.size(); ++i)
        maxDiff = std::max(maxDiff, std::abs(shown[i] - ma.summary(kind, i).mean));
    }
    const std::vector<double> textB = curves->plottedMeans(1, SegmentKind::Text);
    QCOMPARE(textB.size(), mb.layers.size());
    for (std::size_t i = 0; i < textB.size(); ++i)
      maxDiff = std::max(maxDiff, std::abs(textB[i] - mb.summary(SegmentKind::Text, i).mean));
    qInfo("overlaid curves: max |shown - mean| = %g", maxDiff);
    QCOMPARE(maxDiff, 0.0);
    QVERIFY(curves->plottedMeans(1, SegmentKind::Soft).empty());
    QCOMPARE(curves->legendNames(),
             (QStringList{segmentLabel(SegmentKind::Soft), segmentLabel(SegmentKind::Text),
                          labels[0], labels[1]}));

    // The grid: first − second of the mass to text tokens, per layer and head.
    maxDiff = 0;
    for (std::size_t l = 0; l < ma.layers.size(); ++l)
      for (int h = 0; h < kHeads; ++h)
        maxDiff = std::max(maxDiff, std::abs(grid->cellValue(ma.layers[l], h) -
                                             (double(ma.of(SegmentKind::Text)[l][h]) -
                                              mb.of(SegmentKind::Text)[l][h])));
    qInfo("difference grid: max |shown - (a - b)| = %g", maxDiff);
    QCOMPARE(maxDiff, 0.0);
    QVERIFY(grid->range() > 0);
    // The manifest follows each comparison's first run.
    QCOMPARE(set.manifestPanels().size(), 5);
  }

  void compareWithoutSoftPdf() {
    const QString soft = softTokenFile();
    const QString out = outDir() + QStringLiteral("/compare_soft.pdf");
    const Outcome o = runFigure(
        baseArgs(QStringLiteral("pdf"), out) +
        QStringList{QStringLiteral("--soft-tokens"), soft, QStringLiteral("--bos-after-soft"),
                    QStringLiteral("--compare-without-soft"), QStringLiteral("--range"),
                    QStringLiteral("auto"), QStringLiteral("--width-in"), QStringLiteral("6.75")});
    QVERIFY2(o.code == 0, qPrintable(o.err));
    const QByteArray pdf = readAll(out);
    QVERIFY(pdf.startsWith("%PDF"));
    const QJsonObject m = readJson(out + QStringLiteral(".json"));
    const double heightIn =
        m.value(QStringLiteral("figure")).toObject().value(QStringLiteral("height_in")).toDouble();
    const QRegularExpression box(
        QStringLiteral("/MediaBox\\s*\\[\\s*0\\s+0\\s+([0-9.]+)\\s+([0-9.]+)\\s*\\]"));
    const auto match = box.match(QString::fromLatin1(pdf));
    QVERIFY(match.hasMatch());
    QVERIFY2(std::abs(match.captured(1).toDouble() - 6.75 * 72) < 1.0,
             qPrintable(match.captured(1)));
    QVERIFY2(std::abs(match.captured(2).toDouble() - heightIn * 72) < 1.0,
             qPrintable(match.captured(2)));
    // Every font is embedded (pdffonts' "emb" column).
    const Outcome fonts = runProgram(QStringLiteral("pdffonts"), {out});
    QCOMPARE(fonts.code, 0);
    const QStringList rows = fonts.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts).mid(2);
    QVERIFY(!rows.isEmpty());
    for (const QString& row : rows) {
      const QStringList cols = row.simplified().split(QLatin1Char(' '));
      QVERIFY2(cols.size() >= 5 && cols[cols.size() - 5] == QLatin1String("yes"), qPrintable(row));
    }
    // Two runs, one panel each, and their difference over the tokens both have, side by side,
    // captions as text.
    const QJsonArray runs = m.value(QStringLiteral("runs")).toArray();
    QCOMPARE(runs.size(), 2);
    const int rowsWith = runs[0].toObject().value(QStringLiteral("input_ids")).toArray().size();
    const int rowsWithout = runs[1].toObject().value(QStringLiteral("input_ids")).toArray().size();
    const QJsonArray segs = runs[0].toObject().value(QStringLiteral("segments")).toArray();
    const int m0 = segs[0].toObject().value(QStringLiteral("end")).toInt();
    QCOMPARE(segs[0].toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("soft"));
    QCOMPARE(rowsWith - rowsWithout, m0);
    QVERIFY(!runs[1].toObject().contains(QStringLiteral("soft_tokens")));
    const QJsonArray panels = m.value(QStringLiteral("panels")).toArray();
    QCOMPARE(panels.size(), 3);
    QCOMPARE(panels[0].toObject().value(QStringLiteral("run")).toInt(-1), 0);
    QCOMPARE(panels[1].toObject().value(QStringLiteral("run")).toInt(-1), 1);
    QCOMPARE(panels[2].toObject().value(QStringLiteral("difference_of")).toArray(),
             (QJsonArray{0, 1}));
    QCOMPARE(panels[2].toObject().value(QStringLiteral("view")).toString(),
             QStringLiteral("heatmap_difference"));
    QVERIFY2(panels[2]
                 .toObject()
                 .value(QStringLiteral("caption"))
                 .toString()
                 .startsWith(QStringLiteral("(c) with soft tokens − without soft tokens")),
             qPrintable(panels[2].toObject().value(QStringLiteral("caption")).toString()));
    QVERIFY(panels[2]
                .toObject()
                .value(QStringLiteral("caption"))
                .toString()
                .endsWith(QStringLiteral("tokens both have")));
    QCOMPARE(m.value(QStringLiteral("figure")).toObject().value(QStringLiteral("columns")).toInt(),
             3);
    // The last query of each run: the same token.
    QCOMPARE(panels[0].toObject().value(QStringLiteral("query")).toInt(), rowsWith - 1);
    QCOMPARE(panels[1].toObject().value(QStringLiteral("query")).toInt(), rowsWithout - 1);
    const Outcome text = runProgram(QStringLiteral("pdftotext"), {out, QStringLiteral("-")});
    QCOMPARE(text.code, 0);
    const QString flat = text.out.simplified();
    QVERIFY2(flat.contains(QStringLiteral("with soft tokens")) &&
                 flat.contains(QStringLiteral("without soft tokens")),
             qPrintable(flat));
    // --range auto: one range for both panels, the largest weight shown, below 1 here.
    const double upper = m.value(QStringLiteral("scale_range")).toArray().at(1).toDouble();
    QVERIFY2(upper > 0 && upper <= 1.0, qPrintable(QString::number(upper)));
  }

  void compareTwoSoftTokenFilesOverlaidInOnePlot() {
    // A second soft-token file (here the first one's rows scaled by 0.5) under its own name.
    const QString soft = softTokenFile();
    const QString other = outDir() + QStringLiteral("/panels_soft_half.safetensors");
    {
      const auto first = SafetensorsFile::open(soft.toStdString());
      const TensorView& t = first.at("soft_tokens");
      const auto* data = reinterpret_cast<const float*>(t.data);
      std::vector<float> half(data, data + t.numel());
      for (float& v : half) v *= 0.5f;
      writeSafetensors(other.toStdString(),
                       {OwnedTensor::fromFloats("soft_tokens", t.shape, half.data())});
    }
    const QString out = outDir() + QStringLiteral("/compare_files_layers.png");
    QStringList args = baseArgs(QStringLiteral("png"), out);
    args[5] = QStringLiteral("layers");
    const Outcome o = runFigure(args + QStringList{QStringLiteral("--soft-tokens"), soft,
                                                   QStringLiteral("--compare-soft-tokens"), other,
                                                   QStringLiteral("--dpi"), QStringLiteral("100")});
    QVERIFY2(o.code == 0, qPrintable(o.err));
    const QJsonObject m = readJson(out + QStringLiteral(".json"));
    // One plot with both runs' curves: the manifest lists the two runs' panels and the overlay,
    // which is the one shown.
    QCOMPARE(m.value(QStringLiteral("view")).toString(), QStringLiteral("layers_comparison"));
    const QJsonArray panels = m.value(QStringLiteral("panels")).toArray();
    QCOMPARE(panels.size(), 3);
    QCOMPARE(m.value(QStringLiteral("shown_panel")).toInt(-1), 2);
    QCOMPARE(panels[2].toObject().value(QStringLiteral("overlay_of")).toArray(),
             (QJsonArray{0, 1}));
    const QJsonArray runs = m.value(QStringLiteral("runs")).toArray();
    QCOMPARE(runs.size(), 2);
    QCOMPARE(runs[0].toObject().value(QStringLiteral("label")).toString(),
             QStringLiteral("panels_soft_tokens"));
    QCOMPARE(runs[1].toObject().value(QStringLiteral("label")).toString(),
             QStringLiteral("panels_soft_half"));
    QCOMPARE(runs[1]
                 .toObject()
                 .value(QStringLiteral("soft_tokens"))
                 .toObject()
                 .value(QStringLiteral("file"))
                 .toString(),
             QFileInfo(other).absoluteFilePath());
    // A single plot in one journal column: wider than high, not two plots stacked.
    const QImage image(out);
    QCOMPARE(image.width(), 325);
    QVERIFY2(image.height() < image.width(), qPrintable(QString::number(image.height())));
    // The legend names the runs by file name (the SVG keeps its text).
    const QString svg = outDir() + QStringLiteral("/compare_files_layers.svg");
    QStringList svgArgs = baseArgs(QStringLiteral("svg"), svg);
    svgArgs[5] = QStringLiteral("layers");
    QVERIFY(runFigure(svgArgs + QStringList{QStringLiteral("--soft-tokens"), soft,
                                            QStringLiteral("--compare-soft-tokens"), other})
                .code == 0);
    QString error;
    const QStringList texts = svgTexts(svg, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    for (const QString& label :
         {QStringLiteral("panels_soft_tokens"), QStringLiteral("panels_soft_half")})
      QVERIFY2(texts.contains(label), qPrintable(texts.join(QLatin1Char('|'))));
  }

  void zoomToPrefixOption() {
    // --zoom prefix on an input with soft tokens: recorded in the manifest; the SVG labels the
    // soft keys; without soft tokens, BOS or anchor it is a usage error, as for other views.
    const QString soft = softTokenFile();
    const QString out = outDir() + QStringLiteral("/zoom_prefix.svg");
    const Outcome o = runFigure(baseArgs(QStringLiteral("svg"), out) +
                                QStringList{QStringLiteral("--soft-tokens"), soft,
                                            QStringLiteral("--zoom"), QStringLiteral("prefix")});
    QVERIFY2(o.code == 0, qPrintable(o.err));
    QCOMPARE(readJson(out + QStringLiteral(".json")).value(QStringLiteral("zoom")).toString(),
             QStringLiteral("prefix"));
    QString error;
    const QStringList texts = svgTexts(out, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    for (int i = 0; i < 4; ++i)
      QVERIFY2(texts.contains(QStringLiteral("<soft %1>").arg(i)),
               qPrintable(texts.join(QLatin1Char('|'))));
    // The text after the prefix is outside the zoom: its tokens label no tick (they do without
    // --zoom, below).
    QVERIFY2(!texts.contains(QStringLiteral("#42")), qPrintable(texts.join(QLatin1Char('|'))));
    const QString whole = outDir() + QStringLiteral("/zoom_all.svg");
    QCOMPARE(runFigure(baseArgs(QStringLiteral("svg"), whole) +
                       QStringList{QStringLiteral("--soft-tokens"), soft})
                 .code,
             0);
    QVERIFY(svgTexts(whole, &error).contains(QStringLiteral("#42")));
    QCOMPARE(runFigure(baseArgs(QStringLiteral("svg"), out) +
                       QStringList{QStringLiteral("--zoom"), QStringLiteral("prefix")})
                 .code,
             2);
    QStringList layers = baseArgs(QStringLiteral("svg"), out);
    layers[5] = QStringLiteral("layers");
    QCOMPARE(runFigure(layers + QStringList{QStringLiteral("--soft-tokens"), soft,
                                            QStringLiteral("--zoom"), QStringLiteral("prefix")})
                 .code,
             2);
    QCOMPARE(runFigure(baseArgs(QStringLiteral("svg"), out) +
                       QStringList{QStringLiteral("--zoom"), QStringLiteral("half")})
                 .code,
             2);
  }

  void gridComparisonKeepsASaneHeight() {
    // Two grids and their difference in one row even in a single column, so that the figure is
    // about as high as a third of its width per row (was 7.4 in at 3.25 in wide: stacked).
    const QString soft = softTokenFile();
    const QString out = outDir() + QStringLiteral("/compare_grid.png");
    QStringList args = baseArgs(QStringLiteral("png"), out);
    args[5] = QStringLiteral("grid");
    const Outcome o = runFigure(args + QStringList{QStringLiteral("--soft-tokens"), soft,
                                                   QStringLiteral("--compare-without-soft"),
                                                   QStringLiteral("--dpi"), QStringLiteral("100")});
    QVERIFY2(o.code == 0, qPrintable(o.err));
    const QJsonObject m = readJson(out + QStringLiteral(".json"));
    // The input has no anchor: the cells compare the mass to the text.
    QCOMPARE(m.value(QStringLiteral("cells")).toString(), QStringLiteral("text"));
    const QJsonArray panels = m.value(QStringLiteral("panels")).toArray();
    QCOMPARE(panels.size(), 3);
    QCOMPARE(panels[2].toObject().value(QStringLiteral("view")).toString(),
             QStringLiteral("grid_difference"));
    QCOMPARE(m.value(QStringLiteral("figure")).toObject().value(QStringLiteral("columns")).toInt(),
             3);
    const QImage image(out);
    QCOMPARE(image.width(), 325);
    QVERIFY2(image.height() < 0.8 * image.width(), qPrintable(QString::number(image.height())));
    // --cells only for the grid, and only kinds of token.
    QStringList bad = baseArgs(QStringLiteral("png"), out);
    QCOMPARE(runFigure(bad + QStringList{QStringLiteral("--cells"), QStringLiteral("soft")}).code,
             2);
    bad[5] = QStringLiteral("grid");
    QCOMPARE(runFigure(bad + QStringList{QStringLiteral("--cells"), QStringLiteral("pad")}).code,
             2);
  }

  void scaleAndRangeOptions() {
    // The same heatmap in linear and logarithmic colours, and with an automatic range.
    const QString lin = outDir() + QStringLiteral("/scale_linear.png");
    const QString log = outDir() + QStringLiteral("/scale_log.png");
    const QString autoRange = outDir() + QStringLiteral("/scale_auto.png");
    const QStringList common{QStringLiteral("--layer"), QStringLiteral("2"),
                             QStringLiteral("--head"),  QStringLiteral("1"),
                             QStringLiteral("--dpi"),   QStringLiteral("100")};
    Outcome o = runFigure(baseArgs(QStringLiteral("png"), lin) + common);
    QVERIFY2(o.code == 0, qPrintable(o.err));
    o = runFigure(baseArgs(QStringLiteral("png"), log) + common +
                  QStringList{QStringLiteral("--scale"), QStringLiteral("log")});
    QVERIFY2(o.code == 0, qPrintable(o.err));
    o = runFigure(baseArgs(QStringLiteral("png"), autoRange) + common +
                  QStringList{QStringLiteral("--range"), QStringLiteral("auto")});
    QVERIFY2(o.code == 0, qPrintable(o.err));
    QCOMPARE(readJson(log + QStringLiteral(".json")).value(QStringLiteral("scale")).toString(),
             QStringLiteral("log"));
    // The automatic range ends at the largest weight the heatmap shows outside the rows with a
    // single allowed key: position 0 of this causal model puts weight 1 on itself, so the range
    // must end below 1.
    RunDocument doc;
    HeatmapView view(&doc);
    const auto run = fixtureRun();
    doc.setResult(run);
    Selection s;
    s.layer = 2;
    s.head = HeadChoice::one(1);
    doc.setSelection(s);
    view.refreshNow();
    const std::vector<float> shown = view.displayedValues();
    const int T = run->seqLen;
    QCOMPARE(shown.size(), std::size_t(T) * T);
    QCOMPARE(shown[0], 1.0f);  // the trivial row the range leaves out
    double largest = 0;
    for (int q = 1; q < T; ++q)  // every other row of a causal matrix has q + 1 allowed keys
      for (int k = 0; k < T; ++k)
        largest = std::max(largest, double(shown[std::size_t(q) * T + k]));
    QVERIFY2(largest < 1.0, qPrintable(QString::number(largest)));
    const double upper = readJson(autoRange + QStringLiteral(".json"))
                             .value(QStringLiteral("scale_range"))
                             .toArray()
                             .at(1)
                             .toDouble();
    // The manifest holds the largest float as a double, with the digits that read back exactly.
    QVERIFY2(std::abs(upper - largest) <= tolerance::stored(largest),
             qPrintable(QStringLiteral("%1 vs %2").arg(upper).arg(largest)));
    // The scales colour the same matrix differently.
    const QImage a(lin), b(log), c(autoRange);
    QCOMPARE(a.size(), b.size());
    QVERIFY(regionDifference(a, a.rect(), b, b.rect()) > 1.0);
    if (largest < 0.999) QVERIFY(regionDifference(a, a.rect(), c, c.rect()) > 0.2);
    // Power with a gamma.
    const QString power = outDir() + QStringLiteral("/scale_power.svg");
    o = runFigure(baseArgs(QStringLiteral("svg"), power) +
                  QStringList{QStringLiteral("--scale"), QStringLiteral("power:0.3")});
    QVERIFY2(o.code == 0, qPrintable(o.err));
    QCOMPARE(readJson(power + QStringLiteral(".json")).value(QStringLiteral("scale")).toString(),
             QStringLiteral("power(gamma=0.3)"));
  }

  void colormapApplies() {
    // The heatmap and the grid both take --colormap; grays cells are grey.
    const QString viridis = outDir() + QStringLiteral("/cmap_viridis.png");
    const QString grays = outDir() + QStringLiteral("/cmap_grays_grid.png");
    QStringList args = baseArgs(QStringLiteral("png"), viridis);
    args[5] = QStringLiteral("grid");
    Outcome o = runFigure(args + QStringList{QStringLiteral("--dpi"), QStringLiteral("100")});
    QVERIFY2(o.code == 0, qPrintable(o.err));
    args = baseArgs(QStringLiteral("png"), grays);
    args[5] = QStringLiteral("grid");
    o = runFigure(args + QStringList{QStringLiteral("--dpi"), QStringLiteral("100"),
                                     QStringLiteral("--colormap"), QStringLiteral("grays")});
    QVERIFY2(o.code == 0, qPrintable(o.err));
    QCOMPARE(readJson(grays + QStringLiteral(".json")).value(QStringLiteral("colormap")).toString(),
             QStringLiteral("grays"));
    auto coloured = [](const QImage& image) {
      int n = 0;
      for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3) {
          const QColor c = image.pixelColor(x, y);
          n += std::max({c.red(), c.green(), c.blue()}) - std::min({c.red(), c.green(), c.blue()}) >
                       40
                   ? 1
                   : 0;
        }
      return n;
    };
    const int colouredViridis = coloured(QImage(viridis));
    const int colouredGrays = coloured(QImage(grays));
    QVERIFY2(colouredViridis > 200 && colouredGrays < colouredViridis / 20,
             qPrintable(QStringLiteral("%1 vs %2").arg(colouredViridis).arg(colouredGrays)));
  }

  void badPanelOptionsExitTwo() {
    const QString out = outDir() + QStringLiteral("/bad_panels.png");
    QFile::remove(out);
    const QString soft = softTokenFile();
    const QList<QStringList> extras{
        {QStringLiteral("--panels"), QStringLiteral("heads:9")},
        {QStringLiteral("--panels"), QStringLiteral("heads:2-1")},
        {QStringLiteral("--panels"), QStringLiteral("rows:all")},
        {QStringLiteral("--panels"), QStringLiteral("heads:")},
        {QStringLiteral("--columns"), QStringLiteral("0")},
        {QStringLiteral("--scale"), QStringLiteral("cubic")},
        {QStringLiteral("--scale"), QStringLiteral("power:9")},
        {QStringLiteral("--range"), QStringLiteral("0..2")},
        {QStringLiteral("--range"), QStringLiteral("1..0")},
        {QStringLiteral("--compare-without-soft")},
        {QStringLiteral("--soft-tokens"), soft, QStringLiteral("--compare-without-soft"),
         QStringLiteral("--compare-soft-tokens"), soft},
        {QStringLiteral("--soft-tokens"), soft, QStringLiteral("--compare-without-soft"),
         QStringLiteral("--query"), QStringLiteral("0")},
    };
    for (const QStringList& extra : extras) {
      const Outcome o = runFigure(baseArgs(QStringLiteral("png"), out) + extra);
      QVERIFY2(o.code == 2, qPrintable(extra.join(' ') + ": " + QString::number(o.code)));
      QCOMPARE(o.err.trimmed().count(QLatin1Char('\n')), 0);
      QVERIFY(o.err.startsWith(QStringLiteral("attnx figure: ")));
      QVERIFY(!QFile::exists(out));
    }
    QStringList grid = baseArgs(QStringLiteral("png"), out);
    grid[5] = QStringLiteral("grid");
    for (const QStringList& extra :
         {QStringList{QStringLiteral("--panels"), QStringLiteral("heads:all")},
          QStringList{QStringLiteral("--scale"), QStringLiteral("log")}}) {
      const Outcome o = runFigure(grid + extra);
      QCOMPARE(o.code, 2);
      QVERIFY(!QFile::exists(out));
    }
    const Outcome help = runFigure({QStringLiteral("--help")});
    QCOMPARE(help.code, 0);
    for (const char* option : {"--panels", "--columns", "--scale", "--range",
                               "--compare-without-soft", "--compare-soft-tokens"})
      QVERIFY2(help.out.contains(QLatin1String(option)), option);
  }

  void panelsApiInProcess() {
    // The library call: size from width, DPI and the first view's aspect plus the captions.
    FigurePanelSet set;
    Selection s;
    s.layer = 0;
    for (int h = 0; h < 3; ++h) {
      s.head = HeadChoice::one(h);
      set.add(QStringLiteral("heatmap"), fixtureRun(), s,
              panelLetter(h) + QStringLiteral(" head %1").arg(h));
    }
    FigureOptions o;
    o.widthIn = 3.25;
    o.dpi = 120;
    const QImage one = renderFigurePanelsImage(set.panels(), 3, o);
    QCOMPARE(one.width(), 390);
    o.aspect = 1.5;
    const QImage tall = renderFigurePanelsImage(set.panels(), 1, o);
    QCOMPARE(tall.size(), QSize(390, static_cast<int>(std::lround(3.25 * 1.5 * 120))));
    // More columns than panels: one row.
    o.aspect = 0;
    QCOMPARE(renderFigurePanelsImage(set.panels(), 9, o).size(), one.size());
    QVERIFY_THROWS_EXCEPTION(std::exception, renderFigurePanelsImage({}, 2, o));
    QVERIFY_THROWS_EXCEPTION(std::exception,
                             renderFigurePanelsImage({FigurePanel{nullptr, QString()}}, 1, o));
    QWidget plain;
    QVERIFY_THROWS_EXCEPTION(std::exception,
                             renderFigurePanelsImage({FigurePanel{&plain, QString()}}, 1, o));
    // The single-view export is the one-panel layout without a caption.
    const QImage single = renderFigureImage(set.view(0), o);
    const QImage viaPanels = renderFigurePanelsImage({FigurePanel{set.view(0), QString()}}, 1, o);
    QCOMPARE(single, viaPanels);
    QCOMPARE(panelLetter(0), QStringLiteral("(a)"));
    QCOMPARE(panelLetter(25), QStringLiteral("(z)"));
    QCOMPARE(panelLetter(26), QStringLiteral("(aa)"));
  }

  void windowDialogExportsPanelsAndCancelWritesNothing() {
    MainWindow window;
    window.document()->setResult(fixtureRun());
    Selection s = window.document()->selection();
    s.layer = 2;
    window.document()->setSelection(s);
    auto* action = window.findChild<QAction*>(QStringLiteral("exportFigureAction"));
    QVERIFY(action);
    const QString out = outDir() + QStringLiteral("/dialog_heads.png");
    QFile::remove(out);
    QFile::remove(out + QStringLiteral(".json"));
    bool driven = false;
    whenModal([&](QWidget* w) {
      auto* dialog = qobject_cast<FigureDialog*>(w);
      if (!dialog) return;
      auto* format = dialog->findChild<QComboBox*>(QStringLiteral("figureFormat"));
      format->setCurrentIndex(format->findData(static_cast<int>(FigureFormat::Png)));
      dialog->findChild<QDoubleSpinBox*>(QStringLiteral("figureWidth"))->setValue(6.75);
      dialog->findChild<QSpinBox*>(QStringLiteral("figureDpi"))->setValue(100);
      auto* panels = dialog->findChild<QComboBox*>(QStringLiteral("figurePanels"));
      panels->setCurrentIndex(panels->findData(static_cast<int>(FigurePanelChoice::HeadsOfLayer)));
      dialog->findChild<QSpinBox*>(QStringLiteral("figureColumns"))->setValue(4);
      // A name typed with another figure suffix gets the format's.
      auto* file = dialog->findChild<QLineEdit*>(QStringLiteral("figureFile"));
      file->setText(outDir() + QStringLiteral("/dialog_heads.pdf"));
      dialog->setFileName(file->text());
      driven = true;
      dialog->accept();
    });
    action->trigger();
    QVERIFY(driven);
    QVERIFY2(!window.isBannerVisible(), qPrintable(window.bannerText()));
    const QImage image(out);
    QVERIFY2(!image.isNull(), qPrintable(out));
    QCOMPARE(image.width(), 675);
    const QJsonObject m = readJson(out + QStringLiteral(".json"));
    QCOMPARE(
        image.height(),
        static_cast<int>(std::lround(
            m.value(QStringLiteral("figure")).toObject().value("height_in").toDouble() * 100)));
    const QJsonArray panels = m.value(QStringLiteral("panels")).toArray();
    QCOMPARE(panels.size(), kHeads);
    for (int h = 0; h < kHeads; ++h) {
      QCOMPARE(panels[h].toObject().value(QStringLiteral("layer")).toInt(-1), 2);
      QCOMPARE(panels[h].toObject().value(QStringLiteral("head")).toString(), QString::number(h));
    }
    QCOMPARE(m.value(QStringLiteral("figure")).toObject().value("columns").toInt(), 4);
    // All four in one row: wider than high.
    QVERIFY(image.height() < image.width() / 2);

    // Every layer at this head, as a PDF.
    const QString pdfOut = outDir() + QStringLiteral("/dialog_layers.pdf");
    QFile::remove(pdfOut);
    whenModal([&](QWidget* w) {
      auto* dialog = qobject_cast<FigureDialog*>(w);
      if (!dialog) return;
      auto* panels = dialog->findChild<QComboBox*>(QStringLiteral("figurePanels"));
      panels->setCurrentIndex(panels->findData(static_cast<int>(FigurePanelChoice::LayersAtHead)));
      dialog->findChild<QLineEdit*>(QStringLiteral("figureFile"))->setText(pdfOut);
      dialog->accept();
    });
    action->trigger();
    QVERIFY2(!window.isBannerVisible(), qPrintable(window.bannerText()));
    QVERIFY(readAll(pdfOut).startsWith("%PDF"));
    QCOMPARE(readJson(pdfOut + QStringLiteral(".json")).value("panels").toArray().size(), kLayers);

    // Cancel writes nothing.
    const QString cancelled = outDir() + QStringLiteral("/dialog_cancelled.svg");
    QFile::remove(cancelled);
    whenModal([&](QWidget* w) {
      auto* dialog = qobject_cast<FigureDialog*>(w);
      if (!dialog) return;
      dialog->findChild<QLineEdit*>(QStringLiteral("figureFile"))->setText(cancelled);
      dialog->reject();
    });
    action->trigger();
    QVERIFY(!QFile::exists(cancelled));
    QVERIFY(!QFile::exists(cancelled + QStringLiteral(".json")));
  }

  void statisticsExportMatchesWriteStats() {
    MainWindow window;
    // Nothing to export yet: a banner, no file.
    const QString none = outDir() + QStringLiteral("/stats_none.json");
    QFile::remove(none);
    QVERIFY(!window.exportStatistics(none));
    QVERIFY(window.isBannerVisible());
    QVERIFY(!QFile::exists(none));
    window.dismissBanner();

    const auto r = fixtureRun();
    window.document()->setResult(r);
    const DiagnosticThresholds t = window.diagnosticsPanel()->thresholds();
    const SegmentMass mass = computeSegmentMass(*r, 0, lastValidPosition(*r, 0));
    const QString expectJson = outDir() + QStringLiteral("/stats_expected.json");
    const QString expectCsv = outDir() + QStringLiteral("/stats_expected.csv");
    writeStatsJson(expectJson.toStdString(), mass, diagnose(mass, t), t);
    writeStatsCsv(expectCsv.toStdString(), mass);

    // Through File > Export statistics… and its file dialog.
    auto* action = window.findChild<QAction*>(QStringLiteral("exportStatisticsAction"));
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    const QString json = outDir() + QStringLiteral("/stats_window.json");
    QFile::remove(json);
    whenModal([&](QWidget* w) {
      auto* dialog = qobject_cast<QFileDialog*>(w);
      if (!dialog) return;
      dialog->selectFile(json);
      static_cast<QDialog*>(dialog)->accept();  // QFileDialog::accept is protected
    });
    action->trigger();
    QVERIFY2(!window.isBannerVisible(), qPrintable(window.bannerText()));
    QVERIFY(QFile::exists(json));
    QCOMPARE(readAll(json), readAll(expectJson));
    // CSV by the suffix.
    const QString csv = outDir() + QStringLiteral("/stats_window.csv");
    QVERIFY(window.exportStatistics(csv));
    QCOMPARE(readAll(csv), readAll(expectCsv));
    QVERIFY(readAll(csv).startsWith("layer,head,"));

    // Another query: the statistics follow the selection.
    window.document()->setQuery(3);
    const SegmentMass mass3 = computeSegmentMass(*r, 0, 3);
    writeStatsJson(expectJson.toStdString(), mass3, diagnose(mass3, t), t);
    QVERIFY(window.exportStatistics(json));
    QCOMPARE(readAll(json), readAll(expectJson));

    // An unwritable place: a banner naming the file.
    QVERIFY(!window.exportStatistics(QStringLiteral("/nonexistent/dir/stats.json")));
    QVERIFY(window.bannerText().contains(QStringLiteral("/nonexistent/dir/stats.json")));
  }
};

QTEST_MAIN(TestFigurePanels)
#include "test_figure_panels.moc"
