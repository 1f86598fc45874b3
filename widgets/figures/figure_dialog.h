#pragma once
// The "Export figure" dialog: the file, format, width (journal column), DPI, style and whether
// the figure is the view alone or a grid of heatmap panels (every head of the selected layer, or
// every layer at the selected head).
#include <QDialog>

#include "figure_export.h"
#include "figure_panels.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace attnx {

enum class FigurePanelChoice { ThisView, HeadsOfLayer, LayersAtHead };

class FigureDialog : public QDialog {
  Q_OBJECT
 public:
  explicit FigureDialog(QWidget* parent = nullptr);
  FigureOptions options() const;
  FigurePanelChoice panelChoice() const;
  int columns() const;  // 0: automatic
  // The file to write; its suffix follows the format.
  QString fileName() const;
  void setFileName(const QString& file);
  // Says which view the figure will show ("the heatmap"), above the fields.
  void setViewDescription(const QString& text);

 private:
  void browse();
  void syncFormat();

  QLineEdit* file_ = nullptr;
  QComboBox* format_ = nullptr;
  QComboBox* style_ = nullptr;
  QDoubleSpinBox* width_ = nullptr;
  QSpinBox* dpi_ = nullptr;
  QComboBox* panels_ = nullptr;
  QSpinBox* columns_ = nullptr;
  QCheckBox* markLayer_ = nullptr;
  QCheckBox* markQuery_ = nullptr;
  QLabel* view_ = nullptr;
  QDialogButtonBox* buttons_ = nullptr;
};

// Writes the figure `dialog` describes: `view` alone, or heatmap panels of `doc`'s run, each on
// an offscreen view of its own with the colours of `look`. Throws attnx::Error on failure.
void exportFigureFromDialog(const FigureDialog& dialog, QWidget* view, const RunDocument& doc,
                            const FigureSource& source, const FigureLook& look);

}  // namespace attnx
