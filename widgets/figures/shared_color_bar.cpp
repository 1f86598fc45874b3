#include "shared_color_bar.h"

#include <QPainter>
#include <algorithm>
#include <qcustomplot.h>

#include "figure_style.h"
#include "figure_view.h"
#include "plot_figure.h"

namespace attnx {
namespace {

// Bars that say the same: one of them can stand for all. Only bars right of their matrix (a row
// strip's bar runs along it, under its own keys).
bool alike(const QCPColorScale* a, const QCPColorScale* b) {
  return a->type() == QCPAxis::atRight && b->type() == QCPAxis::atRight &&
         a->gradient() == b->gradient() && a->dataRange() == b->dataRange() &&
         a->dataScaleType() == b->dataScaleType() && a->axis()->label() == b->axis()->label() &&
         a->axis()->numberFormat() == b->axis()->numberFormat() &&
         a->axis()->numberPrecision() == b->axis()->numberPrecision();
}

}  // namespace

std::unique_ptr<SharedColorBar> SharedColorBar::of(const std::vector<IFigureView*>& views) {
  if (views.size() < 2) return nullptr;
  const QCPColorScale* first = views.front()->figureColorBar();
  if (!first) return nullptr;
  for (const IFigureView* v : views) {
    const QCPColorScale* bar = v->figureColorBar();
    if (!bar || !alike(first, bar)) return nullptr;
  }
  std::unique_ptr<SharedColorBar> shared(new SharedColorBar);
  shared->plot_ = std::make_unique<QCustomPlot>();
  QCustomPlot* plot = shared->plot_.get();
  plot->setAttribute(Qt::WA_DontShowOnScreen);
  plot->plotLayout()->clear();  // no axis rect: the bar is all there is
  QCPColorScale* bar = shared->bar_ = new QCPColorScale(plot);
  plot->plotLayout()->addElement(0, 0, bar);
  bar->setType(QCPAxis::atRight);
  bar->setGradient(first->gradient());
  bar->setDataScaleType(first->dataScaleType());
  bar->setDataRange(first->dataRange());
  bar->setBarWidth(first->barWidth());
  QCPAxis* axis = bar->axis();
  axis->setLabel(first->axis()->label());
  axis->setNumberFormat(first->axis()->numberFormat());
  axis->setNumberPrecision(first->axis()->numberPrecision());
  // A ticker of the same kind, not the panels' own: the tick count is fitted to this bar.
  if (first->axis()->scaleType() == QCPAxis::stLogarithmic)
    axis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
  else
    axis->setTicker(QSharedPointer<QCPAxisTicker>::create());
  // The colours span the bar's rectangle exactly: margins are set, never computed.
  bar->setAutoMargins(QCP::msNone);
  bar->setMinimumMargins(QMargins());
  return shared;
}

SharedColorBar::~SharedColorBar() = default;

void SharedColorBar::style(FigureStyle style, double panelWidth, double length, double pad) {
  applyFigureAxisStyle(bar_->axis(), style, baseFontPt(style, panelWidth));
  fitTickCount(bar_->axis(), length);
  const int p = static_cast<int>(pad);
  bar_->setMargins(QMargins(0, p, 0, p));
}

namespace {

// Room above and below the colours for the end ticks' labels: half a label line and a little.
double labelPad(FigureStyle style, double panelWidth) {
  // Whole units: the bar's margins are integers.
  return std::ceil(0.6 * logicalMetrics(styleFont(baseFontPt(style, panelWidth))).lineSpacing() +
                   1.0);
}

}  // namespace

double SharedColorBar::width(FigureStyle style, double panelWidth, double height) {
  const double pad = labelPad(style, panelWidth);
  this->style(style, panelWidth, height, pad);
  // Laid out twice at a generous width (the tick labels' margins settle on the first layout);
  // the bar then says how wide it must be.
  layOutForFigure(plot_.get(), 400, std::max(1, static_cast<int>(std::lround(height + 2 * pad))));
  return plot_->plotLayout()->minimumOuterSizeHint().width() + 1.0;
}

void SharedColorBar::render(QPainter& painter, double left, double width, double dataTop,
                            double dataBottom, FigureStyle style, double panelWidth) {
  const double pad = labelPad(style, panelWidth);
  this->style(style, panelWidth, dataBottom - dataTop, pad);
  renderPlotTo(plot_.get(), painter,
               QRectF(left, dataTop - pad, width, dataBottom - dataTop + 2 * pad), 2);
}

SharedColorBar::HiddenBars::HiddenBars(const SharedColorBar* bar, std::vector<IFigureView*> views) {
  if (!bar) return;
  views_ = std::move(views);
  for (IFigureView* v : views_) v->setFigureColorBarShown(false);
}

SharedColorBar::HiddenBars::~HiddenBars() {
  for (IFigureView* v : views_) v->setFigureColorBarShown(true);
}

}  // namespace attnx
