#include "results_loader.h"

#include <QCoreApplication>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <exception>
#include <new>

#include "error.h"

namespace attnx {

namespace {

struct ReadOutcome {
  std::shared_ptr<const DatasetResults> results;
  QString error;
};

}  // namespace

void readResultsAsync(QObject* context, const QString& file, ResultsReadFn done) {
  // The watcher lives on the GUI thread as a child of `context`: when `context` goes, so does
  // the watcher, and the answer has nowhere to arrive. Nothing on the pool thread refers to it.
  auto* watcher = new QFutureWatcher<ReadOutcome>(context);
  QObject::connect(watcher, &QFutureWatcher<ReadOutcome>::finished, context,
                   [watcher, done = std::move(done)] {
                     const ReadOutcome o = watcher->result();
                     watcher->deleteLater();
                     done(o.results, o.error);
                   });
  watcher->setFuture(QtConcurrent::run([file] {
    ReadOutcome o;
    try {
      o.results = std::make_shared<const DatasetResults>(readResultsJson(file.toStdString()));
    } catch (const std::bad_alloc&) {
      o.error = QCoreApplication::translate("attnx::ResultsLoader", "%1: out of memory").arg(file);
    } catch (const std::exception& e) {
      o.error = QString::fromUtf8(e.what());
    }
    return o;
  }));
}

}  // namespace attnx
