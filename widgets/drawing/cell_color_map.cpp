#include "cell_color_map.h"

#include <algorithm>
#include <cmath>

namespace attnx {

void CellColorMap::draw(QCPPainter* painter) {
  QCPColorMapData* d = data();  // cell() is not const in QCustomPlot 2.1
  const int nk = d->keySize(), nv = d->valueSize();
  if (!vectorCells_ || nk < 1 || nv < 1 ||
      static_cast<long long>(nk) * nv > kMaxVectorCells || !keyAxis() || !valueAxis())
    return QCPColorMap::draw(painter);

  // Cell k spans its coordinate +- half a step (the map is not tight: coordinates are centres).
  const QCPRange kr = d->keyRange(), vr = d->valueRange();
  const double kStep = nk > 1 ? kr.size() / (nk - 1) : 1.0;
  const double vStep = nv > 1 ? vr.size() / (nv - 1) : 1.0;
  auto keyEdge = [&](int k) { return keyAxis()->coordToPixel(kr.lower + (k - 0.5) * kStep); };
  auto valueEdge = [&](int v) { return valueAxis()->coordToPixel(vr.lower + (v - 0.5) * vStep); };

  painter->save();
  // Cells meet exactly: antialiased edges would let the background show through as seams.
  painter->setAntialiasing(false);
  painter->setPen(Qt::NoPen);
  const bool log = dataScaleType() == QCPAxis::stLogarithmic;
  QCPColorGradient gradient = mGradient;
  for (int v = 0; v < nv; ++v) {
    const double y0 = valueEdge(v), y1 = valueEdge(v + 1);
    const double top = std::min(y0, y1), height = std::abs(y1 - y0);
    // Neighbours of one colour in a row become one rectangle (a causal mask is half the
    // matrix); each rectangle reaches a little under the next one, so that no seam shows.
    int k = 0;
    while (k < nk) {
      const QRgb c = gradient.color(d->cell(k, v), mDataRange, log);
      int end = k + 1;
      while (end < nk && gradient.color(d->cell(end, v), mDataRange, log) == c) ++end;
      const double x0 = keyEdge(k), x1 = keyEdge(end);
      const QRectF r(std::min(x0, x1), top, std::abs(x1 - x0), height);
      painter->fillRect(r.adjusted(0, 0, end < nk ? 0.5 : 0.0, v + 1 < nv ? 0.5 : 0.0),
                        QColor::fromRgba(c));
      k = end;
    }
  }
  painter->restore();
}

}  // namespace attnx
