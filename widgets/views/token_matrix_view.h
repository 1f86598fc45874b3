#pragma once
// The base of the views that draw a query x key matrix with TokenMatrixPlot (the heatmap and the
// difference heatmap): what they offer figures is the plot's, so it is written once here.
#include <QRectF>

#include "document_view.h"
#include "token_matrix_plot.h"

namespace attnx {

class TokenMatrixView : public DocumentView {
  Q_OBJECT
 public:
  QCustomPlot* plot() const { return m_.plot; }

  QCustomPlot* figurePlot() const override { return m_.plot; }
  bool figureFitsContent() const override { return m_.strip(); }
  double figureDataAspect() const override { return squareCellAspect(m_); }
  QCPColorScale* figureColorBar() const override { return isEmptyShown() ? nullptr : m_.colorBar; }
  void setFigureColorBarShown(bool shown) override { setColorBarShown(m_, shown); }
  QRectF figureDataRect() const override { return figureDataRect_; }
  QString figureAxesKey() const override { return isEmptyShown() ? QString() : tokenAxesKey(m_); }
  void setFigureTickLabelsShown(bool x, bool y) override { setTickLabelsShown(m_, x, y); }

 protected:
  using DocumentView::DocumentView;
  // Draws the plot, the selected row outlined when the figure marks the query, and keeps where
  // the matrix went.
  void renderContentTo(QPainter& painter, const QRectF& target) override {
    figureDataRect_ = renderTokenMatrixPlot(m_, painter, target, figureMarks().query);
  }

  TokenMatrixPlot m_;  // the plot and the parts of it that are redrawn; built by the subclass

 private:
  QRectF figureDataRect_;  // where the last figure drew the matrix
};

}  // namespace attnx
