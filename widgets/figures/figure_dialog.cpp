#include "figure_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

#include "error.h"
#include "stable_names.h"
#include "view_data.h"

namespace attnx {

FigureDialog::FigureDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("Export figure"));
  auto* form = new QFormLayout(this);
  view_ = new QLabel(this);
  view_->setObjectName(QStringLiteral("figureViewDescription"));
  view_->setWordWrap(true);
  view_->setVisible(false);
  form->addRow(view_);
  file_ = new QLineEdit(this);
  file_->setObjectName(QStringLiteral("figureFile"));
  auto* browse = new QPushButton(tr("&Browse…"), this);
  auto* fileRow = new QHBoxLayout;
  fileRow->addWidget(file_, 1);
  fileRow->addWidget(browse);
  // A label of its own with the line edit as buddy: a row label of a layout shows its '&'.
  auto* fileLabel = new QLabel(tr("F&ile:"), this);
  fileLabel->setBuddy(file_);
  form->addRow(fileLabel, fileRow);
  format_ = new QComboBox(this);
  format_->setObjectName(QStringLiteral("figureFormat"));
  format_->addItem(tr("PDF (vector)"), static_cast<int>(FigureFormat::Pdf));
  format_->addItem(tr("SVG (vector)"), static_cast<int>(FigureFormat::Svg));
  format_->addItem(tr("PNG (image)"), static_cast<int>(FigureFormat::Png));
  form->addRow(tr("&Format:"), format_);
  width_ = new QDoubleSpinBox(this);
  width_->setObjectName(QStringLiteral("figureWidth"));
  width_->setRange(1.0, 20.0);
  width_->setDecimals(2);
  width_->setSingleStep(0.25);
  width_->setValue(3.25);
  width_->setSuffix(tr(" in"));
  width_->setToolTip(tr("3.25 in: one journal column; 6.75 in: two columns; 10 in: a slide"));
  form->addRow(tr("&Width:"), width_);
  dpi_ = new QSpinBox(this);
  dpi_->setObjectName(QStringLiteral("figureDpi"));
  dpi_->setRange(72, 1200);
  dpi_->setValue(300);
  dpi_->setToolTip(tr("Resolution of PNG images; PDF and SVG are vector"));
  form->addRow(tr("&DPI:"), dpi_);
  style_ = new QComboBox(this);
  style_->setObjectName(QStringLiteral("figureStyle"));
  style_->addItem(tr("Paper (small fonts, thin lines)"), static_cast<int>(FigureStyle::Paper));
  style_->addItem(tr("Slide (large fonts)"), static_cast<int>(FigureStyle::Slide));
  form->addRow(tr("&Style:"), style_);
  panels_ = new QComboBox(this);
  panels_->setObjectName(QStringLiteral("figurePanels"));
  panels_->addItem(tr("This view only"), static_cast<int>(FigurePanelChoice::ThisView));
  panels_->addItem(tr("Every head of this layer (heatmaps)"),
                   static_cast<int>(FigurePanelChoice::HeadsOfLayer));
  panels_->addItem(tr("Every layer at this head (heatmaps)"),
                   static_cast<int>(FigurePanelChoice::LayersAtHead));
  panels_->setToolTip(tr("One figure of several heatmaps in a grid, captioned (a), (b), …"));
  form->addRow(tr("&Panels:"), panels_);
  columns_ = new QSpinBox(this);
  columns_->setObjectName(QStringLiteral("figureColumns"));
  columns_->setRange(0, 16);
  columns_->setSpecialValueText(tr("Automatic"));
  columns_->setToolTip(tr("Columns of the panel grid"));
  form->addRow(tr("C&olumns:"), columns_);
  markLayer_ = new QCheckBox(tr("Mark the selected &layer"), this);
  markLayer_->setObjectName(QStringLiteral("figureMarkLayer"));
  markLayer_->setToolTip(
      tr("Draw the dashed line at the selected layer (curves) or its outline (head grid); "
         "figures show no selection by default"));
  markQuery_ = new QCheckBox(tr("Mark the selected &query"), this);
  markQuery_->setObjectName(QStringLiteral("figureMarkQuery"));
  markQuery_->setToolTip(tr("Outline the selected query's row in the heatmap"));
  form->addRow(markLayer_);
  form->addRow(markQuery_);
  buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
  form->addRow(buttons_);

  connect(browse, &QPushButton::clicked, this, &FigureDialog::browse);
  // A style's default width follows the style while the width is the other style's default.
  connect(style_, &QComboBox::currentIndexChanged, this, [this] {
    const auto style = static_cast<FigureStyle>(style_->currentData().toInt());
    const FigureStyle other = style == FigureStyle::Slide ? FigureStyle::Paper : FigureStyle::Slide;
    if (width_->value() == defaultFigureWidthIn(other))
      width_->setValue(defaultFigureWidthIn(style));
  });
  connect(format_, &QComboBox::currentIndexChanged, this, &FigureDialog::syncFormat);
  connect(panels_, &QComboBox::currentIndexChanged, this,
          [this] { columns_->setEnabled(panelChoice() != FigurePanelChoice::ThisView); });
  connect(file_, &QLineEdit::textChanged, this, [this](const QString& text) {
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(!text.trimmed().isEmpty());
  });
  columns_->setEnabled(false);
  setFileName(QDir::home().filePath(QStringLiteral("figure.pdf")));
  syncFormat();
}

