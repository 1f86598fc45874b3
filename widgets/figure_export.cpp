#include "figure_export.h"

#include <QApplication>
#include <QBuffer>
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <cmath>
#include <functional>
#include <qcustomplot.h>

#include "error.h"
#include "head_grid_view.h"
#include "heatmap_view.h"
#include "layer_curves_view.h"
#include "run_document.h"

namespace attnx {
namespace {

// Views lay out in units of 1/96 inch (the offscreen and QPicture default), so a 9 pt font is
// 12 units and the figure is drawn once at this logical size and scaled onto the device.
constexpr double kLogicalDpi = 96.0;

QString fileSha256(const QString& path, qint64 limit = -1) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  QCryptographicHash h(QCryptographicHash::Sha256);
  if (limit < 0) {
    if (!h.addData(&f)) return {};
  } else {
    h.addData(f.read(limit));
  }
  return QString::fromLatin1(h.result().toHex());
}

// The weights are identified by their index (sharded checkpoints) or by the safetensors header
// (names, shapes, offsets): hashing gigabytes of weights per figure would be too slow.
QJsonObject weightsIdentity(const QString& dir) {
  const QString index = dir + QStringLiteral("/model.safetensors.index.json");
  if (QFileInfo::exists(index))
    return {{QStringLiteral("file"), QStringLiteral("model.safetensors.index.json")},
            {QStringLiteral("sha256"), fileSha256(index)}};
  const QString single = dir + QStringLiteral("/model.safetensors");
  QFile f(single);
  if (!f.open(QIODevice::ReadOnly)) return {};
  const QByteArray len = f.read(8);
  if (len.size() != 8) return {};
  quint64 n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(len[i]);
  if (n > 100u * 1024 * 1024 || n + 8 > static_cast<quint64>(f.size())) return {};
  return {{QStringLiteral("file"), QStringLiteral("model.safetensors (header)")},
          {QStringLiteral("sha256"), fileSha256(single, static_cast<qint64>(8 + n))}};
}

QString headName(int head) {
  if (head == kHeadMean) return QStringLiteral("mean");
  if (head == kHeadMax) return QStringLiteral("max");
  return QString::number(head);
}

// Greedy word wrap of `text` to lines no wider than `width` in `font`.
QString wrapText(const QString& text, const QFont& font, double width) {
  const QFontMetricsF fm(font);
  if (fm.horizontalAdvance(text) <= width) return text;
  QStringList lines;
  QString line;
  for (const QString& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
    const QString candidate = line.isEmpty() ? word : line + QLatin1Char(' ') + word;
    if (!line.isEmpty() && fm.horizontalAdvance(candidate) > width) {
      lines << line;
      line = word;
    } else {
      line = candidate;
    }
  }
  if (!line.isEmpty()) lines << line;
  return lines.join(QLatin1Char('\n'));
}

// Temporarily sets the fonts of a view for the figure style; restores them when destroyed.
class StyleScope {
 public:
  // `width`: the logical width of the figure (1/96 in units).
  StyleScope(QWidget* view, FigureStyle style, double width) {
    const double base = style == FigureStyle::Paper ? 8.0 : 14.0;
    const double title = style == FigureStyle::Paper ? 9.0 : 16.0;
    auto font = [](double pt, bool bold = false) {
      QFont f = QApplication::font();
      f.setPointSizeF(pt);
      f.setBold(bold);
      return f;
    };
    QCustomPlot* plot = nullptr;
    if (auto* h = qobject_cast<HeatmapView*>(view)) plot = h->plot();
    if (auto* l = qobject_cast<LayerCurvesView*>(view)) plot = l->plot();
    if (plot) {
      for (QCPAxis* a : plot->findChildren<QCPAxis*>()) {
        const QFont tf = a->tickLabelFont(), lf = a->labelFont();
        const QPen bp = a->basePen(), tp = a->tickPen(), sp = a->subTickPen();
        restore_.push_back([a, tf, lf, bp, tp, sp] {
          a->setTickLabelFont(tf);
          a->setLabelFont(lf);
          a->setBasePen(bp);
          a->setTickPen(tp);
          a->setSubTickPen(sp);
        });
        a->setTickLabelFont(font(base));
        a->setLabelFont(font(base));
        // Thin lines: 0.75 logical units = 0.56 pt.
        for (auto [get, set] : {std::pair{&QCPAxis::basePen, &QCPAxis::setBasePen},
                                std::pair{&QCPAxis::tickPen, &QCPAxis::setTickPen},
                                std::pair{&QCPAxis::subTickPen, &QCPAxis::setSubTickPen}}) {
          QPen p = (a->*get)();
          p.setWidthF(style == FigureStyle::Paper ? 0.75 : 1.5);
          (a->*set)(p);
        }
      }
      for (QCPTextElement* t : plot->findChildren<QCPTextElement*>()) {
        const QFont f = t->font();
        const QString text = t->text();
        restore_.push_back([t, f, text] {
          t->setFont(f);
          t->setText(text);
        });
        t->setFont(font(title, true));
        // A title longer than a journal column is broken into lines rather than clipped.
        t->setText(wrapText(text, t->font(), width * 0.95));
      }
      for (QCPItemText* t : plot->findChildren<QCPItemText*>()) {
        const QFont f = t->font();
        restore_.push_back([t, f] { t->setFont(f); });
        t->setFont(font(base));
      }
      if (QCPLegend* legend = plot->legend) {
        const QFont f = legend->font();
        restore_.push_back([legend, f] {
          legend->setFont(f);
          for (int i = 0; i < legend->itemCount(); ++i) legend->item(i)->setFont(f);
        });
        legend->setFont(font(base));
        for (int i = 0; i < legend->itemCount(); ++i) legend->item(i)->setFont(font(base));
      }
    } else {
      const QFont f = view->font();
      restore_.push_back([view, f] { view->setFont(f); });
      view->setFont(font(base));
    }
  }
  ~StyleScope() {
    for (auto it = restore_.rbegin(); it != restore_.rend(); ++it) (*it)();
  }

