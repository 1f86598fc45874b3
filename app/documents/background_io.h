#pragma once
// Reading and writing files without blocking the window: the work runs on a pool thread and its
// outcome (the value read, or the reason it failed) is handed back on the GUI thread, unless
// `context` is gone by then. Run files and dataset results use it; both can be gigabytes.
#include <QCoreApplication>
#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QtConcurrent/QtConcurrentRun>
#include <exception>
#include <functional>
#include <memory>
#include <new>

namespace attnx {

template <typename T>
using ReadDoneFn = std::function<void(std::shared_ptr<const T> value, const QString& error)>;

// `read` throws on failure (its message names the file); out of memory is reported as such.
// `context` must live on the GUI thread.
template <typename T>
void readInBackground(QObject* context, const QString& file, std::function<T()> read,
                      ReadDoneFn<T> done) {
  struct Outcome {
    std::shared_ptr<const T> value;
    QString error;
  };
  // The watcher lives on the GUI thread as a child of `context`: when `context` goes, so does
  // the watcher, and the answer has nowhere to arrive. Nothing on the pool thread refers to it.
  auto* watcher = new QFutureWatcher<Outcome>(context);
  QObject::connect(watcher, &QFutureWatcher<Outcome>::finished, context,
                   [watcher, done = std::move(done)] {
                     const Outcome o = watcher->result();
                     watcher->deleteLater();
                     done(o.value, o.error);
                   });
  watcher->setFuture(QtConcurrent::run([file, read = std::move(read)] {
    Outcome o;
    try {
      o.value = std::make_shared<const T>(read());
    } catch (const std::bad_alloc&) {
      o.error = QCoreApplication::translate("attnx::BackgroundIo", "%1: out of memory").arg(file);
    } catch (const std::exception& e) {
      o.error = QString::fromUtf8(e.what());
    }
    return o;
  }));
}

// Runs `write` (which throws on failure) on a pool thread; `done` gets an empty error on success.
inline void writeInBackground(QObject* context, const QString& file, std::function<void()> write,
                              std::function<void(const QString& error)> done) {
  struct Written {};
  readInBackground<Written>(
      context, file,
      [write = std::move(write)] {
        write();
        return Written{};
      },
      [done = std::move(done)](std::shared_ptr<const Written>, const QString& error) {
        done(error);
      });
}

}  // namespace attnx
