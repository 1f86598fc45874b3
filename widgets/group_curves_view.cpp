#include "group_curves_view.h"

#include <QLabel>
#include <QPicture>
#include <QStackedWidget>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

#include "plot_figure.h"
#include "dataset_view_data.h"
#include "redraw_throttle.h"

namespace attnx {

namespace {

std::vector<double> graphValues(const QCPGraph* g) {
  std::vector<double> out;
  if (!g) return out;
  for (auto d = g->data()->constBegin(); d != g->data()->constEnd(); ++d) out.push_back(d->value);
  return out;
}

}  // namespace

GroupCurvesView::GroupCurvesView(DatasetDocument* doc, QWidget* parent)
    : QWidget(parent), doc_(doc) {
  throttle_ = new RedrawThrottle([this] { rebuild(); }, this);
  plot_ = new QCustomPlot(this);
  plot_->setMouseTracking(true);
  title_ =
      new QCPTextElement(plot_, QString(), QFont(font().family(), font().pointSize(), QFont::Bold));
  plot_->plotLayout()->insertRow(0);
  plot_->plotLayout()->addElement(0, 0, title_);
  plot_->xAxis->setLabel(tr("layer"));
  auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
  ticker->setTickStep(1.0);
  ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
  plot_->xAxis->setTicker(ticker);
  plot_->xAxis->setSubTicks(false);
  plot_->legend->setVisible(true);
  plot_->legend->setBrush(QColor(255, 255, 255, 220));
  plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
  marker_ = new QCPItemStraightLine(plot_);
  marker_->setPen(QPen(QColor(40, 40, 40), 1.2, Qt::DashLine));
  marker_->setSelectable(false);

  empty_ = new QLabel(this);
  empty_->setAlignment(Qt::AlignCenter);
  empty_->setWordWrap(true);
  empty_->setEnabled(false);
  stack_ = new QStackedWidget(this);
  stack_->addWidget(empty_);
  stack_->addWidget(plot_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(stack_);
  setToolTip(
      tr("Per layer: the mean over a group's examples of the attention mass (mean over heads) "
         "from the query to one kind of token, with the 95% confidence interval of that mean. "
         "Click near a layer to select it."));
  plot_->setToolTip(QString());  // the plot shows read-outs instead

  connect(plot_, &QCustomPlot::mouseRelease, this, &GroupCurvesView::onMouseRelease);
  connect(plot_, &QCustomPlot::mouseMove, this, &GroupCurvesView::onMouseMove);
  if (doc_) doc_->addViewer(this);
  rebuild();
}

GroupCurvesView::~GroupCurvesView() {
  if (doc_) doc_->removeViewer(this);
}

void GroupCurvesView::onDatasetChanged(const DatasetDocument&) { throttle_->request(); }
void GroupCurvesView::onDatasetSelectionChanged(const DatasetDocument&) { throttle_->request(); }
void GroupCurvesView::refreshNow() { throttle_->flush(); }

void GroupCurvesView::rebuild() {
  plot_->clearGraphs();
  layers_.clear();
  for (int side = 0; side < 2; ++side) mean_[side] = lower_[side] = upper_[side] = nullptr;
  if (!doc_ || !doc_->results(0)) {
    empty_->setText(tr("No dataset results loaded.\nRun a dataset or open its stats.json."));
    stack_->setCurrentWidget(empty_);
    return;
  }
  const SegmentKind kind = doc_->kind();
  const std::size_t k = kindIndex(kind);
  double lowest = 1.0, highest = 0.0;
  for (int side = 0; side < 2; ++side) {
    const GroupStats& g = doc_->group(side);
    const std::vector<MeanCi>& by = g.byLayer[k];
    if (g.n() == 0 || by.empty()) continue;
    const std::vector<int> layers = groupLayers(*doc_, side, by.size());
    if (layers_.empty()) layers_ = layers;
    QVector<double> x, mean, lo, hi;
    for (std::size_t i = 0; i < by.size(); ++i) {
      x.append(layers[i]);
      mean.append(by[i].mean);
      lo.append(by[i].lo);
      hi.append(by[i].hi);
      lowest = std::min(lowest, static_cast<double>(by[i].lo));
      highest = std::max(highest, static_cast<double>(by[i].hi));
    }
    const QColor c = groupColor(side);
    QColor edge = c;
    edge.setAlpha(140);
    QColor band = c;
    band.setAlpha(55);
    // The band: its lower edge, and its upper edge filled down to it. The edges are drawn thin
    // so that a band stays visible where it is narrow or where the two bands overlap.
    lower_[side] = plot_->addGraph();
    lower_[side]->setData(x, lo, true);
    lower_[side]->setPen(QPen(edge, 0.8));
    lower_[side]->removeFromLegend();
    upper_[side] = plot_->addGraph();
    upper_[side]->setData(x, hi, true);
    upper_[side]->setPen(QPen(edge, 0.8));
    upper_[side]->setBrush(band);
    upper_[side]->setChannelFillGraph(lower_[side]);
    upper_[side]->removeFromLegend();
    mean_[side] = plot_->addGraph();
    mean_[side]->setData(x, mean, true);
    mean_[side]->setPen(QPen(c, 2.0));
    mean_[side]->setScatterStyle(QCPScatterStyle(
        side == 0 ? QCPScatterStyle::ssCircle : QCPScatterStyle::ssSquare, c, Qt::white, 6));
    mean_[side]->setName(doc_->groupName(side));
  }
  if (layers_.empty()) {
    empty_->setText(tr("Both groups are empty.\nChoose other groups in the toolbar."));
    stack_->setCurrentWidget(empty_);
    return;
  }
  stack_->setCurrentWidget(plot_);
  const auto [minLayer, maxLayer] = std::minmax_element(layers_.begin(), layers_.end());
  plot_->xAxis->setRange(*minLayer - 0.5, *maxLayer + 0.5);
  // The data's own range with a margin (room for the legend above), never beyond [0, 1]: group
  // differences are often a few hundredths and would vanish on the full scale.
  const double span = std::max(highest - lowest, 0.02);
  plot_->yAxis->setRange(std::max(0.0, lowest - 0.12 * span), std::min(1.0, highest + 0.45 * span));
  plot_->yAxis->setLabel(massName(kind));
  const int layer = doc_->layer();
  marker_->setVisible(layer >= 0);
  marker_->point1->setCoords(layer, 0);
  marker_->point2->setCoords(layer, 1);
  title_->setText(
      tr("Attention %1 by layer · mean over examples, band 95% CI").arg(massName(kind)));
  plot_->replot();
}

std::vector<double> GroupCurvesView::plottedMeans(int side) const {
  return graphValues(side == 0 || side == 1 ? mean_[side] : nullptr);
}
std::vector<double> GroupCurvesView::plottedLower(int side) const {
  return graphValues(side == 0 || side == 1 ? lower_[side] : nullptr);
}
std::vector<double> GroupCurvesView::plottedUpper(int side) const {
  return graphValues(side == 0 || side == 1 ? upper_[side] : nullptr);
}

QString GroupCurvesView::legendText(int side) const {
  if ((side != 0 && side != 1) || !mean_[side]) return {};
  return mean_[side]->name();
}

QString GroupCurvesView::titleText() const { return title_->text(); }

QPoint GroupCurvesView::pointFor(int side, int layerIndex) const {
  const std::vector<double> means = plottedMeans(side);
  if (layerIndex < 0 || layerIndex >= static_cast<int>(means.size()) ||
      layerIndex >= static_cast<int>(layers_.size()))
    return QPoint();
  const QPointF p(plot_->xAxis->coordToPixel(layers_[static_cast<std::size_t>(layerIndex)]),
                  plot_->yAxis->coordToPixel(means[static_cast<std::size_t>(layerIndex)]));
  return plot_->mapTo(this, p.toPoint());
}

void GroupCurvesView::onMouseRelease(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton || layers_.empty() || !doc_) return;
  if (!plot_->axisRect()->rect().contains(event->position().toPoint())) return;
  doc_->setLayer(nearestLayer(plot_, layers_, event->position().x()));
}

void GroupCurvesView::onMouseMove(QMouseEvent* event) {
  if (layers_.empty() || !doc_ ||
      !plot_->axisRect()->rect().contains(event->position().toPoint())) {
    QToolTip::hideText();
    return;
  }
  const double x = plot_->xAxis->pixelToCoord(event->position().x());
  std::size_t best = 0;
  for (std::size_t i = 0; i < layers_.size(); ++i)
    if (std::abs(layers_[i] - x) < std::abs(layers_[best] - x)) best = i;
  QStringList lines{tr("Layer %1").arg(layers_[best])};
  const std::size_t k = kindIndex(doc_->kind());
  for (int side = 0; side < 2; ++side) {
    const std::vector<MeanCi>& by = doc_->group(side).byLayer[k];
    if (!mean_[side] || best >= by.size()) continue;
    lines << tr("%1: %2 [%3, %4]")
                 .arg(doc_->groupName(side))
                 .arg(by[best].mean, 0, 'f', 3)
                 .arg(by[best].lo, 0, 'f', 3)
                 .arg(by[best].hi, 0, 'f', 3);
  }
  QToolTip::showText(event->globalPosition().toPoint(), lines.join(QLatin1Char('\n')), plot_);
}

void GroupCurvesView::renderTo(QPainter& painter, const QRectF& target) {
  refreshNow();
  if (stack_->currentWidget() == empty_) return renderNoteTo(painter, target, empty_->text());
  renderPlotTo(plot_, painter, target);
}

}  // namespace attnx
