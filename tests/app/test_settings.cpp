// Settings: one table of keys, defaults, typed round trips, the recent-model list.
#include <QSet>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QtTest>

#include "qt_support.h"
#include "settings.h"

using attnx::DiagnosticThresholds;
using attnx::Settings;
using K = Settings::Key;

class TestSettings : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    attnx::qt_support::isolateSettings(dir_.path(), QStringLiteral("test_settings"));
  }
  void init() { QSettings().clear(); }

  void everyKeyHasAUniquePathAndItsDefault() {
    QSet<QString> paths;
    for (int i = 0; i < int(K::Count); ++i) {
      const auto key = K(i);
      const QString path = Settings::path(key);
      QVERIFY2(!path.isEmpty(), qPrintable(QString::number(i)));
      QVERIFY2(!paths.contains(path), qPrintable(path));
      paths.insert(path);
      QCOMPARE(Settings::get(key), Settings::defaultValue(key));
    }
  }

  void defaultsAreSensible() {
    QCOMPARE(Settings::string(K::Device), QStringLiteral("auto"));
    QCOMPARE(Settings::string(K::Dtype), QStringLiteral("float32"));
    QCOMPARE(Settings::string(K::CaptureRows), QStringLiteral("full"));
    QCOMPARE(Settings::integer(K::GenerateTokens), 0);
    QCOMPARE(float(Settings::real(K::DiagCollapseSoft)), 0.1f);
    QCOMPARE(float(Settings::real(K::DiagDominanceAnchor)), 0.7f);
    QVERIFY(Settings::recentModels().isEmpty());
  }

  void valuesRoundTripWithTheirTypesThroughTheFile() {
    Settings::set(K::ColorMap, QStringLiteral("magma"));
    Settings::set(K::GenerateTokens, 7);
    Settings::set(K::BosAfterSoft, false);
    Settings::set(K::DiagLayerRowL1, 0.05);
    Settings::set(K::WindowGeometry, QByteArray("\x01\x02\x00\xff", 4));
    QSettings().sync();
    // Read back through a fresh QSettings: the INI file returns strings, Settings the types.
    QCOMPARE(Settings::string(K::ColorMap), QStringLiteral("magma"));
    QCOMPARE(Settings::get(K::GenerateTokens).metaType(), QMetaType::fromType<int>());
    QCOMPARE(Settings::integer(K::GenerateTokens), 7);
    QCOMPARE(Settings::get(K::BosAfterSoft).metaType(), QMetaType::fromType<bool>());
    QCOMPARE(Settings::boolean(K::BosAfterSoft), false);
    QCOMPARE(Settings::real(K::DiagLayerRowL1), 0.05);
    QCOMPARE(Settings::get(K::WindowGeometry).toByteArray(), QByteArray("\x01\x02\x00\xff", 4));
    QVERIFY(QFileInfo(QSettings().fileName()).absoluteFilePath().startsWith(dir_.path()));
    Settings::reset(K::ColorMap);
    QCOMPARE(Settings::string(K::ColorMap), Settings::defaultValue(K::ColorMap).toString());
  }

  void recentModelsKeepTenMostRecentFirstWithoutDuplicates() {
    for (int i = 0; i < 12; ++i) Settings::addRecentModel(QStringLiteral("/models/m%1").arg(i));
    QStringList list = Settings::recentModels();
    QCOMPARE(list.size(), Settings::kMaxRecentModels);
    QCOMPARE(list.first(), QStringLiteral("/models/m11"));
    QCOMPARE(list.last(), QStringLiteral("/models/m2"));
    // Re-adding moves to the front; the path is cleaned first.
    Settings::addRecentModel(QStringLiteral("/models/./m5/"));
    list = Settings::recentModels();
    QCOMPARE(list.first(), QStringLiteral("/models/m5"));
    QCOMPARE(list.count(QStringLiteral("/models/m5")), 1);
    QCOMPARE(list.size(), Settings::kMaxRecentModels);
    Settings::addRecentModel(QStringLiteral("   "));
    QCOMPARE(Settings::recentModels(), list);
    Settings::removeRecentModel(QStringLiteral("/models/m5"));
    QVERIFY(!Settings::recentModels().contains(QStringLiteral("/models/m5")));
  }

  void diagnosticThresholdsRoundTrip() {
    const DiagnosticThresholds defaults;
    const DiagnosticThresholds read = Settings::diagnosticThresholds();
    QCOMPARE(read.collapseSoft, defaults.collapseSoft);
    QCOMPARE(read.layerRowL1, defaults.layerRowL1);
    DiagnosticThresholds t;
    t.collapseSoft = 0.25f;
    t.dominanceAnchor = 0.5f;
    t.dominanceSoft = 0.05f;
    t.headSoftStd = 0.01f;
    t.headRowL1 = 0.2f;
    t.layerRowL1 = 0.3f;
    Settings::setDiagnosticThresholds(t);
    QSettings().sync();
    const DiagnosticThresholds back = Settings::diagnosticThresholds();
    QCOMPARE(back.collapseSoft, 0.25f);
    QCOMPARE(back.dominanceAnchor, 0.5f);
    QCOMPARE(back.dominanceSoft, 0.05f);
    QCOMPARE(back.headSoftStd, 0.01f);
    QCOMPARE(back.headRowL1, 0.2f);
    QCOMPARE(back.layerRowL1, 0.3f);
  }

  void changesAreAnnouncedAndNoOpWritesAreNot() {
    QSignalSpy changed(Settings::notifier(), &Settings::changed);
    Settings::set(K::ColorMap, QStringLiteral("cividis"));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed[0][0].value<Settings::Key>(), K::ColorMap);
    Settings::set(K::ColorMap, QStringLiteral("cividis"));  // the same again: nothing
    QCOMPARE(changed.count(), 1);
    Settings::set(K::GenerateTokens, 3);
    QSettings().sync();
    Settings::set(K::GenerateTokens, 3);  // read back from the file as a string, still the same
    QCOMPARE(changed.count(), 2);
    Settings::reset(K::ColorMap);
    QCOMPARE(changed.count(), 3);
    Settings::reset(K::ColorMap);  // nothing stored any more
    QCOMPARE(changed.count(), 3);
    QCOMPARE(Settings::string(K::ColorMap), QStringLiteral("viridis"));
  }

  void aSingleRecentModelSurvivesTheIniFile() {
    // An INI file stores a one-element list as a plain string.
    Settings::addRecentModel(QStringLiteral("/only/one"));
    QSettings().sync();
    QCOMPARE(Settings::recentModels(), QStringList{QStringLiteral("/only/one")});
  }
};

QTEST_GUILESS_MAIN(TestSettings)
#include "test_settings.moc"
