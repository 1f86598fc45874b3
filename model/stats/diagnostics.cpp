#include "diagnostics.h"

#include <algorithm>
#include <cmath>
#include <charconv>

namespace attnx {
namespace {

// Two decimals, independent of the C locale (the GUI may set a decimal comma).
std::string num(double v) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 2);
  return std::string(buf, res.ptr);
}

std::string layerList(const std::vector<int>& layers) {
  std::string s;
  for (std::size_t i = 0; i < layers.size(); ++i) s += (i ? ", " : "") + std::to_string(layers[i]);
  return s;
}

std::vector<float> layerMeans(const SegmentMass& m, SegmentKind k) {
  std::vector<float> out;
  for (std::size_t l = 0; l < m.layers.size(); ++l) out.push_back(m.summary(k, l).mean);
  return out;
}

}  // namespace

Diagnostic diagnoseCollapse(const SegmentMass& m, const DiagnosticThresholds& t) {
  Diagnostic d;
  d.id = "collapse";
  d.values = layerMeans(m, SegmentKind::Soft);
  if (!m.has(SegmentKind::Soft) || d.values.empty()) {
    d.applicable = false;
    d.explanation = "No soft tokens in the input: attention collapse does not apply.";
    return d;
  }
  const auto top = std::max_element(d.values.begin(), d.values.end());
  const int topLayer = m.layers[static_cast<std::size_t>(top - d.values.begin())];
  d.flagged = *top < t.collapseSoft;
  if (d.flagged) d.layers = m.layers;
  d.explanation = d.flagged
                      ? "Attention collapse: soft tokens receive less than " + num(t.collapseSoft) +
                            " of the attention in every layer (at most " + num(*top) + ", layer " +
                            std::to_string(topLayer) + "); the model is ignoring the latents."
                      : "No collapse: soft tokens receive up to " + num(*top) +
                            " of the attention (layer " + std::to_string(topLayer) + ").";
  return d;
}

Diagnostic diagnoseAnchorDominance(const SegmentMass& m, const DiagnosticThresholds& t) {
  Diagnostic d;
  d.id = "anchor_dominance";
  d.values = layerMeans(m, SegmentKind::Anchor);
  d.values2 = layerMeans(m, SegmentKind::Soft);
  if (!m.has(SegmentKind::Anchor) || d.values.empty()) {
    d.applicable = false;
    d.explanation = "No anchor text in the input: anchor dominance does not apply.";
    return d;
  }
  for (std::size_t l = 0; l < d.values.size(); ++l)
    if (d.values[l] > t.dominanceAnchor && d.values2[l] < t.dominanceSoft)
      d.layers.push_back(m.layers[l]);
  d.flagged = !d.layers.empty();
  d.explanation = d.flagged
                      ? "Anchor dominance in layer(s) " + layerList(d.layers) + ": anchor above " +
                            num(t.dominanceAnchor) + " while soft tokens " + "stay below " +
                            num(t.dominanceSoft) + "; the model relies on the anchor text only."
                      : "No anchor dominance: no layer gives the anchor more than " +
                            num(t.dominanceAnchor) + " while soft tokens get less than " +
                            num(t.dominanceSoft) + ".";
  return d;
}

Diagnostic diagnoseHeadUniformity(const SegmentMass& m, const DiagnosticThresholds& t) {
  Diagnostic d;
  d.id = "head_uniformity";
  d.values = m.headRowDistance;
  for (std::size_t l = 0; l < m.layers.size(); ++l)
    d.values2.push_back(m.summary(SegmentKind::Soft, l).std);
  if (m.heads < 2 || d.values.empty()) {
    d.applicable = false;
    d.explanation = "A single head: head uniformity does not apply.";
    return d;
  }
  for (std::size_t l = 0; l < d.values.size(); ++l)
    if (d.values[l] < t.headRowL1 && d.values2[l] < t.headSoftStd) d.layers.push_back(m.layers[l]);
  d.flagged = d.layers.size() == m.layers.size();
  const float closest = *std::min_element(d.values.begin(), d.values.end());
  if (d.flagged) {
    d.explanation =
        "Head uniformity: in every layer the heads attend alike (mean L1 distance "
        "between heads' rows below " +
        num(t.headRowL1) + "); the heads show no specialisation.";
  } else if (!d.layers.empty()) {
    d.explanation = "Heads are alike in layer(s) " + layerList(d.layers) +
                    " only; other layers have specialised heads.";
  } else {
    d.explanation = "Heads differ in every layer (smallest mean L1 distance between heads' rows " +
                    num(closest) + ").";
  }
  return d;
}

Diagnostic diagnoseLayerUniformity(const SegmentMass& m, const DiagnosticThresholds& t) {
  Diagnostic d;
  d.id = "layer_uniformity";
  const std::size_t L = m.meanRow.size();
  if (L < 2) {
    d.applicable = false;
    d.explanation = "Fewer than two captured layers: layer uniformity does not apply.";
    return d;
  }
  d.values.assign(L, 0.0f);
  for (std::size_t a = 0; a < L; ++a)
    for (std::size_t b = a + 1; b < L; ++b) {
      double dist = 0;
      for (std::size_t k = 0; k < m.meanRow[a].size(); ++k)
        dist += std::fabs(m.meanRow[a][k] - m.meanRow[b][k]);
      d.values[a] = std::max(d.values[a], static_cast<float>(dist));
      d.values[b] = std::max(d.values[b], static_cast<float>(dist));
    }
  const float widest = *std::max_element(d.values.begin(), d.values.end());
  d.flagged = widest < t.layerRowL1;
  if (d.flagged) d.layers = m.layers;
  d.explanation = d.flagged ? "Layer uniformity: every layer attends alike (largest L1 distance "
                              "between layers' head-averaged rows " +
                                  num(widest) + " < " + num(t.layerRowL1) +
                                  "); processing may be shallow."
                            : "Layers differ (largest L1 distance between layers' head-averaged "
                              "rows " +
                                  num(widest) + ").";
  return d;
}

std::vector<Diagnostic> diagnose(const SegmentMass& m, const DiagnosticThresholds& t) {
  return {diagnoseCollapse(m, t), diagnoseAnchorDominance(m, t), diagnoseHeadUniformity(m, t),
          diagnoseLayerUniformity(m, t)};
}

}  // namespace attnx