void FigureDialog::syncFormat() {
  const FigureFormat f = static_cast<FigureFormat>(format_->currentData().toInt());
  // The DPI matters only for images.
  dpi_->setEnabled(f == FigureFormat::Png);
  setFileName(file_->text());
}

void FigureDialog::setFileName(const QString& file) {
  QString name = file.trimmed();
  if (!name.isEmpty()) {
    // A known figure suffix is replaced by the format's; any other name gets it appended.
    const QString ext = figureFormatName(options().format);
    const QFileInfo info(name);
    FigureFormat known;
    if (parseFigureFormat(info.suffix(), &known)) name.chop(info.suffix().size() + 1);
    name += QLatin1Char('.') + ext;
  }
  if (name != file_->text()) file_->setText(name);
}

void FigureDialog::browse() {
  const QString ext = figureFormatName(options().format);
  const QString file = QFileDialog::getSaveFileName(this, tr("Export figure"), file_->text(),
                                                    tr("%1 files (*.%2)").arg(ext.toUpper(), ext));
  if (!file.isEmpty()) setFileName(file);
}

void FigureDialog::setViewDescription(const QString& text) {
  view_->setText(text);
  view_->setVisible(!text.isEmpty());
}

QString FigureDialog::fileName() const { return file_->text().trimmed(); }

FigureOptions FigureDialog::options() const {
  FigureOptions o;
  o.format = static_cast<FigureFormat>(format_->currentData().toInt());
  o.style = static_cast<FigureStyle>(style_->currentData().toInt());
  o.widthIn = width_->value();
  o.dpi = dpi_->value();
  o.marks.layer = markLayer_->isChecked();
  o.marks.query = markQuery_->isChecked();
  return o;
}

FigurePanelChoice FigureDialog::panelChoice() const {
  return static_cast<FigurePanelChoice>(panels_->currentData().toInt());
}

int FigureDialog::columns() const { return columns_->value(); }

void exportFigureFromDialog(const FigureDialog& dialog, QWidget* view, const RunDocument& doc,
                            const FigureSource& source, const FigureLook& look) {
  const FigureOptions options = dialog.options();
  const FigurePanelChoice choice = dialog.panelChoice();
  if (choice == FigurePanelChoice::ThisView) {
    exportFigure(view, dialog.fileName(), options, figureManifest(doc, source));
    return;
  }
  const RunResult* r = doc.result();
  if (!r) throw Error(QObject::tr("there is no run to make panels of").toStdString());
  const Selection& base = doc.selection();
  const auto& tensors = tensorsForStep(*r, base.step);
  if (tensors.empty())
    throw Error(QObject::tr("no attention was captured in this run").toStdString());
  std::vector<Selection> selections;
  if (choice == FigurePanelChoice::HeadsOfLayer) {
    for (int h = 0; h < tensors.front().heads; ++h) {
      Selection s = base;
      s.head = HeadChoice::one(h);
      selections.push_back(s);
    }
  } else {
    for (const AttentionTensor& a : tensors) {  // only the captured layers
      Selection s = base;
      s.layer = a.layer;
      selections.push_back(s);
    }
  }
  FigurePanelSet set(look);
  for (const Selection& s : selections) {
    QString caption = QObject::tr("%1 layer %2 · %3")
                          .arg(panelLetter(set.size()))
                          .arg(s.layer)
                          .arg(headName(s.head));
    if (s.step) caption += QObject::tr(" · step %1").arg(*s.step);
    set.add(view_names::kHeatmap, doc.sharedResult(), s, caption);
  }
  const double upper = set.applyColorRange();
  FigureSource heatmaps = source;
  heatmaps.viewName = view_names::kHeatmap;
  QJsonObject manifest = figureManifest(doc, heatmaps);
  manifest[QStringLiteral("scale_range")] = QJsonArray{0.0, upper};
  manifest[QStringLiteral("panels")] = set.manifestPanels();
  const int columns =
      dialog.columns() > 0 ? dialog.columns() : defaultFigureColumns(set.size(), options.widthIn);
  exportFigurePanels(set.panels(), columns, dialog.fileName(), options, manifest);
}

}  // namespace attnx
