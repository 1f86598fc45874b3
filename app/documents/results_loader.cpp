#include "results_loader.h"

#include "background_io.h"

namespace attnx {

void readResultsAsync(QObject* context, const QString& file, ResultsReadFn done) {
  readInBackground<DatasetResults>(
      context, file, [path = file.toStdString()] { return readResultsJson(path); },
      std::move(done));
}

}  // namespace attnx
