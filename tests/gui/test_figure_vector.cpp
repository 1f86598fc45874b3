// Vector figures show what the PNG shows. Every exportable view — the explorer's heatmap, layer
// curves and head grid (mass and entropy), the comparison window's group curves, difference grid,
// ranked heads, set-level diagnostics, example heatmaps and their difference, `attnx analyze`'s
// figures and multi-panel figures — is exported as PNG, PDF and SVG; the PDF is rasterised with
// poppler's pdftocairo and the SVG with librsvg's rsvg-convert at the PNG's size, and the three are
// compared in blocks of 6 x 6 pixels. PDFs must hold no JPEG image (pdfimages -list).
// Rasterised pages are kept in /tmp/attnx-vector/ for a look.
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <functional>

#include "analysis_figures.h"
#include "comparison_window.h"
#include "dataset_document.h"
#include "dataset_results.h"
#include "dataset_run.h"
#include "demo_dataset.h"
#include "demo_resources.h"
#include "examples_file.h"
#include "figure_export.h"
#include "figure_windows.h"
#include "figure_panels.h"
#include "head_grid_view.h"
#include "heatmap_view.h"
#include "layer_curves_view.h"
#include "lens_view.h"
#include "main_window.h"
#include "model.h"
#include "qt_support.h"
#include "run_document.h"

using namespace attnx;
using namespace attnx::qt_support;

namespace {

const QString kOut = QStringLiteral("/tmp/attnx-vector");

// Blocks of 6 x 6 pixels: large enough that antialiasing of edges averages out within a block,
// small enough that one cell of a 32-head grid at 3.25 in (about 20 pixels here) spans several.
constexpr int kBlock = 6;
// A block differs when the mean of a channel differs by more than 1/8 of its range: a cell drawn
// in another colour (viridis teal for blue, grey for dark blue) moves a channel by far more,
// antialiasing of lines and glyphs drawn by two rasterisers moves a block's mean by less.
constexpr double kChannelTolerance = 255.0 / 8;
// Two rasterisers place what has no exact pixel position differently: the phase of dashes, the
// antialiased edges of lines, and glyphs (SVG keeps text as text, laid out again by the SVG
// renderer's font engine, whose advances differ from Qt's hinted ones by up to about 1.5%: up to
// 3 pixels along a line at 200 dpi). So a block is compared with the other image's blocks up to
// 3 pixels away and differs only if none of them matches. Cells and fills (at least 6 pixels
// across in these figures) keep their colour under such a shift.
constexpr int kShift = 3;
// The share of blocks that may still differ: glyph edges cut by block borders. A figure whose
// cells or curves were drawn wrongly differs in a tenth or more of its blocks.
constexpr double kMaxDifferingBlocks = 0.01;

int runTool(const QString& program, const QStringList& args, QString* err) {
  QProcess p;
  p.start(program, args);
  if (!p.waitForFinished(120000)) {
    *err = program + QStringLiteral(" did not finish");
    return -1;
  }
  *err = QString::fromUtf8(p.readAllStandardError());
  return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

// Mean R, G, B of the block at (x, y) of `img` (RGB32).
void blockMean(const QImage& img, int x0, int y0, double out[3]) {
  out[0] = out[1] = out[2] = 0;
  for (int y = y0; y < y0 + kBlock; ++y) {
    const QRgb* row = reinterpret_cast<const QRgb*>(img.constScanLine(y));
    for (int x = x0; x < x0 + kBlock; ++x)
      out[0] += qRed(row[x]), out[1] += qGreen(row[x]), out[2] += qBlue(row[x]);
  }
  for (int c = 0; c < 3; ++c) out[c] /= kBlock * kBlock;
}

// The fraction of blocks of `a` whose mean colour no block of `b` near it matches (see above).
double differingBlocks(const QImage& a0, const QImage& b0) {
  const QImage a = a0.convertToFormat(QImage::Format_RGB32);
  const QImage b = b0.convertToFormat(QImage::Format_RGB32);
  const int w = std::min(a.width(), b.width()), h = std::min(a.height(), b.height());
  int blocks = 0, differing = 0;
  for (int by = 0; by + kBlock <= h; by += kBlock)
    for (int bx = 0; bx + kBlock <= w; bx += kBlock) {
      double ma[3], mb[3];
      blockMean(a, bx, by, ma);
      bool matched = false;
      for (int dy = -kShift; dy <= kShift && !matched; ++dy)
        for (int dx = -kShift; dx <= kShift && !matched; ++dx) {
          const int x = bx + dx, y = by + dy;
          if (x < 0 || y < 0 || x + kBlock > w || y + kBlock > h) continue;
          blockMean(b, x, y, mb);
          matched = std::abs(ma[0] - mb[0]) <= kChannelTolerance &&
                    std::abs(ma[1] - mb[1]) <= kChannelTolerance &&
                    std::abs(ma[2] - mb[2]) <= kChannelTolerance;
        }
      ++blocks;
      differing += !matched;
    }
  return blocks ? double(differing) / blocks : 1.0;
}

// Writes `name`.png, .pdf and .svg with `write` and compares the rasterised vector files with the
// PNG. `write(file, format)` exports the figure.
void checkFormats(const QString& name,
                  const std::function<void(const QString&, FigureFormat)>& write) {
  QDir().mkpath(kOut);
  const QString base = kOut + QLatin1Char('/') + name;
  write(base + QStringLiteral(".png"), FigureFormat::Png);
  write(base + QStringLiteral(".pdf"), FigureFormat::Pdf);
  write(base + QStringLiteral(".svg"), FigureFormat::Svg);
  const QImage png(base + QStringLiteral(".png"));
  QVERIFY2(!png.isNull(), qPrintable(name));
  const QString w = QString::number(png.width()), h = QString::number(png.height());
  QString err;
  QCOMPARE(runTool(QStringLiteral("pdftocairo"),
                   {QStringLiteral("-png"), QStringLiteral("-singlefile"),
                    QStringLiteral("-scale-to-x"), w, QStringLiteral("-scale-to-y"), h,
                    base + QStringLiteral(".pdf"), base + QStringLiteral(".pdf-raster")},
                   &err),
           0);
  QCOMPARE(runTool(QStringLiteral("rsvg-convert"),
                   {QStringLiteral("-w"), w, QStringLiteral("-h"), h, QStringLiteral("-b"),
                    QStringLiteral("white"), QStringLiteral("-o"),
                    base + QStringLiteral(".svg-raster.png"), base + QStringLiteral(".svg")},
                   &err),
           0);
  const QImage pdf(base + QStringLiteral(".pdf-raster.png"));
  const QImage svg(base + QStringLiteral(".svg-raster.png"));
  QVERIFY2(pdf.size() == png.size() && svg.size() == png.size(), qPrintable(name));
  const double fPdf = differingBlocks(png, pdf), fSvg = differingBlocks(png, svg);
  qInfo("%-28s %4d x %4d  differing 6x6 blocks: PDF %.2f%%, SVG %.2f%%", qPrintable(name),
        png.width(), png.height(), 100 * fPdf, 100 * fSvg);
  QVERIFY2(fPdf <= kMaxDifferingBlocks, qPrintable(name + QStringLiteral(" (PDF)")));
  QVERIFY2(fSvg <= kMaxDifferingBlocks, qPrintable(name + QStringLiteral(" (SVG)")));

  // No lossy image anywhere in the PDF: pdfimages lists each image with its encoding.
  QProcess list;
  list.start(QStringLiteral("pdfimages"), {QStringLiteral("-list"), base + QStringLiteral(".pdf")});
  QVERIFY(list.waitForFinished(60000));
  const QString table = QString::fromUtf8(list.readAllStandardOutput());
  QVERIFY2(!table.contains(QStringLiteral("jpeg")) && !table.contains(QStringLiteral("jpx")),
           qPrintable(name + QStringLiteral(": ") + table));
}

FigureOptions optionsFor(FigureFormat format, double widthIn = 3.25) {
  FigureOptions o;
  o.format = format;
  o.widthIn = widthIn;
  o.dpi = 200;
  return o;
}

void exportView(QWidget* view, const QString& file, FigureFormat format, double widthIn = 3.25,
                double aspect = 0) {
  FigureOptions o = optionsFor(format, widthIn);
  o.aspect = aspect;
  exportFigure(view, file, o, QJsonObject{});
}

}  // namespace

class TestFigureVector : public QObject {
  Q_OBJECT
  demo_dataset::DemoDataset demo_;

