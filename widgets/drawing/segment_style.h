#pragma once
// The one palette of segment colours every view uses, so that "soft" looks the same in the token
// strip, the heatmap shading, the curves and the legend.
#include <QColor>
#include <QString>
#include <vector>

#include "run_types.h"

namespace attnx {

// Every segment kind, in the order legends and curves list them.
const std::vector<SegmentKind>& allSegmentKinds();

// Saturated colour of a kind (curves, boundaries, legend swatches).
QColor segmentColor(SegmentKind kind);
// Light tint of the same hue (chip backgrounds, shaded regions).
QColor segmentTint(SegmentKind kind);
// Black or white, whichever reads better on `background` (perceived luminance).
QColor textColorOn(const QColor& background);
// Translated display name ("soft", "BOS", ...).
QString segmentLabel(SegmentKind kind);
// One line explaining the kind, for tooltips.
QString segmentDescription(SegmentKind kind);

// The kind of `position` in batch row `row` of `r`; positions past the prompt are Generated.
SegmentKind segmentAt(const RunResult& r, int row, int position);

}  // namespace attnx
