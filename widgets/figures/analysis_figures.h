#pragma once
// The figures `attnx analyze --out DIR` adds to DIR: the per-layer curves of the correct and
// incorrect examples (mass to soft tokens, 95% confidence bands) and the head grid of their
// difference, each as PDF and PNG (300 dpi, paper style), with a manifest beside each file.
// Rendered offscreen from the comparison window's own views; no window is shown. Needs a
// QApplication (the offscreen platform is enough).
#include <QString>
#include <QStringList>

#include "dataset_results.h"

namespace attnx {

// Writes DIR/layers_by_group.{pdf,png} and DIR/grid_difference.{pdf,png} (and FILE.json each).
// Returns the files written. Throws attnx::Error naming the file on failure.
QStringList writeAnalysisFigures(const DatasetResults& results, const QString& outDir,
                                 const QString& resultsFile = {});

}  // namespace attnx
