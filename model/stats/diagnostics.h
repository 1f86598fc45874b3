#pragma once
// The guide's "problematic patterns" (Interpretation Guidelines), checked on one query's
// SegmentMass with thresholds the user may edit:
//   collapse          soft tokens get < 0.1 of the attention in every layer (mean over heads)
//   anchor dominance  anchor > 0.7 while soft < 0.1, in some layer
//   head uniformity   in every layer all heads attend alike (lack of specialisation)
//   layer uniformity  all layers attend alike (shallow processing)
#include <string>
#include <vector>

#include "attention_stats.h"

namespace attnx {

struct DiagnosticThresholds {
  float collapseSoft = 0.1f;     // collapse: soft mass below this in every layer
  float dominanceAnchor = 0.7f;  // dominance: anchor mass above this ...
  float dominanceSoft = 0.1f;    // ... while soft mass is below this
  // Heads of a layer are alike when the standard deviation of their soft mass is below
  // headSoftStd and the mean pairwise L1 distance of their attention rows is below headRowL1.
  float headSoftStd = 0.02f;
  float headRowL1 = 0.1f;
  // Layers are alike when the L1 distance between any two layers' head-averaged rows is below.
  float layerRowL1 = 0.1f;
};

struct Diagnostic {
  std::string id;          // "collapse", "anchor_dominance", "head_uniformity", "layer_uniformity"
  bool applicable = true;  // false when the pattern cannot occur (no soft tokens, one layer ...)
  bool flagged = false;
  std::vector<int> layers;     // the model layers that show the pattern
  std::vector<float> values;   // per captured layer: the number compared with the threshold
  std::vector<float> values2;  // per captured layer: the second number, where there is one
  std::string explanation;     // one English line; the GUI shows its own translated labels
};

Diagnostic diagnoseCollapse(const SegmentMass& m, const DiagnosticThresholds& t = {});
// values: anchor mean per layer, values2: soft mean per layer.
Diagnostic diagnoseAnchorDominance(const SegmentMass& m, const DiagnosticThresholds& t = {});
// values: mean pairwise L1 between heads' rows per layer, values2: soft-mass std over heads.
Diagnostic diagnoseHeadUniformity(const SegmentMass& m, const DiagnosticThresholds& t = {});
// values: per layer, the largest L1 distance from its mean row to another layer's.
Diagnostic diagnoseLayerUniformity(const SegmentMass& m, const DiagnosticThresholds& t = {});

// All four, in the order above.
std::vector<Diagnostic> diagnose(const SegmentMass& m, const DiagnosticThresholds& t = {});

}  // namespace attnx
