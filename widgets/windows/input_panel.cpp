#include "input_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>

#include "optional_spin_box.h"
#include "raw_tensor.h"
#include "settings.h"
#include "soft_tokens.h"

namespace attnx {
namespace {

void selectData(QComboBox* box, const QString& value) {
  const int i = box->findData(value);
  if (i >= 0) box->setCurrentIndex(i);
}

}  // namespace

InputPanel::InputPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addWidget(buildModelBox());
  layout->addWidget(buildInputBox(), 1);
  layout->addWidget(buildOptionsBox());

  run_ = new QPushButton(tr("&Run"), this);
  run_->setObjectName(QStringLiteral("runButton"));
  run_->setToolTip(
      tr("Run the model on this input and capture attention (Ctrl+R).\n"
         "A run requested while another is busy replaces a waiting one."));
  run_->setDefault(true);
  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->setObjectName(QStringLiteral("cancelButton"));
  cancel_->setToolTip(tr("Stop the running job at the next layer (Esc). The shown result stays."));
  cancel_->setEnabled(false);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(run_, 1);
  buttons->addWidget(cancel_);
  layout->addLayout(buttons);

  progress_ = new QProgressBar(this);
  progress_->setObjectName(QStringLiteral("runProgress"));
  progress_->setRange(0, 1);
  progress_->setValue(0);
  progress_->setTextVisible(false);
  progress_->setToolTip(tr("Progress of the running job, layer by layer"));
  progressText_ = new QLabel(this);
  progressText_->setObjectName(QStringLiteral("progressText"));
  layout->addWidget(progress_);
  layout->addWidget(progressText_);

  connect(run_, &QPushButton::clicked, this, &InputPanel::runRequested);
  connect(cancel_, &QPushButton::clicked, this, &InputPanel::cancelRequested);

  memoryTimer_ = new QTimer(this);
  memoryTimer_->setSingleShot(true);
  memoryTimer_->setInterval(300);
  connect(memoryTimer_, &QTimer::timeout, this, &InputPanel::startMemoryEstimate);
  connect(modelDir_, &QComboBox::currentTextChanged, this, &InputPanel::scheduleMemoryEstimate);
  connect(prompt_, &QPlainTextEdit::textChanged, this, &InputPanel::scheduleMemoryEstimate);
  for (QLineEdit* e : {anchor_, softFile_, pair_})
    connect(e, &QLineEdit::textChanged, this, &InputPanel::scheduleMemoryEstimate);
  for (QComboBox* c : {device_, dtype_, captureRows_})
    connect(c, &QComboBox::currentIndexChanged, this, &InputPanel::scheduleMemoryEstimate);
  connect(generate_, &QSpinBox::valueChanged, this, &InputPanel::scheduleMemoryEstimate);
  connect(bos_, &QCheckBox::toggled, this, &InputPanel::scheduleMemoryEstimate);
}

void InputPanel::scheduleMemoryEstimate() { memoryTimer_->start(); }

void InputPanel::startMemoryEstimate() {
  if (estimating_) {  // the answer in flight is already stale: ask again once it is in
    memoryTimer_->start();
    return;
  }
  estimating_ = true;
  auto* watcher = new QFutureWatcher<MemoryEstimate>(this);
  connect(watcher, &QFutureWatcher<MemoryEstimate>::finished, this, [this, watcher] {
    estimating_ = false;
    lastEstimate_ = watcher->result();
    watcher->deleteLater();
    showMemoryEstimate(lastEstimate_);
  });
  watcher->setFuture(
      QtConcurrent::run(&estimateMemory, modelSpec(), fields(), softTokenFile(), lastEstimate_));
}

void InputPanel::showMemoryEstimate(const MemoryEstimate& e) {
  if (!e.known) {
    memory_->clear();
    memory_->setToolTip(QString());
    return;
  }
  auto size = [](uint64_t b) {
    return QLocale().formattedDataSize(static_cast<qint64>(b), 1, QLocale::DataSizeSIFormat);
  };
  const MemoryPlan& p = e.plan;
  memory_->setText(e.refusal.isEmpty()
                       ? tr("Memory: about %1 for %2 tokens").arg(size(p.peak)).arg(e.tokens)
                       : tr("Memory: about %1 for %2 tokens, more than the %3 available")
                             .arg(size(p.peak))
                             .arg(e.tokens)
                             .arg(size(e.available)));
  memory_->setStyleSheet(e.refusal.isEmpty() ? QString() : QStringLiteral("color: #b00020;"));
  QString tip = tr("Predicted peak memory of this run (attnx plan):\n"
                   "weights %1, activations %2, attention workspace %3,\n"
                   "captured attention %4, logits %5, cache %6, runtime %7")
                    .arg(size(p.weights), size(p.activations), size(p.workspace), size(p.capture),
                         size(p.logits), size(p.cache), size(p.runtime));
  if (!e.refusal.isEmpty()) tip += QStringLiteral("\n\n") + e.refusal;
  memory_->setToolTip(tip);
}

