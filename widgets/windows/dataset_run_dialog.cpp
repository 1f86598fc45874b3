#include "dataset_run_dialog.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <functional>

#include "inference_worker.h"
#include "settings.h"

namespace attnx {
namespace {

// A line edit with a "…" button beside it.
QWidget* withBrowse(QLineEdit* edit, QWidget* parent, const QString& tip,
                    const std::function<void()>& browse) {
  auto* row = new QWidget(parent);
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(edit, 1);
  auto* button = new QPushButton(QCoreApplication::translate("attnx::DatasetRunDialog", "…"), row);
  button->setToolTip(tip);
  button->setMaximumWidth(40);
  QObject::connect(button, &QPushButton::clicked, row, browse);
  layout->addWidget(button);
  return row;
}

}  // namespace

DatasetRunDialog::DatasetRunDialog(QWidget* parent) : QDialog(parent) {
  setObjectName(QStringLiteral("datasetRunDialog"));
  setWindowTitle(tr("Analyze dataset"));

  modelDir_ = new QLineEdit(this);
  modelDir_->setObjectName(QStringLiteral("datasetModelDir"));
  examples_ = new QLineEdit(this);
  examples_->setObjectName(QStringLiteral("datasetExamplesFile"));
  examples_->setPlaceholderText(tr("one example per line (.jsonl)"));
  softTokens_ = new QLineEdit(this);
  softTokens_->setObjectName(QStringLiteral("datasetSoftTokenFile"));
  softTokens_->setPlaceholderText(tr("none"));
  softTokens_->setToolTip(
      tr("[N, M, d]: row i for example i (or its \"soft_index\"); [M, d]: one prefix for all"));
  anchor_ = new QLineEdit(this);
  anchor_->setObjectName(QStringLiteral("datasetAnchor"));
  anchor_->setToolTip(tr("Text after the soft tokens; an example's own \"anchor\" wins"));
  bosAfterSoft_ = new QCheckBox(tr("BOS after the soft tokens"), this);
  bosAfterSoft_->setObjectName(QStringLiteral("datasetBosAfterSoft"));
  bosAfterSoft_->setToolTip(
      tr("Insert the model's beginning-of-sequence token between the soft tokens and the\n"
         "anchor. Applies only with soft tokens."));
  noSoftTokens_ = new QCheckBox(tr("Run without soft tokens"), this);
  noSoftTokens_->setObjectName(QStringLiteral("datasetNoSoftTokens"));
  noSoftTokens_->setToolTip(
      tr("The examples name soft-token rows (\"soft_index\"), but run them without any, on\n"
         "purpose (a baseline). Without a soft-token file and without this, such examples are\n"
         "refused: their soft-token mass would be 0 in every layer."));
  predictionField_ = new QLineEdit(this);
  predictionField_->setObjectName(QStringLiteral("datasetPredictionField"));
  predictionField_->setToolTip(tr("The field of each line that holds the model's answer"));
  query_ = new QSpinBox(this);
  query_->setObjectName(QStringLiteral("datasetQuery"));
  query_->setRange(-1, 1 << 20);
  query_->setSpecialValueText(tr("last position"));
  query_->setToolTip(tr("The query position whose attention is kept for every example"));
  correctness_ = new QComboBox(this);
  correctness_->setObjectName(QStringLiteral("datasetCorrectness"));
  correctness_->addItem(tr("exact match with the gold answer"), QStringLiteral("em"));
  correctness_->addItem(tr("F1 with the gold answer at least"), QStringLiteral("f1"));
  correctness_->addItem(tr("first token is the gold answer's (FirstTok@1)"),
                        QStringLiteral("first_token"));
  correctness_->setToolTip(tr("Used for examples without a \"correct\" field"));
  f1Threshold_ = new QDoubleSpinBox(this);
  f1Threshold_->setObjectName(QStringLiteral("datasetF1Threshold"));
  f1Threshold_->setRange(0.0, 1.0);
  f1Threshold_->setSingleStep(0.05);
  f1Threshold_->setDecimals(2);
  maxNewTokens_ = new QSpinBox(this);
  maxNewTokens_->setObjectName(QStringLiteral("datasetMaxNewTokens"));
  maxNewTokens_->setRange(1, 4096);
  maxNewTokens_->setToolTip(
      tr("Greedy tokens generated for examples that have neither a prediction nor \"correct\""));
  results_ = new QLineEdit(this);
  results_->setObjectName(QStringLiteral("datasetResultsFile"));
  resume_ = new QCheckBox(tr("Continue an unfinished results file"), this);
  resume_->setObjectName(QStringLiteral("datasetResume"));
  resume_->setToolTip(
      tr("Keep the examples already in the results file when it was made with the same "
         "settings; otherwise the file is replaced"));
  problem_ = new QLabel(this);
  problem_->setObjectName(QStringLiteral("datasetProblem"));
  problem_->setWordWrap(true);
  problem_->setStyleSheet(QStringLiteral("color: #b3261e;"));
  problem_->hide();

  auto* correctnessRow = new QWidget(this);
  auto* cr = new QHBoxLayout(correctnessRow);
  cr->setContentsMargins(0, 0, 0, 0);
  cr->addWidget(correctness_, 1);
  cr->addWidget(f1Threshold_);

  auto* form = new QFormLayout;
  form->addRow(tr("Model folder:"), withBrowse(modelDir_, this, tr("Choose the model folder"),
                                               [this] { browseModel(); }));
  form->addRow(tr("Examples:"), withBrowse(examples_, this, tr("Choose the examples file"),
                                           [this] { browseExamples(); }));
  form->addRow(tr("Soft tokens:"), withBrowse(softTokens_, this, tr("Choose the soft-token file"),
                                              [this] { browseSoftTokens(); }));
  form->addRow(tr("Anchor:"), anchor_);
  form->addRow(QString(), bosAfterSoft_);
  form->addRow(QString(), noSoftTokens_);
  form->addRow(tr("Prediction field:"), predictionField_);
  form->addRow(tr("Query:"), query_);
  form->addRow(tr("Correct when:"), correctnessRow);
  form->addRow(tr("New tokens:"), maxNewTokens_);
  form->addRow(tr("Results file:"),
               withBrowse(results_, this, tr("Choose where to save"), [this] { browseResults(); }));
  form->addRow(QString(), resume_);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("Analyze"));
  connect(buttons, &QDialogButtonBox::accepted, this, &DatasetRunDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &DatasetRunDialog::reject);

