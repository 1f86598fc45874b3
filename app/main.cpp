// attnx: the explorer window with no arguments (or a model folder, or a run file), the command
// line with a subcommand, and `attnx [--demo | FILE] --screenshot OUT.png` to render the window
// without a display.
// The arguments are attnx's own: QApplication sees only the program name and, in window mode, a
// platform chosen with -platform, so that its option parser never takes ours (--style, ...).
#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QSaveFile>
#include <QTimer>
#include <QTranslator>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "openmp_env.h"
#include "analyze_command.h"
#include "attention_import.h"
#include "cli.h"
#include "demo_resources.h"
#include "figure_command.h"
#include "main_window.h"

namespace {

// The German (or any other shipped) translation by the user's locale, with Qt's own strings.
void installTranslations(QApplication& app) {
  auto* qt = new QTranslator(&app);
  if (qt->load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
               QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
    app.installTranslator(qt);
  auto* own = new QTranslator(&app);
  if (own->load(QLocale(), QStringLiteral("attnx"), QStringLiteral("_"), QStringLiteral(":/i18n")))
    app.installTranslator(own);
}

// Shows the demo's run (or opens `target`, a run, session or attention file), waits for it and
// saves the window at 1600 x 1000. Returns the exit code.
int screenshot(attnx::MainWindow& window, const QString& file,
               const std::optional<std::string>& target) {
  window.resize(1600, 1000);
  window.show();
  int code = -1;
  QString error;
  auto grab = [&] {
    // Let the views lay out and paint the new result before grabbing.
    QTimer::singleShot(300, &window, [&] {
      const QImage image = window.grab().toImage();
      QSaveFile out(file);
      if (image.isNull() || !out.open(QIODevice::WriteOnly) || !image.save(&out, "PNG") ||
          !out.commit()) {
        error = QObject::tr("cannot write %1").arg(file);
        code = 1;
      } else {
        code = 0;
      }
      qApp->quit();
    });
  };
  QObject::connect(&window, &attnx::MainWindow::runFinished, &window, grab);
  QObject::connect(&window, &attnx::MainWindow::runFileOpened, &window, grab);
  auto fail = [&](const QString& message) {
    error = message;
    code = 1;
    qApp->quit();
  };
  QObject::connect(&window, &attnx::MainWindow::runFailed, &window, fail);
  QObject::connect(&window, &attnx::MainWindow::modelLoadFailed, &window, fail);
  QObject::connect(&window, &attnx::MainWindow::runFileFailed, &window, fail);
  QObject::connect(&window, &attnx::MainWindow::sessionFailed, &window, fail);
  QObject::connect(&window, &attnx::MainWindow::runCancelled, &window,
                   [&] { fail(QObject::tr("the run was cancelled")); });
  QTimer::singleShot(600'000, &window, [&] { fail(QObject::tr("timed out after 10 minutes")); });
  window.setAsksForImportLayout(false);  // nobody to ask: the file's layout, else all text
  if (target) {
    window.openRunFile(QString::fromStdString(*target));
  } else if (!window.openDemo(true)) {
    std::cerr << "attnx: " << window.bannerText().toStdString() << "\n";
    return 1;
  }
  qApp->exec();
  if (code != 0) std::cerr << "attnx: screenshot failed: " << error.toStdString() << "\n";
  return code;
}

// The window-mode arguments.
struct WindowArgs {
  bool demo = false;
  std::optional<std::string> screenshot;
  std::optional<std::string> platform;  // -platform NAME, handed to QApplication
  std::optional<std::string> target;    // a model folder or a run file
  bool targetIsFile() const {
    return target && !QFileInfo(QString::fromStdString(*target)).isDir();
  }
};

// Parses the window's arguments; on a usage error prints one line and returns nullopt.
std::optional<WindowArgs> parseWindowArgs(const std::vector<std::string>& args) {
  WindowArgs w;
  auto usage = [](const std::string& message) -> std::optional<WindowArgs> {
    std::cerr << "attnx: " << message << " (see attnx --help)\n";
    return std::nullopt;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--demo") {
      w.demo = true;
    } else if (a == "--screenshot" || a == "-platform" || a == "--platform") {
      if (i + 1 >= args.size()) return usage("option " + a + " needs a value");
      (a == "--screenshot" ? w.screenshot : w.platform) = args[++i];
    } else if (a.rfind("--screenshot=", 0) == 0) {
      w.screenshot = a.substr(13);
    } else if (!a.empty() && a[0] == '-') {
      return usage("unknown option " + a);
    } else if (w.target) {
      return usage("give one model folder or file, not '" + *w.target + "' and '" + a + "'");
    } else {
      const QFileInfo info(QString::fromStdString(a));
      if (!info.exists())
        return usage("'" + a + "' is neither a subcommand nor a file or folder; subcommands: " +
                     attnx::cli::commandNames());
      const QString suffix = info.suffix().toLower();
      if (!info.isDir() && suffix != QLatin1String("safetensors") &&
          suffix != QLatin1String("attnx") && !attnx::isAttentionImportFile(a))
        return usage("'" + a + "' is not a file the window opens (model folders, run files " +
                     "*.safetensors, sessions *.attnx, attention saved by Python *.pt *.npz " +
                     "*.npy)");
      w.target = a;
    }
  }
  return w;
}

// True when Qt's platform plugin can be expected to find a display; otherwise prints why not.
bool displayAvailable(const std::optional<std::string>& platformArg) {
  const std::string platform =
      platformArg ? *platformArg : qEnvironmentVariable("QT_QPA_PLATFORM").toStdString();
  const bool x11 = !qEnvironmentVariableIsEmpty("DISPLAY");
  const bool wayland = !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
  // Platforms that draw without a display server (offscreen, minimal, vnc, eglfs, ...).
  if (!platform.empty() && platform.rfind("xcb", 0) != 0 && platform.rfind("wayland", 0) != 0)
    return true;
  if (platform.rfind("wayland", 0) == 0 ? wayland : (x11 || (platform.empty() && wayland)))
    return true;
  std::cerr << "attnx: no display to open the window on (DISPLAY is not set); run it in a "
               "desktop session, or use the subcommands, which need none (see attnx --help)\n";
  return false;
}

// Qt ends the process when its platform plugin cannot start (a display that cannot be reached):
// a clear line and exit status 1 instead of an abort.
void fatalMessagesExit(QtMsgType type, const QMessageLogContext&, const QString& message) {
  std::cerr << (type == QtFatalMsg ? "attnx: cannot open the window: " : "")
            << message.toLocal8Bit().constData() << "\n";
  if (type == QtFatalMsg) std::_Exit(1);
}

// QApplication's own arguments: the program name, and the platform when one was chosen.
struct QtArgs {
  std::vector<std::string> storage;
  std::vector<char*> pointers;
  int argc = 0;
  QtArgs(const char* program, const std::optional<std::string>& platform) {
    storage.push_back(program);
    if (platform) {
      storage.push_back("-platform");
      storage.push_back(*platform);
    }
    for (auto& s : storage) pointers.push_back(s.data());
    pointers.push_back(nullptr);
    argc = static_cast<int>(storage.size());
  }
};

void nameApplication() {
  QApplication::setOrganizationName(QStringLiteral("attnx"));
  QApplication::setApplicationName(QStringLiteral("attnx"));
  QApplication::setApplicationVersion(QStringLiteral(ATTNX_VERSION));
}

}  // namespace

int main(int argc, char** argv) {
  attnx::restartWithPassiveOpenMpWait(argv);
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (attnx::cli::isCliCommand(args[0]) || args[0] == "--version" ||
                        args[0] == "--help" || args[0] == "-h")) {
    // `figure` and `analyze` paint with Qt but never open a window: the offscreen platform
    // unless the user chose one, so they run on machines without a display.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QtArgs qtArgs(argv[0], std::nullopt);
    QApplication app(qtArgs.argc, qtArgs.pointers.data());
    nameApplication();
    return attnx::cli::run(args, {{"figure", &attnx::runFigureCommand},
                                  {"analyze", &attnx::runAnalyzeCommand},
                                  {"merge", &attnx::runMergeCommand}});
  }

