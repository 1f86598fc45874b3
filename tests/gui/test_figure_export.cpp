// Figure export through `attnx figure` on a fixture checkpoint: a PNG has the pixel size its DPI
// and width imply and carries the manifest; an SVG is well-formed XML whose token labels are
// <text> elements; a PDF's page is the figure's size and embeds its fonts; the manifest beside
// the file records the run; bad input exits non-zero with one line. Output in /tmp/attnx-figures/.
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>
#include <cmath>

#include "figure_export.h"
#include "heatmap_view.h"
#include "main_window.h"
#include "model.h"
#include "qt_support.h"
#include "run_document.h"
#include "safetensors.h"

using namespace attnx;
using attnx::qt_support::Outcome;
using attnx::qt_support::sharedDir;

namespace {

QString modelDir() { return qt_support::modelDir("llama_gqa"); }

const QString kIds = QStringLiteral("5,17,42,99,7,250,3,11");

Outcome runFigure(const QStringList& args) {
  return qt_support::runAttnx(QStringList{QStringLiteral("figure")} + args);
}

QStringList baseArgs(const QString& view, const QString& format, const QString& out) {
  return {QStringLiteral("--model"), modelDir(), QStringLiteral("--input-ids"), kIds,
          QStringLiteral("--view"),  view,       QStringLiteral("--format"),    format,
          QStringLiteral("--out"),   out};
}

QJsonObject readJson(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QJsonDocument::fromJson(f.readAll()).object();
}

QString outDir() {
  QDir().mkpath(QStringLiteral("/tmp/attnx-figures"));
  return QStringLiteral("/tmp/attnx-figures");
}

}  // namespace

class TestFigureExport : public QObject {
  Q_OBJECT
 private slots:
  void pngHasDpiSizeAndManifest() {
    const QString out = outDir() + QStringLiteral("/heatmap.png");
    QFile::remove(out);
    const Outcome o = runFigure(baseArgs(QStringLiteral("heatmap"), QStringLiteral("png"), out) +
                                QStringList{QStringLiteral("--layer"), QStringLiteral("1"),
                                            QStringLiteral("--head"), QStringLiteral("2"),
                                            QStringLiteral("--query"), QStringLiteral("5")});
    QVERIFY2(o.code == 0, qPrintable(o.err));
    const QImage image(out);
    QVERIFY(!image.isNull());
    QCOMPARE(image.width(), 975);  // 3.25 in x 300 dpi
    // The heatmap is exported at its widget's aspect (720 x 640 in the command).
    QCOMPARE(image.height(), static_cast<int>(std::lround(3.25 * 640.0 / 720.0 * 300.0)));
    QCOMPARE(std::lround(image.dotsPerMeterX() * 0.0254), 300L);
    const QJsonObject m = readJson(out + QStringLiteral(".json"));
    QCOMPARE(m.value(QStringLiteral("layer")).toInt(-1), 1);
    QCOMPARE(m.value(QStringLiteral("head")).toString(), QStringLiteral("2"));
    QCOMPARE(m.value(QStringLiteral("query")).toInt(-1), 5);
    QCOMPARE(m.value(QStringLiteral("view")).toString(), QStringLiteral("heatmap"));
    const QJsonObject model = m.value(QStringLiteral("model")).toObject();
    QCOMPARE(model.value(QStringLiteral("dir")).toString(), QDir(modelDir()).absolutePath());
    // The hash of config.json is the file's, not a placeholder.
    QFile config(modelDir() + QStringLiteral("/config.json"));
    QVERIFY(config.open(QIODevice::ReadOnly));
    QCOMPARE(model.value(QStringLiteral("config_sha256")).toString(),
             QString::fromLatin1(
                 QCryptographicHash::hash(config.readAll(), QCryptographicHash::Sha256).toHex()));
    QCOMPARE(model.value(QStringLiteral("weights"))
                 .toObject()
                 .value(QStringLiteral("sha256"))
                 .toString()
                 .size(),
             64);
    QCOMPARE(m.value(QStringLiteral("input"))
                 .toObject()
                 .value(QStringLiteral("input_ids"))
                 .toArray()
                 .size(),
             8);
    // The same manifest is embedded in the PNG.
    const QJsonObject embedded =
        QJsonDocument::fromJson(image.text(QStringLiteral("attnx-manifest")).toUtf8()).object();
    QCOMPARE(embedded, m);
    // The figure is drawn, not blank: many distinct colours.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
      for (int x = 0; x < image.width(); x += 7) colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
  }

