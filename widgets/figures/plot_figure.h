#pragma once
// Drawing a view's plot (or the note shown instead of it) into a figure, and reading the layer
// under the mouse: the same steps for every QCustomPlot-based view.
#include <QRectF>
#include <QString>
#include <vector>

class QCustomPlot;
class QCPAxis;
class QPainter;

namespace attnx {

// Draws `plot` into `target` (logical units) laid out at the target's size, then restores the
// widget's own layout. Colour maps draw their cells as rectangles (cell_color_map.h). `passes` = 2
// for plots whose tick labels are thinned from the previous layout (the heatmaps): the first pass
// lays out at the new size, the second draws. Returns where the plot's main axis rect (its data)
// was drawn, in the painter's coordinates.
QRectF renderPlotTo(QCustomPlot* plot, QPainter& painter, const QRectF& target, int passes = 1);

// Lays `plot` out at w x h `passes` times by drawing it into a throwaway picture (label thinning
// and automatic margins settle on the later passes), leaving that layout for the caller to read.
void layOutForFigure(QCustomPlot* plot, int w, int h, int passes = 2);

// Gives a value axis 2 to 5 ticks, so that its labels lie at least 2.5 label heights apart
// along `length` pixels (a short plot or colour bar in large fonts shows fewer, never
// overlapping ones); true when the count changed and the plot must be laid out again.
bool fitTickCount(QCPAxis* axis, double length);
// Lays the plot out again at its current size (after a change made in its afterLayout signal).
void layOutAgain(QCustomPlot* plot);

// The grey note a view shows instead of its plot (no data, layouts that do not align).
void renderNoteTo(QPainter& painter, const QRectF& target, const QString& text);

// The entry of `layers` nearest to horizontal pixel `x` of the plot's x axis (layers not empty).
int nearestLayer(const QCustomPlot* plot, const std::vector<int>& layers, double x);

}  // namespace attnx