QWidget* InputPanel::buildModelBox() {
  auto* box = new QGroupBox(tr("Model"), this);
  auto* row = new QHBoxLayout(box);
  modelDir_ = new QComboBox(box);
  modelDir_->setObjectName(QStringLiteral("modelDirCombo"));
  modelDir_->setEditable(true);
  modelDir_->setInsertPolicy(QComboBox::NoInsert);
  modelDir_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  modelDir_->setMinimumContentsLength(16);
  modelDir_->setToolTip(
      tr("Hugging Face model folder (config.json, *.safetensors, tokenizer.json).\n"
         "Type a path and press Enter, or pick a recent one."));
  browseModel_ = new QToolButton(box);
  browseModel_->setText(tr("…"));
  browseModel_->setToolTip(tr("Choose a model folder (Ctrl+O)"));
  row->addWidget(modelDir_, 1);
  row->addWidget(browseModel_);

  connect(browseModel_, &QToolButton::clicked, this, &InputPanel::browseModelRequested);
  connect(modelDir_, &QComboBox::activated, this,
          [this](int index) { emit modelDirectoryChosen(modelDir_->itemText(index)); });
  connect(modelDir_->lineEdit(), &QLineEdit::returnPressed, this,
          [this] { emit modelDirectoryChosen(modelDir()); });
  return box;
}

QWidget* InputPanel::buildInputBox() {
  auto* box = new QGroupBox(tr("Input"), this);
  auto* form = new QFormLayout(box);
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

  auto* softRow = new QHBoxLayout;
  softFile_ = new QLineEdit(box);
  softFile_->setObjectName(QStringLiteral("softTokenEdit"));
  softFile_->setPlaceholderText(tr("none"));
  softFile_->setToolTip(
      tr("Soft tokens: a .safetensors, .pt or .npy file with one tensor [M, hidden]\n"
         "(or [1, M, hidden]), "
         "fed before everything else as inputs_embeds rows."));
  browseSoft_ = new QToolButton(box);
  browseSoft_->setText(tr("…"));
  browseSoft_->setToolTip(tr("Choose a soft-token file"));
  clearSoft_ = new QToolButton(box);
  clearSoft_->setText(tr("Clear"));
  clearSoft_->setToolTip(tr("Run without soft tokens"));
  softRow->addWidget(softFile_, 1);
  softRow->addWidget(browseSoft_);
  softRow->addWidget(clearSoft_);
  form->addRow(tr("Soft tokens:"), softRow);

  // A file of several prefixes [N, M, d] (one per example of a dataset): which one to run.
  softIndexRow_ = new QWidget(box);
  auto* indexRow = new QHBoxLayout(softIndexRow_);
  indexRow->setContentsMargins(0, 0, 0, 0);
  softIndex_ = makeOptionalSpinBox(
      softIndexRow_, QStringLiteral("softIndexSpin"), tr("the only one"),
      tr("For a file of several soft prefixes [N, M, hidden] (one per example): the prefix to\n"
         "run, 0 to N-1."));
  softShape_ = new QLabel(softIndexRow_);
  softShape_->setObjectName(QStringLiteral("softShapeLabel"));
  softShape_->setEnabled(false);
  indexRow->addWidget(softIndex_);
  indexRow->addWidget(softShape_, 1);
  form->addRow(tr("Prefix:"), softIndexRow_);
  softIndexRow_->setEnabled(false);

  bos_ = new QCheckBox(tr("BOS after the soft tokens"), box);
  bos_->setObjectName(QStringLiteral("bosCheck"));
  bos_->setToolTip(
      tr("Insert the model's beginning-of-sequence token between the soft tokens and the\n"
         "anchor. Applies only with soft tokens."));
  bos_->setEnabled(false);
  form->addRow(QString(), bos_);

  anchor_ = new QLineEdit(box);
  anchor_->setObjectName(QStringLiteral("anchorEdit"));
  anchor_->setPlaceholderText(tr("optional, e.g. \"Answer:\""));
  anchor_->setToolTip(
      tr("Anchor text placed after the soft tokens and before the prompt.\n"
         "Token ids work too: \"ids: 5, 6\"."));
  form->addRow(tr("Anchor:"), anchor_);

  prompt_ = new QPlainTextEdit(box);
  prompt_->setObjectName(QStringLiteral("promptEdit"));
  prompt_->setTabChangesFocus(true);
  prompt_->setPlaceholderText(tr("Prompt text, or token ids: ids: 1, 2, 3"));
  prompt_->setToolTip(
      tr("The prompt. To feed exact token ids (models without a tokenizer, or to bypass it)\n"
         "write \"ids:\" followed by the ids, e.g. \"ids: 1, 15, 42\".\n"
         "Alone (no soft tokens, no anchor) a text prompt gets the model's special tokens."));
  prompt_->setMinimumHeight(60);
  form->addRow(tr("Prompt:"), prompt_);

  pair_ = new QLineEdit(box);
  pair_->setObjectName(QStringLiteral("promptPairEdit"));
  pair_->setPlaceholderText(tr("optional second sentence"));
  pair_->setToolTip(
      tr("Encoder models (BERT): the second sentence of a pair. The prompt and this text are\n"
         "tokenized together as [CLS] A [SEP] B [SEP], with token types 0 and 1."));
  pairLabel_ = new QLabel(tr("Sentence B:"), box);
  form->addRow(pairLabel_, pair_);
  pair_->hide();
  pairLabel_->hide();

  connect(browseSoft_, &QToolButton::clicked, this, &InputPanel::chooseSoftTokenFile);
  connect(clearSoft_, &QToolButton::clicked, softFile_, &QLineEdit::clear);
  connect(softFile_, &QLineEdit::textChanged, this, [this] {
    bos_->setEnabled(!softTokenFile().isEmpty());
    inspectSoftTokenFile();
  });
  return box;
}