  void pngDoubleColumnAtOtherDpi() {
    const QString out = outDir() + QStringLiteral("/grid.png");
    const Outcome o = runFigure(baseArgs(QStringLiteral("grid"), QStringLiteral("png"), out) +
                                QStringList{QStringLiteral("--width-in"), QStringLiteral("6.75"),
                                            QStringLiteral("--dpi"), QStringLiteral("150"),
                                            QStringLiteral("--style"), QStringLiteral("slide")});
    QVERIFY2(o.code == 0, qPrintable(o.err));
    const QImage image(out);
    QCOMPARE(image.width(), static_cast<int>(std::lround(6.75 * 150)));
    const QJsonObject figure =
        readJson(out + QStringLiteral(".json")).value(QStringLiteral("figure")).toObject();
    QCOMPARE(figure.value(QStringLiteral("width_in")).toDouble(), 6.75);
    QCOMPARE(figure.value(QStringLiteral("style")).toString(), QStringLiteral("slide"));
    const double heightIn = figure.value(QStringLiteral("height_in")).toDouble();
    QVERIFY(heightIn > 1.0 && heightIn < 6.75 * 1.5);
    QCOMPARE(image.height(), static_cast<int>(std::lround(heightIn * 150)));
  }

  void svgIsXmlWithTextLabels() {
    const QString out = outDir() + QStringLiteral("/heatmap.svg");
    const Outcome o = runFigure(baseArgs(QStringLiteral("heatmap"), QStringLiteral("svg"), out) +
                                QStringList{QStringLiteral("--width-in"), QStringLiteral("6.75")});
    QVERIFY2(o.code == 0, qPrintable(o.err));
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&f);
    QStringList texts;
    QString desc;
    while (!xml.atEnd()) {
      xml.readNext();
      if (xml.isStartElement() && xml.name() == QLatin1String("text"))
        texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
      else if (xml.isStartElement() && xml.name() == QLatin1String("desc"))
        desc = xml.readElementText();
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    // The labels the view shows for the run's tokens are <text>, not outlines.
    auto model = Model::load(modelDir().toStdString());
    BatchInput in;
    in.seqLen = 8;
    for (const QString& s : kIds.split(QLatin1Char(','))) in.ids.push_back(s.toLongLong());
    const RunResult r = model->run(in, CapturePolicy{});
    int found = 0;
    for (const std::string& t : r.tokens)
      for (const QString& text : texts)
        if (text.contains(QString::fromStdString(t).trimmed())) {
          ++found;
          break;
        }
    QVERIFY2(found == static_cast<int>(r.tokens.size()),
             qPrintable(QStringLiteral("%1 of %2 token labels found in %3")
                            .arg(found)
                            .arg(r.tokens.size())
                            .arg(texts.join(QLatin1Char('|')))));
    QCOMPARE(QJsonDocument::fromJson(desc.toUtf8()).object().value(QStringLiteral("view")),
             QJsonValue(QStringLiteral("heatmap")));
  }

  void pdfPageIsFigureSizeWithFonts() {
    const QString out = outDir() + QStringLiteral("/layers.pdf");
    const Outcome o = runFigure(baseArgs(QStringLiteral("layers"), QStringLiteral("pdf"), out));
    QVERIFY2(o.code == 0, qPrintable(o.err));
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray pdf = f.readAll();
    QVERIFY(pdf.startsWith("%PDF"));
    const QRegularExpression box(
        QStringLiteral("/MediaBox\\s*\\[\\s*0\\s+0\\s+([0-9.]+)\\s+([0-9.]+)\\s*\\]"));
    const auto m = box.match(QString::fromLatin1(pdf));
    QVERIFY(m.hasMatch());
    QVERIFY2(std::abs(m.captured(1).toDouble() - 3.25 * 72) < 1.0, qPrintable(m.captured(1)));
    QVERIFY2(std::abs(m.captured(2).toDouble() - 3.25 * 520.0 / 800.0 * 72) < 1.0,
             qPrintable(m.captured(2)));
    QVERIFY(pdf.contains("/FontFile2") || pdf.contains("/FontFile"));
    QCOMPARE(readJson(out + QStringLiteral(".json")).value(QStringLiteral("view")).toString(),
             QStringLiteral("layers"));
  }

