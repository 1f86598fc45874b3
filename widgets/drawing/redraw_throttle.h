#pragma once
// Coalesces bursts of document notifications (a key held down over the layers, a drag across the
// head grid) into one redraw on the next turn of the event loop.
#include <QObject>
#include <QTimer>
#include <functional>

namespace attnx {

class RedrawThrottle : public QObject {
 public:
  RedrawThrottle(std::function<void()> redraw, QObject* parent, int delayMs = 15)
      : QObject(parent), redraw_(std::move(redraw)) {
    timer_.setSingleShot(true);
    timer_.setInterval(delayMs);
    connect(&timer_, &QTimer::timeout, this, [this] { redraw_(); });
  }
  // Redraw soon; further requests before then are merged into it.
  void request() {
    if (!timer_.isActive()) timer_.start();
  }
  // Redraw now if a redraw is pending (tests, export).
  void flush() {
    if (timer_.isActive()) {
      timer_.stop();
      redraw_();
    }
  }
  bool pending() const { return timer_.isActive(); }

 private:
  std::function<void()> redraw_;
  QTimer timer_;
};

}  // namespace attnx