 private:
  std::vector<std::function<void()>> restore_;
};

// Applies a pending redraw first, so that the style below works on what will be drawn.
void refreshView(QWidget* view) {
  if (auto* h = qobject_cast<HeatmapView*>(view)) h->refreshNow();
  if (auto* l = qobject_cast<LayerCurvesView*>(view)) l->refreshNow();
  if (auto* g = qobject_cast<HeadGridView*>(view)) g->refreshNow();
}

void renderView(QWidget* view, QPainter& painter, const QRectF& target) {
  if (auto* h = qobject_cast<HeatmapView*>(view)) return h->renderTo(painter, target);
  if (auto* l = qobject_cast<LayerCurvesView*>(view)) return l->renderTo(painter, target);
  if (auto* g = qobject_cast<HeadGridView*>(view)) return g->renderTo(painter, target);
  throw Error("this view cannot be exported as a figure");
}

double viewAspect(QWidget* view, const FigureOptions& o) {
  if (o.aspect > 0) return o.aspect;
  if (view->width() > 0 && view->height() > 0)
    return static_cast<double>(view->height()) / view->width();
  return 0.75;
}

// The logical canvas (1/96 in units) the views lay themselves out on.
QSizeF logicalSize(const FigureOptions& o, double aspect) {
  const double w = o.widthIn * kLogicalDpi;
  return {w, w * aspect};
}

void commitOrThrow(QSaveFile& out, const QString& file) {
  if (!out.commit())
    throw Error(QObject::tr("cannot write %1: %2").arg(file, out.errorString()).toStdString());
}

void openOrThrow(QSaveFile& out, const QString& file) {
  if (!out.open(QIODevice::WriteOnly))
    throw Error(QObject::tr("cannot write %1: %2").arg(file, out.errorString()).toStdString());
}

}  // namespace

bool parseFigureFormat(const QString& text, FigureFormat* format) {
  const QString t = text.toLower();
  if (t == QLatin1String("png"))
    *format = FigureFormat::Png;
  else if (t == QLatin1String("pdf"))
    *format = FigureFormat::Pdf;
  else if (t == QLatin1String("svg"))
    *format = FigureFormat::Svg;
  else
    return false;
  return true;
}

bool parseFigureStyle(const QString& text, FigureStyle* style) {
  const QString t = text.toLower();
  if (t == QLatin1String("paper"))
    *style = FigureStyle::Paper;
  else if (t == QLatin1String("slide"))
    *style = FigureStyle::Slide;
  else
    return false;
  return true;
}

QString figureFormatName(FigureFormat format) {
  switch (format) {
    case FigureFormat::Png:
      return QStringLiteral("png");
    case FigureFormat::Pdf:
      return QStringLiteral("pdf");
    case FigureFormat::Svg:
      return QStringLiteral("svg");
  }
  return {};
}

