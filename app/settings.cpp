#include "settings.h"

#include <QDir>
#include <QSettings>
#include <array>

namespace attnx {
namespace {

// A default, as a constant: the table below is checked at compile time.
struct Default {
  enum class Type { String, StringList, Bytes, Int, Double, Bool } type = Type::String;
  const char* text = "";
  double number = 0;
  QVariant value() const {
    switch (type) {
      case Type::String:
        return QString::fromLatin1(text);
      case Type::StringList:
        return QStringList();
      case Type::Bytes:
        return QByteArray();
      case Type::Int:
        return static_cast<int>(number);
      case Type::Double:
        return number;
      case Type::Bool:
        return number != 0;
    }
    return {};
  }
};
constexpr Default str(const char* t) { return {Default::Type::String, t, 0}; }
constexpr Default integer(int v) { return {Default::Type::Int, "", double(v)}; }
constexpr Default real(double v) { return {Default::Type::Double, "", v}; }
constexpr Default boolean(bool v) { return {Default::Type::Bool, "", v ? 1.0 : 0.0}; }
constexpr Default kStringList{Default::Type::StringList, "", 0};
constexpr Default kBytes{Default::Type::Bytes, "", 0};

struct Entry {
  Settings::Key key;
  const char* path;
  Default defaultValue;
};

using K = Settings::Key;
constexpr DiagnosticThresholds kThresholds{};  // the statistics library's defaults
// The one table, in enum order (checked below, at compile time).
constexpr std::array<Entry, static_cast<int>(K::Count)> kTable = {{
    {K::RecentModels, "model/recent", kStringList},
    {K::ColorMap, "view/colorMap", str("viridis")},
    {K::ColorScale, "view/colorScale", str("linear")},
    {K::WindowGeometry, "window/geometry", kBytes},
    {K::WindowState, "window/state", kBytes},
    {K::LastSoftTokenFile, "input/softTokenFile", str("")},
    {K::Device, "model/device", str("auto")},
    {K::Dtype, "model/dtype", str("float32")},
    {K::CaptureRows, "capture/rows", str("full")},
    {K::CaptureLayers, "capture/layers", str("")},
    {K::GenerateTokens, "input/generate", integer(0)},
    {K::BosAfterSoft, "input/bosAfterSoft", boolean(true)},
    {K::ModelCacheBytes, "model/cacheBytes", real(4.0 * (1 << 30))},
    // The defaults are the statistics library's, so the two never disagree.
    {K::DiagCollapseSoft, "diagnostics/collapseSoft", real(kThresholds.collapseSoft)},
    {K::DiagDominanceAnchor, "diagnostics/dominanceAnchor", real(kThresholds.dominanceAnchor)},
    {K::DiagDominanceSoft, "diagnostics/dominanceSoft", real(kThresholds.dominanceSoft)},
    {K::DiagHeadSoftStd, "diagnostics/headSoftStd", real(kThresholds.headSoftStd)},
    {K::DiagHeadRowL1, "diagnostics/headRowL1", real(kThresholds.headRowL1)},
    {K::DiagLayerRowL1, "diagnostics/layerRowL1", real(kThresholds.layerRowL1)},
    {K::DatasetExamplesFile, "dataset/examplesFile", str("")},
    {K::DatasetSoftTokenFile, "dataset/softTokenFile", str("")},
    {K::DatasetAnchor, "dataset/anchor", str("")},
    {K::DatasetBosAfterSoft, "dataset/bosAfterSoft", boolean(false)},
    {K::DatasetPredictionField, "dataset/predictionField", str("prediction")},
    {K::DatasetQuery, "dataset/query", integer(-1)},
    {K::DatasetCorrectness, "dataset/correctness", str("em")},
    {K::DatasetF1Threshold, "dataset/f1Threshold", real(0.5)},
    {K::DatasetMaxNewTokens, "dataset/maxNewTokens", integer(16)},
    {K::DatasetResume, "dataset/resume", boolean(true)},
    {K::RecentFiles, "file/recent", kStringList},
}};

constexpr bool inEnumOrder() {
  for (std::size_t i = 0; i < kTable.size(); ++i)
    if (static_cast<std::size_t>(kTable[i].key) != i) return false;
  return true;
}
static_assert(inEnumOrder(), "the settings table's rows must follow the enum order");

const Entry& entry(Settings::Key key) { return kTable.at(static_cast<std::size_t>(key)); }

}  // namespace

Settings* Settings::notifier() {
  static Settings* instance = new Settings;  // lives as long as the application
  return instance;
}

QVariant Settings::defaultValue(Key key) { return entry(key).defaultValue.value(); }

QString Settings::path(Key key) { return QString::fromLatin1(entry(key).path); }

QVariant Settings::get(Key key) {
  const Entry& e = entry(key);
  QSettings s;
  const QVariant fallback = e.defaultValue.value();
  QVariant v = s.value(QString::fromLatin1(e.path), fallback);
  // INI files give strings back; hand out the type the default has.
  if (fallback.isValid() && v.metaType() != fallback.metaType() && v.canConvert(fallback.metaType()))
    v.convert(fallback.metaType());
  return v;
}

void Settings::set(Key key, const QVariant& value) {
  QSettings s;
  const QString path = QString::fromLatin1(entry(key).path);
  // Writing what is there already changes nothing: no write, no notification.
  if (s.contains(path) && get(key) == value) return;
  s.setValue(path, value);
  emit notifier()->changed(key);
}

void Settings::reset(Key key) {
  QSettings s;
  const QString path = QString::fromLatin1(entry(key).path);
  if (!s.contains(path)) return;
  s.remove(path);
  emit notifier()->changed(key);
}

QStringList Settings::recent(Key key) {
  QStringList list = get(key).toStringList();
  list.removeAll(QString());
  while (list.size() > kMaxRecentModels) list.removeLast();
  return list;
}

void Settings::addRecent(Key key, const QString& path) {
  if (path.trimmed().isEmpty()) return;
  const QString clean = QDir::cleanPath(path.trimmed());
  QStringList list = recent(key);
  list.removeAll(clean);
  list.prepend(clean);
  while (list.size() > kMaxRecentModels) list.removeLast();
  set(key, list);
}

void Settings::removeRecent(Key key, const QString& path) {
  QStringList list = recent(key);
  list.removeAll(QDir::cleanPath(path.trimmed()));
  set(key, list);
}

DiagnosticThresholds Settings::diagnosticThresholds() {
  DiagnosticThresholds t;
  t.collapseSoft = float(real(Key::DiagCollapseSoft));
  t.dominanceAnchor = float(real(Key::DiagDominanceAnchor));
  t.dominanceSoft = float(real(Key::DiagDominanceSoft));
  t.headSoftStd = float(real(Key::DiagHeadSoftStd));
  t.headRowL1 = float(real(Key::DiagHeadRowL1));
  t.layerRowL1 = float(real(Key::DiagLayerRowL1));
  return t;
}

void Settings::setDiagnosticThresholds(const DiagnosticThresholds& t) {
  set(Key::DiagCollapseSoft, double(t.collapseSoft));
  set(Key::DiagDominanceAnchor, double(t.dominanceAnchor));
  set(Key::DiagDominanceSoft, double(t.dominanceSoft));
  set(Key::DiagHeadSoftStd, double(t.headSoftStd));
  set(Key::DiagHeadRowL1, double(t.headRowL1));
  set(Key::DiagLayerRowL1, double(t.layerRowL1));
}

}  // namespace attnx
