#pragma once
// Greedy line breaking of text into lines no wider than a width, for the places that lay text
// out themselves (figure titles, the diagnostics' numbers).
#include <QFontMetricsF>
#include <QString>
#include <QStringList>

namespace attnx {

// `pieces` joined by `separator` into lines (joined by '\n') no wider than `width` in `fm`; a
// piece wider than that gets a line of its own.
QString wrapPieces(const QStringList& pieces, const QString& separator, const QFontMetricsF& fm,
                   double width);

}  // namespace attnx
