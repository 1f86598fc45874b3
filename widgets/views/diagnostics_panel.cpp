#include "diagnostics_panel.h"

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QRegularExpression>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "view_data.h"
#include "figure_style.h"
#include "text_wrap.h"

namespace attnx {

namespace {

QString checkName(const std::string& id) {
  if (id == "collapse") return DiagnosticsPanel::tr("Attention collapse");
  if (id == "anchor_dominance") return DiagnosticsPanel::tr("Anchor dominance");
  if (id == "head_uniformity") return DiagnosticsPanel::tr("Head uniformity");
  if (id == "layer_uniformity") return DiagnosticsPanel::tr("Layer uniformity");
  return QString::fromStdString(id);
}

QString checkRule(const std::string& id, const DiagnosticThresholds& t) {
  if (id == "collapse")
    return DiagnosticsPanel::tr(
               "Flagged when soft tokens get less than %1 of the attention in "
               "every layer: the model ignores the latents.")
        .arg(t.collapseSoft);
  if (id == "anchor_dominance")
    return DiagnosticsPanel::tr(
               "Flagged when a layer gives the anchor more than %1 while soft "
               "tokens get less than %2: the model relies on the anchor only.")
        .arg(t.dominanceAnchor)
        .arg(t.dominanceSoft);
  if (id == "head_uniformity")
    return DiagnosticsPanel::tr(
               "Flagged when in every layer the heads' rows differ by less than "
               "%1 (mean L1) and their soft mass by less than %2 (sd): no head "
               "specialisation.")
        .arg(t.headRowL1)
        .arg(t.headSoftStd);
  if (id == "layer_uniformity")
    return DiagnosticsPanel::tr(
               "Flagged when no two layers' head-averaged rows differ by %1 "
               "(L1) or more: shallow processing.")
        .arg(t.layerRowL1);
  return QString();
}

// What a check's first and second number per layer are, as the numbers' labels.
std::pair<QString, QString> valueNames(const std::string& id) {
  if (id == "collapse") return {DiagnosticsPanel::tr("soft"), {}};
  if (id == "anchor_dominance")
    return {DiagnosticsPanel::tr("anchor"), DiagnosticsPanel::tr("soft")};
  if (id == "head_uniformity")
    return {DiagnosticsPanel::tr("heads' L1"), DiagnosticsPanel::tr("soft sd")};
  if (id == "layer_uniformity") return {DiagnosticsPanel::tr("L1 to another layer"), {}};
  return {};
}

// "L0 soft 0.05", "L0 anchor 0.44, soft 0.526", one per layer: every number says what it is.
QStringList numberEntries(const Diagnostic& d, const std::vector<int>& layers) {
  const auto [first, second] = valueNames(d.id);
  auto labelled = [](const QString& name, double v, int digits) {
    const QString n = QString::number(v, 'f', digits);
    return name.isEmpty() ? n : DiagnosticsPanel::tr("%1 %2").arg(name, n);
  };
  QStringList parts;
  for (std::size_t i = 0; i < d.values.size() && i < layers.size(); ++i) {
    QString s = DiagnosticsPanel::tr("L%1 %2").arg(layers[i]).arg(labelled(first, d.values[i], 2));
    if (i < d.values2.size())
      s = DiagnosticsPanel::tr("%1, %2").arg(s, labelled(second, d.values2[i], 3));
    parts << s;
  }
  return parts;
}

QString numbers(const Diagnostic& d, const std::vector<int>& layers) {
  return numberEntries(d, layers).join(QStringLiteral(" · "));
}

QString valueLegend(const std::string& id) {
  if (id == "collapse") return DiagnosticsPanel::tr("soft mass per layer (mean over heads)");
  if (id == "anchor_dominance") return DiagnosticsPanel::tr("anchor / soft mass per layer");
  if (id == "head_uniformity")
    return DiagnosticsPanel::tr("mean L1 between heads' rows / sd of soft mass, per layer");
  if (id == "layer_uniformity")
    return DiagnosticsPanel::tr("largest L1 distance to another layer's mean row");
  return QString();
}

// The result in words, from the numbers the check computed: the checks themselves live in the
// Qt-free stats library and explain themselves in English only.
QString explanation(const Diagnostic& d, const DiagnosticThresholds& t,
                    const std::vector<int>& layers) {
  auto layerList = [](const std::vector<int>& ls) {
    QStringList parts;
    for (int l : ls) parts << QString::number(l);
    return parts.join(QStringLiteral(", "));
  };
  auto fmt = [](float v) { return QString::number(v, 'g', 3); };
  if (d.id == "collapse") {
    if (!d.applicable)
      return DiagnosticsPanel::tr(
          "No soft tokens in the input: attention collapse does not apply.");
    const auto top = std::max_element(d.values.begin(), d.values.end());
    const std::size_t i = static_cast<std::size_t>(top - d.values.begin());
    const int layer = i < layers.size() ? layers[i] : static_cast<int>(i);
    return d.flagged ? DiagnosticsPanel::tr(
                           "Attention collapse: soft tokens receive less than %1 of the attention "
                           "in every layer (at most %2, layer %3); the model is ignoring the "
                           "latents.")
                           .arg(fmt(t.collapseSoft), fmt(*top))
                           .arg(layer)
                     : DiagnosticsPanel::tr(
                           "No collapse: soft tokens receive up to %1 of the attention (layer %2).")
                           .arg(fmt(*top))
                           .arg(layer);
  }
  if (d.id == "anchor_dominance") {
    if (!d.applicable)
      return DiagnosticsPanel::tr("No anchor text in the input: anchor dominance does not apply.");
    return d.flagged
               ? DiagnosticsPanel::tr(
                     "Anchor dominance in layer(s) %1: anchor above %2 while soft tokens stay "
                     "below %3; the model relies on the anchor text only.")
                     .arg(layerList(d.layers), fmt(t.dominanceAnchor), fmt(t.dominanceSoft))
               : DiagnosticsPanel::tr(
                     "No anchor dominance: no layer gives the anchor more than %1 while soft "
                     "tokens get less than %2.")
                     .arg(fmt(t.dominanceAnchor), fmt(t.dominanceSoft));
  }
  if (d.id == "head_uniformity") {
    if (!d.applicable)
      return DiagnosticsPanel::tr("A single head: head uniformity does not apply.");
    if (d.flagged)
      return DiagnosticsPanel::tr(
                 "Head uniformity: in every layer the heads attend alike (mean L1 distance between "
                 "heads' rows below %1); the heads show no specialisation.")
          .arg(fmt(t.headRowL1));
    if (!d.layers.empty())
      return DiagnosticsPanel::tr(
                 "Heads are alike in layer(s) %1 only; other layers have specialised heads.")
          .arg(layerList(d.layers));
    const float closest = *std::min_element(d.values.begin(), d.values.end());
    return DiagnosticsPanel::tr(
               "Heads differ in every layer (smallest mean L1 distance between heads' rows %1).")
        .arg(fmt(closest));
  }
  if (d.id == "layer_uniformity") {
    if (!d.applicable)
      return DiagnosticsPanel::tr(
          "Fewer than two captured layers: layer uniformity does not apply.");
    const float widest = *std::max_element(d.values.begin(), d.values.end());
    return d.flagged ? DiagnosticsPanel::tr(
                           "Layer uniformity: every layer attends alike (largest L1 distance "
                           "between layers' head-averaged rows %1 < %2); processing may be "
                           "shallow.")
                           .arg(fmt(widest), fmt(t.layerRowL1))
                     : DiagnosticsPanel::tr(
                           "Layers differ (largest L1 distance between layers' head-averaged rows "
                           "%1).")
                           .arg(fmt(widest));
  }
  return QString::fromStdString(d.explanation);
}

}  // namespace

void DiagnosticsPanel::wrapNumbers() {
  const int width = std::max(80, tree_->header()->sectionSize(2) - 12);
  for (int i = 0; i < tree_->topLevelItemCount(); ++i) {
    QTreeWidgetItem* item = tree_->topLevelItem(i);
    for (int c = 0; c < item->childCount(); ++c) {
      QTreeWidgetItem* child = item->child(c);
      // Broken between entries, never inside one: a tree elides a line too long for its
      // column, and its own word wrap does not know the row heights it needs.
      const QString text =
          wrapPieces(child->data(2, Qt::UserRole).toStringList(), QStringLiteral(" · "),
                     QFontMetricsF(tree_->fontMetrics()), width);
      if (child->text(2) != text) child->setText(2, text);
    }
  }
}

DiagnosticsPanel::DiagnosticsPanel(RunDocument* doc, QWidget* parent)
    : DocumentView(parent), doc_(doc) {
  summary_ = new QLabel(this);
  summary_->setWordWrap(true);
  tree_ = new QTreeWidget(this);
  tree_->setColumnCount(3);
  tree_->setHeaderLabels({tr("Check"), tr("Result"), tr("Layers / numbers")});
  tree_->setRootIsDecorated(true);
  tree_->setWordWrap(true);
  tree_->setUniformRowHeights(false);
  // Column 0 fits the check names; the wrapped rule rows span the whole width instead of
  // widening it.
  int nameWidth = 0;
  for (const char* id : {"collapse", "anchor_dominance", "head_uniformity", "layer_uniformity"})
    nameWidth = std::max(nameWidth, fontMetrics().horizontalAdvance(checkName(id)));
  tree_->header()->setSectionResizeMode(0, QHeaderView::Interactive);
  tree_->setColumnWidth(0, nameWidth + 48);
  tree_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
  tree_->header()->setStretchLastSection(true);
  // Numbers wrap in their column between entries, never elided, again when it is resized.
  tree_->setTextElideMode(Qt::ElideNone);
  connect(tree_->header(), &QHeaderView::sectionResized, this, [this](int section) {
    if (section == 2) wrapNumbers();
  });
  tree_->setToolTip(
      tr("The checks of the attention guide on the selected query. Expand a check "
         "for its numbers per layer."));

  detail_ = new QLabel(this);
  detail_->setWordWrap(true);
  detail_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  detail_->setToolTip(tr("What the current check tests and what it found"));
  connect(tree_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
    while (item && item->parent()) item = item->parent();
    detail_->setText(item ? item->data(1, Qt::UserRole).toString() : QString());
  });

