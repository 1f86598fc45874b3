#pragma once
// Session files (.attnx): the explorer's state around one run file, to reopen exactly where the
// user left it. JSON, by stable names:
//   {"format": "attnx-session", "version": 1,
//    "run": "run.safetensors" (relative to the session's folder when the run lies there),
//    "run_sha256": "...",
//    "selection": {"layer", "head": "mean" | "max" | H, "query": N | null, "step": N | null,
//                  "batch_row"},
//    "heatmap": {"color_map", "scale", "gamma", "fit_range", "zoom": [x0, x1, y0, y1] | null},
//    "grid": {"metric": "mass" | "entropy" | "thumbnails", "kind": "soft" | ...},
//    "curves": {"show_range"}, "thresholds": {...}, "window_state": base64 (docks, toolbars)}
#include <QByteArray>
#include <QString>
#include <array>
#include <optional>

#include "diagnostics.h"
#include "run_document.h"

namespace attnx {

struct ExplorerSession {
  QString runFile;    // absolute once read
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
};

// Written to a temporary file, then renamed. Throws attnx::Error.
void writeSession(const QString& path, const ExplorerSession& session);
// Throws attnx::Error naming the file and what is wrong (broken JSON, a field of the wrong
// type, another format). Does not look at the run file.
ExplorerSession readSession(const QString& path);

// Why the session's run file cannot be used as it was saved: missing, or changed since (its
// SHA-256 differs); empty when it is the same file.
QString runFileProblem(const ExplorerSession& session);

}  // namespace attnx