  void softPrefixIsInTheManifest() {
    // The fixture's soft prefix as a soft-token file of its own.
    const auto cases = SafetensorsFile::open(
        (sharedDir() + QStringLiteral("/fixtures/cases/llama_gqa__b_soft_prefix.safetensors"))
            .toStdString());
    const TensorView& prefix = cases.at("in.soft_prefix");
    QCOMPARE(prefix.dtype, DType::F32);
    const QString softFile = outDir() + QStringLiteral("/soft_tokens.safetensors");
    writeSafetensors(softFile.toStdString(),
                     {OwnedTensor::fromFloats("soft_tokens", prefix.shape,
                                              reinterpret_cast<const float*>(prefix.data))});
    const int rows = static_cast<int>(prefix.shape[prefix.shape.size() - 2]);
    const QString out = outDir() + QStringLiteral("/soft.pdf");
    const Outcome o = runFigure(baseArgs(QStringLiteral("heatmap"), QStringLiteral("pdf"), out) +
                                QStringList{QStringLiteral("--soft-tokens"), softFile,
                                            QStringLiteral("--bos-after-soft"),
                                            QStringLiteral("--head"), QStringLiteral("max")});
    QVERIFY2(o.code == 0, qPrintable(o.err));
    const QJsonObject m = readJson(out + QStringLiteral(".json"));
    QCOMPARE(m.value(QStringLiteral("head")).toString(), QStringLiteral("max"));
    QCOMPARE(m.value(QStringLiteral("query")).toInt(-1), rows + 1 + 8 - 1);  // the last position
    const QJsonObject input = m.value(QStringLiteral("input")).toObject();
    QFile f(softFile);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(input.value(QStringLiteral("soft_tokens"))
                 .toObject()
                 .value(QStringLiteral("sha256"))
                 .toString(),
             QString::fromLatin1(
                 QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex()));
    const QJsonArray segs = input.value(QStringLiteral("segments")).toArray();
    QVERIFY(segs.size() >= 3);
    QCOMPARE(segs[0].toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("soft"));
    QCOMPARE(segs[0].toObject().value(QStringLiteral("end")).toInt(), rows);
    QCOMPARE(segs[1].toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("bos"));
  }

  void windowActionsExportAndCopy() {
    MainWindow window;
    auto* exportAction = window.findChild<QAction*>(QStringLiteral("exportFigureAction"));
    auto* copyAction = window.findChild<QAction*>(QStringLiteral("copyImageAction"));
    QVERIFY(exportAction && copyAction);
    QCOMPARE(exportAction->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_E));
    QCOMPARE(copyAction->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    QApplication::clipboard()->clear();
    copyAction->trigger();
    const QImage copied = QApplication::clipboard()->image();
    QCOMPARE(copied.width(), static_cast<int>(std::lround(6.75 * 150)));
  }

  void badInputExitsNonZeroWithOneLine() {
    const QString out = outDir() + QStringLiteral("/bad.png");
    QFile::remove(out);
    for (const QStringList& args :
         {baseArgs(QStringLiteral("pie"), QStringLiteral("png"), out),
          baseArgs(QStringLiteral("heatmap"), QStringLiteral("gif"), out),
          baseArgs(QStringLiteral("heatmap"), QStringLiteral("png"), out) +
              QStringList{QStringLiteral("--layer"), QStringLiteral("99")},
          baseArgs(QStringLiteral("heatmap"), QStringLiteral("png"), out) +
              QStringList{QStringLiteral("--head"), QStringLiteral("x")}}) {
      const Outcome o = runFigure(args);
      QVERIFY2(o.code != 0, qPrintable(args.join(QLatin1Char(' '))));
      QCOMPARE(o.err.trimmed().count(QLatin1Char('\n')), 0);
      QVERIFY(o.err.startsWith(QStringLiteral("attnx figure: ")));
      QVERIFY(!QFile::exists(out));
    }
    QStringList missing = baseArgs(QStringLiteral("heatmap"), QStringLiteral("png"), out);
    missing[1] = QStringLiteral("/nonexistent/model");
    const Outcome o = runFigure(missing);
    QCOMPARE(o.code, 1);
    QVERIFY(!QFile::exists(out));
  }