QWidget* InputPanel::buildOptionsBox() {
  auto* box = new QGroupBox(tr("Options"), this);
  auto* form = new QFormLayout(box);

  generate_ = new QSpinBox(box);
  generate_->setObjectName(QStringLiteral("generateSpin"));
  generate_->setRange(0, 4096);
  generate_->setToolTip(
      tr("Greedy tokens to generate after the input; each step's attention\n"
         "is captured and can be chosen with the step selector."));
  stopAtEos_ = new QCheckBox(tr("stop at end of sequence"), box);
  stopAtEos_->setObjectName(QStringLiteral("stopAtEosCheck"));
  stopAtEos_->setChecked(true);
  stopAtEos_->setToolTip(
      tr("Stop generating once the model emits its end-of-sequence token\n"
         "(as named in generation_config.json)."));
  auto* generateRow = new QHBoxLayout;
  generateRow->addWidget(generate_);
  generateRow->addWidget(stopAtEos_, 1);
  form->addRow(tr("Generate:"), generateRow);

  device_ = new QComboBox(box);
  device_->setObjectName(QStringLiteral("deviceCombo"));
  device_->addItem(tr("auto"), QStringLiteral("auto"));
  device_->addItem(tr("CPU"), QStringLiteral("cpu"));
  device_->addItem(tr("CUDA"), QStringLiteral("cuda"));
  device_->setToolTip(
      tr("Where the model runs; auto takes the GPU when there is one.\n"
         "Changing it reloads the model."));
  dtype_ = new QComboBox(box);
  dtype_->setObjectName(QStringLiteral("dtypeCombo"));
  dtype_->addItem(QStringLiteral("float32"), QStringLiteral("float32"));
  dtype_->addItem(QStringLiteral("bfloat16"), QStringLiteral("bfloat16"));
  dtype_->addItem(QStringLiteral("float16"), QStringLiteral("float16"));
  dtype_->setToolTip(tr("Precision of the weights. Changing it reloads the model."));
  auto* deviceRow = new QHBoxLayout;
  deviceRow->addWidget(device_, 1);
  deviceRow->addWidget(dtype_, 1);
  form->addRow(tr("Device:"), deviceRow);

  captureRows_ = new QComboBox(box);
  captureRows_->setObjectName(QStringLiteral("captureRowsCombo"));
  captureRows_->addItem(tr("full matrices"), QStringLiteral("full"));
  captureRows_->addItem(tr("last row only"), QStringLiteral("last"));
  captureRows_->setToolTip(
      tr("Full keeps layers x heads x T x T values; last row keeps only the attention of the\n"
         "last position (what predicts the next token) and needs T times less memory."));
  layers_ = new QLineEdit(box);
  layers_->setObjectName(QStringLiteral("layersEdit"));
  layers_->setPlaceholderText(tr("all"));
  layers_->setToolTip(tr("Layers to capture: empty or \"all\", or a list such as 0,2,5-7"));
  auto* captureRow = new QHBoxLayout;
  captureRow->addWidget(captureRows_, 1);
  captureRow->addWidget(layers_, 1);
  form->addRow(tr("Capture:"), captureRow);
  memory_ = new QLabel(box);
  memory_->setObjectName(QStringLiteral("memoryEstimate"));
  memory_->setWordWrap(true);
  form->addRow(memory_);
  return box;
}

