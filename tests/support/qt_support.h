#pragma once
// Helpers shared by the Qt tests (tests/app, tests/gui): where the fixtures and the demo are, the
// attnx executable run as a child process, a window shown and focused, and screenshots.
#include <QDir>
#include <QList>
#include <QPair>
#include <QCoreApplication>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>
#include <QWidget>

namespace attnx::qt_support {

inline QString sharedDir() {
  const QByteArray env = qgetenv("ATTNX_SHARED_DIR");
  return env.isEmpty() ? QStringLiteral(ATTNX_SHARED_DIR_DEFAULT) : QString::fromLocal8Bit(env);
}
inline QString fixturePath(const QString& rel) {
  return sharedDir() + QStringLiteral("/fixtures/") + rel;
}
inline QString modelDir(const char* name) {
  return fixturePath(QStringLiteral("models/") + QLatin1String(name));
}

inline QString sourceDir() {
  const QByteArray env = qgetenv("ATTNX_SOURCE_DIR");
  return env.isEmpty() ? QStringLiteral(ATTNX_SOURCE_DIR) : QString::fromLocal8Bit(env);
}
inline QString demoDir() { return sourceDir() + QStringLiteral("/resources/demo"); }

// A prompt of n token ids spread over a small vocabulary, in the "ids: " form.
inline QString idsPrompt(int n) {
  QStringList s;
  for (int i = 0; i < n; ++i) s << QString::number(3 + (i * 37) % 490);
  return QStringLiteral("ids: ") + s.join(QStringLiteral(", "));
}

struct Outcome {
  int code = -1;  // -1 also when the process did not finish in time
  bool crashed = false;
  QString out, err;
};

using EnvChanges = QList<QPair<QString, QString>>;

// Runs `program` on the offscreen platform with `env` changes applied on top (an empty value
// removes the variable). XDG_RUNTIME_DIR is set, or Qt warns on stderr and hides whether an
// error message is one line.
inline Outcome runProgram(const QString& program, const QStringList& args,
                          const EnvChanges& env = {}) {
  QProcess p;
  QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
  e.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
  static QTemporaryDir runtime;
  e.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime.path());
  for (const auto& [k, v] : env) {
    if (v.isEmpty())
      e.remove(k);
    else
      e.insert(k, v);
  }
  p.setProcessEnvironment(e);
  p.start(program, args);
  if (!p.waitForFinished(300000)) return {};
  const bool crashed = p.exitStatus() != QProcess::NormalExit;
  return {crashed ? -1 : p.exitCode(), crashed, QString::fromUtf8(p.readAllStandardOutput()),
          QString::fromUtf8(p.readAllStandardError())};
}

inline Outcome runAttnx(const QStringList& args, const EnvChanges& env = {}) {
  return runProgram(QStringLiteral(ATTNX_EXE_PATH), args, env);
}

// Every setting goes to an INI file in `dir`, never the user's settings, and the standard
// paths are the test ones; `app` names the test, so that tests never share their settings.
inline void isolateSettings(const QString& dir, const QString& app) {
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName(QStringLiteral("attnx-test"));
  QCoreApplication::setApplicationName(app);
  QSettings::setDefaultFormat(QSettings::IniFormat);
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir);
}

// Shows `w`, waits until it is exposed and active; false when either never happens.
[[nodiscard]] inline bool showActive(QWidget* w) {
  w->show();
  if (!QTest::qWaitForWindowExposed(w)) return false;
  w->activateWindow();
  return QTest::qWaitForWindowActive(w);
}

// Saves a grab of `w` as dir/name.png and names the file in the log, for a person to look at.
inline void shoot(QWidget* w, const QString& dir, const QString& name) {
  QDir().mkpath(dir);
  const QString path = dir + QLatin1Char('/') + name + QStringLiteral(".png");
  QVERIFY2(w->grab().save(path), qPrintable(path));
  qInfo("screenshot %s", qPrintable(path));
}

}  // namespace attnx::qt_support
