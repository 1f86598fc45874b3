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

// A table fitted to a width: the type it is drawn in and the columns it keeps. Too wide in
// `font`, its type gets smaller first, down to 70%; still too wide, its droppable columns go
// (rightmost first) and the type grows back as far as the narrower table allows. What is still
// too wide then is elided by paintTextTable.
struct FittedTable {
  TextTable table;
  QFont font;
};
FittedTable fitTextTable(const TextTable& table, double width, const QFont& font);
// The width of `table`'s columns in `font`: each as wide as its widest cell and a digit each side.
double textTableWidth(const TextTable& table, const QFont& font);

void paintTextTable(QPainter& p, const TextTable& table, const QRectF& area, const QFont& font);

// A table as a whole figure: a white page with the table inset by 2 units, in black ink.
// textTableFigureHeight is the height such a figure of `width` needs for every row.
double textTableFigureHeight(const TextTable& table, double width, const QFont& font);
void paintTextTableFigure(QPainter& p, const TextTable& table, const QRectF& target,
                          const QFont& font);

}  // namespace attnx
