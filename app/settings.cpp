#include "settings.h"

#include <QDir>
#include <QSettings>
#include <array>

namespace attnx {
namespace {

struct Entry {
  Settings::Key key;
  const char* path;
  QVariant defaultValue;
};

// The one table. Rows are in enum order; entry() checks it so a misplaced row fails loudly.
const std::array<Entry, static_cast<int>(Settings::Key::Count)>& table() {
  using K = Settings::Key;
  static const std::array<Entry, static_cast<int>(K::Count)> rows = {{
      {K::RecentModels, "model/recent", QStringList()},
      {K::ColorMap, "view/colorMap", QStringLiteral("viridis")},
      {K::ColorScale, "view/colorScale", QStringLiteral("linear")},
      {K::WindowGeometry, "window/geometry", QByteArray()},
      {K::WindowState, "window/state", QByteArray()},
      {K::LastSoftTokenFile, "input/softTokenFile", QString()},
      {K::Device, "model/device", QStringLiteral("auto")},
      {K::Dtype, "model/dtype", QStringLiteral("float32")},
      {K::CaptureRows, "capture/rows", QStringLiteral("full")},
      {K::CaptureLayers, "capture/layers", QString()},
      {K::GenerateTokens, "input/generate", 0},
      {K::BosAfterSoft, "input/bosAfterSoft", true},
      // The defaults are the statistics library's, so the two never disagree.
      {K::DiagCollapseSoft, "diagnostics/collapseSoft",
       double(DiagnosticThresholds{}.collapseSoft)},
      {K::DiagDominanceAnchor, "diagnostics/dominanceAnchor",
       double(DiagnosticThresholds{}.dominanceAnchor)},
      {K::DiagDominanceSoft, "diagnostics/dominanceSoft",
       double(DiagnosticThresholds{}.dominanceSoft)},
      {K::DiagHeadSoftStd, "diagnostics/headSoftStd", double(DiagnosticThresholds{}.headSoftStd)},
      {K::DiagHeadRowL1, "diagnostics/headRowL1", double(DiagnosticThresholds{}.headRowL1)},
      {K::DiagLayerRowL1, "diagnostics/layerRowL1", double(DiagnosticThresholds{}.layerRowL1)},
      {K::DatasetExamplesFile, "dataset/examplesFile", QString()},
      {K::DatasetSoftTokenFile, "dataset/softTokenFile", QString()},
      {K::DatasetAnchor, "dataset/anchor", QString()},
      {K::DatasetBosAfterSoft, "dataset/bosAfterSoft", false},
      {K::DatasetPredictionField, "dataset/predictionField", QStringLiteral("prediction")},
      {K::DatasetQuery, "dataset/query", -1},
      {K::DatasetCorrectness, "dataset/correctness", QStringLiteral("em")},
      {K::DatasetF1Threshold, "dataset/f1Threshold", 0.5},
      {K::DatasetMaxNewTokens, "dataset/maxNewTokens", 16},
      {K::DatasetResume, "dataset/resume", true},
  }};
  return rows;
}

const Entry& entry(Settings::Key key) {
  const auto i = static_cast<std::size_t>(key);
  const Entry& e = table().at(i);
  Q_ASSERT_X(e.key == key, "Settings", "table rows must follow the enum order");
  return e;
}

}  // namespace

QVariant Settings::defaultValue(Key key) { return entry(key).defaultValue; }

QString Settings::path(Key key) { return QString::fromLatin1(entry(key).path); }

QVariant Settings::get(Key key) {
  const Entry& e = entry(key);
  QSettings s;
  QVariant v = s.value(QString::fromLatin1(e.path), e.defaultValue);
  // INI files give strings back; hand out the type the default has.
  if (e.defaultValue.isValid() && v.metaType() != e.defaultValue.metaType() &&
      v.canConvert(e.defaultValue.metaType()))
    v.convert(e.defaultValue.metaType());
  return v;
}

void Settings::set(Key key, const QVariant& value) {
  QSettings s;
  s.setValue(QString::fromLatin1(entry(key).path), value);
}

void Settings::reset(Key key) {
  QSettings s;
  s.remove(QString::fromLatin1(entry(key).path));
}

QStringList Settings::recentModels() {
  QStringList list = get(Key::RecentModels).toStringList();
  list.removeAll(QString());
  while (list.size() > kMaxRecentModels) list.removeLast();
  return list;
}

void Settings::addRecentModel(const QString& dir) {
  if (dir.trimmed().isEmpty()) return;
  const QString clean = QDir::cleanPath(dir.trimmed());
  QStringList list = recentModels();
  list.removeAll(clean);
  list.prepend(clean);
  while (list.size() > kMaxRecentModels) list.removeLast();
  set(Key::RecentModels, list);
}

void Settings::removeRecentModel(const QString& dir) {
  QStringList list = recentModels();
  list.removeAll(QDir::cleanPath(dir.trimmed()));
  set(Key::RecentModels, list);
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
