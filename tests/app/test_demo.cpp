// The built-in demo: extracted from the resources once, byte for byte, reused, repaired when
// damaged; its examples read from prompts.json with the correct soft-token example first.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include "demo.h"
#include "demo_resources.h"
#include "error.h"

using attnx::Demo;

namespace {

QString sourceDemoDir() {
  const QByteArray env = qgetenv("ATTNX_SOURCE_DIR");
  const QString root =
      env.isEmpty() ? QStringLiteral(ATTNX_SOURCE_DIR) : QString::fromLocal8Bit(env);
  return root + QStringLiteral("/resources/demo");
}

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class TestDemo : public QObject {
  Q_OBJECT
  QTemporaryDir cache_;

 private slots:
  void initTestCase() {
    QVERIFY(cache_.isValid());
    if (!attnx::initDemoResources() || !Demo::available())
      QSKIP("this build has no demo model (resources/demo/ was incomplete at configure time)");
  }

  void extractsEveryFileByteForByte() {
    const QString dir = Demo::extract(cache_.path());
    QVERIFY(QFileInfo(dir).fileName().startsWith(QStringLiteral("demo-")));
    for (const QString& name : Demo::fileNames()) {
      const QByteArray got = readAll(QDir(dir).filePath(name));
      QVERIFY2(!got.isEmpty(), qPrintable(name));
      QVERIFY2(got == readAll(sourceDemoDir() + "/" + name), qPrintable(name));
    }
    // No partial folder is left behind.
    const QStringList entries = QDir(cache_.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCOMPARE(entries, QStringList{QFileInfo(dir).fileName()});
  }

  void reusesAnIntactCopyAndRepairsADamagedOne() {
    const QString dir = Demo::extract(cache_.path());
    const QString config = QDir(dir).filePath(QStringLiteral("config.json"));
    const QDateTime written = QFileInfo(config).lastModified();
    QTest::qWait(20);
    QCOMPARE(Demo::extract(cache_.path()), dir);
    QCOMPARE(QFileInfo(config).lastModified(), written);  // not written again

    QVERIFY(QFile::remove(QDir(dir).filePath(QStringLiteral("model.safetensors"))));
    QFile truncated(config);
    QVERIFY(truncated.open(QIODevice::WriteOnly | QIODevice::Truncate));
    truncated.close();
    QCOMPARE(Demo::extract(cache_.path()), dir);
    QVERIFY(readAll(config) == readAll(sourceDemoDir() + "/config.json"));
    QVERIFY(QFileInfo(QDir(dir).filePath(QStringLiteral("model.safetensors"))).size() > 0);
  }

  void anUnwritableCacheIsAClearError() {
    QTemporaryDir parent;
    const QString file = parent.filePath(QStringLiteral("a-file"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    try {
      Demo::extract(file + QStringLiteral("/below"));  // below a plain file: cannot be created
      QFAIL("no error");
    } catch (const attnx::Error& e) {
      QVERIFY2(QString::fromStdString(e.what()).contains(QStringLiteral("a-file")), e.what());
    }
  }

  void theStartupExampleIsTheCorrectSoftTokenOne() {
    const QString dir = Demo::extract(cache_.path());
    const attnx::DemoExample ex = Demo::startupExample(dir);
    QCOMPARE(QFileInfo(ex.softTokenFile).fileName(),
             QStringLiteral("soft_example_correct.safetensors"));
    QVERIFY(QFileInfo::exists(ex.softTokenFile));
    QVERIFY(!ex.anchor.isEmpty());
    QVERIFY(ex.bosAfterSoft);
    QVERIFY(ex.generate >= 1);  // the answer is the next token

    const QList<attnx::DemoExample> all = Demo::examples(dir);
    QVERIFY(all.size() >= 2);
    QCOMPARE(all.first().softTokenFile, ex.softTokenFile);
    for (const auto& e : all) {
      QVERIFY(!e.name.isEmpty());
      QVERIFY2(!e.prompt.isEmpty() || !e.softTokenFile.isEmpty(), qPrintable(e.name));
      if (!e.softTokenFile.isEmpty())
        QVERIFY2(QFileInfo::exists(e.softTokenFile), qPrintable(e.name));
    }
  }
};

QTEST_GUILESS_MAIN(TestDemo)
#include "test_demo.moc"
