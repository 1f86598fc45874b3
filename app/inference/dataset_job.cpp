#include "dataset_job.h"

#include <QLocale>
#include <QStringList>
#include <cmath>
#include <iterator>

#include "error.h"

namespace attnx {
namespace {

namespace fs = std::filesystem;

QString tr(const char* text) { return QCoreApplication::translate("attnx::DatasetJob", text); }

// A run setting in the window's words, for the message that refuses to resume.
QString settingName(RunSetting s) {
  // By RunSetting's order.
  static constexpr const char* kNames[] = {
      QT_TRANSLATE_NOOP("attnx::DatasetJob", "model folder"),
      QT_TRANSLATE_NOOP("attnx::DatasetJob", "examples file"),
      QT_TRANSLATE_NOOP("attnx::DatasetJob", "soft-token file"),
      QT_TRANSLATE_NOOP("attnx::DatasetJob", "anchor"),
      QT_TRANSLATE_NOOP("attnx::DatasetJob", "BOS after the soft tokens"),
      QT_TRANSLATE_NOOP("attnx::DatasetJob", "prediction field"),
      QT_TRANSLATE_NOOP("attnx::DatasetJob", "query position"),
      QT_TRANSLATE_NOOP("attnx::DatasetJob", "correctness"),
      QT_TRANSLATE_NOOP("attnx::DatasetJob", "F1 threshold"),
      QT_TRANSLATE_NOOP("attnx::DatasetJob", "new tokens"),
      QT_TRANSLATE_NOOP("attnx::DatasetJob", "shard")};
  static_assert(std::size(kNames) == kRunSettingCount);
  return tr(kNames[static_cast<std::size_t>(s)]);
}

}  // namespace

QString resumeRefusalText(const ResumeRefused& r) {
  const QString file = QString::fromStdString(r.file);
  switch (r.reason) {
    case ResumeRefused::Reason::Unreadable:
      return tr("Cannot continue the unfinished run: %1. Start the run afresh, or choose another "
                "results file.")
          .arg(QString::fromStdString(r.detail));
    case ResumeRefused::Reason::OtherSettings: {
      QStringList d;
      for (RunSetting s : r.settings) d << settingName(s);
      return tr("Cannot continue %1: it was made with other settings (%2). Start the run afresh, "
                "or choose another results file.")
          .arg(file, d.join(QStringLiteral(", ")));
    }
    case ResumeRefused::Reason::OtherTotal:
      return tr("Cannot continue %1: it is for %2 examples, the examples file now holds %3. "
                "Start the run afresh.")
          .arg(file)
          .arg(r.fileTotal)
          .arg(r.examplesTotal);
    case ResumeRefused::Reason::OtherExamples:
      return tr("Cannot continue %1: the examples file changed since (example %2 was \"%3\"). "
                "Start the run afresh.")
          .arg(file)
          .arg(r.exampleIndex + 1)
          .arg(QString::fromStdString(r.exampleId));
  }
  return QString::fromStdString(r.what());
}

QString missingSoftTokensText(const MissingSoftTokens& m, const QString& examplesFile) {
  return tr("%1, line %2: example %3 names soft-token rows, but no soft-token file is chosen. "
            "Choose the file, or tick \"Run without soft tokens\" to run the examples without "
            "them.")
      .arg(examplesFile)
      .arg(m.line)
      .arg(QString::fromStdString(m.id));
}

QString durationText(double seconds) {
  const RoundedDuration d = roundDuration(seconds);
  switch (d.unit) {
    case RoundedDuration::Unit::Seconds:
      return tr("%1 s").arg(d.value);
    case RoundedDuration::Unit::Minutes:
      return tr("%1 min").arg(d.value);
    case RoundedDuration::Unit::Hours:
      break;
  }
  return tr("%1 h").arg(QLocale().toString(d.value, 'f', 1));
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

SoftTokenSource ExampleInputCache::softSource(const DatasetSettings& settings, int index) {
  const SoftTokenSet& soft = softTokens(settings.softTokenFile);
  const auto& ex = examples(settings.examplesFile, settings.predictionField);
  if (soft.empty() || index < 0 || index >= static_cast<int>(ex.size())) return {};
  return soft.source(softIndexFor(soft, ex[static_cast<std::size_t>(index)], index));
}

}  // namespace attnx
