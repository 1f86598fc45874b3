#include "analyze_command.h"

#include <QDir>
#include <QString>
#include <iostream>
#include <new>

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

}  // namespace

int runAnalyzeCommand(const std::vector<std::string>& argv) {
  try {
    const int status = cli::cmdAnalyze(argv);
    if (status != 0) return status;
    const std::string out = outDirOf(argv);
    if (out.empty()) return status;  // e.g. --help
    // The figures are drawn from the file just written, exactly as the window reopens it.
    const QString dir = QString::fromStdString(out);
    const QString stats = QDir(dir).filePath(QStringLiteral("stats.json"));
    const DatasetResults results = readResultsJson(stats.toStdString());
    const QStringList files = writeAnalysisFigures(results, dir, stats);
    for (const QString& f : files) std::cerr << "  figure: " << f.toStdString() << "\n";
    return 0;
  } catch (const cli::UsageError& e) {
    std::cerr << "attnx analyze: " << e.what() << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << "attnx analyze: out of memory\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "attnx analyze: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace attnx
