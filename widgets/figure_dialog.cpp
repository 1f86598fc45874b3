#include "figure_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QSpinBox>

namespace attnx {

FigureDialog::FigureDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("Export figure"));
  auto* form = new QFormLayout(this);
  format_ = new QComboBox(this);
  format_->addItem(tr("PDF (vector)"), static_cast<int>(FigureFormat::Pdf));
  format_->addItem(tr("SVG (vector)"), static_cast<int>(FigureFormat::Svg));
  format_->addItem(tr("PNG (image)"), static_cast<int>(FigureFormat::Png));
  form->addRow(tr("&Format:"), format_);
  width_ = new QDoubleSpinBox(this);
  width_->setRange(1.0, 20.0);
  width_->setDecimals(2);
  width_->setSingleStep(0.25);
  width_->setValue(3.25);
  width_->setSuffix(tr(" in"));
  width_->setToolTip(tr("3.25 in: one journal column; 6.75 in: two columns"));
  form->addRow(tr("&Width:"), width_);
  dpi_ = new QSpinBox(this);
  dpi_->setRange(72, 1200);
  dpi_->setValue(300);
  dpi_->setToolTip(tr("Resolution of PNG images; PDF and SVG are vector"));
  form->addRow(tr("&DPI:"), dpi_);
  style_ = new QComboBox(this);
  style_->addItem(tr("Paper (small fonts, thin lines)"), static_cast<int>(FigureStyle::Paper));
  style_->addItem(tr("Slide (large fonts)"), static_cast<int>(FigureStyle::Slide));
  form->addRow(tr("&Style:"), style_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  form->addRow(buttons);
  // The DPI matters only for images.
  auto sync = [this] {
    dpi_->setEnabled(static_cast<FigureFormat>(format_->currentData().toInt()) ==
                     FigureFormat::Png);
  };
  connect(format_, &QComboBox::currentIndexChanged, this, sync);
  sync();
}

FigureOptions FigureDialog::options() const {
  FigureOptions o;
  o.format = static_cast<FigureFormat>(format_->currentData().toInt());
  o.style = static_cast<FigureStyle>(style_->currentData().toInt());
  o.widthIn = width_->value();
  o.dpi = dpi_->value();
  return o;
}

}  // namespace attnx
