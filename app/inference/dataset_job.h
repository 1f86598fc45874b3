#pragma once
// What a dataset job of the inference thread needs apart from the thread itself and the dataset
// session (model/dataset): the wording of its progress and refusals, and a cache of the examples
// file and soft-token file (read on the worker thread only: a soft-token file may hold hundreds of
// megabytes).
#include <QCoreApplication>
#include <QString>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "dataset_results.h"
#include "dataset_run.h"
#include "dataset_session.h"
#include "examples_file.h"

namespace attnx {

// The dataset session's refusals (dataset_session.h) in the window's words.
QString resumeRefusalText(const ResumeRefused& refused);
QString missingSoftTokensText(const MissingSoftTokens& missing, const QString& examplesFile);

// "37 / 200 examples, about 40 s left" (without the estimate while etaSeconds < 0).
QString datasetProgressText(int done, int total, double etaSeconds);
// "40 s", "3 min", "1.5 h".
QString durationText(double seconds);

// The examples and soft tokens of the last file asked for, reread only when the file changed.
// Worker thread only.
class ExampleInputCache {
 public:
  const std::vector<Example>& examples(const std::string& path, const std::string& predictionField);
  const SoftTokenSet& softTokens(const std::string& path);  // empty path: an empty set
  // The input parts of example `index` (its soft-token row included).
  std::vector<InputPart> parts(const DatasetSettings& settings, int index);
  // The soft-token file and prefix those parts were read from (empty without soft tokens).
  SoftTokenSource softSource(const DatasetSettings& settings, int index);

 private:
  struct Stamp {
    std::string path;
    std::filesystem::file_time_type time{};
    std::uintmax_t size = 0;
    std::string extra;
    bool operator==(const Stamp&) const = default;
  };
  static Stamp stampOf(const std::string& path, const std::string& extra = {});

  Stamp examplesStamp_, softStamp_;
  std::vector<Example> examples_;
  SoftTokenSet soft_;
  bool haveExamples_ = false, haveSoft_ = false;
};

}  // namespace attnx
