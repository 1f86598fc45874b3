#pragma once
// The window's "Export statistics": the attention statistics of the selected query (or generation
// step) of a document, written as `attnx stats` writes them (model/stats/stats_export.h).
#include <QString>

#include "diagnostics.h"
#include "run_document.h"

namespace attnx {

// CSV when `file` ends in .csv (any case), JSON otherwise (with the diagnostics under
// `thresholds`). Throws attnx::Error when there is nothing to export or the file cannot be
// written.
void writeSelectedStatistics(const RunDocument& doc, const QString& file,
                             const DiagnosticThresholds& thresholds);

}  // namespace attnx
