#include "run_loader.h"

#include "attention_import.h"
#include "attention_tile.h"
#include "background_io.h"
#include "run_file.h"

namespace attnx {

RunResult readRunForViews(const std::string& path) {
  RunResult run = readRunFile(path);
  if (run.queryKeys.empty()) return run;
  // Every row when they fit (the file keeps the query rows only), else at least the query rows:
  // recomputed only when the file lacks them.
  const bool allRows = queryKeyMatricesFit(run, kQueryKeyMatrixBytes);
  if (!allRows && !run.attentions.empty()) return run;
  std::vector<AttentionTensor> recomputed = attentionFromQueryKeys(run, kQueryKeyMatrixBytes);
  run.attentionsFromQueryKeys = allRows && !recomputed.empty();
  run.attentions = std::move(recomputed);
  return run;
}

RunResult runForSaving(const RunResult& shown) {
  RunResult run = shown;
  if (run.attentionsFromQueryKeys) {
    run.attentions = attentionFromQueryKeys(run, 0);  // the query rows, as a Q/K capture keeps
    run.attentionsFromQueryKeys = false;
  }
  return run;
}

void readRunAsync(QObject* context, const QString& file, RunReadFn done) {
  readInBackground<RunResult>(
      context, file, [path = file.toStdString()] { return readRunForViews(path); },
      std::move(done));
}

void importAttentionAsync(QObject* context, const QString& file, const QString& layout,
                          RunReadFn done) {
  readInBackground<RunResult>(
      context, file,
      [path = file.toStdString(), layout = layout.toStdString()] {
        return importAttention(path, {layout, {}});
      },
      std::move(done));
}

void writeShownRun(const std::string& path, const RunResult& shown) {
  if (shown.attentionsFromQueryKeys)
    writeRunFile(path, runForSaving(shown), "qk");
  else
    writeRunFile(path, shown, captureName(shown));
}

void writeRunAsync(QObject* context, const QString& file, std::shared_ptr<const RunResult> run,
                   std::function<void(const QString& error)> done) {
  writeInBackground(
      context, file,
      [path = file.toStdString(), run = std::move(run)] { writeShownRun(path, *run); },
      std::move(done));
}

}  // namespace attnx
