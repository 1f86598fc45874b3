#pragma once
// Every setting attnx remembers, in one table: the key, where QSettings stores it, and its default.
// Adding a setting means adding an enum value and one table row (its order is checked when
// compiling), nothing else; nobody spells a QSettings path by hand elsewhere. A change is
// announced by Settings::notifier()->changed(key); writing the value already stored is no change.
#include <QObject>
#include <QStringList>
#include <QVariant>

#include "diagnostics.h"

namespace attnx {

class Settings : public QObject {
  Q_OBJECT
 public:
  enum class Key {
    RecentModels,       // QStringList, most recent first, at most kMaxRecentModels
    ColorMap,           // "viridis", "magma", ... (the names the views understand)
    ColorScale,         // "linear" | "log" | "power"
    WindowGeometry,     // QByteArray from QWidget::saveGeometry
    WindowState,        // QByteArray from QMainWindow::saveState
    LastSoftTokenFile,  // path of the last soft-token .safetensors file
    Device,             // "auto" | "cpu" | "cuda"
    Dtype,              // "float32" | "bfloat16" | "float16"
    CaptureRows,        // "full" | "last"
    CaptureLayers,      // "" (all) or a list such as "0,2,5-7"
    GenerateTokens,     // int, greedy tokens to generate after the prompt
    BosAfterSoft,       // bool, insert BOS between soft tokens and the anchor
    ModelCacheBytes,    // double, bytes of weights the inference thread keeps loaded
    // Diagnostics thresholds, one per field of attnx::DiagnosticThresholds (same defaults).
    DiagCollapseSoft,     // collapse: soft mass below this in every layer
    DiagDominanceAnchor,  // anchor dominance: anchor mass above this ...
    DiagDominanceSoft,    // ... while soft mass is below this
    DiagHeadSoftStd,      // head uniformity: std of the heads' soft mass below this ...
    DiagHeadRowL1,        // ... and mean pairwise L1 distance of their rows below this
    DiagLayerRowL1,       // layer uniformity: L1 distance between layers' rows below this
    // The "Analyze dataset" dialog: the last choices, one per field of attnx::DatasetSettings.
    DatasetExamplesFile,     // path of the last examples .jsonl file
    DatasetSoftTokenFile,    // path of its soft-token file; "" for none
    DatasetAnchor,           // the run's default anchor text
    DatasetBosAfterSoft,     // bool
    DatasetPredictionField,  // "prediction", or the field research code writes
    DatasetQuery,            // int, absolute query position; -1: the last valid position
    DatasetCorrectness,      // "em" | "f1" | "first_token"
    DatasetF1Threshold,      // double in [0, 1]
    DatasetMaxNewTokens,     // int, greedy tokens when an example has no prediction
    DatasetResume,           // bool, continue an unfinished results file
    RecentFiles,             // QStringList: run files and sessions opened, most recent first
    Count
  };
  static constexpr int kMaxRecentModels = 10;

  Q_ENUM(Key)

  // The one object that announces changes.
  static Settings* notifier();

  static QVariant get(Key key);
  static void set(Key key, const QVariant& value);
  static void reset(Key key);  // back to the default
  static QVariant defaultValue(Key key);
  static QString path(Key key);  // the QSettings path, e.g. "view/colorMap"

  // Typed helpers for the common cases.
  static QString string(Key key) { return get(key).toString(); }
  static int integer(Key key) { return get(key).toInt(); }
  static double real(Key key) { return get(key).toDouble(); }
  static bool boolean(Key key) { return get(key).toBool(); }

  // The recent lists (RecentModels, RecentFiles): at most kMaxRecentModels paths.
  static QStringList recent(Key list);
  // Puts `path` first (cleaned, without duplicates) and keeps at most kMaxRecentModels.
  static void addRecent(Key list, const QString& path);
  static void removeRecent(Key list, const QString& path);
  static QStringList recentModels() { return recent(Key::RecentModels); }
  static void addRecentModel(const QString& dir) { addRecent(Key::RecentModels, dir); }
  static void removeRecentModel(const QString& dir) { removeRecent(Key::RecentModels, dir); }

  static DiagnosticThresholds diagnosticThresholds();
  static void setDiagnosticThresholds(const DiagnosticThresholds& t);

 signals:
  void changed(attnx::Settings::Key key);

 private:
  Settings() = default;
};

}  // namespace attnx
