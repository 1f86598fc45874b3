#include "token_ticker.h"

#include <QFontMetrics>
#include <cmath>

namespace attnx {

QVector<double> thinnedPositions(const QStringList& labels, int first, int last, int stride) {
  constexpr int kRemembered = 4;  // labels a new one must differ from
  QVector<double> ticks;
  QStringList recent;
  stride = std::max(1, stride);
  for (int next = first; next <= last;) {
    int chosen = next;
    for (int p = next; p < next + stride && p <= last; ++p)
      if (p >= 0 && p < labels.size() && !recent.contains(labels[p])) {
        chosen = p;
        break;
      }
    ticks.append(chosen);
    if (chosen >= 0 && chosen < labels.size()) recent.append(labels[chosen]);
    if (recent.size() > kRemembered) recent.removeFirst();
    next = chosen + stride;
  }
  return ticks;
}

int TokenTicker::labelStride() const {
  const QCPRange range = axis_->range();
  const double span = std::max(1.0, range.size());
  const double pixels = axis_->orientation() == Qt::Horizontal ? axis_->axisRect()->width()
                                                               : axis_->axisRect()->height();
  if (pixels <= 0) return 1;
  // x labels are drawn rotated by 90 degrees and y labels horizontally: either way a label
  // takes one line height along its axis, plus a little air.
  const QFontMetricsF fm(axis_->tickLabelFont());
  const double needed = fm.height() + 3.0;
  const double perPosition = pixels / span;
  return std::max(1, static_cast<int>(std::ceil(needed / perPosition)));
}

double TokenTicker::getTickStep(const QCPRange&) {
  lastStride_ = labelStride();
  return lastStride_;
}

QVector<double> TokenTicker::createTickVector(double tickStep, const QCPRange& range) {
  const int stride = std::max(1, static_cast<int>(tickStep));
  // From a multiple of the stride (the same start while panning), each next label at least a
  // stride on and at most one more stride: the first position there whose text is not among the
  // last few shown. A prompt that repeats with the stride's period would otherwise show the same
  // token at every label ("·owl", "·owl", ...).
  const int first = std::max(0, static_cast<int>(std::ceil(range.lower / stride)) * stride);
  const int last =
      std::min(static_cast<int>(labels_.size()) - 1, static_cast<int>(std::floor(range.upper)));
  return thinnedPositions(labels_, first, last, stride);
}

QVector<double> TokenTicker::createSubTickVector(int, const QVector<double>&) { return {}; }

QVector<QString> TokenTicker::createLabelVector(const QVector<double>& ticks, const QLocale&, QChar,
                                                int) {
  QVector<QString> out;
  out.reserve(ticks.size());
  for (double t : ticks) {
    const int i = static_cast<int>(std::lround(t));
    out.append(i >= 0 && i < labels_.size() ? labels_[i] : QString());
  }
  return out;
}

}  // namespace attnx