  auto* box = new QGroupBox(tr("Thresholds"), this);
  box->setToolTip(tr("Edit the thresholds; the checks update at once"));
  auto* form = new QFormLayout(box);
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  addThreshold(form, tr("Collapse: soft below"),
               tr("Collapse when soft-token mass is below this in every layer"), 1.0,
               &DiagnosticThresholds::collapseSoft);
  addThreshold(form, tr("Dominance: anchor above"),
               tr("Anchor dominance needs anchor mass above this ..."), 1.0,
               &DiagnosticThresholds::dominanceAnchor);
  addThreshold(form, tr("Dominance: soft below"),
               tr("... while soft-token mass is below this, in the same layer"), 1.0,
               &DiagnosticThresholds::dominanceSoft);
  addThreshold(form, tr("Heads alike: row L1 below"),
               tr("Heads of a layer are alike when their rows differ by less than this (mean "
                  "pairwise L1 distance, 0 to 2)"),
               2.0, &DiagnosticThresholds::headRowL1);
  addThreshold(form, tr("Heads alike: soft sd below"),
               tr("... and the standard deviation of their soft-token mass is below this"), 1.0,
               &DiagnosticThresholds::headSoftStd);
  addThreshold(form, tr("Layers alike: row L1 below"),
               tr("Layers are alike when no two head-averaged rows differ by this much (L1, 0 "
                  "to 2)"),
               2.0, &DiagnosticThresholds::layerRowL1);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(summary_);
  layout->addWidget(tree_, 1);
  layout->addWidget(detail_);
  layout->addWidget(box);
  follow(doc_);
  rebuild();
}