 private slots:
  void initTestCase() {
    for (const char* tool : {"pdftocairo", "rsvg-convert", "pdfimages"})
      QVERIFY2(!QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty(),
               "install poppler-utils and librsvg2-bin (tools/install-deps.sh)");
    QVERIFY2(QFileInfo::exists(demoDir() + QStringLiteral("/model.safetensors")),
             "resources/demo is not there");
    demo_.run(demoDir().toStdString());
  }

  void explorerViews() {
    MainWindow w;
    const QString problem = figure_windows::showDemoRun(w);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    checkFormats(QStringLiteral("explorer_heatmap"), [&](const QString& f, FigureFormat fmt) {
      exportView(w.heatmapView(), f, fmt);
    });
    checkFormats(QStringLiteral("explorer_layers"), [&](const QString& f, FigureFormat fmt) {
      exportView(w.layerCurvesView(), f, fmt);
    });
    checkFormats(QStringLiteral("explorer_grid"), [&](const QString& f, FigureFormat fmt) {
      exportView(w.headGridView(), f, fmt);
    });
    // A text table (the predictions by layer): its type, fitted to the width, rasterised alike.
    checkFormats(QStringLiteral("explorer_lens"),
                 [&](const QString& f, FigureFormat fmt) { exportView(w.lensView(), f, fmt); });
    {
      // As high as its rows: no band of empty page under the last one (the inset of 2 units,
      // 5.6 px at 200 dpi, and the row's own padding are all that stays white).
      const QImage lens(kOut + QStringLiteral("/explorer_lens.png"));
      int blank = 0;
      for (int y = lens.height() - 1; y >= 0; --y, ++blank) {
        bool white = true;
        for (int x = 0; x < lens.width() && white; ++x)
          white = lens.pixel(x, y) == qRgb(255, 255, 255);
        if (!white) break;
      }
      QVERIFY2(blank <= 12, qPrintable(QStringLiteral("%1 white rows under the table").arg(blank)));
    }
    // The head at full size: the heatmap of one head, the grid by entropy.
    w.document()->setHead(HeadChoice::one(2));
    w.headGridView()->setMetric(HeadGridView::Metric::Entropy);
    checkFormats(QStringLiteral("explorer_heatmap_head"), [&](const QString& f, FigureFormat fmt) {
      exportView(w.heatmapView(), f, fmt, 6.75);
    });
    checkFormats(QStringLiteral("explorer_grid_entropy"), [&](const QString& f, FigureFormat fmt) {
      exportView(w.headGridView(), f, fmt, 6.75);
    });
  }

