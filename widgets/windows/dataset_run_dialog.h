#pragma once
// "Analyze dataset…": the model folder, examples file, soft-token file and the rules of a dataset
// run (anchor, BOS after the soft tokens, prediction field, query, how correctness is decided),
// and the results file (by default beside the examples file). The choices are remembered in the
// settings table; the dialog itself reads no file and runs nothing.
#include <QDialog>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace attnx {

struct DatasetJob;

class DatasetRunDialog : public QDialog {
  Q_OBJECT
 public:
  explicit DatasetRunDialog(QWidget* parent = nullptr);

  // What the explorer has, for the dialog to start from.
  struct ExplorerInput {
    QString modelDir;
    QString softTokenFile;  // empty: none
    QString anchor;
    bool bosAfterSoft = false;
  };
  // Fills the fields from the explorer's input where it has one (model folder, soft-token file
  // with its BOS choice, anchor), else from the dialog's remembered settings.
  void loadSettings(const ExplorerInput& explorer);
  void saveSettings() const;

  // The job as chosen; its model spec holds the folder only (device and dtype are the caller's).
  DatasetJob job() const;
  void setJob(const DatasetJob& job);  // tests and the demo entry

  // The results file used when the user does not choose one: "<examples>.stats.json" beside the
  // examples file.
  static QString defaultResultsFile(const QString& examplesFile);

  // Why the fields cannot run (empty when they can); shown in the dialog on OK.
  QString problem() const;

  void accept() override;

 private:
  void browseModel();
  void browseExamples();
  void browseSoftTokens();
  void browseResults();
  void updateEnabled();

  QLineEdit* modelDir_ = nullptr;
  QLineEdit* examples_ = nullptr;
  QLineEdit* softTokens_ = nullptr;
  QLineEdit* anchor_ = nullptr;
  QCheckBox* bosAfterSoft_ = nullptr;
  QCheckBox* noSoftTokens_ = nullptr;
  QLineEdit* predictionField_ = nullptr;
  QSpinBox* query_ = nullptr;
  QComboBox* correctness_ = nullptr;
  QDoubleSpinBox* f1Threshold_ = nullptr;
  QSpinBox* maxNewTokens_ = nullptr;
  QLineEdit* results_ = nullptr;
  QCheckBox* resume_ = nullptr;
  QLabel* problem_ = nullptr;
  bool resultsEdited_ = false;  // the user typed a results file: the default no longer follows
};

}  // namespace attnx