QDoubleSpinBox* DiagnosticsPanel::addThreshold(QFormLayout* form, const QString& label,
                                               const QString& tip, double max,
                                               float DiagnosticThresholds::*field) {
  auto* spin = new QDoubleSpinBox(this);
  spin->setRange(0.0, max);
  spin->setDecimals(3);
  spin->setSingleStep(0.01);
  spin->setValue(thresholds_.*field);
  spin->setToolTip(tip);
  auto* l = new QLabel(label, this);
  l->setToolTip(tip);
  form->addRow(l, spin);
  connect(spin, &QDoubleSpinBox::valueChanged, this, [this, field](double v) {
    thresholds_.*field = static_cast<float>(v);
    requestRebuild();
  });
  spins_.emplace_back(spin, field);
  return spin;
}

void DiagnosticsPanel::setThresholds(const DiagnosticThresholds& t) {
  thresholds_ = t;
  for (auto& [spin, field] : spins_) {
    const QSignalBlocker block(spin);
    spin->setValue(thresholds_.*field);
  }
  rebuild();
}

void DiagnosticsPanel::rebuild() {
  tree_->clear();
  results_.clear();
  detail_->clear();
  static const std::optional<SegmentMass> kNone;
  const std::optional<SegmentMass>& m = doc_ ? doc_->selectedMass() : kNone;
  if (!m) {
    summary_->setText(doc_ && doc_->result()
                          ? tr("The selected query's row was not captured: nothing to check.")
                          : tr("No run yet. The checks appear after a run."));
    return;
  }
  results_ = diagnose(*m, thresholds_);
  const RunResult& r = *doc_->result();
  int flagged = 0;
  const QColor flagBg(253, 226, 222), flagFg(150, 20, 20);
  for (const Diagnostic& d : results_) {
    auto* item = new QTreeWidgetItem(tree_);
    item->setText(0, checkName(d.id));
    item->setData(0, Qt::UserRole, QString::fromStdString(d.id));
    const QString status = !d.applicable ? tr("n/a") : d.flagged ? tr("FLAGGED") : tr("ok");
    item->setText(1, status);
    QString layers;
    for (int l : d.layers)
      layers += (layers.isEmpty() ? QString() : QStringLiteral(", ")) + QString::number(l);
    item->setText(
        2, d.applicable ? (d.layers.empty() ? tr("no layer shows it") : tr("layers %1").arg(layers))
                        : QString());
    const QString tip = checkRule(d.id, thresholds_) + QStringLiteral("\n\n") +
                        explanation(d, thresholds_, m->layers);
    for (int c = 0; c < 3; ++c) item->setToolTip(c, tip);
    if (d.flagged) {
      ++flagged;
      for (int c = 0; c < 3; ++c) {
        item->setBackground(c, flagBg);
        item->setForeground(c, flagFg);
      }
      QFont f = item->font(1);
      f.setBold(true);
      item->setFont(1, f);
    } else if (!d.applicable) {
      for (int c = 0; c < 3; ++c)
        item->setForeground(c, palette().color(QPalette::Disabled, QPalette::Text));
    }
    if (d.applicable && !d.values.empty()) {
      auto* child = new QTreeWidgetItem(item);
      child->setText(0, tr("numbers"));
      child->setData(2, Qt::UserRole, numberEntries(d, m->layers));
      for (int c = 0; c < 3; ++c)
        child->setToolTip(c, valueLegend(d.id) + QStringLiteral(":\n") + numbers(d, m->layers));
    }
    item->setData(1, Qt::UserRole, tip);
    item->setExpanded(true);  // the numbers behind every result stay in view
  }
  wrapNumbers();
  const QString where = m->step < 0
                            ? tr("query %1 %2")
                                  .arg(m->queryPosition)
                                  .arg(quotedToken(tokenText(r, m->batchRow, m->queryPosition), 16))
                            : tr("generation step %1").arg(m->step);
  // The explanation below the table follows the current check: the first flagged one at first.
  int first = 0;
  for (std::size_t i = 0; i < results_.size(); ++i)
    if (results_[i].flagged) {
      first = static_cast<int>(i);
      break;
    }
  tree_->setCurrentItem(tree_->topLevelItem(first));
  summary_->setText(flagged ? tr("<b>%n check(s) flagged</b> for %1.", "", flagged).arg(where)
                            : tr("No problem pattern found for %1.").arg(where));
}

