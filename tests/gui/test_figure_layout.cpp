// Every figure lays out cleanly in every style at every width (#15, "Done when"): each exportable
// view — the explorer's heatmap, layer curves, head grid, token strip, predictions by layer and
// diagnostics; `attnx figure`'s multi-panel figures and its comparisons with the input without
// soft tokens (heatmap, curves, grid); the comparison window's group curves, difference grid,
// ranked heads, set diagnostics, example heatmaps, their difference and the side-by-side export
// (`attnx analyze` writes its figures from these same views) — is exported as SVG in the paper
// style at 3.25 in (its default) and 6.75 in and in the slide style at 10 in (its default) and
// 6.75 in. Each SVG is read back and its labels measured with the real font metrics of the fonts
// the SVG names: no two labels may overlap, no label may leave the page, and no legend box may
// cover plotted data (curves, bands, markers drawn before it). The SVGs stay in
// /tmp/attnx-layout/ for a look.
#include <QDir>
#include <QFileInfo>
#include <QFont>
#include <QFontMetricsF>
#include <QImage>
#include <QPainterPath>
#include <QPainterPathStroker>
#include <QRegularExpression>
#include <QTransform>
#include <QXmlStreamReader>
#include <QtTest>
#include <functional>

#include "comparison_window.h"
#include "dataset_document.h"
#include "dataset_results.h"
#include "demo_dataset.h"
#include "demo_resources.h"
#include "diagnostics_panel.h"
#include "figure_command.h"
#include "figure_export.h"
#include "figure_windows.h"
#include "figure_panels.h"
#include "head_grid_view.h"
#include "heatmap_view.h"
#include "layer_curves_view.h"
#include "lens_view.h"
#include "main_window.h"
#include "qt_support.h"
#include "run_document.h"
#include "token_strip_view.h"
#include "tokenizer.h"

using namespace attnx;
using namespace attnx::qt_support;

namespace {

const QString kOut = QStringLiteral("/tmp/attnx-layout");

// SVG numbers are written with 6 significant digits (at most 0.05 units off on a page under
// 1000 units wide, 96 units per inch), and a glyph's hinted outline, which Qt drew, may lie up to
// half a pixel from the outline measured here. Boxes that overlap, or leave the page, by less
// than half a unit (1/192 in) are not evidence of a collision; anything more is visible at 600 dpi.
constexpr double kSlack = 0.5;

struct Label {
  QString text;
  QRectF box;  // the ink, in page units
};

struct Shape {
  QPainterPath area;  // what it covers on the page: its fill and its stroke
  bool data = false;  // drawn in a colour: curves, bands, markers, cells (not axes, grids, text)
};

struct SvgLayout {
  QSizeF page;
  QList<Label> labels;
  QList<QRectF> legends;
  QList<Shape> shapesBefore;  // in document order, up to each legend: shapesBefore[...]
  QList<int> legendAfter;     // legends[i] was drawn after shapesBefore[0 .. legendAfter[i])
};

QTransform parseTransform(const QString& text) {
  static const QRegularExpression matrix(QStringLiteral("matrix\\(([^)]*)\\)"));
  const auto m = matrix.match(text);
  if (!m.hasMatch()) return {};
  const QStringList v = m.captured(1).split(QLatin1Char(','));
  if (v.size() != 6) return {};
  return QTransform(v[0].toDouble(), v[1].toDouble(), v[2].toDouble(), v[3].toDouble(),
                    v[4].toDouble(), v[5].toDouble());
}

// QSvgGenerator writes paths with absolute M, L, C and Z only.
QPainterPath parsePathData(const QString& d) {
  static const QRegularExpression token(
      QStringLiteral("([MLCZmlcz])|(-?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)"));
  QPainterPath path;
  QChar command;
  QList<double> numbers;
  const auto flush = [&] {
    if (command == QLatin1Char('M') && numbers.size() >= 2) path.moveTo(numbers[0], numbers[1]);
    if (command == QLatin1Char('L'))
      for (int i = 0; i + 1 < numbers.size(); i += 2) path.lineTo(numbers[i], numbers[i + 1]);
    if (command == QLatin1Char('C'))
      for (int i = 0; i + 5 < numbers.size(); i += 6)
        path.cubicTo(numbers[i], numbers[i + 1], numbers[i + 2], numbers[i + 3], numbers[i + 4],
                     numbers[i + 5]);
    numbers.clear();
  };
  for (auto it = token.globalMatch(d); it.hasNext();) {
    const auto m = it.next();
    if (m.capturedLength(1)) {
      flush();
      command = m.captured(1).at(0).toUpper();
      if (command == QLatin1Char('Z')) path.closeSubpath();
    } else {
      numbers << m.captured(2).toDouble();
    }
  }
  flush();
  return path;
}

QPainterPath parsePoints(const QString& points) {
  QPainterPath path;
  const QStringList pairs = points.split(QLatin1Char(' '), Qt::SkipEmptyParts);
  for (int i = 0; i < pairs.size(); ++i) {
    const QStringList xy = pairs[i].split(QLatin1Char(','));
    if (xy.size() != 2) continue;
    const QPointF p(xy[0].toDouble(), xy[1].toDouble());
    i == 0 ? path.moveTo(p) : path.lineTo(p);
  }
  return path;
}

// The attributes that the enclosing <g> elements set and a child may override.
struct Paint {
  QString fill = QStringLiteral("black"), stroke = QStringLiteral("none");
  double strokeWidth = 1;
  QTransform transform;
  QString family = QStringLiteral("Sans Serif");
  double fontPx = 12;
  int weight = 400;
  bool italic = false;