  void comparisonViews() {
    figure_windows::DemoComparison comparison(demo_);
    QVERIFY(comparison.show());
    ComparisonWindow& win = comparison.win;
    const std::pair<const char*, QWidget*> groups[] = {
        {"comparison_curves", win.groupCurvesView()},
        {"comparison_grid_difference", win.differenceGridView()},
        {"comparison_ranked_heads", win.rankedHeadsView()},
        {"comparison_diagnostics", win.diagnosticsView()}};
    for (const auto& [name, view] : groups)
      checkFormats(QString::fromLatin1(name), [&](const QString& f, FigureFormat fmt) {
        exportView(view, f, fmt, 4.5, 0.6);
      });
    QVERIFY(comparison.showExamples());
    checkFormats(QStringLiteral("comparison_example"), [&](const QString& f, FigureFormat fmt) {
      exportView(win.exampleView(0), f, fmt, 3.25, 1.0);
    });
    checkFormats(QStringLiteral("comparison_example_difference"),
                 [&](const QString& f, FigureFormat fmt) {
                   exportView(win.exampleDifferenceView(), f, fmt, 3.25, 1.0);
                 });
    checkFormats(QStringLiteral("comparison_side_by_side"), [&](const QString& f, FigureFormat fmt) {
      QVERIFY(win.exportSideBySide(f, optionsFor(fmt, 6.75)));
    });
  }

  void analyzeFigures() {
    // `attnx analyze` writes PDF and PNG; the PDF is compared with its own PNG.
    const QString dir = kOut + QStringLiteral("/analyze");
    QDir(dir).removeRecursively();
    const QStringList files = writeAnalysisFigures(demo_.results, dir);
    QCOMPARE(files.size(), 4);
    for (const QString name : {QStringLiteral("layers_by_group"), QStringLiteral("grid_difference")}) {
      const QString base = dir + QLatin1Char('/') + name;
      const QImage png(base + QStringLiteral(".png"));
      QString err;
      QCOMPARE(runTool(QStringLiteral("pdftocairo"),
                       {QStringLiteral("-png"), QStringLiteral("-singlefile"),
                        QStringLiteral("-scale-to-x"), QString::number(png.width()),
                        QStringLiteral("-scale-to-y"), QString::number(png.height()),
                        base + QStringLiteral(".pdf"), base + QStringLiteral(".pdf-raster")},
                       &err),
               0);
      const double f = differingBlocks(png, QImage(base + QStringLiteral(".pdf-raster.png")));
      qInfo("analyze %-20s differing 6x6 blocks: PDF %.2f%%", qPrintable(name), 100 * f);
      QVERIFY2(f <= kMaxDifferingBlocks, qPrintable(name));
      QProcess list;
      list.start(QStringLiteral("pdfimages"), {QStringLiteral("-list"), base + ".pdf"});
      QVERIFY(list.waitForFinished(60000));
      QVERIFY(!QString::fromUtf8(list.readAllStandardOutput()).contains(QStringLiteral("jpeg")));
    }
  }

  void multiPanelFigures() {
    const auto result = demo_.fullRun(0);
    FigureLook look;
    look.rangeUpper = 0;  // auto: one range for every panel
    FigurePanelSet set(look);
    for (int h = 0; h < result->model.heads; ++h) {
      Selection s;
      s.layer = 1;
      s.head = HeadChoice::one(h);
      set.add(QStringLiteral("heatmap"), result, s, panelLetter(h));
    }
    set.applyColorRange();
    checkFormats(QStringLiteral("panels_heads"), [&](const QString& f, FigureFormat fmt) {
      exportFigurePanels(set.panels(), 2, f, optionsFor(fmt), QJsonObject{});
    });
    FigurePanelSet grids;
    Selection s;
    grids.add(QStringLiteral("grid"), result, s, panelLetter(0));
    grids.add(QStringLiteral("layers"), result, s, panelLetter(1));
    checkFormats(QStringLiteral("panels_grid_layers"), [&](const QString& f, FigureFormat fmt) {
      exportFigurePanels(grids.panels(), 2, f, optionsFor(fmt, 6.75), QJsonObject{});
    });
  }
};

QTEST_MAIN(TestFigureVector)
#include "test_figure_vector.moc"
