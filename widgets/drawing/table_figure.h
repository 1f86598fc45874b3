#pragma once
// A table of text drawn for a figure (ranked lists, per-group summaries): a title, a header
// row, then rows, with columns as wide as their widest cell and numbers right-aligned. Rows that
// do not fit are left out and counted in a last line; a table too wide gets smaller type (down
// to 70%), then leaves out its droppable columns, then elides.
#include <QColor>
#include <QFont>
#include <QList>
#include <QRectF>
#include <QStringList>

class QPainter;

namespace attnx {

struct TextTable {
  QString title;
  QStringList header;
  QList<QStringList> rows;
  // Optional background colour per cell ([row][column]); invalid colours are not painted.
  QList<QList<QColor>> backgrounds;
  // Columns that a table too wide for its area may leave out, the rightmost first (the lens's
  // 5th, 4th, then 3rd likeliest tokens), before its text is elided.
  QList<int> droppable;
};

void paintTextTable(QPainter& p, const TextTable& table, const QRectF& area, const QFont& font);

// A table as a whole figure: a white page with the table inset by 2 units, in black ink.
void paintTextTableFigure(QPainter& p, const TextTable& table, const QRectF& target,
                          const QFont& font);

}  // namespace attnx
