#pragma once
// The colour map of the heatmaps (QCPColorMap) with a second way to draw: every cell as a filled
// rectangle. QCustomPlot draws a colour map as one image scaled to the plot, which is right on
// screen, but a vector figure then holds a tiny image that PDF and SVG viewers smooth into
// gradients between cells. Figures switch the rectangles on (renderPlotTo, for every format, so
// that PNG, PDF and SVG agree), so every cell keeps its exact colour at any zoom.
#include <qcustomplot.h>

namespace attnx {

class CellColorMap : public QCPColorMap {
  Q_OBJECT
 public:
  using QCPColorMap::QCPColorMap;

  // Above this many cells a vector figure keeps the (lossless) image: rectangles would make
  // the file larger than the picture is worth, and the cells are then a pixel or less.
  static constexpr long long kMaxVectorCells = 256LL * 256LL;

  void setVectorCells(bool on) { vectorCells_ = on; }
  bool vectorCells() const { return vectorCells_; }

 protected:
  void draw(QCPPainter* painter) override;

 private:
  bool vectorCells_ = false;
};

}  // namespace attnx