  void theExtensionDecidesTheFormatAndAContradictionIsAUsageError() {
    // A PDF named .png is refused before anything runs: exit 2.
    const QString png = outDir() + QStringLiteral("/format.png");
    const QString svg = outDir() + QStringLiteral("/format.svg");
    QFile::remove(png);
    QFile::remove(svg);
    Outcome o = runFigure(baseArgs(QStringLiteral("heatmap"), QStringLiteral("pdf"), png));
    QCOMPARE(o.code, 2);
    QVERIFY2(o.err.contains(QStringLiteral("contradicts")), qPrintable(o.err));
    QVERIFY(!QFile::exists(png));
    // Without --format, the extension decides: an SVG document, an image.
    QStringList noFormat = baseArgs(QStringLiteral("heatmap"), QStringLiteral("svg"), svg);
    noFormat.removeAt(noFormat.indexOf(QStringLiteral("--format")) + 1);
    noFormat.removeAll(QStringLiteral("--format"));
    o = runFigure(noFormat);
    QVERIFY2(o.code == 0, qPrintable(o.err));
    QFile f(svg);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().contains("<svg"));
    noFormat[noFormat.indexOf(svg)] = png;
    o = runFigure(noFormat);
    QVERIFY2(o.code == 0, qPrintable(o.err));
    QCOMPARE(QImage(png).isNull(), false);
    // Neither a format nor a known extension: a usage error naming both ways out.
    noFormat[noFormat.indexOf(png)] = outDir() + QStringLiteral("/format.fig");
    o = runFigure(noFormat);
    QCOMPARE(o.code, 2);
    QVERIFY2(o.err.contains(QStringLiteral("--format png|pdf|svg")), qPrintable(o.err));
  }

  void noSelectionReachesAFigureUnlessAskedFor() {
    // Each view twice, with selections that change only what the window marks (the heatmap's
    // query row, the curves' layer, the grid's layer and head): the figures must be the same
    // pixels, and differ once the mark is asked for. Titles carry no GUI words.
    struct Case {
      QString view;
      QStringList first, second, mark;
    };
    const QString L = QStringLiteral("--layer"), H = QStringLiteral("--head"),
                  Q = QStringLiteral("--query");
    const QList<Case> cases{
        {QStringLiteral("heatmap"),
         {L, "1", H, "2", Q, "3"},
         {L, "1", H, "2", Q, "6"},
         {QStringLiteral("--mark-query")}},
        {QStringLiteral("layers"),
         {L, "0", Q, "5"},
         {L, "2", Q, "5"},
         {QStringLiteral("--mark-layer")}},
        {QStringLiteral("grid"),
         {L, "0", H, "1", Q, "5"},
         {L, "1", H, "3", Q, "5"},
         {QStringLiteral("--mark-layer")}},
    };
    for (const Case& c : cases) {
      auto render = [&](const QStringList& selection, const QStringList& extra,
                        const QString& format, const QString& name) {
        const QString out = outDir() + QStringLiteral("/marks_%1_%2.%3").arg(c.view, name, format);
        QFile::remove(out);
        const Outcome o = runFigure(baseArgs(c.view, format, out) + selection + extra +
                                    QStringList{QStringLiteral("--dpi"), QStringLiteral("100")});
        if (o.code != 0) qWarning() << o.err;
        return out;
      };
      const QImage a(render(c.first, {}, QStringLiteral("png"), QStringLiteral("a")));
      const QImage b(render(c.second, {}, QStringLiteral("png"), QStringLiteral("b")));
      QVERIFY2(!a.isNull() && !b.isNull(), qPrintable(c.view));
      QVERIFY2(a == b, qPrintable(c.view + QStringLiteral(": the selection reached the figure")));
      const QString markedFile =
          render(c.first, c.mark, QStringLiteral("png"), QStringLiteral("m"));
      const QImage marked(markedFile);
      QVERIFY2(!marked.isNull() && marked.size() == a.size() && marked != a,
               qPrintable(c.view + QStringLiteral(": the asked-for mark is missing")));
      const QJsonObject marks = readJson(markedFile + QStringLiteral(".json"))
                                    .value(QStringLiteral("figure"))
                                    .toObject()
                                    .value(QStringLiteral("marks"))
                                    .toObject();
      QCOMPARE(marks.value(QStringLiteral("layer")).toBool(),
               c.mark.contains(QStringLiteral("--mark-layer")));
      QCOMPARE(marks.value(QStringLiteral("query")).toBool(),
               c.mark.contains(QStringLiteral("--mark-query")));
      // The SVG's drawn text (not the manifest in <desc>): no "selected layer", no "prompt".
      QFile svg(render(c.first, {}, QStringLiteral("svg"), QStringLiteral("a")));
      QVERIFY(svg.open(QIODevice::ReadOnly));
      QXmlStreamReader xml(&svg);
      QString text;
      while (!xml.atEnd())
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("text"))
          text += xml.readElementText(QXmlStreamReader::IncludeChildElements) + QLatin1Char(' ');
      QVERIFY2(!xml.hasError() && !text.isEmpty(), qPrintable(c.view));
      for (const char* word : {"selected", "prompt"})
        QVERIFY2(!text.contains(QLatin1String(word)),
                 qPrintable(c.view + QStringLiteral(" figure says '%1'").arg(word)));
    }
  }
};

QTEST_MAIN(TestFigureExport)
#include "test_figure_export.moc"
