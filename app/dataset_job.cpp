#include "dataset_job.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QStringList>
#include <cmath>

#include "error.h"

namespace attnx {
namespace {

namespace fs = std::filesystem;

QString tr(const char* text) { return QCoreApplication::translate("attnx::DatasetJob", text); }

// The same normalisation as `attnx analyze`, so that both write identical settings.
std::string absolutePath(const std::string& p) {
  if (p.empty()) return p;
  return fs::absolute(fs::path(p)).lexically_normal().string();
}

// The settings that differ, in words, for the message that refuses to resume.
QString settingsDifference(const DatasetSettings& a, const DatasetSettings& b) {
  QStringList d;
  for (RunSetting s : differingSettings(a, b)) {
    switch (s) {
      case RunSetting::ModelDir:
        d << tr("model folder");
        break;
      case RunSetting::ExamplesFile:
        d << tr("examples file");
        break;
      case RunSetting::SoftTokenFile:
        d << tr("soft-token file");
        break;
      case RunSetting::Anchor:
        d << tr("anchor");
        break;
      case RunSetting::BosAfterSoft:
        d << tr("BOS after the soft tokens");
        break;
      case RunSetting::PredictionField:
        d << tr("prediction field");
        break;
      case RunSetting::Query:
        d << tr("query position");
        break;
      case RunSetting::Correctness:
        d << tr("correctness");
        break;
      case RunSetting::F1Threshold:
        d << tr("F1 threshold");
        break;
      case RunSetting::MaxNewTokens:
        d << tr("new tokens");
        break;
    }
  }
  return d.join(QStringLiteral(", "));
}

}  // namespace

DatasetSettings normalizedSettings(DatasetSettings settings) {
  settings.modelDir = absolutePath(settings.modelDir);
  settings.examplesFile = absolutePath(settings.examplesFile);
  settings.softTokenFile = absolutePath(settings.softTokenFile);
  return settings;
}

QString summaryPathFor(const QString& resultsFile) {
  const QFileInfo fi(resultsFile);
  const QString name = fi.fileName();
  QString base;
  if (name == QLatin1String("stats.json"))
    return fi.dir().filePath(QStringLiteral("summary.csv"));  // the layout `attnx analyze` writes
  if (name.endsWith(QLatin1String(".stats.json")))
    base = name.left(name.size() - int(sizeof(".stats.json") - 1));
  else
    base = fi.completeBaseName();
  return fi.dir().filePath(base + QStringLiteral(".summary.csv"));
}

DatasetResults startingResults(const DatasetSettings& settings, const QString& resultsFile,
                               bool resume, const std::vector<Example>& examples) {
  DatasetResults fresh;
  fresh.settings = settings;
  fresh.total = static_cast<int>(examples.size());
  if (!resume || resultsFile.isEmpty() || !QFileInfo::exists(resultsFile)) return fresh;

  DatasetResults previous;
  try {
    previous = readResultsJson(resultsFile.toStdString());
  } catch (const Error& e) {
    throw Error(tr("Cannot continue the unfinished run: %1. Start the run afresh, or choose "
                   "another results file.")
                    .arg(QString::fromStdString(e.what()))
                    .toStdString());
  }
  if (!sameRunSettings(previous.settings, settings))
    throw Error(tr("Cannot continue %1: it was made with other settings (%2). Start the run "
                   "afresh, or choose another results file.")
                    .arg(resultsFile, settingsDifference(previous.settings, settings))
                    .toStdString());
  if (previous.total != fresh.total)
    throw Error(tr("Cannot continue %1: it is for %2 examples, the examples file now holds %3. "
                   "Start the run afresh.")
                    .arg(resultsFile)
                    .arg(previous.total)
                    .arg(fresh.total)
                    .toStdString());
  for (const ExampleStats& done : previous.examples) {
    const bool inRange = done.index >= 0 && done.index < fresh.total;
    if (!inRange || examples[static_cast<std::size_t>(done.index)].id != done.id)
      throw Error(tr("Cannot continue %1: the examples file changed since (example %2 was \"%3\"). "
                     "Start the run afresh.")
                      .arg(resultsFile)
                      .arg(done.index + 1)
                      .arg(QString::fromStdString(done.id))
                      .toStdString());
  }
  return previous;
}

QString durationText(double seconds) {
  const QLocale locale;
  if (seconds < 90) return tr("%1 s").arg(std::max(1.0, std::ceil(seconds)));
  if (seconds < 5400) return tr("%1 min").arg(std::ceil(seconds / 60));
  return tr("%1 h").arg(locale.toString(seconds / 3600, 'f', 1));
}

QString datasetProgressText(int done, int total, double etaSeconds) {
  if (etaSeconds < 0 || done >= total) return tr("%1 / %2 examples").arg(done).arg(total);
  return tr("%1 / %2 examples, about %3 left").arg(done).arg(total).arg(durationText(etaSeconds));
}

// ---- cache ----

ExampleInputCache::Stamp ExampleInputCache::stampOf(const std::string& path,
                                                    const std::string& extra) {
  Stamp s;
  s.path = path;
  s.extra = extra;
  std::error_code ec;
  s.time = fs::last_write_time(path, ec);
  s.size = fs::file_size(path, ec);
  if (ec) s.size = 0;
  return s;
}

const std::vector<Example>& ExampleInputCache::examples(const std::string& path,
                                                        const std::string& predictionField) {
  const Stamp stamp = stampOf(path, predictionField);
  if (!haveExamples_ || !(stamp == examplesStamp_)) {
    haveExamples_ = false;
    examples_ = readExamples(path, {predictionField});
    examplesStamp_ = stamp;
    haveExamples_ = true;
  }
  return examples_;
}

const SoftTokenSet& ExampleInputCache::softTokens(const std::string& path) {
  if (path.empty()) {
    static const SoftTokenSet none;
    return none;
  }
  const Stamp stamp = stampOf(path);
  if (!haveSoft_ || !(stamp == softStamp_)) {
    // The old tensor goes first: two large soft-token files at once may not fit.
    haveSoft_ = false;
    soft_ = SoftTokenSet{};
    soft_ = SoftTokenSet::load(path);
    softStamp_ = stamp;
    haveSoft_ = true;
  }
  return soft_;
}

std::vector<InputPart> ExampleInputCache::parts(const DatasetSettings& settings, int index) {
  const auto& ex = examples(settings.examplesFile, settings.predictionField);
  if (index < 0 || index >= static_cast<int>(ex.size()))
    throw Error(tr("%1 has no example %2 (it holds %3).")
                    .arg(QString::fromStdString(settings.examplesFile))
                    .arg(index + 1)
                    .arg(ex.size())
                    .toStdString());
  const SoftTokenSet& soft = softTokens(settings.softTokenFile);
  return exampleParts(ex[static_cast<std::size_t>(index)], index, settings, soft);
}

}  // namespace attnx