  void apply(const QXmlStreamAttributes& a) {
    if (a.hasAttribute(QStringLiteral("fill"))) fill = a.value(QStringLiteral("fill")).toString();
    if (a.hasAttribute(QStringLiteral("stroke")))
      stroke = a.value(QStringLiteral("stroke")).toString();
    if (a.hasAttribute(QStringLiteral("stroke-width")))
      strokeWidth = a.value(QStringLiteral("stroke-width")).toDouble();
    if (a.hasAttribute(QStringLiteral("transform")))  // within the enclosing groups' transform
      transform = parseTransform(a.value(QStringLiteral("transform")).toString()) * transform;
    if (a.hasAttribute(QStringLiteral("font-family")))
      family = a.value(QStringLiteral("font-family")).toString();
    if (a.hasAttribute(QStringLiteral("font-size")))
      fontPx = a.value(QStringLiteral("font-size")).toDouble();
    if (a.hasAttribute(QStringLiteral("font-weight")))
      weight = a.value(QStringLiteral("font-weight")).toInt();
    if (a.hasAttribute(QStringLiteral("font-style")))
      italic = a.value(QStringLiteral("font-style")) == QLatin1String("italic");
  }
};

bool painted(const QString& colour) { return !colour.isEmpty() && colour != QLatin1String("none"); }

// A colour that is not a grey: axes, ticks, grid lines, frames and backgrounds are greys here.
// (So are the special and padding tokens' segment colours: a legend over their curves would go
// unreported; the demo has neither.)
bool coloured(const QString& colour) {
  if (!painted(colour)) return false;
  const QColor c(colour);
  return c.isValid() && !(c.red() == c.green() && c.green() == c.blue());
}

// The ink of `text` drawn at baseline origin (x, y) in the font `paint` names, in page units.
QRectF inkBox(const QString& text, double x, double y, const Paint& paint) {
  // Measured at ten times the size on a 96 dpi device (one unit a pixel) and scaled back, so
  // that hinting at the small size does not round the box.
  static QImage device = [] {
    QImage img(1, 1, QImage::Format_ARGB32);
    img.setDotsPerMeterX(qRound(96 / 0.0254));
    img.setDotsPerMeterY(qRound(96 / 0.0254));
    return img;
  }();
  QFont font(paint.family);
  font.setPixelSize(qMax(1, qRound(paint.fontPx * 10)));
  font.setWeight(static_cast<QFont::Weight>(paint.weight));
  font.setItalic(paint.italic);
  const QFontMetricsF fm(font, &device);
  const QRectF ink = fm.tightBoundingRect(text);
  const QRectF local(x + ink.x() / 10, y + ink.y() / 10, ink.width() / 10, ink.height() / 10);
  return paint.transform.mapRect(local);
}

SvgLayout readSvg(const QString& file, QString* error) {
  SvgLayout out;
  QFile f(file);
  if (!f.open(QIODevice::ReadOnly)) {
    *error = QStringLiteral("cannot read ") + file;
    return out;
  }
  QXmlStreamReader xml(&f);
  QList<Paint> stack{Paint{}};
  QList<Shape> shapes;
  QList<QPair<QRectF, int>> whiteBoxes;  // white, framed rectangles and how many shapes preceded
  while (!xml.atEnd()) {
    xml.readNext();
    if (xml.isEndElement()) {
      if (stack.size() > 1) stack.removeLast();
      continue;
    }
    if (!xml.isStartElement()) continue;
    if (xml.name() == QLatin1String("defs") || xml.name() == QLatin1String("clipPath")) {
      xml.skipCurrentElement();  // definitions are not drawn where they stand
      continue;
    }
    Paint paint = stack.last();
    const QXmlStreamAttributes a = xml.attributes();
    paint.apply(a);
    stack << paint;
    const QStringView name = xml.name();
    if (name == QLatin1String("svg")) {
      const QStringList box = a.value(QStringLiteral("viewBox")).toString().split(QLatin1Char(' '));
      if (box.size() == 4) out.page = QSizeF(box[2].toDouble(), box[3].toDouble());
    } else if (name == QLatin1String("text")) {
      const double x = a.value(QStringLiteral("x")).toDouble();
      const double y = a.value(QStringLiteral("y")).toDouble();
      const QString text = xml.readElementText();
      stack.removeLast();  // readElementText consumed the end element
      if (!text.trimmed().isEmpty()) out.labels << Label{text, inkBox(text, x, y, paint)};
    } else if (name == QLatin1String("path") || name == QLatin1String("polyline") ||
               name == QLatin1String("polygon") || name == QLatin1String("circle") ||
               name == QLatin1String("ellipse") || name == QLatin1String("rect")) {
      QPainterPath path;
      if (name == QLatin1String("path")) {
        path = parsePathData(a.value(QStringLiteral("d")).toString());
      } else if (name == QLatin1String("polyline") || name == QLatin1String("polygon")) {
        path = parsePoints(a.value(QStringLiteral("points")).toString());
        if (name == QLatin1String("polygon")) path.closeSubpath();
      } else if (name == QLatin1String("rect")) {
        path.addRect(a.value(QStringLiteral("x")).toDouble(),
                     a.value(QStringLiteral("y")).toDouble(),
                     a.value(QStringLiteral("width")).toDouble(),
                     a.value(QStringLiteral("height")).toDouble());
      } else {
        const bool circle = name == QLatin1String("circle");
        const double rx = a.value(circle ? QStringLiteral("r") : QStringLiteral("rx")).toDouble();
        const double ry = a.value(circle ? QStringLiteral("r") : QStringLiteral("ry")).toDouble();
        path.addEllipse(QPointF(a.value(QStringLiteral("cx")).toDouble(),
                                a.value(QStringLiteral("cy")).toDouble()),
                        rx, ry);
      }
      path = paint.transform.map(path);
      Shape shape;
      const bool filled = painted(paint.fill) && name != QLatin1String("polyline");
      if (filled) shape.area = path;
      if (painted(paint.stroke)) {
        QPainterPathStroker stroker;
        stroker.setWidth(qMax(paint.strokeWidth, 0.1));
        shape.area = shape.area.united(stroker.createStroke(path));
      }
      shape.data =
          (filled && coloured(paint.fill)) || (painted(paint.stroke) && coloured(paint.stroke));
      // A legend's box: a rectangle filled white and framed.
      const QRectF r = path.boundingRect();
      const bool rectangle = path.elementCount() == 5 && r.width() > 4 && r.height() > 4;
      if (rectangle && filled && QColor(paint.fill) == QColor(Qt::white) && painted(paint.stroke))
        whiteBoxes << qMakePair(r, static_cast<int>(shapes.size()));
      shapes << shape;
    }
  }
  if (xml.hasError()) *error = file + QStringLiteral(": ") + xml.errorString();
  out.shapesBefore = shapes;
  // A white framed box that holds a label is a legend (cells, bars and frames hold none).
  for (const auto& [box, before] : whiteBoxes)
    for (const Label& l : out.labels)
      if (box.contains(l.box)) {
        out.legends << box;
        out.legendAfter << before;
        break;
      }
  return out;
}

QByteArray readAll(const QString& file) {
  QFile f(file);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString describe(const Label& l) {
  return QStringLiteral("'%1' at [%2, %3, %4 x %5]")
      .arg(l.text)
      .arg(l.box.x(), 0, 'f', 1)
      .arg(l.box.y(), 0, 'f', 1)
      .arg(l.box.width(), 0, 'f', 1)
      .arg(l.box.height(), 0, 'f', 1);
}

// Every problem of one figure, one line each; empty when it lays out cleanly.
QStringList layoutProblems(const SvgLayout& svg) {
  QStringList problems;
  const QRectF page = QRectF(QPointF(0, 0), svg.page).adjusted(-kSlack, -kSlack, kSlack, kSlack);
  for (const Label& l : svg.labels)
    if (!page.contains(l.box)) problems << QStringLiteral("off the page: ") + describe(l);
  for (int i = 0; i < svg.labels.size(); ++i)
    for (int j = i + 1; j < svg.labels.size(); ++j) {
      const QRectF both = svg.labels[i].box.intersected(svg.labels[j].box);
      if (both.width() > kSlack && both.height() > kSlack)
        problems << QStringLiteral("overlap: ") + describe(svg.labels[i]) +
                        QStringLiteral(" and ") + describe(svg.labels[j]);
    }
  for (int k = 0; k < svg.legends.size(); ++k) {
    const QRectF inside = svg.legends[k].adjusted(kSlack, kSlack, -kSlack, -kSlack);
    for (int s = 0; s < svg.legendAfter[k]; ++s)
      if (svg.shapesBefore[s].data && svg.shapesBefore[s].area.intersects(inside)) {
        problems << QStringLiteral("the legend at [%1, %2, %3 x %4] covers data drawn at [%5, %6]")
                        .arg(inside.x(), 0, 'f', 1)
                        .arg(inside.y(), 0, 'f', 1)
                        .arg(inside.width(), 0, 'f', 1)
                        .arg(inside.height(), 0, 'f', 1)
                        .arg(svg.shapesBefore[s].area.boundingRect().x(), 0, 'f', 1)
                        .arg(svg.shapesBefore[s].area.boundingRect().y(), 0, 'f', 1);
        break;
      }
  }
  return problems;
}

struct Size {
  FigureStyle style;
  double widthIn;
  const char* name;
};
// Paper at its default and double-column width, slide at its default and a narrower slide.
const Size kSizes[] = {{FigureStyle::Paper, 3.25, "paper_3.25in"},
                       {FigureStyle::Paper, 6.75, "paper_6.75in"},
                       {FigureStyle::Slide, 10.0, "slide_10in"},
                       {FigureStyle::Slide, 6.75, "slide_6.75in"}};

// What a figure's check expects besides a clean layout.
struct Expect {
  bool legend = false;   // the figure has a legend, which the reader must find
  bool sameView = true;  // its `write` exports the same widgets each time (not new ones)
};

}  // namespace

class TestFigureLayout : public QObject {
  Q_OBJECT
  demo_dataset::DemoDataset demo_;
  int figures_ = 0;
  QStringList failures_;

