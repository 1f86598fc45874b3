#pragma once
// The small "Export figure" dialog: format, width (journal column), DPI and style.
#include <QDialog>

#include "figure_export.h"

class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace attnx {

class FigureDialog : public QDialog {
  Q_OBJECT
 public:
  explicit FigureDialog(QWidget* parent = nullptr);
  FigureOptions options() const;

 private:
  QComboBox* format_ = nullptr;
  QComboBox* style_ = nullptr;
  QDoubleSpinBox* width_ = nullptr;
  QSpinBox* dpi_ = nullptr;
};

}  // namespace attnx
