#include "analyze_command.h"

#include <QDir>
#include <QString>
#include <iostream>

#include "analysis_figures.h"
#include "args.h"
#include "cli.h"
#include "dataset_results.h"

namespace attnx {

namespace {

// The value of --out (`--out DIR` or `--out=DIR`); cmdAnalyze has validated the arguments.
std::string outDirOf(const std::vector<std::string>& argv) {
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (argv[i] == "--out" && i + 1 < argv.size()) return argv[i + 1];
    if (argv[i].rfind("--out=", 0) == 0) return argv[i].substr(6);
  }
  return {};
}

// Draws the figures of DIR/stats.json after `command` wrote it (analyze, merge).
int withFigures(int (*command)(const std::vector<std::string>&),
                const std::vector<std::string>& argv) {
  const int status = command(argv);
  if (status != 0) return status;
  const std::string out = outDirOf(argv);
  if (out.empty()) return status;
  // The figures are drawn from the file just written, exactly as the window reopens it.
  const QString dir = QString::fromStdString(out);
  const QString stats = QDir(dir).filePath(QStringLiteral("stats.json"));
  const DatasetResults results = readResultsJson(stats.toStdString());
  const QStringList files = writeAnalysisFigures(results, dir, stats);
  for (const QString& f : files) std::cerr << "  figure: " << f.toStdString() << "\n";
  return 0;
}

}  // namespace

int runAnalyzeCommand(const std::vector<std::string>& argv) {
  return withFigures(&cli::cmdAnalyze, argv);
}

int runMergeCommand(const std::vector<std::string>& argv) {
  return withFigures(&cli::cmdMerge, argv);
}

}  // namespace attnx
