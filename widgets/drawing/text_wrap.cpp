#include "text_wrap.h"

namespace attnx {

QString wrapPieces(const QStringList& pieces, const QString& separator, const QFontMetricsF& fm,
                   double width) {
  QStringList lines;
  QString line;
  for (const QString& piece : pieces) {
    const QString candidate = line.isEmpty() ? piece : line + separator + piece;
    if (!line.isEmpty() && fm.horizontalAdvance(candidate) > width) {
      lines << line;
      line = piece;
    } else {
      line = candidate;
    }
  }
  if (!line.isEmpty()) lines << line;
  return lines.join(QLatin1Char('\n'));
}

}  // namespace attnx
