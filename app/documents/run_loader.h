#pragma once
// Opening and saving run files (what `attnx run` writes) in the window without blocking it. A Q/K
// run gets the attention its views read recomputed from its queries and keys while it is read:
// every row for a small input, the query row otherwise (attentionFromQueryKeys).
#include <QObject>
#include <QString>
#include <functional>
#include <memory>

#include "run_types.h"

namespace attnx {

// A Q/K run's matrices are recomputed in full up to this many bytes (all its layers together).
constexpr std::size_t kQueryKeyMatrixBytes = std::size_t{64} << 20;

// Reads and checks the run file (readRunFile) as the window shows it.
RunResult readRunForViews(const std::string& path);
// What a run file holds of a run the window shows: a small Q/K run's recomputed matrices go back
// to its query rows.
RunResult runForSaving(const RunResult& shown);

// `run` is null when the file cannot be read; `error` then says why, naming the file.
using RunReadFn = std::function<void(std::shared_ptr<const RunResult> run, const QString& error)>;
void readRunAsync(QObject* context, const QString& file, RunReadFn done);

// Imports attention saved by Python (attention_import.h) with `layout` (empty: the file's, else
// all text), off the GUI thread.
void importAttentionAsync(QObject* context, const QString& file, const QString& layout,
                          RunReadFn done);

// Writes what the window shows as a run file (runForSaving), atomically. Throws attnx::Error.
void writeShownRun(const std::string& path, const RunResult& shown);

// Writes `run` to `file` atomically (temporary file, then rename); `error` is empty on success.
void writeRunAsync(QObject* context, const QString& file, std::shared_ptr<const RunResult> run,
                   std::function<void(const QString& error)> done);

}  // namespace attnx
