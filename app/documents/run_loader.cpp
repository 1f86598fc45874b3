#include "run_loader.h"

#include "attention_import.h"
#include "attention_tile.h"
#include "background_io.h"
#include "run_file.h"

namespace attnx {

RunResult readRunForViews(const std::string& path) {
  RunResult run = readRunFile(path);
  if (run.queryKeys.empty()) return run;
  // Every row when they fit (the file keeps the query rows only), else at least the query rows.
  std::vector<AttentionTensor> all = attentionFromQueryKeys(run, kQueryKeyMatrixBytes);
  if (!all.empty() && all.front().queries == run.seqLen) {
    run.attentions = std::move(all);
    run.attentionsFromQueryKeys = true;
  } else if (run.attentions.empty()) {
    run.attentions = std::move(all);
  }
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