QJsonObject figureManifest(const RunDocument& doc, const FigureSource& source) {
  QJsonObject m;
  m[QStringLiteral("app")] = QStringLiteral("attnx");
  m[QStringLiteral("app_version")] = QStringLiteral(ATTNX_VERSION);
  QJsonObject model{{QStringLiteral("dir"), source.modelDir}};
  model[QStringLiteral("config_sha256")] = fileSha256(source.modelDir + "/config.json");
  model[QStringLiteral("weights")] = weightsIdentity(source.modelDir);
  if (const RunResult* r = doc.result()) {
    model[QStringLiteral("family")] = QString::fromStdString(r->model.family);
    model[QStringLiteral("dtype")] = QString::fromStdString(r->model.dtype);
  }
  m[QStringLiteral("model")] = model;
  QJsonObject input{{QStringLiteral("prompt"), source.prompt}};
  if (!source.anchor.isEmpty()) input[QStringLiteral("anchor")] = source.anchor;
  if (!source.softTokenFile.isEmpty())
    input[QStringLiteral("soft_tokens")] =
        QJsonObject{{QStringLiteral("file"), source.softTokenFile},
                    {QStringLiteral("sha256"), fileSha256(source.softTokenFile)}};
  if (const RunResult* r = doc.result()) {
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
  m[QStringLiteral("input")] = input;
  const Selection& s = doc.selection();
  m[QStringLiteral("view")] = source.viewName;
  m[QStringLiteral("layer")] = s.layer;
  m[QStringLiteral("head")] = headName(s.head);
  m[QStringLiteral("query")] = doc.resolvedQuery();
  m[QStringLiteral("step")] = s.step;
  m[QStringLiteral("colormap")] = source.colorMap;
  m[QStringLiteral("scale")] = source.colorScale;
  return m;
}

QSize figurePixelSize(const FigureOptions& o, double aspect) {
  const double perIn = o.format == FigureFormat::Png ? o.dpi : 72.0;
  const int w = static_cast<int>(std::lround(o.widthIn * perIn));
  return {w, static_cast<int>(std::lround(o.widthIn * aspect * perIn))};
}

QImage renderFigureImage(QWidget* view, const FigureOptions& options) {
  FigureOptions o = options;
  o.format = FigureFormat::Png;
  const double aspect = viewAspect(view, o);
  const QSize px = figurePixelSize(o, aspect);
  if (px.width() < 16 || px.height() < 16 || px.width() > 20000 || px.height() > 20000)
    throw Error(QObject::tr("the figure would be %1 x %2 pixels; choose another width or DPI")
                    .arg(px.width())
                    .arg(px.height())
                    .toStdString());
  QImage image(px, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  {
    refreshView(view);
    StyleScope style(view, o.style, logicalSize(o, aspect).width());
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.scale(o.dpi / kLogicalDpi, o.dpi / kLogicalDpi);
    renderView(view, p, QRectF(QPointF(0, 0), logicalSize(o, aspect)));
  }
  // Set after painting: fonts were laid out at the logical DPI and the painter scaled them.
  const int dpm = static_cast<int>(std::lround(o.dpi / 0.0254));
  image.setDotsPerMeterX(dpm);
  image.setDotsPerMeterY(dpm);
  return image;
}

void exportFigure(QWidget* view, const QString& file, const FigureOptions& o,
                  const QJsonObject& manifest) {
  if (o.widthIn <= 0.5 || o.widthIn > 40 || o.dpi < 30 || o.dpi > 2400)
    throw Error(QObject::tr("figure width must be 0.5-40 in and DPI 30-2400").toStdString());
  const double aspect = viewAspect(view, o);
  // The figure's own size and format go into the manifest too.
  QJsonObject full = manifest;
  full[QStringLiteral("figure")] = QJsonObject{
      {QStringLiteral("format"), figureFormatName(o.format)},
      {QStringLiteral("style"),
       o.style == FigureStyle::Paper ? QStringLiteral("paper") : QStringLiteral("slide")},
      {QStringLiteral("width_in"), o.widthIn},
      {QStringLiteral("height_in"), o.widthIn * aspect},
      {QStringLiteral("dpi"), o.format == FigureFormat::Png ? QJsonValue(o.dpi) : QJsonValue()}};
  const QByteArray json = QJsonDocument(full).toJson(QJsonDocument::Compact);
  const QSizeF logical = logicalSize(o, aspect);
  QSaveFile out(file);
  switch (o.format) {
    case FigureFormat::Png: {
      QImage image = renderFigureImage(view, o);
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
      pdf.setPageSize(QPageSize(QSizeF(o.widthIn * 72.0, o.widthIn * aspect * 72.0),
                                QPageSize::Point, QString(), QPageSize::ExactMatch));
      pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
      pdf.setTitle(QString::fromUtf8(json));
      pdf.setCreator(QStringLiteral("attnx " ATTNX_VERSION));
      refreshView(view);
      StyleScope style(view, o.style, logical.width());
      QPainter p;
      if (!p.begin(&pdf))
        throw Error(QObject::tr("cannot start PDF output for %1").arg(file).toStdString());
      p.setRenderHint(QPainter::Antialiasing);
      renderView(view, p, QRectF(QPointF(0, 0), logical));
      p.end();
      break;
    }
    case FigureFormat::Svg: {
      openOrThrow(out, file);
      QSvgGenerator svg;
      svg.setOutputDevice(&out);
      svg.setResolution(static_cast<int>(kLogicalDpi));
      svg.setSize(logical.toSize());
      svg.setViewBox(QRectF(QPointF(0, 0), logical));
      svg.setTitle(QStringLiteral("attnx figure"));
      svg.setDescription(QString::fromUtf8(json));
      refreshView(view);
      StyleScope style(view, o.style, logical.width());
      QPainter p;
      if (!p.begin(&svg))
        throw Error(QObject::tr("cannot start SVG output for %1").arg(file).toStdString());
      p.setRenderHint(QPainter::Antialiasing);
      renderView(view, p, QRectF(QPointF(0, 0), logical));
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

}  // namespace attnx
