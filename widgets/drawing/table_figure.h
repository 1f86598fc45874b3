#pragma once
// A table of text drawn for a figure (ranked lists, per-group summaries): a title, a header
// row, then rows, with columns as wide as their widest cell and numbers right-aligned. Rows that
// do not fit are left out and counted in a last line.
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
};

void paintTextTable(QPainter& p, const TextTable& table, const QRectF& area, const QFont& font);

// A table as a whole figure: a white page with the table inset by 2 units, in black ink.
void paintTextTableFigure(QPainter& p, const TextTable& table, const QRectF& target,
                          const QFont& font);

}  // namespace attnx