  auto* column = new QVBoxLayout(this);
  column->addLayout(form);
  column->addWidget(problem_);
  column->addWidget(buttons);

  connect(correctness_, &QComboBox::currentIndexChanged, this, [this] { updateEnabled(); });
  connect(softTokens_, &QLineEdit::textChanged, this, [this] { updateEnabled(); });
  connect(examples_, &QLineEdit::textChanged, this, [this](const QString& file) {
    if (!resultsEdited_) results_->setText(defaultResultsFile(file));
  });
  connect(results_, &QLineEdit::textEdited, this, [this] { resultsEdited_ = true; });
  setMinimumWidth(560);
  updateEnabled();
}

QString DatasetRunDialog::defaultResultsFile(const QString& examplesFile) {
  if (examplesFile.trimmed().isEmpty()) return {};
  const QFileInfo fi(examplesFile.trimmed());
  return fi.dir().filePath(fi.completeBaseName() + QStringLiteral(".stats.json"));
}

void DatasetRunDialog::loadSettings(const ExplorerInput& explorer) {
  using K = Settings::Key;
  modelDir_->setText(explorer.modelDir);
  examples_->setText(Settings::string(K::DatasetExamplesFile));
  const bool explorerSoft = !explorer.softTokenFile.trimmed().isEmpty();
  softTokens_->setText(explorerSoft ? explorer.softTokenFile.trimmed()
                                    : Settings::string(K::DatasetSoftTokenFile));
  anchor_->setText(!explorer.anchor.isEmpty() ? explorer.anchor
                                              : Settings::string(K::DatasetAnchor));
  bosAfterSoft_->setChecked(explorerSoft ? explorer.bosAfterSoft
                                         : Settings::boolean(K::DatasetBosAfterSoft));
  predictionField_->setText(Settings::string(K::DatasetPredictionField));
  query_->setValue(Settings::integer(K::DatasetQuery));
  const int c = correctness_->findData(Settings::string(K::DatasetCorrectness));
  correctness_->setCurrentIndex(c >= 0 ? c : 0);
  f1Threshold_->setValue(Settings::real(K::DatasetF1Threshold));
  maxNewTokens_->setValue(Settings::integer(K::DatasetMaxNewTokens));
  resume_->setChecked(Settings::boolean(K::DatasetResume));
  resultsEdited_ = false;
  results_->setText(defaultResultsFile(examples_->text()));
}

void DatasetRunDialog::saveSettings() const {
  using K = Settings::Key;
  Settings::set(K::DatasetExamplesFile, examples_->text().trimmed());
  Settings::set(K::DatasetSoftTokenFile, softTokens_->text().trimmed());
  Settings::set(K::DatasetAnchor, anchor_->text());
  Settings::set(K::DatasetBosAfterSoft, bosAfterSoft_->isChecked());
  Settings::set(K::DatasetPredictionField, predictionField_->text().trimmed());
  Settings::set(K::DatasetQuery, query_->value());
  Settings::set(K::DatasetCorrectness, correctness_->currentData().toString());
  Settings::set(K::DatasetF1Threshold, f1Threshold_->value());
  Settings::set(K::DatasetMaxNewTokens, maxNewTokens_->value());
  Settings::set(K::DatasetResume, resume_->isChecked());
}

