#pragma once
// The shipped demo's evaluation set run through the demo model, as `attnx analyze` runs it, and
// an example's full attention recomputed on demand: shared by the comparison and figure tests.
#include <memory>
#include <vector>

#include "dataset_results.h"
#include "dataset_run.h"
#include "examples_file.h"
#include "model.h"
#include "soft_tokens.h"

namespace attnx::demo_dataset {

struct DemoDataset {
  std::unique_ptr<Model> model;
  DatasetResults results;
  std::vector<Example> examples;
  SoftTokenSet soft;

  // Every example's forward pass and statistics; `dir` is resources/demo.
  void run(const std::string& dir) {
    results.settings.modelDir = dir;
    results.settings.examplesFile = dir + "/examples.jsonl";
    results.settings.softTokenFile = dir + "/soft_tokens.safetensors";
    results.settings.bosAfterSoft = true;
    examples = readExamples(results.settings.examplesFile);
    results.total = static_cast<int>(examples.size());
    soft = SoftTokenSet::load(results.settings.softTokenFile);
    LoadOptions load;
    load.threads = 2;
    model = Model::load(results.settings.modelDir, load);
    runDataset(*model, examples, soft, results);
  }

  // Example `index` again with every query row captured, as the comparison window asks for it.
  std::shared_ptr<const RunResult> fullRun(int index) const {
    RunRequest request;
    request.parts = exampleParts(examples[index], index, results.settings, soft);
    request.capture.rows = CapturePolicy::Rows::Full;
    return std::make_shared<const RunResult>(model->run(request));
  }
};

}  // namespace attnx::demo_dataset
