#include "table_figure.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>
#include <numeric>

#include "segment_style.h"

namespace attnx {

namespace {

// Right-aligns cells that read as numbers ("0.412", "+0.03", "−1.5", "33", "n/a" stays left).
bool looksNumeric(const QString& s) {
  if (s.isEmpty()) return false;
  const QChar c = s.front();
  return c.isDigit() || ((c == QLatin1Char('+') || c == QLatin1Char('-') || c == QChar(0x2212)) &&
                         s.size() > 1 && s[1].isDigit());
}

// The columns' widths of `table` in `fm`: each as wide as its widest cell and a digit each side.
std::vector<double> columnWidths(const TextTable& table, const QFontMetricsF& fm) {
  const double pad = fm.horizontalAdvance(QLatin1Char('0'));
  const int columns = static_cast<int>(table.header.size());
  std::vector<double> widths(static_cast<std::size_t>(columns), 0.0);
  auto measure = [&](const QStringList& row) {
    for (int c = 0; c < columns && c < row.size(); ++c)
      widths[c] = std::max(widths[c], fm.horizontalAdvance(row[c]) + 2 * pad);
  };
  measure(table.header);
  for (const QStringList& row : table.rows) measure(row);
  return widths;
}

double totalWidth(const std::vector<double>& widths) {
  return std::accumulate(widths.begin(), widths.end(), 0.0);
}

// `table` without column `c`.
TextTable withoutColumn(TextTable table, int c) {
  const auto drop = [c](auto& row) {
    if (c < row.size()) row.removeAt(c);
  };
  drop(table.header);
  for (QStringList& row : table.rows) drop(row);
  for (QList<QColor>& row : table.backgrounds) drop(row);
  table.droppable.clear();
  return table;
}

// The smallest type a table gets before it loses columns: about 6 pt in a paper figure.
constexpr double kSmallestType = 0.7;

// `given` at the largest size from 70% to 100% of it at which `table` fits `width` (70% when
// none does). Text widths scale with the type, up to hinting: the first guess is corrected in
// small steps.
QFont largestFitting(const TextTable& table, double width, const QFont& given) {
  QFont font = given;
  const double size = given.pointSizeF();
  const double total = textTableWidth(table, given);
  if (!(size > 0) || total <= width) return font;
  double f = std::clamp(width / total, kSmallestType, 1.0);
  font.setPointSizeF(size * f);
  for (int i = 0; i < 16 && f > kSmallestType && textTableWidth(table, font) > width; ++i) {
    f = std::max(kSmallestType, f * 0.97);
    font.setPointSizeF(size * f);
  }
  return font;
}

}  // namespace

double textTableWidth(const TextTable& table, const QFont& font) {
  return totalWidth(columnWidths(table, QFontMetricsF(font)));
}

FittedTable fitTextTable(const TextTable& given, double width, const QFont& givenFont) {
  // Smaller type first, then fewer columns: a table in a journal column keeps its words whole.
  FittedTable fitted{given, largestFitting(given, width, givenFont)};
  QList<int> droppable = given.droppable;
  std::sort(droppable.begin(), droppable.end(), std::greater<>());  // later indices stay valid
  bool dropped = false;
  for (int c : droppable) {
    if (textTableWidth(fitted.table, fitted.font) <= width) break;
    fitted.table = withoutColumn(fitted.table, c);
    dropped = true;
  }
  // The columns left may fit in larger type than the whole table did.
  if (dropped) fitted.font = largestFitting(fitted.table, width, givenFont);
  return fitted;
}

void paintTextTable(QPainter& p, const TextTable& given, const QRectF& area,
                    const QFont& givenFont) {
  p.save();
  const FittedTable fitted = fitTextTable(given, area.width(), givenFont);
  const TextTable& table = fitted.table;
  const QFont& font = fitted.font;
  p.setFont(font);
  const QFontMetricsF fm(font);
  const double line = fm.height() + 3;
  const double pad = fm.horizontalAdvance(QLatin1Char('0'));
  const int columns = static_cast<int>(table.header.size());
  std::vector<double> widths = columnWidths(table, fm);
  const double total = totalWidth(widths);
  // Still too wide: every column shrinks in proportion and its text is elided.
  const double shrink = total > area.width() && total > 0 ? area.width() / total : 1.0;
  for (double& w : widths) w *= shrink;

  double y = area.top();
  const QColor text = p.pen().color().isValid() ? p.pen().color() : QColor(Qt::black);
  if (!table.title.isEmpty()) {
    QFont bold = font;
    bold.setBold(true);
    p.setFont(bold);
    p.drawText(QRectF(area.left(), y, area.width(), line), Qt::AlignLeft | Qt::AlignVCenter,
               QFontMetricsF(bold).elidedText(table.title, Qt::ElideRight, area.width()));
    p.setFont(font);
    y += line + 2;
  }
  // A column whose first row is a number is right-aligned, its header included.
  std::vector<bool> numeric(static_cast<std::size_t>(columns), false);
  if (!table.rows.isEmpty())
    for (int c = 0; c < columns && c < table.rows.front().size(); ++c)
      numeric[c] = looksNumeric(table.rows.front()[c]);
  auto drawRow = [&](const QStringList& row, const QList<QColor>* bg, bool header) {
    double x = area.left();
    for (int c = 0; c < columns; ++c) {
      const QRectF cell(x, y, widths[c], line);
      if (bg && c < bg->size() && (*bg)[c].isValid()) p.fillRect(cell, (*bg)[c]);
      const QString s = c < row.size() ? row[c] : QString();
      p.setPen(bg && c < bg->size() && (*bg)[c].isValid() ? textColorOn((*bg)[c]) : text);
      const bool right = header ? numeric[c] : looksNumeric(s);
      const Qt::Alignment align = (right ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter;
      p.drawText(cell.adjusted(pad, 0, -pad, 0), align,
                 fm.elidedText(s, Qt::ElideRight, std::max(0.0, widths[c] - 2 * pad)));
      x += widths[c];
    }
    y += line;
  };
  drawRow(table.header, nullptr, true);
  p.setPen(QPen(text, 0.8));
  const double right = area.left() + std::min(total * shrink, area.width());
  p.drawLine(QPointF(area.left(), y), QPointF(right, y));
  y += 1;
  int shown = 0;
  for (int r = 0; r < table.rows.size(); ++r) {
    // Keep a line free for the "more rows" note unless this is the last row.
    const bool last = r == table.rows.size() - 1;
    if (y + line * (last ? 1 : 2) > area.bottom() + 0.5) break;
    drawRow(table.rows[r], r < table.backgrounds.size() ? &table.backgrounds[r] : nullptr, false);
    ++shown;
  }
  if (shown < table.rows.size()) {
    p.setPen(text);
    p.drawText(QRectF(area.left(), y, area.width(), line), Qt::AlignLeft | Qt::AlignVCenter,
               QCoreApplication::translate("attnx::TextTable", "… %n more row(s)", nullptr,
                                           static_cast<int>(table.rows.size() - shown)));
  }
  p.restore();
}

double textTableFigureHeight(const TextTable& table, double width, const QFont& font) {
  // paintTextTable's lines: the title and a gap of 2, the header, the rule's 1, the rows; the
  // figure's inset of 2 on each side.
  const FittedTable fitted = fitTextTable(table, width - 4, font);
  const double line = QFontMetricsF(fitted.font).height() + 3;
  return 4 + (table.title.isEmpty() ? 0 : line + 2) + line + 1 +
         line * static_cast<double>(table.rows.size());
}

void paintTextTableFigure(QPainter& p, const TextTable& table, const QRectF& target,
                          const QFont& font) {
  p.save();
  p.fillRect(target, Qt::white);
  p.setPen(Qt::black);
  paintTextTable(p, table, target.adjusted(2, 2, -2, -2), font);
  p.restore();
}

}  // namespace attnx
