#include "figure_export.h"

#include <QApplication>
#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPainter>
#include <QPdfWriter>
#include <QPicture>
#include <QSaveFile>
#include <QSvgGenerator>
#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <qcustomplot.h>

#include "error.h"
#include "figure_style.h"
#include "figure_view.h"
#include "plot_figure.h"
#include "run_document.h"
#include "shared_color_bar.h"
#include "text_wrap.h"

namespace attnx {
namespace {

// The digest of a file as the manifest writes it.
QJsonObject digestObject(const FileDigest& d) {
  return {{QStringLiteral("file"), QString::fromStdString(d.file)},
          {QStringLiteral("sha256"), QString::fromStdString(d.sha256)}};
}

// Greedy word wrap of `text` to lines no wider than `width` in `font`.
QString wrapText(const QString& text, const QFont& font, double width) {
  const QFontMetricsF fm = logicalMetrics(font);
  if (fm.horizontalAdvance(text) <= width) return text;
  return wrapPieces(text.split(QLatin1Char(' '), Qt::SkipEmptyParts), QStringLiteral(" "), fm,
                    width);
}

IFigureView* figureViewOf(QWidget* view) {
  auto* figure = dynamic_cast<IFigureView*>(view);
  if (!figure) throw Error(QObject::tr("this view cannot be exported as a figure").toStdString());
  return figure;
}

// Views narrower than this (about 2.1 in) are drawn without axis titles.
constexpr double kNarrowView = 200.0;

// Temporarily sets the fonts of a view for the figure style; restores them when destroyed.
class StyleScope {
 public:
  // `width`: the logical width (1/96 in units) the view is drawn at. `captioned`: the panel
  // has a caption above it, which replaces the plot's own title.
  StyleScope(QWidget* view, IFigureView* figure, FigureStyle style, double width, bool captioned) {
    const double base = baseFontPt(style, width);
    const double title = titleFontPt(style, width);
    if (QCustomPlot* plot = figure->figurePlot()) {
      for (QCPAxis* a : plot->findChildren<QCPAxis*>()) {
        const QFont tf = a->tickLabelFont(), lf = a->labelFont();
        const QPen bp = a->basePen(), tp = a->tickPen(), sp = a->subTickPen();
        const QString label = a->label();
        restore_.push_back([a, tf, lf, bp, tp, sp, label] {
          a->setLabel(label);
          a->setTickLabelFont(tf);
          a->setLabelFont(lf);
          a->setBasePen(bp);
          a->setTickPen(tp);
          a->setSubTickPen(sp);
        });
        applyFigureAxisStyle(a, style, base);
        // A narrow panel (a grid of heatmaps in one column) keeps its room for the data; the
        // caption and the figure's legend say what the axes are.
        if (width < kNarrowView) a->setLabel(QString());
      }
      if (captioned) {
        // The emptied title's row leaves no spacing under it either.
        QCPLayoutGrid* layout = plot->plotLayout();
        const int spacing = layout->rowSpacing();
        restore_.push_back([layout, spacing] { layout->setRowSpacing(spacing); });
        layout->setRowSpacing(0);
      }
      for (QCPTextElement* t : plot->findChildren<QCPTextElement*>()) {
        const QFont f = t->font();
        const QString text = t->text();
        const QMargins margins = t->margins();
        restore_.push_back([t, f, text, margins] {
          t->setFont(f);
          t->setText(text);
          t->setMargins(margins);
        });
        if (captioned) {
          // A caption says what the panel shows, so the title would only repeat it; an empty
          // title still takes a line of its font, so the font and margins shrink to nothing.
          t->setText(QString());
          t->setFont(styleFont(1.0));
          t->setMargins(QMargins());
          continue;
        }
        t->setFont(styleFont(title, true));
        // A title longer than a journal column is broken into lines rather than clipped.
        t->setText(wrapText(text, t->font(), width * 0.95));
      }
      for (QCPItemText* t : plot->findChildren<QCPItemText*>()) {
        const QFont f = t->font();
        restore_.push_back([t, f] { t->setFont(f); });
        t->setFont(styleFont(base));
      }
      if (QCPLegend* legend = plot->legend) {
        const QFont f = legend->font();
        restore_.push_back([legend, f] {
          legend->setFont(f);
          for (int i = 0; i < legend->itemCount(); ++i)
            if (legend->item(i)) legend->item(i)->setFont(f);  // a wrapped grid has empty cells
        });
        legend->setFont(styleFont(base));
        for (int i = 0; i < legend->itemCount(); ++i)
          if (legend->item(i)) legend->item(i)->setFont(styleFont(base));
      }
    } else {
      const QFont f = view->font();
      restore_.push_back([view, f] { view->setFont(f); });
      view->setFont(styleFont(base));
    }
  }
  ~StyleScope() {
    for (auto it = restore_.rbegin(); it != restore_.rend(); ++it) (*it)();
  }
  StyleScope(const StyleScope&) = delete;
  StyleScope& operator=(const StyleScope&) = delete;

