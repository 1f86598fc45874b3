#pragma once
// What to run: the model directory, the input (soft tokens, BOS, anchor, prompt), generation,
// device and precision, what to capture; Run / Cancel and the progress of the running job.
#include <QWidget>

#include "inference_worker.h"
#include "memory_estimate.h"
#include "request_builder.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTimer;
class QToolButton;

namespace attnx {

class InputPanel : public QWidget {
  Q_OBJECT
 public:
  explicit InputPanel(QWidget* parent = nullptr);

  // Model.
  QString modelDir() const;
  // `shownAs`, when given, is what the field shows for `dir` (the demo's extracted copy is
  // "built-in demo", not a hashed cache path); modelDir() still answers the folder while the
  // field shows that name.
  void setModelDir(const QString& dir, const QString& shownAs = {});
  void setRecentModels(const QStringList& dirs);
  ModelSpec modelSpec() const;

  // Input.
  QString prompt() const;
  void setPrompt(const QString& text);
  QString anchor() const;
  void setAnchor(const QString& text);
  QString softTokenFile() const;
  void setSoftTokenFile(const QString& path);
  // The prefix of a soft-token file of several [N, M, d]; -1: the file's only prefix.
  int softIndex() const;
  void setSoftIndex(int index);
  // Encoders (BERT): the second sentence of a pair; its field shows for encoder models only.
  QString promptPair() const;
  void setPromptPair(const QString& text);
  void setEncoderModel(bool encoder);
  bool bosAfterSoft() const;
  void setBosAfterSoft(bool on);
  int generate() const;
  void setGenerate(int n);
  void setStopAtEos(bool on);
  void setDevice(const QString& device);
  void setDtype(const QString& dtype);
  void setLastRowOnly(bool on);
  void setLayers(const QString& layers);

  RequestFields fields() const;
  // The job for the worker. Throws attnx::Error with a user-facing message for bad fields.
  RunJob buildJob() const;

  // Run state: Cancel is enabled while busy; the bar shows per-layer progress.
  void setBusy(bool busy);
  void setProgress(int done, int total, const QString& text);

  void loadSettings();
  void saveSettings() const;

  // For tests and the main window's shortcuts.
  QPushButton* runButton() const { return run_; }
  QPushButton* cancelButton() const { return cancel_; }
  QProgressBar* progressBar() const { return progress_; }
  QLabel* memoryLabel() const { return memory_; }

 signals:
  void runRequested();
  void cancelRequested();
  void modelDirectoryChosen(const QString& dir);  // picked, typed + Enter, or a recent one
  void browseModelRequested();                    // the "…" button next to the directory

 private:
  void chooseSoftTokenFile();
  // Reads the chosen soft-token file's shape off the GUI thread; the prefix chooser follows it.
  void inspectSoftTokenFile();
  void showSoftTokenShape(const QString& path, const QString& shape, int prefixes);
  QWidget* buildModelBox();
  QWidget* buildInputBox();
  QWidget* buildOptionsBox();
  // The memory the run would need, re-estimated off the GUI thread a moment after the fields
  // stop changing (one estimate in flight; a newer request waits for it).
  void scheduleMemoryEstimate();
  void startMemoryEstimate();
  void showMemoryEstimate(const MemoryEstimate& e);

  QComboBox* modelDir_ = nullptr;
  QString modelAlias_, modelAliasDir_;  // the name the field shows for a folder, and the folder
  QToolButton* browseModel_ = nullptr;
  QPlainTextEdit* prompt_ = nullptr;
  QLineEdit* anchor_ = nullptr;
  QLineEdit* softFile_ = nullptr;
  QToolButton* browseSoft_ = nullptr;
  QToolButton* clearSoft_ = nullptr;
  QSpinBox* softIndex_ = nullptr;
  QLabel* softShape_ = nullptr;
  QWidget* softIndexRow_ = nullptr;
  QLineEdit* pair_ = nullptr;
  QLabel* pairLabel_ = nullptr;
  QCheckBox* bos_ = nullptr;
  QSpinBox* generate_ = nullptr;
  QCheckBox* stopAtEos_ = nullptr;
  QComboBox* device_ = nullptr;
  QComboBox* dtype_ = nullptr;
  QComboBox* captureRows_ = nullptr;
  QLineEdit* layers_ = nullptr;
  QPushButton* run_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* progressText_ = nullptr;
  QLabel* memory_ = nullptr;
  QTimer* memoryTimer_ = nullptr;
  bool estimating_ = false;
  MemoryEstimate lastEstimate_;  // its tokenizer and soft-row count are reused
};

}  // namespace attnx