void InputPanel::chooseSoftTokenFile() {
  const QString start = softFile_->text().isEmpty()
                            ? Settings::string(Settings::Key::LastSoftTokenFile)
                            : softFile_->text();
  const QString path =
      QFileDialog::getOpenFileName(this, tr("Soft-token file"), start,
                                   tr("Soft tokens (*.safetensors *.pt *.npy);;All files (*)"));
  if (!path.isEmpty()) setSoftTokenFile(path);
}

void InputPanel::inspectSoftTokenFile() {
  const QString path = softTokenFile();
  softShape_->clear();
  softShape_->setToolTip(QString());
  softIndexRow_->setEnabled(!path.isEmpty());
  // Until the shape is known any prefix may be typed; the range then follows the file.
  softIndex_->setRange(-1, std::max(softIndex_->value(), 1 << 20));
  if (path.isEmpty()) return;
  softShape_->setText(tr("reading…"));
  // The file may be large (one prefix per example of a dataset): read on a pool thread, and
  // shown only if it is still the chosen file when the answer comes.
  auto* watcher = new QFutureWatcher<std::pair<QString, int>>(this);
  connect(watcher, &QFutureWatcher<std::pair<QString, int>>::finished, this, [this, watcher, path] {
    const auto [shape, prefixes] = watcher->result();
    watcher->deleteLater();
    if (path == softTokenFile()) showSoftTokenShape(path, shape, prefixes);
  });
  watcher->setFuture(QtConcurrent::run([path]() -> std::pair<QString, int> {
    try {
      const SoftTokenSet set = SoftTokenSet::load(path.toStdString());
      return {QString::fromStdString(shapeText(set.tensor.shape)), set.count()};
    } catch (const std::exception& e) {
      return {QString::fromUtf8(e.what()), 0};
    }
  }));
}

void InputPanel::showSoftTokenShape(const QString&, const QString& shape, int prefixes) {
  if (prefixes <= 0) {  // unreadable: the run will say why, in full
    softShape_->setText(tr("cannot read the file"));
    softShape_->setToolTip(shape);
    return;
  }
  if (prefixes == 1) {
    softIndex_->setRange(-1, -1);
    softShape_->setText(tr("one prefix %1").arg(shape));
    softIndexRow_->setEnabled(false);
    return;
  }
  // A file of several: the first prefix unless one was chosen.
  const int wanted = std::clamp(softIndex_->value(), 0, prefixes - 1);
  softIndex_->setRange(0, prefixes - 1);
  softIndex_->setValue(wanted);
  softShape_->setText(tr("of %1 prefixes %2").arg(prefixes).arg(shape));
}

QString InputPanel::modelDir() const {
  const QString text = modelDir_->currentText().trimmed();
  return !modelAlias_.isEmpty() && text == modelAlias_ ? modelAliasDir_ : text;
}

void InputPanel::setModelDir(const QString& dir, const QString& shownAs) {
  modelAlias_ = shownAs;
  modelAliasDir_ = shownAs.isEmpty() ? QString() : dir;
  modelDir_->setEditText(shownAs.isEmpty() ? dir : shownAs);
}

void InputPanel::setRecentModels(const QStringList& dirs) {
  const QString current = modelDir_->currentText();
  modelDir_->clear();
  modelDir_->addItems(dirs);
  modelDir_->setEditText(current);
}

