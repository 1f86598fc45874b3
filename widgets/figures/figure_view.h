#pragma once
// What a view offers the figure machinery (figure_export.h): every exportable view implements
// it, so that export, copy and multi-panel figures need no list of view types.
#include <QRectF>
#include <QString>

class QPainter;
class QCustomPlot;
class QCPColorScale;

namespace attnx {

// What a figure draws of the window's selection. A figure shows data, axes, legend and title;
// the selection is GUI state and appears only when asked for (--mark-layer, --mark-query).
struct FigureMarks {
  bool layer = false;  // the curves' dashed line at the selected layer, the grid's outline
  bool query = false;  // the heatmap's outline around the selected query's row
  static FigureMarks screen() { return {true, true}; }  // what the window shows
};

class IFigureView {
 public:
  virtual ~IFigureView() = default;
  // Applies a pending (throttled) redraw now, so that the figure shows the current state.
  virtual void refreshNow() = 0;
  // Draws the view into `target` (logical units of 1/96 in) of `painter`, as on screen but
  // without interactive decorations, and with only the selection marks asked for.
  virtual void renderTo(QPainter& painter, const QRectF& target, const FigureMarks& marks) = 0;
  // The QCustomPlot the view draws with, if any: the figure style sets its fonts and pens.
  virtual QCustomPlot* figurePlot() const { return nullptr; }
  // "heatmap", "layers", "grid", ...: recorded in the manifest.
  virtual QString figureViewName() const = 0;
  // Whether the view draws less than its widget's height (a row strip over empty space), so that
  // a figure of it, when no aspect is asked for, is as high as its content needs at the
  // figure's width and style rather than of the widget's shape.
  virtual bool figureFitsContent() const { return false; }
  // For such a view that draws without a QCustomPlot: the height (logical units) its content
  // needs at `width` in its current (the figure's) font.
  virtual double figureContentHeight(double /*width*/) const { return 0; }

  // The height / width the view's data looks right at (a heatmap's square cells), 0 for any:
  // the panels of a figure with no aspect given are as high as that needs at their width.
  virtual double figureDataAspect() const { return 0; }

  // The colour bar drawn beside the data, if any (a heatmap's). The panels of a figure whose
  // bars are alike (colours, range, scale and label) share one bar beside them
  // (shared_color_bar.h): while setFigureColorBarShown(false), the view draws its data without
  // its own bar, and figureDataRect() tells where the last renderTo drew the data (the matrix),
  // in the painter's coordinates, so that the shared bar can line up with it.
  virtual QCPColorScale* figureColorBar() const { return nullptr; }
  virtual void setFigureColorBarShown(bool /*shown*/) {}
  virtual QRectF figureDataRect() const { return {}; }

  // Panels whose axes show the same thing (a heatmap's tokens at one zoom) have equal non-empty
  // keys; a figure of such panels labels the queries left of its first column and the keys under
  // the lowest panel of each column, and hides the other panels' tick labels and axis titles
  // while it draws them (the ticks stay).
  virtual QString figureAxesKey() const { return {}; }
  virtual void setFigureTickLabelsShown(bool /*x*/, bool /*y*/) {}
};

}  // namespace attnx