  // Exports one figure at every size through `write`, reads each SVG back and records what is
  // wrong with its layout.
  void check(const QString& name, const std::function<void(const QString&, const Size&)>& write,
             Expect expect = {}) {
    for (const Size& size : kSizes) {
      const QString file = QStringLiteral("%1/%2_%3.svg").arg(kOut, name, QLatin1String(size.name));
      QFile::remove(file);
      write(file, size);
      QString error;
      const SvgLayout svg = readSvg(file, &error);
      if (!error.isEmpty() || svg.labels.isEmpty()) {
        failures_ << file + QStringLiteral(": ") +
                         (error.isEmpty() ? QStringLiteral("no labels") : error);
        continue;
      }
      if (expect.legend && svg.legends.isEmpty())
        failures_ << file + QStringLiteral(": its legend was not found");
      const QStringList problems = layoutProblems(svg);
      qInfo("layout %-34s %-13s %3lld labels, %lld legend(s): %lld problem(s)", qPrintable(name),
            size.name, static_cast<long long>(svg.labels.size()),
            static_cast<long long>(svg.legends.size()), static_cast<long long>(problems.size()));
      ++figures_;
      for (const QString& p : problems)
        failures_ << QFileInfo(file).fileName() + QStringLiteral(": ") + p;
    }
    // A figure does not depend on what was exported before it: the first size again, after the
    // others (a slide figure's larger margins must not stay with the view), gives the same SVG.
    if (!expect.sameView) return;
    const QString first =
        QStringLiteral("%1/%2_%3.svg").arg(kOut, name, QLatin1String(kSizes[0].name));
    const QString again =
        QStringLiteral("%1/%2_%3_again.svg").arg(kOut, name, QLatin1String(kSizes[0].name));
    write(again, kSizes[0]);
    if (readAll(first) != readAll(again))
      failures_ << QFileInfo(again).fileName() + QStringLiteral(": differs from ") +
                       QFileInfo(first).fileName();
  }

