#include "token_ticker.h"

#include <QFontMetrics>
#include <cmath>

namespace attnx {

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
  QVector<double> ticks;
  const int stride = std::max(1, static_cast<int>(tickStep));
  // Multiples of the stride, so the same positions stay labelled while panning.
  const int first = std::max(0, static_cast<int>(std::ceil(range.lower / stride)) * stride);
  const int last =
      std::min(static_cast<int>(labels_.size()) - 1, static_cast<int>(std::floor(range.upper)));
  for (int i = first; i <= last; i += stride) ticks.append(i);
  return ticks;
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
