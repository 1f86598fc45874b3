#include "results_loader.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThreadPool>
#include <exception>
#include <new>

#include "error.h"

namespace attnx {

void readResultsAsync(QObject* context, const QString& file, ResultsReadFn done) {
  QPointer<QObject> guard(context);
  QThreadPool::globalInstance()->start([guard, file, done = std::move(done)] {
    std::shared_ptr<const DatasetResults> results;
    QString error;
    try {
      results = std::make_shared<const DatasetResults>(readResultsJson(file.toStdString()));
    } catch (const std::bad_alloc&) {
      error = QCoreApplication::translate("attnx::ResultsLoader", "%1: out of memory").arg(file);
    } catch (const std::exception& e) {
      error = QString::fromUtf8(e.what());
    }
    // Back on the GUI thread (the application object lives there); the guard is checked there,
    // where `context` could be deleted, so it cannot vanish between the check and the call.
    QMetaObject::invokeMethod(
        qApp,
        [guard, done, results = std::move(results), error] {
          if (guard) done(results, error);
        },
        Qt::QueuedConnection);
  });
}

}  // namespace attnx