 private:
  std::vector<std::function<void()>> restore_;
};

constexpr double kMinViewAspect = 0.5, kMaxViewAspect = 1.6;
// The tallest figure there is (height / width), asked for or fitted to its content.
constexpr double kMaxFigureAspect = 20;

// Lays the plot of `figure` out at `width` x `width` in the figure's style for views
// `styleWidth` wide (twice: label thinning settles on the second layout, as when the figure is
// drawn), calls `read` on the laid-out plot, and gives the widget its own fonts and layout back.
template <typename Read>
auto measureInStyle(QWidget* view, IFigureView* figure, const FigureOptions& o, double width,
                    double styleWidth, bool captioned, Read read) {
  QCustomPlot* plot = figure->figurePlot();
  decltype(read(plot)) result{};
  {
    StyleScope scope(view, figure, o.style, styleWidth, captioned);
    const int side = static_cast<int>(std::lround(width));
    layOutForFigure(plot, side, side);
    result = read(plot);
  }
  plot->replot();
  return result;
}

// `width`: of the view in the figure (logical units); `captioned`: it has a caption above it;
// `panel`: it is one of several panels, which are as high as their data's own aspect needs (a
// single view keeps the widget's shape, as the user sized it); `styleWidth`: the width the
// figure's fonts are chosen for (the panels' common one; 0: `width`).
double viewAspect(QWidget* view, const FigureOptions& o, double width, bool captioned,
                  bool panel = false, double styleWidth = 0) {
  if (!(styleWidth > 0)) styleWidth = width;
  if (o.aspect > 0) return o.aspect;
  IFigureView* figure = figureViewOf(view);
  if (figure) figure->refreshNow();  // the shape of what will be drawn, not of a pending redraw
  if (figure && figure->figureFitsContent() && figure->figurePlot()) {
    // As high as the rows need.
    const double needed = measureInStyle(
        view, figure, o, width, styleWidth, captioned,
        [](QCustomPlot* p) { return p->plotLayout()->minimumOuterSizeHint().height() + 4.0; });
    return std::clamp(needed / width, 0.1, kMaxViewAspect);
  }
  if (figure && figure->figureFitsContent() && !figure->figurePlot()) {
    // Text as high as its lines (the diagnostics of a 32-layer model run to a page): up to the
    // largest aspect a figure may have, never cut off at a plot's.
    StyleScope scope(view, figure, o.style, styleWidth, captioned);
    if (const double needed = figure->figureContentHeight(width); needed > 0)
      return std::clamp(needed / width, 0.1, kMaxFigureAspect);
  }
  if (const double data = figure ? figure->figureDataAspect() : 0.0;
      panel && data > 0 && figure->figurePlot()) {
    // Square cells: the plot's labels and margins around a matrix of the data's aspect at the
    // width the panel leaves it.
    const double needed =
        measureInStyle(view, figure, o, width, styleWidth, captioned, [&](QCustomPlot* p) {
          const QRect rect = p->axisRect()->rect();
          return width - rect.height() + rect.width() * data;
        });
    return std::clamp(needed / width, kMinViewAspect, kMaxViewAspect);
  }
  // The widget's shape, within what a printed figure can use: a dock stretched flat (a third as
  // high as wide) would leave a curve plot no room for its title, axis label and ticks.
  if (view->width() > 0 && view->height() > 0)
    return std::clamp(static_cast<double>(view->height()) / view->width(), kMinViewAspect,
                      kMaxViewAspect);
  return 0.75;
}

// Panels that show one input at one zoom (the heads of a layer, the layers of a head) label the
// queries left of the first column and the keys under the lowest panel of each column: repeated
// labels would take the room of the data. Hides the other panels' labels while it lives.
class SharedTickLabels {
 public:
  // Whether `views` (more than one) all have the same non-empty axes key.
  static bool applies(const std::vector<IFigureView*>& views) {
    if (views.size() < 2) return false;
    const QString key = views.front()->figureAxesKey();
    return !key.isEmpty() && std::all_of(views.begin(), views.end(),
                                         [&](IFigureView* v) { return v->figureAxesKey() == key; });
  }
  // Panel i of n in `columns` columns shows the keys when no panel lies below it.
  static bool showsKeys(int i, int n, int columns) { return i + columns >= n; }
  static bool showsQueries(int i, int columns) { return i % columns == 0; }

