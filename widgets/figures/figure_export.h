#pragma once
// Print-quality export of one explorer view: PNG at a given DPI, vector PDF (fonts embedded) and
// SVG (text kept as text), sized in inches for a journal column. A manifest describing the run
// (model, input, selection, colour scale) is written beside the file as FILE.json and embedded
// where the format has room (PNG text chunk, SVG <desc>, PDF document title / subject).
#include <QImage>
#include <QJsonObject>
#include <QList>
#include <QSize>
#include <QString>

#include "figure_view.h"
#include "run_types.h"

class QWidget;

namespace attnx {

class RunDocument;
class HeatmapView;
class LayerCurvesView;
class HeadGridView;

enum class FigureFormat { Png, Pdf, Svg };
enum class FigureStyle { Paper, Slide };
// The width a style's figures have unless told: one journal column, or a 16:9 slide's width.
constexpr double kPaperWidthIn = 3.25;
constexpr double kSlideWidthIn = 10.0;
inline double defaultFigureWidthIn(FigureStyle style) {
  return style == FigureStyle::Slide ? kSlideWidthIn : kPaperWidthIn;
}

struct FigureOptions {
  FigureFormat format = FigureFormat::Png;
  FigureStyle style = FigureStyle::Paper;
  double widthIn = 3.25;  // 3.25: single journal column, 6.75: double column
  double dpi = 300.0;     // PNG only; PDF and SVG are vector
  double aspect = 0.0;    // height / width; 0: the view's own, kept within 0.5..1.6
  FigureMarks marks;      // none by default: a figure shows no GUI selection
};

// "png" / "pdf" / "svg" (case-insensitive); false for anything else.
bool parseFigureFormat(const QString& text, FigureFormat* format);
bool parseFigureStyle(const QString& text, FigureStyle* style);
QString figureFormatName(FigureFormat format);

// What the manifest records besides the document's result (its model and soft-token
// provenance, segments, ids) and selection.
struct FigureSource {
  QString modelDir;
  QString prompt;  // text or "ids: ..."
  QString anchor;
  QString viewName;  // "heatmap", "layers", "grid"
  QString colorMap;  // "viridis", ...
  QString colorScale;
};

// A head choice as the manifest writes it: "3", "mean" or "max".
QString figureHeadName(HeadChoice head);
// Writes the selection of `doc` into a manifest: layer, head, query (resolved) and step (-1: the
// forward pass).
void writeManifestSelection(const RunDocument& doc, QJsonObject* manifest);

// The manifest of a figure of `doc` (SHA-256 of config.json, of the weights index or the
// safetensors header, of the soft-token file, as the result carries them; segments; layer, head,
// query; app version).
QJsonObject figureManifest(const RunDocument& doc, const FigureSource& source);

// Pixel size of the figure (PNG) or its size in points (PDF, SVG: 72 per inch).
QSize figurePixelSize(const FigureOptions& options, double aspect);

// Renders `view` (a widget implementing IFigureView: figure_view.h) to `file` and writes
// FILE.json beside it. Both are written to temporary files and renamed.
// Throws attnx::Error naming the file when it cannot be written or the view is not exportable.
void exportFigure(QWidget* view, const QString& file, const FigureOptions& options,
                  const QJsonObject& manifest);

// The view rendered to an image at `dpi` and `widthIn` (for "Copy as image").
QImage renderFigureImage(QWidget* view, const FigureOptions& options);

// Multi-panel figures: several views (each an IFigureView) laid out in a grid of `columns`
// columns, each with an optional caption above it ("(a) layer 3, head 5"), in one file of
// options.widthIn width. The manifest should list what each panel shows.
struct FigurePanel {
  QWidget* view = nullptr;
  QString caption;
};
void exportFigurePanels(const QList<FigurePanel>& panels, int columns, const QString& file,
                        const FigureOptions& options, const QJsonObject& manifest);
QImage renderFigurePanelsImage(const QList<FigurePanel>& panels, int columns,
                               const FigureOptions& options);
// For panels, options.aspect is the whole figure's height / width (the panels share it); 0 keeps
// the first view's own aspect for every panel and adds the caption lines. The manifest gets
// "figure.columns" and a "panels" array: the caller's manifest["panels"][i] objects (what each
// panel shows), each completed with its index, caption, view name and "box_in" [x, y, w, h].

// A readable number of columns for `count` panels in a figure `widthIn` inches wide.
int defaultFigureColumns(int count, double widthIn);

}  // namespace attnx
