#pragma once
// The built-in demo's evaluation set as a dataset job of the window (its model, examples and
// soft tokens, laid out [soft][BOS][anchor] as the demo's dataset menu runs it), with its results
// in `resultsFile`: tests run it into folders of their own, never into the demo's shared cache.
#include <QString>

#include "demo.h"
#include "inference_worker.h"

namespace attnx::test_support {

inline DatasetJob demoDatasetJob(const QString& resultsFile) {
  const QString demo = Demo::extract();
  DatasetJob job;
  job.model.dir = demo;
  job.settings.examplesFile = (demo + QStringLiteral("/examples.jsonl")).toStdString();
  job.settings.softTokenFile = (demo + QStringLiteral("/soft_tokens.safetensors")).toStdString();
  job.settings.bosAfterSoft = true;
  job.resultsFile = resultsFile;
  job.resume = false;
  return job;
}

}  // namespace attnx::test_support
