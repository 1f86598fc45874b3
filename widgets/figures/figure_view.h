#pragma once
// What a view offers the figure machinery (figure_export.h): every exportable view implements
// it, so that export, copy and multi-panel figures need no list of view types.
#include <QRectF>
#include <QString>

class QPainter;
class QCustomPlot;

namespace attnx {

class IFigureView {
 public:
  virtual ~IFigureView() = default;
  // Applies a pending (throttled) redraw now, so that the figure shows the current state.
  virtual void refreshNow() = 0;
  // Draws the view into `target` (logical units of 1/96 in) of `painter`, as on screen but
  // without interactive decorations.
  virtual void renderTo(QPainter& painter, const QRectF& target) = 0;
  // The QCustomPlot the view draws with, if any: the figure style sets its fonts and pens.
  virtual QCustomPlot* figurePlot() const { return nullptr; }
  // "heatmap", "layers", "grid", ...: recorded in the manifest.
  virtual QString figureViewName() const = 0;
};

}  // namespace attnx