  const std::optional<WindowArgs> w = parseWindowArgs(args);
  if (!w) return 2;
  // A screenshot needs no screen: offscreen when there is no display.
  if (w->screenshot && !w->platform && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") &&
      qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
    qputenv("QT_QPA_PLATFORM", "offscreen");
  if (!displayAvailable(w->platform)) return 1;

  QtArgs qtArgs(argv[0], w->platform);
  const QtMessageHandler previous = qInstallMessageHandler(fatalMessagesExit);
  QApplication app(qtArgs.argc, qtArgs.pointers.data());
  qInstallMessageHandler(previous);
  nameApplication();
  QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/attnx.svg")));
  installTranslations(app);
  attnx::initDemoResources();

  attnx::MainWindow window;
  if (w->screenshot && w->target && !w->targetIsFile())
    std::cerr << "attnx: --screenshot shows the demo or a file; the model folder is ignored\n";
  if (w->screenshot)
    return screenshot(window, QString::fromStdString(*w->screenshot),
                      w->targetIsFile() ? w->target : std::nullopt);

  window.show();
  if (w->targetIsFile())
    window.openRunFile(QString::fromStdString(*w->target));
  else if (w->target && !w->demo)
    window.openModelDirectory(QDir(QString::fromStdString(*w->target)).absolutePath());
  else
    window.openDemo(true);
  return app.exec();
}
