// The attnx executable's own command line: an unknown word is a usage error with or without a
// display; no display is a clear message (exit 1), not an abort; QApplication never sees
// attnx's options (--style paper); every subcommand answers --help; `attnx figure` draws the
// guide's input [soft][BOS][anchor] without a prompt and a prefix of a batch soft-token file.
// And the names figures record are the stable ones under a German interface.
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTranslator>
#include <QtTest>

#include "comparison_window.h"
#include "dataset_document.h"
#include "heatmap_view.h"
#include "qt_support.h"
#include "stable_names.h"

using namespace attnx;
using namespace attnx::qt_support;

namespace {

const QList<QPair<QString, QString>> kNoDisplay = {{QStringLiteral("DISPLAY"), QString()},
                                                   {QStringLiteral("WAYLAND_DISPLAY"), QString()},
                                                   {QStringLiteral("QT_QPA_PLATFORM"), QString()}};

}  // namespace

class TestAppCommandLine : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

 private slots:
  void anUnknownWordIsAUsageErrorWithOrWithoutADisplay() {
    for (const auto& env : {kNoDisplay, QList<QPair<QString, QString>>{
                                            {QStringLiteral("QT_QPA_PLATFORM"),
                                             QStringLiteral("offscreen")}}}) {
      const Outcome o = runAttnx({QStringLiteral("nosuchword")}, env);
      QVERIFY2(!o.crashed, qPrintable(o.err));
      QCOMPARE(o.code, 2);
      QVERIFY2(
          o.err.contains(QStringLiteral("'nosuchword'")) &&
              o.err.contains(QStringLiteral(
                  "tokenize, run, stats, scan, attention, plan, import, figure, analyze, merge")),
          qPrintable(o.err));
      QCOMPARE(o.err.count(QLatin1Char('\n')), 1);
    }
    const Outcome option = runAttnx({QStringLiteral("--nosuchoption")}, kNoDisplay);
    QCOMPARE(option.code, 2);
    QVERIFY2(option.err.contains(QStringLiteral("unknown option --nosuchoption")),
             qPrintable(option.err));
  }

  void noDisplayIsAClearMessage() {
    const Outcome o = runAttnx({}, kNoDisplay);
    QVERIFY2(!o.crashed, qPrintable(o.err));
    QCOMPARE(o.code, 1);
    QVERIFY2(o.err.contains(QStringLiteral("no display")), qPrintable(o.err));
    // A display that cannot be reached: Qt's platform plugin gives up, attnx says so and exits 1.
    const Outcome unreachable = runAttnx({}, {{QStringLiteral("DISPLAY"), QStringLiteral(":97")},
                                              {QStringLiteral("QT_QPA_PLATFORM"), QString()}});
    QVERIFY2(!unreachable.crashed, qPrintable(unreachable.err));
    QCOMPARE(unreachable.code, 1);
    QVERIFY2(unreachable.err.contains(QStringLiteral("attnx: cannot open the window")),
             qPrintable(unreachable.err));
  }

  void everySubcommandAnswersHelp() {
    for (const char* name : {"tokenize", "run", "stats", "figure", "analyze"}) {
      const Outcome o = runAttnx({QString::fromLatin1(name), QStringLiteral("--help")}, kNoDisplay);
      QCOMPARE(o.code, 0);
      QVERIFY2(o.out.startsWith(QStringLiteral("usage: attnx ") + QLatin1String(name)),
               qPrintable(o.out));
    }
    const Outcome help = runAttnx({QStringLiteral("--help")}, kNoDisplay);
    QCOMPARE(help.code, 0);
    QVERIFY(help.out.contains(QStringLiteral("SUBCOMMAND --help")));
  }

  void figuresDrawTheGuidesInputAndKeepTheirOptionsFromQt() {
    const QString out = tmp_.filePath(QStringLiteral("guide.png"));
    const Outcome o = runAttnx(
        {QStringLiteral("figure"), QStringLiteral("--model"), demoDir(),
         QStringLiteral("--soft-tokens"), demoDir() + QStringLiteral("/soft_tokens.safetensors"),
         QStringLiteral("--soft-index"), QStringLiteral("3"), QStringLiteral("--bos-after-soft"),
         QStringLiteral("--anchor"), QStringLiteral("Q: what is the secret word? A:"),
         QStringLiteral("--view"), QStringLiteral("grid"), QStringLiteral("--style"),
         QStringLiteral("paper"), QStringLiteral("--format"), QStringLiteral("png"),
         QStringLiteral("--out"), out},
        kNoDisplay);
    QVERIFY2(o.code == 0, qPrintable(o.err));
    // QApplication parsed none of it: no "invalid style override".
    QVERIFY2(!o.err.contains(QStringLiteral("style")), qPrintable(o.err));
    QVERIFY(QFileInfo(out).size() > 0);
    QFile m(out + QStringLiteral(".json"));
    QVERIFY(m.open(QIODevice::ReadOnly));
    const QJsonObject manifest = QJsonDocument::fromJson(m.readAll()).object();
    const QJsonArray segs = manifest[QStringLiteral("input")][QStringLiteral("segments")].toArray();
    QCOMPARE(segs.size(), 3);
    QCOMPARE(segs[1].toObject()[QStringLiteral("kind")].toString(), QStringLiteral("bos"));
    QCOMPARE(manifest[QStringLiteral("input")][QStringLiteral("soft_tokens")]
                 [QStringLiteral("index")].toInt(),
             3);
  }

  void manifestsUseStableNamesUnderAGermanInterface() {
    const QByteArray bin = qgetenv("ATTNX_BINARY_DIR");
    QVERIFY(!bin.isEmpty());
    QTranslator german;
    QVERIFY(german.load(QString::fromLocal8Bit(bin) + QStringLiteral("/translations/attnx_de.qm")));
    QCoreApplication::installTranslator(&german);
    // The labels are German ...
    QCOMPARE(scaleNames().label(ScaleKind::Logarithmic), QStringLiteral("logarithmisch"));
    // ... the names a figure records are not.
    DatasetDocument doc;
    ComparisonWindow win(&doc);
    auto* heatmap = static_cast<HeatmapView*>(win.exampleView(0));
    heatmap->setColorMap(ColorMapKind::Magma);
    heatmap->setScaleKind(ScaleKind::Logarithmic);
    const QJsonObject m = win.manifestFor(heatmap);
    QCOMPARE(m[QStringLiteral("scale")].toString(), QStringLiteral("log"));
    QCOMPARE(m[QStringLiteral("colormap")].toString(), QStringLiteral("magma"));
    QCOMPARE(colorMapNames().fromId(QStringLiteral("magma")), ColorMapKind::Magma);
    QCoreApplication::removeTranslator(&german);
  }
};

QTEST_MAIN(TestAppCommandLine)
#include "test_app_command_line.moc"
