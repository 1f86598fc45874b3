#pragma once
// A QCustomPlot ticker that labels integer positions with token text and thins the labels so
// they never overlap: at every replot it measures the label font against the axis length in
// pixels, so zooming in shows more labels and a small window fewer.
#include <QStringList>
#include <qcustomplot.h>

namespace attnx {

// The labelled positions of first..last for labels `stride` apart or more (never closer, so
// they do not overlap; less than 2 strides, so they stay evenly spread), each the first position
// of its window whose label differs from the last few shown.
QVector<double> thinnedPositions(const QStringList& labels, int first, int last, int stride);

class TokenTicker : public QCPAxisTicker {
 public:
  explicit TokenTicker(QCPAxis* axis) : axis_(axis) {}
  // labels[i] is the label of coordinate i.
  void setLabels(const QStringList& labels) { labels_ = labels; }
  const QStringList& labels() const { return labels_; }
  // The distance between shown labels, in positions, at the current axis size and range.
  int labelStride() const;
  // True when the axis was resized since the labels were made, so they need making again (the
  // plot lays itself out after generating ticks, so the first replot after a resize is stale).
  bool stale() const { return labels_.size() > 0 && labelStride() != lastStride_; }

 protected:
  double getTickStep(const QCPRange& range) override;
  QVector<double> createTickVector(double tickStep, const QCPRange& range) override;
  QVector<double> createSubTickVector(int subTickCount, const QVector<double>& ticks) override;
  QVector<QString> createLabelVector(const QVector<double>& ticks, const QLocale& locale,
                                     QChar formatChar, int precision) override;

 private:
  QCPAxis* axis_;
  QStringList labels_;
  int lastStride_ = 0;
};

}  // namespace attnx