DatasetJob DatasetRunDialog::job() const {
  DatasetJob j;
  j.model.dir = modelDir_->text().trimmed();
  DatasetSettings& s = j.settings;
  s.modelDir = j.model.dir.toStdString();
  s.examplesFile = examples_->text().trimmed().toStdString();
  s.softTokenFile = softTokens_->text().trimmed().toStdString();
  s.anchor = anchor_->text().toStdString();
  s.bosAfterSoft = bosAfterSoft_->isChecked();
  s.noSoftTokens = s.softTokenFile.empty() && noSoftTokens_->isChecked();
  const QString field = predictionField_->text().trimmed();
  s.predictionField = field.isEmpty() ? std::string("prediction") : field.toStdString();
  s.query = query_->value();
  s.correctness = correctness_->currentData().toString().toStdString();
  s.f1Threshold = f1Threshold_->value();
  s.maxNewTokens = maxNewTokens_->value();
  j.resultsFile = results_->text().trimmed();
  if (j.resultsFile.isEmpty()) j.resultsFile = defaultResultsFile(examples_->text());
  j.resume = resume_->isChecked();
  return j;
}

void DatasetRunDialog::setJob(const DatasetJob& j) {
  modelDir_->setText(j.model.dir);
  examples_->setText(QString::fromStdString(j.settings.examplesFile));
  softTokens_->setText(QString::fromStdString(j.settings.softTokenFile));
  anchor_->setText(QString::fromStdString(j.settings.anchor));
  bosAfterSoft_->setChecked(j.settings.bosAfterSoft);
  noSoftTokens_->setChecked(j.settings.noSoftTokens);
  predictionField_->setText(QString::fromStdString(j.settings.predictionField));
  query_->setValue(j.settings.query);
  const int c = correctness_->findData(QString::fromStdString(j.settings.correctness));
  correctness_->setCurrentIndex(c >= 0 ? c : 0);
  f1Threshold_->setValue(j.settings.f1Threshold);
  maxNewTokens_->setValue(j.settings.maxNewTokens);
  results_->setText(j.resultsFile);
  resultsEdited_ = !j.resultsFile.isEmpty();
  resume_->setChecked(j.resume);
}

QString DatasetRunDialog::problem() const {
  const DatasetJob j = job();
  if (j.model.dir.isEmpty()) return tr("Choose a model folder.");
  if (!QFileInfo(j.model.dir).isDir())
    return tr("The model folder %1 does not exist.").arg(j.model.dir);
  const QString examples = QString::fromStdString(j.settings.examplesFile);
  if (examples.isEmpty()) return tr("Choose an examples file.");
  if (!QFileInfo(examples).isFile())
    return tr("The examples file %1 does not exist.").arg(examples);
  const QString soft = QString::fromStdString(j.settings.softTokenFile);
  if (!soft.isEmpty() && !QFileInfo(soft).isFile())
    return tr("The soft-token file %1 does not exist.").arg(soft);
  if (j.resultsFile.isEmpty()) return tr("Choose a results file.");
  if (!QFileInfo(j.resultsFile).dir().exists())
    return tr("The folder of the results file %1 does not exist.").arg(j.resultsFile);
  return {};
}

void DatasetRunDialog::accept() {
  const QString why = problem();
  problem_->setText(why);
  problem_->setVisible(!why.isEmpty());
  if (!why.isEmpty()) return;
  saveSettings();
  QDialog::accept();
}

void DatasetRunDialog::updateEnabled() {
  f1Threshold_->setEnabled(correctness_->currentData().toString() == QLatin1String("f1"));
  const bool soft = !softTokens_->text().trimmed().isEmpty();
  bosAfterSoft_->setEnabled(soft);
  noSoftTokens_->setEnabled(!soft);
}

void DatasetRunDialog::browseModel() {
  const QString dir =
      QFileDialog::getExistingDirectory(this, tr("Choose the model folder"), modelDir_->text());
  if (!dir.isEmpty()) modelDir_->setText(dir);
}

void DatasetRunDialog::browseExamples() {
  const QString file = QFileDialog::getOpenFileName(this, tr("Choose the examples file"),
                                                    QFileInfo(examples_->text()).path(),
                                                    tr("Examples (*.jsonl *.json);;All files (*)"));
  if (!file.isEmpty()) examples_->setText(file);
}

void DatasetRunDialog::browseSoftTokens() {
  const QString file = QFileDialog::getOpenFileName(
      this, tr("Choose the soft-token file"), QFileInfo(softTokens_->text()).path(),
      tr("Soft tokens (*.safetensors *.pt *.pth *.bin *.npy);;All files (*)"));
  if (!file.isEmpty()) softTokens_->setText(file);
}

void DatasetRunDialog::browseResults() {
  const QString start =
      results_->text().isEmpty() ? defaultResultsFile(examples_->text()) : results_->text();
  const QString file =
      QFileDialog::getSaveFileName(this, tr("Save the results as"), start, tr("Results (*.json)"),
                                   nullptr, QFileDialog::DontConfirmOverwrite);
  if (file.isEmpty()) return;
  results_->setText(file);
  resultsEdited_ = true;
}

}  // namespace attnx