  static FigureOptions optionsFor(const Size& size) {
    FigureOptions o;
    o.format = FigureFormat::Svg;
    o.style = size.style;
    o.widthIn = size.widthIn;
    return o;
  }

  static void exportAt(QWidget* view, const QString& file, const Size& size, double aspect = 0) {
    FigureOptions o = optionsFor(size);
    o.aspect = aspect;
    exportFigure(view, file, o, QJsonObject{});
  }

  // `attnx figure` in this process on the demo with its soft prefix, BOS and anchor.
  static void figureCommand(const QStringList& args, const QString& file, const Size& size) {
    std::vector<std::string> argv = {
        "--model",
        demoDir().toStdString(),
        "--soft-tokens",
        (demoDir() + QStringLiteral("/soft_tokens.safetensors")).toStdString(),
        "--soft-index",
        "0",
        "--bos-after-soft",
        "--anchor",
        "Q: what is the secret word? A:",
        "--style",
        size.style == FigureStyle::Slide ? "slide" : "paper",
        "--width-in",
        QString::number(size.widthIn).toStdString(),
        "--format",
        "svg",
        "--out",
        file.toStdString()};
    for (const QString& a : args) argv.push_back(a.toStdString());
    QCOMPARE(runFigureCommand(argv), 0);
  }

