// attnx: the explorer window with no arguments, the command line with a subcommand, and
// `attnx --demo --screenshot FILE.png` to render the window on the demo without a display.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QSaveFile>
#include <QTimer>
#include <QTranslator>
#include <cstdio>
#include <iostream>

#include "analyze_command.h"
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

// Runs the demo, waits for its result and saves the window at 1600 x 1000. Returns the exit code.
int screenshot(attnx::MainWindow& window, const QString& file) {
  window.resize(1600, 1000);
  window.show();
  int code = -1;
  QString error;
  QObject::connect(&window, &attnx::MainWindow::runFinished, &window, [&] {
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
  });
  auto fail = [&](const QString& message) {
    error = message;
    code = 1;
    qApp->quit();
  };
  QObject::connect(&window, &attnx::MainWindow::runFailed, &window, fail);
  QObject::connect(&window, &attnx::MainWindow::modelLoadFailed, &window, fail);
  QObject::connect(&window, &attnx::MainWindow::runCancelled, &window,
                   [&] { fail(QObject::tr("the run was cancelled")); });
  QTimer::singleShot(600'000, &window, [&] { fail(QObject::tr("timed out after 10 minutes")); });
  if (!window.openDemo(true)) {
    std::cerr << "attnx: " << window.bannerText().toStdString() << "\n";
    return 1;
  }
  qApp->exec();
  if (code != 0) std::cerr << "attnx: screenshot failed: " << error.toStdString() << "\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  // `attnx figure` needs Qt's painting but never a window: the offscreen platform unless the user
  // chose one, so it runs on machines without a display.
  if (!args.empty() && args[0] == "figure") {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("attnx"));
    QApplication::setApplicationVersion(QStringLiteral(ATTNX_VERSION));
    return attnx::runFigureCommand(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  // `attnx analyze` runs the dataset like attnx-cli does, then draws its figures with Qt's
  // painting (offscreen, as for `figure`).
  if (!args.empty() && args[0] == "analyze") {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("attnx"));
    QApplication::setApplicationVersion(QStringLiteral(ATTNX_VERSION));
    return attnx::runAnalyzeCommand(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  if (!args.empty() && (attnx::cli::isCliCommand(args[0]) || args[0] == "--version" ||
                        args[0] == "--help" || args[0] == "-h"))
    return attnx::cli::run(args);

  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("attnx"));
  QApplication::setApplicationName(QStringLiteral("attnx"));
  QApplication::setApplicationVersion(QStringLiteral(ATTNX_VERSION));
  QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/attnx.svg")));
  installTranslations(app);
  attnx::initDemoResources();

  QCommandLineParser parser;
  parser.setApplicationDescription(QObject::tr("attnx: attention explorer"));
  QCommandLineOption demo(QStringLiteral("demo"), QObject::tr("Open the built-in demo."));
  QCommandLineOption shot(QStringLiteral("screenshot"),
                          QObject::tr("Run, save the window as a PNG image and exit."),
                          QObject::tr("file"));
  parser.addOption(demo);
  parser.addOption(shot);
  parser.addPositionalArgument(QStringLiteral("model"),
                               QObject::tr("A model folder to open instead of the demo."));
  if (!parser.parse(app.arguments())) {
    std::cerr << "attnx: " << parser.errorText().toStdString() << " (see attnx --help)\n";
    return 2;
  }
  const QStringList positional = parser.positionalArguments();
  if (positional.size() > 1) {
    std::cerr << "attnx: unknown subcommand '" << positional.first().toStdString()
              << "' (see attnx --help)\n";
    return 2;
  }

  if (!positional.isEmpty() && !QFileInfo(positional.first()).isDir()) {
    std::cerr << "attnx: unknown subcommand or not a folder: '" << positional.first().toStdString()
              << "' (see attnx --help)\n";
    return 2;
  }

  attnx::MainWindow window;
  if (parser.isSet(shot)) return screenshot(window, parser.value(shot));

  window.show();
  if (!positional.isEmpty() && !parser.isSet(demo)) {
    window.openModelDirectory(QDir(positional.first()).absolutePath());
  } else {
    window.openDemo(true);
  }
  return app.exec();
}
