#include "compared_curves_view.h"

#include <QVBoxLayout>
#include <qcustomplot.h>

#include "layer_curves_plot.h"
#include "layer_curves_view.h"
#include "segment_style.h"
#include "view_data.h"

namespace attnx {

namespace {

// How each run's curves are drawn: the first as the single-run view draws them.
constexpr Qt::PenStyle kLine[2] = {Qt::SolidLine, Qt::DashLine};
constexpr QCPScatterStyle::ScatterShape kMarker[2] = {QCPScatterStyle::ssCircle,
                                                      QCPScatterStyle::ssSquare};

}  // namespace

ComparedCurvesView::ComparedCurvesView(RunDocument* first, RunDocument* second,
                                       std::array<QString, 2> labels, QWidget* parent)
    : DocumentView(parent), docs_{first, second}, labels_(std::move(labels)) {
  auto* page = new QWidget(this);
  curves_ = new LayerCurvesPlot(page);
  curves_->plot()->yAxis->setLabel(tr("attention mass"));
  auto* layout = new QVBoxLayout(page);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(curves_->plot(), 1);
  setContent(page);
  setToolTip(tr("The attention mass per kind of token, layer by layer, of both runs: %1 solid, "
                "%2 dashed")
                 .arg(labels_[0], labels_[1]));
  curves_->onLayerClicked = [this](int layer) {
    for (RunDocument* d : docs_)
      if (d) d->setLayer(layer);
  };
  curves_->hoverLines = [this](std::size_t i) {
    QStringList lines{tr("Layer %1").arg(curves_->layers()[i])};
    for (SegmentKind kind : allSegmentKinds()) {
      QStringList values;
      for (int run = 0; run < 2; ++run) {
        const auto it = meanGraphs_[run].find(kind);
        if (it != meanGraphs_[run].end())
          values << tr("%1 %2")
                        .arg(labels_[run])
                        .arg(it->second->data()->at(static_cast<int>(i))->value, 0, 'f', 3);
      }
      if (!values.isEmpty())
        lines << tr("%1: %2").arg(segmentLabel(kind), values.join(QStringLiteral(", ")));
    }
    return lines;
  };
  follow(first);
  follow(second);
  rebuild();
}

QCustomPlot* ComparedCurvesView::plot() const { return curves_->plot(); }

std::vector<int> ComparedCurvesView::plottedLayers() const { return curves_->layers(); }

std::vector<double> ComparedCurvesView::plottedMeans(int run, SegmentKind kind) const {
  const auto& graphs = meanGraphs_[static_cast<std::size_t>(run)];
  const auto it = graphs.find(kind);
  return it == graphs.end() ? std::vector<double>{} : LayerCurvesPlot::values(it->second);
}

QStringList ComparedCurvesView::legendNames() const {
  QStringList names;
  const QCPLegend* legend = curves_->plot()->legend;
  for (int i = 0; i < legend->itemCount(); ++i)
    if (auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i)))
      names << item->plottable()->name();
  return names;
}

QString ComparedCurvesView::titleText() const { return curves_->title()->text(); }

void ComparedCurvesView::rebuild() {
  for (auto& m : meanGraphs_) m.clear();
  static const std::optional<SegmentMass> kNone;
  const std::optional<SegmentMass>* masses[2];
  for (int run = 0; run < 2; ++run) masses[run] = docs_[run] ? &docs_[run]->selectedMass() : &kNone;
  const std::optional<SegmentMass>& first = *masses[0];
  const std::optional<SegmentMass>& second = *masses[1];
  if (!first || !second || first->layers.empty() || first->layers != second->layers) {
    curves_->reset({});
    const bool ran = docs_[0] && docs_[0]->result() && docs_[1] && docs_[1]->result();
    showEmpty(!ran ? tr("The curves of both runs appear once both have run.")
              : first && second && first->layers != second->layers
                  ? tr("The two runs captured different layers: their curves cannot be overlaid.")
                  : tr("The selected query's row was not captured in both runs."));
    return;
  }
  showContent();
  curves_->reset(first->layers);
  for (SegmentKind kind : allSegmentKinds()) {
    if (kind == SegmentKind::Pad) continue;
    bool named = false;  // the kind's legend entry goes with its first curve
    for (int run = 0; run < 2; ++run) {
      const SegmentMass& m = **masses[run];
      if (!m.has(kind)) continue;
      LayerCurvesPlot::Curve c = massCurve(m, kind);
      c.line = kLine[run];
      c.marker = kMarker[run];
      // Two bands over each other: lighter, with edges, so both stay readable.
      c.bandAlpha = 28;
      c.bandEdges = run == 1;
      c.inLegend = !named;
      named = true;
      meanGraphs_[run][kind] = curves_->addCurve(c).mean;
    }
  }
  for (int run = 0; run < 2; ++run)
    curves_->addLegendEntry(labels_[run], QPen(QColor(70, 70, 70), 2.0, kLine[run]), kMarker[run]);
  curves_->setYRange(-0.02, 1.02);
  curves_->setMarker(docs_[0]->selection().layer);
  const RunResult& r = *docs_[0]->result();
  const Selection& s = docs_[0]->selection();
  const QString from =
      !s.step ? tr("query %1").arg(quotedToken(tokenText(r, s.batchRow, first->queryPosition), 16))
              : tr("step %1").arg(*s.step);
  curves_->title()->setText(
      tr("Attention from %1 by layer (mean over heads, band ±1 sd)").arg(from));
  curves_->replot();
}

void ComparedCurvesView::renderContentTo(QPainter& painter, const QRectF& target) {
  curves_->renderTo(painter, target, figureMarks().layer);
}

}  // namespace attnx