double DiagnosticsPanel::layOutFigure(QPainter* painter, const QRectF& target) const {
  // Figures are drawn in units of 1/96 in, whatever the screen's resolution.
  const QFontMetricsF fm = logicalMetrics(font());
  const double line = fm.height(), pad = 4, indent = fm.horizontalAdvance(QStringLiteral("MM"));
  const double left = target.left() + pad, width = std::max(1.0, target.width() - 2 * pad);
  const auto broken = [&](const QStringList& pieces, const QString& separator, double w) {
    return pieces.isEmpty() ? QStringList() : wrapPieces(pieces, separator, fm, w).split('\n');
  };
  double y = target.top() + pad;
  const auto draw = [&](const QString& text, double x, const QColor& ink) {
    if (painter) {
      painter->setPen(ink);
      painter->drawText(QRectF(left + x, y, width - x, line), Qt::AlignLeft, text);
    }
    y += line;
  };
  if (painter) {
    painter->save();
    painter->setClipRect(target);
    painter->fillRect(target, Qt::white);
    painter->setFont(font());
  }
  const QString summary = summary_->text().remove(QRegularExpression("<[^>]*>"));
  for (const QString& text :
       broken(summary.split(' ', Qt::SkipEmptyParts), QStringLiteral(" "), width))
    draw(text, 0, Qt::black);
  y += line * 0.5;
  std::vector<int> layers;
  if (doc_ && doc_->selectedMass()) layers = doc_->selectedMass()->layers;
  const bool shown = doc_ && doc_->result();  // the checks of the shown run, none without one
  for (const Diagnostic& d : shown ? results_ : std::vector<Diagnostic>{}) {
    const QString status = !d.applicable ? tr("n/a") : d.flagged ? tr("FLAGGED") : tr("ok");
    const QStringList numbers =
        d.applicable ? broken(numberEntries(d, layers), QStringLiteral(" · "), width - indent)
                     : QStringList();
    const QColor ink = d.flagged ? QColor(150, 20, 20) : QColor(Qt::black);
    if (painter && d.flagged)  // the check's lines on a tint
      painter->fillRect(QRectF(left, y, width, line * (1 + numbers.size())), QColor(253, 226, 222));
    draw(tr("%1: %2").arg(checkName(d.id), status), 0, ink);
    for (const QString& text : numbers) draw(text, indent, ink);
    y += line * 0.3;
  }
  if (painter) painter->restore();
  return y - target.top() + pad;
}

void DiagnosticsPanel::renderContentTo(QPainter& painter, const QRectF& target) {
  layOutFigure(&painter, target);
}

double DiagnosticsPanel::figureContentHeight(double width) const {
  return layOutFigure(nullptr, QRectF(0, 0, width, 1));
}

}  // namespace attnx
