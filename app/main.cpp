// attnx: the explorer window with no arguments, the command line with a subcommand.
#include <QApplication>
#include <QMainWindow>
#include <iostream>

#include "cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (attnx::cli::isCliCommand(args[0]) || args[0] == "--version" ||
                        args[0] == "--help" || args[0] == "-h"))
    return attnx::cli::run(args);
  QApplication app(argc, argv);
  QMainWindow w;
  w.show();
  return app.exec();
}