ModelSpec InputPanel::modelSpec() const {
  ModelSpec spec;
  spec.dir = modelDir();
  spec.device = device_->currentData().toString();
  spec.dtype = dtype_->currentData().toString();
  return spec;
}

QString InputPanel::prompt() const { return prompt_->toPlainText(); }
void InputPanel::setPrompt(const QString& text) { prompt_->setPlainText(text); }
QString InputPanel::anchor() const { return anchor_->text(); }
void InputPanel::setAnchor(const QString& text) { anchor_->setText(text); }
QString InputPanel::softTokenFile() const { return softFile_->text().trimmed(); }
void InputPanel::setSoftTokenFile(const QString& path) { softFile_->setText(path); }
int InputPanel::softIndex() const { return softIndex_->value(); }
void InputPanel::setSoftIndex(int index) {
  // The range follows the file once its shape is read; until then any index is kept.
  if (index > softIndex_->maximum()) softIndex_->setMaximum(index);
  softIndex_->setValue(index);
}
QString InputPanel::promptPair() const { return pair_->isHidden() ? QString() : pair_->text(); }
void InputPanel::setPromptPair(const QString& text) { pair_->setText(text); }
void InputPanel::setEncoderModel(bool encoder) {
  pair_->setVisible(encoder);
  pairLabel_->setVisible(encoder);
}
bool InputPanel::bosAfterSoft() const { return bos_->isChecked(); }
void InputPanel::setBosAfterSoft(bool on) { bos_->setChecked(on); }
int InputPanel::generate() const { return generate_->value(); }
void InputPanel::setGenerate(int n) { generate_->setValue(n); }
void InputPanel::setStopAtEos(bool on) { stopAtEos_->setChecked(on); }
void InputPanel::setDevice(const QString& device) { selectData(device_, device); }
void InputPanel::setDtype(const QString& dtype) { selectData(dtype_, dtype); }
void InputPanel::setLastRowOnly(bool on) {
  selectData(captureRows_, on ? QStringLiteral("last") : QStringLiteral("full"));
}
void InputPanel::setLayers(const QString& layers) { layers_->setText(layers); }

RequestFields InputPanel::fields() const {
  RequestFields f;
  f.prompt = prompt();
  f.anchor = anchor();
  f.softTokens = !softTokenFile().isEmpty();
  f.promptPair = pair_->isHidden() ? QString() : pair_->text();
  f.bosAfterSoft = bosAfterSoft();
  f.generate = generate();
  f.stopAtEos = stopAtEos_->isChecked();
  f.lastRowOnly = captureRows_->currentData().toString() == QLatin1String("last");
  f.layers = layers_->text();
  return f;
}

RunJob InputPanel::buildJob() const {
  RunJob job;
  job.model = modelSpec();
  job.request = buildRunRequest(fields());
  job.softTokenFile = softTokenFile();
  job.softIndex = softIndex();
  return job;
}

void InputPanel::setBusy(bool busy) {
  cancel_->setEnabled(busy);
  if (busy) {
    progress_->setRange(0, 0);  // busy indicator until the first layer reports
    progressText_->setText(tr("starting…"));
  } else {
    progress_->setRange(0, 1);
    progress_->setValue(0);
  }
}

void InputPanel::setProgress(int done, int total, const QString& text) {
  if (total > 0) {
    progress_->setRange(0, total);
    progress_->setValue(done);
  }
  progressText_->setText(text);
}

void InputPanel::loadSettings() {
  using K = Settings::Key;
  setRecentModels(Settings::recentModels());
  setDevice(Settings::string(K::Device));
  setDtype(Settings::string(K::Dtype));
  setLastRowOnly(Settings::string(K::CaptureRows) == QLatin1String("last"));
  setLayers(Settings::string(K::CaptureLayers));
  setGenerate(Settings::integer(K::GenerateTokens));
  setBosAfterSoft(Settings::boolean(K::BosAfterSoft));
}

void InputPanel::saveSettings() const {
  using K = Settings::Key;
  Settings::set(K::Device, device_->currentData());
  Settings::set(K::Dtype, dtype_->currentData());
  Settings::set(K::CaptureRows, captureRows_->currentData());
  Settings::set(K::CaptureLayers, layers_->text());
  Settings::set(K::GenerateTokens, generate());
  Settings::set(K::BosAfterSoft, bosAfterSoft());
  if (!softTokenFile().isEmpty()) Settings::set(K::LastSoftTokenFile, softTokenFile());
}

}  // namespace attnx
