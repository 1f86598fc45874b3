#pragma once
// What the comparison views share about a dataset document: group colours, the segment kinds
// whose mass can be compared, the model layers of a group's rows, example labels and the
// manifest that figures of a dataset record.
#include <QColor>
#include <QJsonObject>
#include <QString>
#include <vector>

#include "dataset_document.h"

namespace attnx {

// The colour of side 0 (A) or 1 (B), the same in every comparison view (Okabe-Ito blue and
// vermillion: apart for colour-blind readers, and apart from the diverging map's ends).
QColor groupColor(int side);

// The kinds a comparison can be about, in chooser order: soft, anchor, BOS, text.
const std::vector<SegmentKind>& comparableKinds();
// "mass to soft tokens", translated.
QString massName(SegmentKind kind);

// The model layers of the `count` rows of group `side` (GroupStats::layers, else those of its
// first member), or 0..count-1 when the group is empty or carries no layer numbers.
std::vector<int> groupLayers(const DatasetDocument& doc, int side, std::size_t count);

// The statistics of example (run, index), or nullptr when there is none.
const ExampleStats* exampleAt(const DatasetDocument& doc, int run, int index);
// "demo-003 · wrong · gold owl, predicted dog", for lists and captions.
QString exampleLabel(const ExampleStats& e);
// "25 tokens · query 24 · first token “bear” (p = 0.62), gold's first token", one line.
QString exampleDetails(const ExampleStats& e);

// The manifest of a figure of the dataset comparison: app version, results files, model,
// settings, the two groups (spec and size), the kind and layer shown, and `viewName`.
QJsonObject datasetManifest(const DatasetDocument& doc, const QString& viewName);

}  // namespace attnx
