#pragma once
// Session files (.attnx): the explorer's state around one run file, and the comparison window's
// around its dataset results, to reopen exactly where the user left it. JSON, by stable names:
//   {"format": "attnx-session", "version": 1,
//    "run": "run.safetensors" (relative to the session's folder when the run lies there; absent
//           in a session of a comparison alone),
//    "run_sha256": "...",
//    "selection": {"layer", "head": "mean" | "max" | H, "query": N | null, "step": N | null,
//                  "batch_row"},
//    "heatmap": {"color_map", "scale", "gamma", "fit_range", "zoom": [x0, x1, y0, y1] | null},
//    "grid": {"metric": "mass" | "entropy" | "thumbnails", "kind": "soft" | ...},
//    "curves": {"show_range"}, "thresholds": {...}, "window_state": base64 (docks, toolbars),
//    "comparison": {"results": [{"file": "stats.json", "sha256": "..."}, ... a second run],
//                   "groups": [{"source": "correct" | ... | "ids", "run": 0, "ids": [...]}, B],
//                   "kind": "soft", "layer": N | null, "head": "mean" | "max" | H,
//                   "examples": [[run, index] | null, [run, index] | null],
//                   "tab": "groups" | "examples", "shown": true} (only with dataset results)}
#include <QByteArray>
#include <QString>
#include <array>
#include <memory>
#include <optional>
#include <vector>

#include "dataset_document.h"
#include "diagnostics.h"
#include "run_document.h"

namespace attnx {

// The comparison window's state: its results files (paths absolute once read), groups, selection
// and the examples it shows side by side.
struct ComparisonSession {
  struct Results {
    QString file;
    QString sha256;  // of the file when the session was saved
  };
  std::vector<Results> results;  // the first run, and a second one compared with it
  std::array<GroupSpec, 2> groups;
  SegmentKind kind = SegmentKind::Soft;
  int layer = -1;  // -1: none highlighted
  HeadChoice head = HeadChoice::mean();
  std::array<DatasetDocument::ExampleRef, 2> examples;
  bool examplesTab = false;
  bool shown = true;  // the window was open
};

struct ExplorerSession {
  QString runFile;    // absolute once read; empty in a session of a comparison alone
  QString runSha256;  // of the run file when the session was saved
  Selection selection;
  QString colorMap = QStringLiteral("viridis");
  QString scale = QStringLiteral("linear");
  double gamma = 0.5;
  bool fitRange = false;
  std::optional<std::array<double, 4>> zoom;  // the heatmap's key and query ranges
  QString gridMetric = QStringLiteral("mass");
  QString gridKind = QStringLiteral("soft");
  bool showRange = false;
  DiagnosticThresholds thresholds;
  QByteArray windowState;
  std::optional<ComparisonSession> comparison;
};

// Written to a temporary file, then renamed. Throws attnx::Error.
void writeSession(const QString& path, const ExplorerSession& session);
// Throws attnx::Error naming the file and what is wrong (broken JSON, a field of the wrong
// type, another format). Does not look at the run file.
ExplorerSession readSession(const QString& path);

// Why the session's run file or one of its results files cannot be used as it was saved:
// missing, or changed since (its SHA-256 differs); empty when they are the same files. Reads them
// whole (off the GUI thread).
QString runFileProblem(const ExplorerSession& session);
// Why `comparison` does not fit the results read from its files (in order): an example index
// beyond a run's examples, or group ids the run does not hold; empty when it fits.
QString comparisonProblem(const ComparisonSession& comparison,
                          const std::vector<std::shared_ptr<const DatasetResults>>& results);

}  // namespace attnx
