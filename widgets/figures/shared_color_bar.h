#pragma once
// One colour bar for the panels of a figure that show one colour range (the heads of a layer,
// the layers of a head): each panel draws its data without its own bar, and the bar is drawn
// once, right of the panels, spanning their data from the top row to the bottom one. Panels
// with bars of their own in a single journal column leave the matrices little room, and the
// repeated bars' ticks crowd each other.
#include <QRectF>
#include <memory>
#include <vector>

#include "figure_export.h"

class QCustomPlot;
class QCPColorScale;
class QPainter;

namespace attnx {

class IFigureView;

class SharedColorBar {
 public:
  // The bar of `views` when every one has a colour bar and all bars are alike (gradient, data
  // range, scale type, ticks' number format and label); null otherwise, or for a single view.
  static std::unique_ptr<SharedColorBar> of(const std::vector<IFigureView*>& views);
  ~SharedColorBar();
  SharedColorBar(const SharedColorBar&) = delete;
  SharedColorBar& operator=(const SharedColorBar&) = delete;

  // The width (logical units) the bar with its ticks and label needs at `height`, in the fonts
  // of `style` for panels `panelWidth` wide.
  double width(FigureStyle style, double panelWidth, double height);
  // Draws the bar so that its colours run exactly from `dataTop` to `dataBottom` (the panels'
  // data), its ticks and label to the right, starting at `left`, within `width`.
  void render(QPainter& painter, double left, double width, double dataTop, double dataBottom,
              FigureStyle style, double panelWidth);

  // Hides the bars of the views while a figure lays them out and draws them; shows them again
  // when destroyed.
  class HiddenBars {
   public:
    HiddenBars(const SharedColorBar* bar, std::vector<IFigureView*> views);
    ~HiddenBars();
    HiddenBars(const HiddenBars&) = delete;
    HiddenBars& operator=(const HiddenBars&) = delete;

   private:
    std::vector<IFigureView*> views_;
  };

 private:
  SharedColorBar() = default;
  // The bar's fonts, pens and tick count for the style; its margins leave `pad` above and below.
  void style(FigureStyle style, double panelWidth, double length, double pad);

  std::unique_ptr<QCustomPlot> plot_;
  QCPColorScale* bar_ = nullptr;
};

}  // namespace attnx