 private slots:
  void initTestCase() {
    QVERIFY2(QFileInfo::exists(demoDir() + QStringLiteral("/model.safetensors")),
             "resources/demo is not there");
    QDir(kOut).removeRecursively();
    QVERIFY(QDir().mkpath(kOut));
    demo_.run(demoDir().toStdString());
  }

  // The reader finds what it must: a label off the page, two labels on each other, a legend over
  // a curve drawn before it, and nothing in a clean figure.
  void theReaderFindsCollisions() {
    const QString file = kOut + QStringLiteral("/reader.svg");
    const auto write = [&](const QString& body) {
      QFile f(file);
      QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
      f.write(QStringLiteral(
                  "<svg viewBox=\"0 0 200 100\" xmlns=\"http://www.w3.org/2000/svg\">"
                  "<g font-family=\"Sans Serif\" font-size=\"10\" fill=\"#000000\">%1</g></svg>")
                  .arg(body)
                  .toUtf8());
    };
    QString error;
    write(
        QStringLiteral("<text x=\"10\" y=\"20\">left</text><text x=\"100\" y=\"20\">right</text>"));
    SvgLayout svg = readSvg(file, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(svg.labels.size(), 2);
    QVERIFY(svg.labels[0].box.width() > 10 && svg.labels[0].box.height() > 5);
    QVERIFY2(layoutProblems(svg).isEmpty(), qPrintable(layoutProblems(svg).join('\n')));
    write(
        QStringLiteral("<text x=\"10\" y=\"20\">left</text><text x=\"20\" y=\"22\">right</text>"));
    QVERIFY(layoutProblems(readSvg(file, &error)).join(' ').contains(QStringLiteral("overlap")));
    write(QStringLiteral("<text x=\"185\" y=\"20\">edge</text>"));
    QVERIFY(
        layoutProblems(readSvg(file, &error)).join(' ').contains(QStringLiteral("off the page")));
    // Rotated by the group's matrix (as the y axis label is): its box is tall, not wide.
    write(
        QStringLiteral("<g transform=\"matrix(0,-1,1,0,20,90)\"><text x=\"0\" y=\"0\">upright "
                       "label</text></g>"));
    svg = readSvg(file, &error);
    QVERIFY(svg.labels.size() == 1 && svg.labels[0].box.height() > 3 * svg.labels[0].box.width());
    const QString legend = QStringLiteral(
        "<g fill=\"#ffffff\" stroke=\"#000000\"><path d=\"M100,10 L190,10 L190,40 L100,40 "
        "L100,10\"/></g>"
        "<text x=\"110\" y=\"30\">legend</text>");
    write(QStringLiteral(
              "<g fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\"><polyline points=\"10,90 "
              "150,20 \"/></g>") +
          legend);
    QVERIFY(
        layoutProblems(readSvg(file, &error)).join(' ').contains(QStringLiteral("covers data")));
    write(QStringLiteral(
              "<g fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\"><polyline points=\"10,90 "
              "90,60 \"/></g>") +
          legend);
    QVERIFY(layoutProblems(readSvg(file, &error)).isEmpty());
    // A legend box written as <rect> under nested transforms, over a band drawn before it; a
    // shape in <defs> is not drawn.
    write(QStringLiteral(
        "<defs><g fill=\"#1f77b4\"><path d=\"M10,10 L190,10 L190,90 Z\"/></g></defs>"
        "<g fill=\"#1f77b4\"><path d=\"M120,15 L130,15 L130,25 Z\"/></g>"
        "<g transform=\"matrix(1,0,0,1,50,0)\"><g transform=\"matrix(1,0,0,1,50,10)\" "
        "fill=\"#ffffff\" stroke=\"#000000\"><rect x=\"0\" y=\"0\" width=\"90\" height=\"30\"/>"
        "</g></g><text x=\"110\" y=\"30\">legend</text>"));
    svg = readSvg(file, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(svg.legends.size(), 1);
    QCOMPARE(svg.legends[0], QRectF(100, 10, 90, 30));
    QCOMPARE(svg.shapesBefore.size(), 2);
    QVERIFY(layoutProblems(svg).join(' ').contains(QStringLiteral("covers data")));
  }

  void explorerViews() {
    MainWindow w;
    const QString problem = figure_windows::showDemoRun(w);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const std::pair<const char*, QWidget*> views[] = {
        {"explorer_heatmap", w.heatmapView()}, {"explorer_layers", w.layerCurvesView()},
        {"explorer_grid", w.headGridView()},   {"explorer_token_strip", w.tokenStripView()},
        {"explorer_lens", w.lensView()},       {"explorer_diagnostics", w.diagnosticsPanel()}};
    for (const auto& [name, view] : views)
      check(QString::fromLatin1(name),
            [&](const QString& f, const Size& size) { exportAt(view, f, size); },
            {.legend = view == w.layerCurvesView()});
  }

  void generationStepsAndSpecialTokens() {
    // A demo example with the end-of-sequence token after its text (a special token: grey
    // curves) and three generated steps: a step's heatmap is a row strip, alone and as panels,
    // and its curves add the generated tokens.
    RunRequest request;
    request.parts = exampleParts(demo_.examples[0], 0, demo_.results.settings, demo_.soft);
    const std::optional<int64_t> eos =
        demo_.model->tokenizer() ? demo_.model->tokenizer()->eosId() : std::nullopt;
    QVERIFY2(eos, "the demo tokenizer has no end-of-sequence token");
    InputPart special;
    special.kind = SegmentKind::Special;
    special.ids = {*eos};
    request.parts.push_back(special);
    request.generate = 3;
    request.stopAtEos = false;
    auto run = std::make_shared<const RunResult>(demo_.model->run(request));
    QCOMPARE(static_cast<int>(run->stepAttentions.size()), 3);
    RunDocument doc;
    doc.setResult(run);
    Selection step = doc.selection();
    step.layer = 1;
    step.step = 2;
    doc.setSelection(step);
    HeatmapView heatmap(&doc);
    LayerCurvesView curves(&doc);
    for (QWidget* v : {static_cast<QWidget*>(&heatmap), static_cast<QWidget*>(&curves)}) {
      v->setAttribute(Qt::WA_DontShowOnScreen);
      v->resize(720, 640);
      v->show();
    }
    QVERIFY(!curves.plottedMeans(SegmentKind::Special).empty());
    QVERIFY(!curves.plottedMeans(SegmentKind::Generated).empty());
    check(QStringLiteral("step_heatmap"),
          [&](const QString& f, const Size& size) { exportAt(&heatmap, f, size); });
    check(QStringLiteral("step_layers"),
          [&](const QString& f, const Size& size) { exportAt(&curves, f, size); },
          {.legend = true});
    // The step's heads as panels: strips of their own, one shared bar.
    FigurePanelSet set;
    for (int h = 0; h < run->model.heads; ++h) {
      Selection sel = step;
      sel.head = HeadChoice::one(h);
      set.add(QStringLiteral("heatmap"), run, sel, panelLetter(h));
    }
    set.applyColorRange();
    check(QStringLiteral("step_heads_all"), [&](const QString& f, const Size& size) {
      exportFigurePanels(set.panels(), defaultFigureColumns(set.size(), size.widthIn), f,
                         optionsFor(size), QJsonObject{});
    });
  }

  void figureCommandPanelsAndComparisons() {
    const std::pair<const char*, QStringList> figures[] = {
        {"figure_heads_all", {"--view", "heatmap", "--layer", "1", "--panels", "heads:all"}},
        {"figure_layers_all", {"--view", "heatmap", "--head", "0", "--panels", "layers:all"}},
        {"figure_heatmap_without_soft",
         {"--view", "heatmap", "--layer", "1", "--compare-without-soft"}},
        {"figure_layers_without_soft", {"--view", "layers", "--compare-without-soft"}},
        {"figure_grid_without_soft", {"--view", "grid", "--compare-without-soft"}}};
    for (const auto& [name, args] : figures)
      check(QString::fromLatin1(name),
            [&](const QString& f, const Size& size) { figureCommand(args, f, size); },
            {.legend = args.contains(QStringLiteral("layers")), .sameView = false});
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
      check(QString::fromLatin1(name),
            [&](const QString& f, const Size& size) { exportAt(view, f, size); },
            {.legend = view == win.groupCurvesView()});
    QVERIFY(comparison.showExamples());
    check(QStringLiteral("comparison_example"),
          [&](const QString& f, const Size& size) { exportAt(win.exampleView(0), f, size); });
    check(QStringLiteral("comparison_example_difference"), [&](const QString& f, const Size& size) {
      exportAt(win.exampleDifferenceView(), f, size);
    });
    check(QStringLiteral("comparison_side_by_side"), [&](const QString& f, const Size& size) {
      QVERIFY(win.exportSideBySide(f, optionsFor(size)));
    });
  }

  void everyFigureLaysOutCleanly() {
    qInfo("%d figures read back, %lld problem(s)", figures_,
          static_cast<long long>(failures_.size()));
    for (const QString& f : failures_) qWarning("%s", qPrintable(f));
    QVERIFY2(figures_ > 0, "no figure was checked");
    QVERIFY2(failures_.isEmpty(), "some figures do not lay out cleanly (above)");
  }
};

QTEST_MAIN(TestFigureLayout)
#include "test_figure_layout.moc"