  SharedTickLabels(std::vector<IFigureView*> views, int columns) : views_(std::move(views)) {
    const int n = static_cast<int>(views_.size());
    for (int i = 0; i < n; ++i)
      views_[static_cast<std::size_t>(i)]->setFigureTickLabelsShown(showsKeys(i, n, columns),
                                                                    showsQueries(i, columns));
  }
  ~SharedTickLabels() {
    for (IFigureView* v : views_) v->setFigureTickLabelsShown(true, true);
  }
  SharedTickLabels(const SharedTickLabels&) = delete;
  SharedTickLabels& operator=(const SharedTickLabels&) = delete;

 private:
  std::vector<IFigureView*> views_;
};

// The room the tick labels and titles of the key axis (height) and the query axis (width) take
// in `view` laid out at `width` in the style of views `styleWidth` wide: what a panel whose
// labels another panel shows saves.
QSizeF tickLabelRoom(QWidget* view, IFigureView* figure, const FigureOptions& o, double width,
                     double styleWidth, bool captioned) {
  // The data's left and bottom margins, which hold the axes' labels.
  const auto margins = [&](bool shown) {
    figure->setFigureTickLabelsShown(shown, shown);
    return measureInStyle(view, figure, o, width, styleWidth, captioned, [](QCustomPlot* p) {
      const QMargins m = p->axisRect()->margins();
      return QSizeF(m.left(), m.bottom());
    });
  };
  const QSizeF without = margins(false);
  const QSizeF with = margins(true);
  return {std::max(0.0, with.width() - without.width()),
          std::max(0.0, with.height() - without.height())};
}

// Where each view and caption goes on the logical canvas (1/96 in units). One view without a
// caption is the single-view figure: its rectangle is the whole canvas.
struct FigureLayout {
  struct Cell {
    QWidget* view = nullptr;
    IFigureView* figure = nullptr;
    QString caption;
    QRectF captionRect, viewRect;
    double styleWidth = 0;  // the width its fonts are chosen for: the same for every panel
  };
  QSizeF size;
  std::vector<Cell> cells;
  int columns = 1;
  // Panels of one colour range share one bar, in a column right of them (barLeft, barWidth);
  // their own bars stay hidden while the layout lives.
  std::shared_ptr<SharedColorBar> bar;
  std::shared_ptr<SharedColorBar::HiddenBars> hiddenBars;
  std::shared_ptr<SharedTickLabels> sharedTicks;
  double barLeft = 0, barWidth = 0;
  double aspect() const { return size.height() / size.width(); }
};

// Gap between panels: about 1.6 mm, enough to separate a colour bar from the next panel's axis.
constexpr double kPanelGap = 6.0;

// `width`: of the caption's band.
QFont captionFont(FigureStyle style, double width) {
  return styleFont(titleFontPt(style, width), true);
}

// Captions wrap to at most this many lines; the rest is elided.
constexpr int kCaptionLines = 3;

// `caption` broken into lines no wider than `width` in the caption font.
QStringList captionLines(const QString& caption, FigureStyle style, double width) {
  if (caption.isEmpty()) return {};
  const QFont font = captionFont(style, width);
  QStringList lines = wrapText(caption, font, width).split(QLatin1Char('\n'));
  if (lines.size() > kCaptionLines) {
    lines[kCaptionLines - 1] += QLatin1Char(' ') + lines.mid(kCaptionLines).join(QLatin1Char(' '));
    lines = lines.mid(0, kCaptionLines);
  }
  // A single word wider than the panel is elided too.
  for (QString& line : lines) line = logicalMetrics(font).elidedText(line, Qt::ElideRight, width);
  return lines;
}

void checkOptions(const FigureOptions& o) {
  if (!(o.widthIn > 0.5 && o.widthIn <= 40 && o.dpi >= 30 && o.dpi <= 2400))
    throw Error(QObject::tr("figure width must be 0.5-40 in and DPI 30-2400").toStdString());
  if (!(o.aspect >= 0 && o.aspect <= kMaxFigureAspect))
    throw Error(QObject::tr("figure aspect must be between 0 and 20").toStdString());
}

FigureLayout singleLayout(QWidget* view, const FigureOptions& o) {
  FigureLayout l;
  const double w = o.widthIn * kLogicalDpi;
  l.size = QSizeF(w, w * viewAspect(view, o, w, false));
  l.cells.push_back(
      {view, figureViewOf(view), QString(), QRectF(), QRectF(QPointF(0, 0), l.size), w});
  return l;
}

// Panels fill the rows left to right. With options.aspect set, the whole figure has that aspect
// and the panels share its height; otherwise each panel keeps the first view's own aspect.
// Panels of one input share their tick labels (SharedTickLabels): the first column is wider and
// the lowest panels higher by the labels' room, so that every panel's data has the same size.
FigureLayout panelLayout(const QList<FigurePanel>& panels, int columns, const FigureOptions& o) {
  if (panels.isEmpty()) throw Error(QObject::tr("a figure needs at least one panel").toStdString());
  FigureLayout l;
  const int n = static_cast<int>(panels.size());
  l.columns = std::clamp(columns, 1, n);
  const int rows = (n + l.columns - 1) / l.columns;
  const double width = o.widthIn * kLogicalDpi;
  std::vector<IFigureView*> figures;
  for (const FigurePanel& p : panels) {
    if (!p.view) throw Error(QObject::tr("a figure panel has no view").toStdString());
    figures.push_back(figureViewOf(p.view));
    figures.back()->refreshNow();  // the bar of what will be drawn
  }
  l.bar = SharedColorBar::of(figures);
  if (l.bar) {
    // Measured with the fonts of panels as wide as they would be with bars of their own (the
    // panels come out a little wider, so their fonts are no larger).
    const double wide = (width - (l.columns - 1) * kPanelGap) / l.columns;
    l.hiddenBars = std::make_shared<SharedColorBar::HiddenBars>(l.bar.get(), figures);
    l.barWidth = l.bar->width(o.style, wide, 0.8 * wide);
    l.barLeft = width - l.barWidth;
  }
  const double panelsWidth = l.bar ? l.barLeft - kPanelGap : width;
  // The panels' common width, which their fonts are chosen for.
  const double cellW = (panelsWidth - (l.columns - 1) * kPanelGap) / l.columns;
  const bool share = SharedTickLabels::applies(figures);
  const bool captioned = std::any_of(panels.begin(), panels.end(),
                                     [](const FigurePanel& p) { return !p.caption.isEmpty(); });
  QSizeF room;
  if (share) room = tickLabelRoom(panels.front().view, figures.front(), o, cellW, cellW, captioned);
  const double extraW = l.columns > 1 ? room.width() : 0.0;  // of the first column
  const double extraH = rows > 1 ? room.height() : 0.0;      // of the panels showing the keys
  const double firstW = cellW + extraW * (l.columns - 1) / l.columns;
  const double otherW = firstW - extraW;
  // Every caption band has the height of the longest caption, so the views line up in rows.
  constexpr double kCaptionInset = 2.0;
  const double captionW = otherW - 2 * kCaptionInset;
  int lines = 0;
  for (const FigurePanel& p : panels)
    lines = std::max(lines, static_cast<int>(captionLines(p.caption, o.style, captionW).size()));
  const double lineH = logicalMetrics(captionFont(o.style, captionW)).lineSpacing();
  const double capH = lines > 0 ? lines * lineH + 0.5 * lineH : 0.0;
  // The height of a panel that shows the keys; the others are extraH lower.
  double viewH = 0;
  if (o.aspect > 0) {
    viewH = (width * o.aspect - (rows - 1) * kPanelGap + (rows - 1) * extraH) / rows - capH;
  } else {
    viewH = firstW * viewAspect(panels.front().view, o, firstW, capH > 0, n > 1, cellW);
  }
  if (otherW < 24 || viewH - extraH < 24)
    throw Error(QObject::tr("%1 panels in %2 columns do not fit a %3 in wide figure; use fewer "
                            "columns or a wider figure")
                    .arg(n)
                    .arg(l.columns)
                    .arg(o.widthIn)
                    .toStdString());
  l.size = QSizeF(width, rows * (capH + viewH) - (rows - 1) * extraH + (rows - 1) * kPanelGap);
  for (int i = 0; i < n; ++i) {
    const FigurePanel& p = panels[i];
    const int column = i % l.columns, row = i / l.columns;
    const double x = column == 0 ? 0.0 : firstW + kPanelGap + (column - 1) * (otherW + kPanelGap);
    const double w = column == 0 ? firstW : otherW;
    const double y = row * (capH + viewH - extraH + kPanelGap);
    // A panel over an empty cell of the last row shows the keys and reaches into that cell.
    const double h =
        share && !SharedTickLabels::showsKeys(i, n, l.columns) ? viewH - extraH : viewH;
    // A caption stands over its panel's data, right of the first column's query labels.
    const double captionLeft = x + w - otherW;
    l.cells.push_back(
        {p.view, figureViewOf(p.view), p.caption,
         QRectF(captionLeft, y, otherW, capH).adjusted(kCaptionInset, 0, -kCaptionInset, 0),
         QRectF(x, y + capH, w, h), cellW});
  }
  if (share) l.sharedTicks = std::make_shared<SharedTickLabels>(figures, l.columns);
  return l;
}

// Draws every panel of `l` with `painter` in logical units.
void paintLayout(QPainter& painter, const FigureLayout& l, FigureStyle style,
                 const FigureMarks& marks) {
  double dataTop = l.size.height(), dataBottom = 0;  // of every panel's data, for the shared bar
  for (const FigureLayout::Cell& c : l.cells) {
    // Applies a pending redraw first, so that the style below works on what will be drawn.
    c.figure->refreshNow();
    {
      StyleScope scope(c.view, c.figure, style, c.styleWidth, !c.caption.isEmpty());
      c.figure->renderTo(painter, c.viewRect, marks);
    }
    if (const QRectF data = c.figure->figureDataRect(); l.bar && data.isValid()) {
      dataTop = std::min(dataTop, data.top());
      dataBottom = std::max(dataBottom, data.bottom());
    }
    if (c.caption.isEmpty()) continue;
    painter.save();
    const QFont font = captionFont(style, c.captionRect.width());
    const QFontMetricsF fm = logicalMetrics(font);
    painter.setFont(font);
    painter.setPen(Qt::black);
    // One line at a time, as the layout wrapped them, from a quarter line below the band's top.
    double y = c.captionRect.top() + 0.25 * fm.lineSpacing();
    for (const QString& line : captionLines(c.caption, style, c.captionRect.width())) {
      painter.drawText(QRectF(c.captionRect.left(), y, c.captionRect.width(), fm.lineSpacing()),
                       Qt::AlignLeft | Qt::AlignVCenter, line);
      y += fm.lineSpacing();
    }
    painter.restore();
  }
  if (l.bar && dataBottom > dataTop)
    l.bar->render(painter, l.barLeft, l.barWidth, dataTop, dataBottom, style,
                  l.cells.front().styleWidth);
}

QImage renderLayoutImage(const FigureLayout& l, const FigureOptions& options) {
  FigureOptions o = options;
  o.format = FigureFormat::Png;
  const QSize px = figurePixelSize(o, l.aspect());
  if (px.width() < 16 || px.height() < 16 || px.width() > 20000 || px.height() > 20000)
    throw Error(QObject::tr("the figure would be %1 x %2 pixels; choose another width or DPI")
                    .arg(px.width())
                    .arg(px.height())
                    .toStdString());
  QImage image(px, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  {
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.scale(o.dpi / kLogicalDpi, o.dpi / kLogicalDpi);
    paintLayout(p, l, o.style, o.marks);
  }
  // Set after painting: fonts were laid out at the logical DPI and the painter scaled them.
  const int dpm = static_cast<int>(std::lround(o.dpi / 0.0254));
  image.setDotsPerMeterX(dpm);
  image.setDotsPerMeterY(dpm);
  return image;
}

void commitOrThrow(QSaveFile& out, const QString& file) {
  if (!out.commit())
    throw Error(QObject::tr("cannot write %1: %2").arg(file, out.errorString()).toStdString());
}

void openOrThrow(QSaveFile& out, const QString& file) {
  if (!out.open(QIODevice::WriteOnly))
    throw Error(QObject::tr("cannot write %1: %2").arg(file, out.errorString()).toStdString());
}

// The manifest with the figure's own size and format (and its panels, when there are several).
QJsonObject fullManifest(const FigureLayout& l, const FigureOptions& o, const QJsonObject& base,
                         bool panels) {
  QJsonObject full = base;
  QJsonObject figure{
      {QStringLiteral("format"), figureFormatName(o.format)},
      {QStringLiteral("style"),
       o.style == FigureStyle::Paper ? QStringLiteral("paper") : QStringLiteral("slide")},
      {QStringLiteral("width_in"), o.widthIn},
      {QStringLiteral("height_in"), o.widthIn * l.aspect()},
      {QStringLiteral("dpi"), o.format == FigureFormat::Png ? QJsonValue(o.dpi) : QJsonValue()},
      // Which of the window's selection the figure marks (none unless asked for).
      {QStringLiteral("marks"), QJsonObject{{QStringLiteral("layer"), o.marks.layer},
                                            {QStringLiteral("query"), o.marks.query}}}};
  if (panels) {
    figure[QStringLiteral("columns")] = l.columns;
    // One colour bar beside panels of one range, or each its own.
    figure[QStringLiteral("color_bar")] =
        l.bar ? QStringLiteral("shared") : QStringLiteral("per_panel");
    // What the caller says about each panel (its run and selection), completed with where the
    // panel is on the page.
    const QJsonArray given = base.value(QStringLiteral("panels")).toArray();
    QJsonArray list;
    for (std::size_t i = 0; i < l.cells.size(); ++i) {
      const FigureLayout::Cell& c = l.cells[i];
      QJsonObject p = given.at(static_cast<qsizetype>(i)).toObject();
      p[QStringLiteral("index")] = static_cast<int>(i);
      p[QStringLiteral("caption")] = c.caption;
      p[QStringLiteral("view")] = c.figure->figureViewName();
      const QRectF r = c.viewRect;
      p[QStringLiteral("box_in")] = QJsonArray{r.x() / kLogicalDpi, r.y() / kLogicalDpi,
                                               r.width() / kLogicalDpi, r.height() / kLogicalDpi};
      list.append(p);
    }
    full[QStringLiteral("panels")] = list;
  }
  full[QStringLiteral("figure")] = figure;
  return full;
}

// Writes the figure of `l` to `file` in options.format and the manifest beside it.
void writeLayout(const FigureLayout& l, const QString& file, const FigureOptions& o,
                 const QJsonObject& manifest, bool panels) {
  checkOptions(o);
  const QJsonObject full = fullManifest(l, o, manifest, panels);
  const QByteArray json = QJsonDocument(full).toJson(QJsonDocument::Compact);
  QSaveFile out(file);
  switch (o.format) {
    case FigureFormat::Png: {
      QImage image = renderLayoutImage(l, o);
      image.setText(QStringLiteral("attnx-manifest"), QString::fromUtf8(json));
      image.setText(QStringLiteral("Software"), QStringLiteral("attnx " ATTNX_VERSION));
      openOrThrow(out, file);
      if (!image.save(&out, "PNG"))
        throw Error(QObject::tr("cannot encode %1 as PNG").arg(file).toStdString());
      break;
    }
    case FigureFormat::Pdf: {
      openOrThrow(out, file);
      QPdfWriter pdf(&out);
      pdf.setResolution(static_cast<int>(kLogicalDpi));
      // The page is exactly the figure: no margins, size in points.
      pdf.setPageSize(QPageSize(QSizeF(o.widthIn * 72.0, o.widthIn * l.aspect() * 72.0),
                                QPageSize::Point, QString(), QPageSize::ExactMatch));
      pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
      pdf.setTitle(QString::fromUtf8(json));
      pdf.setCreator(QStringLiteral("attnx " ATTNX_VERSION));
      QPainter p;
      if (!p.begin(&pdf))
        throw Error(QObject::tr("cannot start PDF output for %1").arg(file).toStdString());
      p.setRenderHint(QPainter::Antialiasing);
      // Images (colour bars, thumbnails, large heatmaps) are stored losslessly (Flate), not as
      // JPEG: chroma subsampling would bleed the colours of small cells into each other.
      p.setRenderHint(QPainter::LosslessImageRendering);
      paintLayout(p, l, o.style, o.marks);
      p.end();
      break;
    }
    case FigureFormat::Svg: {
      openOrThrow(out, file);
      QSvgGenerator svg;
      svg.setOutputDevice(&out);
      svg.setResolution(static_cast<int>(kLogicalDpi));
      svg.setSize(l.size.toSize());
      svg.setViewBox(QRectF(QPointF(0, 0), l.size));
      svg.setTitle(QStringLiteral("attnx figure"));
      svg.setDescription(QString::fromUtf8(json));
      QPainter p;
      if (!p.begin(&svg))
        throw Error(QObject::tr("cannot start SVG output for %1").arg(file).toStdString());
      p.setRenderHint(QPainter::Antialiasing);
      paintLayout(p, l, o.style, o.marks);
      p.end();
      break;
    }
  }
  commitOrThrow(out, file);
  QSaveFile side(file + QStringLiteral(".json"));
  openOrThrow(side, side.fileName());
  side.write(QJsonDocument(full).toJson(QJsonDocument::Indented));
  commitOrThrow(side, side.fileName());
}

// The command line's and the manifest's names of formats and styles.
template <typename E>
struct Named {
  E value;
  const char* name;
};
constexpr Named<FigureFormat> kFormatNames[] = {
    {FigureFormat::Png, "png"}, {FigureFormat::Pdf, "pdf"}, {FigureFormat::Svg, "svg"}};
constexpr Named<FigureStyle> kStyleNames[] = {{FigureStyle::Paper, "paper"},
                                              {FigureStyle::Slide, "slide"}};

// Finds `text` (any case) in `table`.
template <typename E, std::size_t N>
bool parseNamed(const Named<E> (&table)[N], const QString& text, E* out) {
  for (const Named<E>& n : table)
    if (text.compare(QLatin1String(n.name), Qt::CaseInsensitive) == 0) {
      *out = n.value;
      return true;
    }
  return false;
}

}  // namespace

bool parseFigureFormat(const QString& text, FigureFormat* format) {
  return parseNamed(kFormatNames, text, format);
}

bool parseFigureStyle(const QString& text, FigureStyle* style) {
  return parseNamed(kStyleNames, text, style);
}

QString figureFormatName(FigureFormat format) {
  for (const Named<FigureFormat>& n : kFormatNames)
    if (n.value == format) return QString::fromLatin1(n.name);
  return {};
}

QString figureHeadName(HeadChoice head) {
  switch (head.kind) {
    case HeadChoice::Kind::Mean:
      return QStringLiteral("mean");
    case HeadChoice::Kind::Max:
      return QStringLiteral("max");
    case HeadChoice::Kind::One:
      break;
  }
  return QString::number(head.index);
}

void writeManifestSelection(const RunDocument& doc, QJsonObject* manifest) {
  const Selection& s = doc.selection();
  QJsonObject& m = *manifest;
  m[QStringLiteral("layer")] = s.layer;
  m[QStringLiteral("head")] = figureHeadName(s.head);
  m[QStringLiteral("query")] = doc.resolvedQuery();
  m[QStringLiteral("step")] = s.step.value_or(-1);
}

QJsonObject figureManifest(const RunDocument& doc, const FigureSource& source) {
  QJsonObject m;
  m[QStringLiteral("app")] = QStringLiteral("attnx");
  m[QStringLiteral("app_version")] = QStringLiteral(ATTNX_VERSION);
  // The hashes were taken where the result was computed (provenance.h): nothing is read here.
  QJsonObject model{{QStringLiteral("dir"), source.modelDir}};
  QJsonObject input{{QStringLiteral("prompt"), source.prompt}};
  if (!source.anchor.isEmpty()) input[QStringLiteral("anchor")] = source.anchor;
  if (const RunResult* r = doc.result()) {
    const ModelProvenance& p = r->model.provenance;
    model[QStringLiteral("config_sha256")] = QString::fromStdString(p.configSha256);
    if (!p.weights.empty()) model[QStringLiteral("weights")] = digestObject(p.weights);
    model[QStringLiteral("family")] = QString::fromStdString(r->model.family);
    model[QStringLiteral("dtype")] = QString::fromStdString(r->model.dtype);
    if (!r->softTokens.file.empty()) {
      QJsonObject soft = digestObject(r->softTokens.file);
      if (r->softTokens.index >= 0) soft[QStringLiteral("index")] = r->softTokens.index;
      input[QStringLiteral("soft_tokens")] = soft;
    }
    QJsonArray segs;
    if (!r->layout.empty())
      for (const Segment& s : r->layout[doc.selection().batchRow])
        segs.append(QJsonObject{
            {QStringLiteral("kind"), QString::fromStdString(std::string(segmentKindName(s.kind)))},
            {QStringLiteral("begin"), s.begin},
            {QStringLiteral("end"), s.end}});
    input[QStringLiteral("segments")] = segs;
    QJsonArray ids;
    for (int t = 0; t < r->seqLen; ++t)
      ids.append(static_cast<qint64>(r->inputIds[doc.selection().batchRow * r->seqLen + t]));
    input[QStringLiteral("input_ids")] = ids;
  }
  m[QStringLiteral("model")] = model;
  m[QStringLiteral("input")] = input;
  m[QStringLiteral("view")] = source.viewName;
  writeManifestSelection(doc, &m);
  m[QStringLiteral("colormap")] = source.colorMap;
  m[QStringLiteral("scale")] = source.colorScale;
  return m;
}

QSize figurePixelSize(const FigureOptions& o, double aspect) {
  const double perIn = o.format == FigureFormat::Png ? o.dpi : 72.0;
  const int w = static_cast<int>(std::lround(o.widthIn * perIn));
  return {w, static_cast<int>(std::lround(o.widthIn * aspect * perIn))};
}

int defaultFigureColumns(int count, double widthIn) {
  if (count <= 1) return 1;
  // Square-ish grids; a single journal column holds at most two heatmaps side by side.
  const int widest = widthIn < 5.0 ? 2 : 4;
  const int square = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(count))));
  return std::clamp(square, 1, std::min(count, widest));
}

QImage renderFigureImage(QWidget* view, const FigureOptions& options) {
  checkOptions(options);
  return renderLayoutImage(singleLayout(view, options), options);
}

void exportFigure(QWidget* view, const QString& file, const FigureOptions& o,
                  const QJsonObject& manifest) {
  checkOptions(o);
  writeLayout(singleLayout(view, o), file, o, manifest, false);
}

void exportFigurePanels(const QList<FigurePanel>& panels, int columns, const QString& file,
                        const FigureOptions& options, const QJsonObject& manifest) {
  checkOptions(options);
  writeLayout(panelLayout(panels, columns, options), file, options, manifest, true);
}

QImage renderFigurePanelsImage(const QList<FigurePanel>& panels, int columns,
                               const FigureOptions& options) {
  checkOptions(options);
  return renderLayoutImage(panelLayout(panels, columns, options), options);
}

}  // namespace attnx
