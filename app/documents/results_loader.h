#pragma once
// Opening a dataset run's stats.json without blocking the window: the file (megabytes for a large
// evaluation set) is read on a pool thread, and the outcome handed back on the GUI thread.
#include <QObject>
#include <QString>
#include <functional>
#include <memory>

#include "dataset_results.h"

namespace attnx {

// `results` is null when the file cannot be read; `error` then says why (naming the file).
using ResultsReadFn =
    std::function<void(std::shared_ptr<const DatasetResults> results, const QString& error)>;

// Reads `file` on a pool thread and calls `done` on the GUI thread, unless `context` is gone by
// then (context must live on the GUI thread).
void readResultsAsync(QObject* context, const QString& file, ResultsReadFn done);

}  // namespace attnx
