#include "dataset_session.h"

#include <cmath>
#include <filesystem>

#include "error.h"

namespace attnx {
namespace {

namespace fs = std::filesystem;

std::string absolutePath(const std::string& p) {
  if (p.empty()) return p;
  return fs::absolute(fs::path(p)).lexically_normal().string();
}

std::string missingSoftMessage(const Example& ex, const std::string& file) {
  return file + ":" + std::to_string(ex.line) + ": example " + ex.id +
         " names soft-token rows but the run has no soft-token file; give the file, or run the "
         "examples without their soft tokens on purpose";
}

}  // namespace

DatasetSettings normalizedSettings(DatasetSettings settings) {
  settings.modelDir = absolutePath(settings.modelDir);
  settings.examplesFile = absolutePath(settings.examplesFile);
  settings.softTokenFile = absolutePath(settings.softTokenFile);
  return settings;
}

std::string summaryPathFor(const std::string& resultsFile) {
  const fs::path p(resultsFile);
  const std::string name = p.filename().string();
  const std::string suffix = ".stats.json";
  std::string base;
  if (name == "stats.json") return (p.parent_path() / "summary.csv").string();
  if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
    base = name.substr(0, name.size() - suffix.size());
  else
    base = p.stem().string();
  return (p.parent_path() / (base + ".summary.csv")).string();
}

RoundedDuration roundDuration(double seconds) {
  using U = RoundedDuration::Unit;
  if (seconds < 90) return {U::Seconds, std::max(1.0, std::ceil(seconds))};
  if (seconds < 5400) return {U::Minutes, std::ceil(seconds / 60)};
  return {U::Hours, std::round(seconds / 360) / 10};
}

MissingSoftTokens::MissingSoftTokens(const Example& ex, const std::string& file)
    : Error(missingSoftMessage(ex, file)), line(ex.line), id(ex.id), softIndex(ex.softIndex) {}

ResumeRefused::ResumeRefused(Reason r, std::string f, std::string d)
    : Error(f + ": cannot be continued with these settings and examples" +
            (d.empty() ? std::string() : " (" + d + ")")),
      reason(r),
      file(std::move(f)),
      detail(std::move(d)) {}

DatasetSession::DatasetSession(const DatasetSettings& settings,
                               const std::vector<Example>& examples, const SoftTokenSet& soft,
                               std::string resultsFile, bool resume)
    : examples_(examples),
      soft_(soft),
      checkpoint_(resultsFile),
      summaryFile_(summaryPathFor(resultsFile)) {
  results_.settings = normalizedSettings(settings);
  results_.total = static_cast<int>(examples.size());
  // Everything about the inputs is checked before a model loads: a typo fails at once.
  if (soft.empty() && !results_.settings.noSoftTokens)
    if (const auto i = firstExampleWithSoftTokens(examples))
      throw MissingSoftTokens(examples[*i], results_.settings.examplesFile);
  validateExamples(examples, results_.settings, soft);

  if (!resume || !fs::exists(resultsFile)) return;
  DatasetResults previous;
  try {
    previous = readResultsJson(resultsFile);
  } catch (const Error& e) {
    throw ResumeRefused(ResumeRefused::Reason::Unreadable, resultsFile, e.what());
  }
  if (!sameRunSettings(previous.settings, results_.settings)) {
    ResumeRefused refused(ResumeRefused::Reason::OtherSettings, resultsFile, "other settings");
    refused.settings = differingSettings(previous.settings, results_.settings);
    throw refused;
  }
  if (previous.total != results_.total) {
    ResumeRefused refused(ResumeRefused::Reason::OtherTotal, resultsFile,
                          "it is for " + std::to_string(previous.total) + " examples, not " +
                              std::to_string(results_.total));
    refused.fileTotal = previous.total;
    refused.examplesTotal = results_.total;
    throw refused;
  }
  for (const ExampleStats& done : previous.examples) {
    const bool inRange = done.index >= 0 && done.index < results_.total;
    if (!inRange || examples[static_cast<std::size_t>(done.index)].id != done.id) {
      ResumeRefused refused(ResumeRefused::Reason::OtherExamples, resultsFile,
                            "the examples file changed since");
      refused.exampleIndex = done.index;
      refused.exampleId = done.id;
      throw refused;
    }
  }
  results_ = std::move(previous);
  doneAtStart_ = static_cast<int>(results_.examples.size());
}

void DatasetSession::run(const Model& model, const ProgressFn& progress,
                         const ExampleDoneFn& onExampleDone) {
  const ExampleDoneFn done = [&](const ExampleStats& s, const DatasetResults& r) {
    checkpoint_.afterExample(r);
    if (onExampleDone) onExampleDone(s, r);
  };
  try {
    runDataset(model, examples_, soft_, results_, progress, done);
  } catch (...) {
    // Cancelled or failed: the finished examples stay on disk for a resumed run.
    if (static_cast<int>(results_.examples.size()) > doneAtStart_) save();
    throw;
  }
  save();
}

void DatasetSession::save() {
  checkpoint_.save(results_);
  writeSummaryCsv(summaryFile_, results_);
}

}  // namespace attnx
