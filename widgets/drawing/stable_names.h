#pragma once
// One registry of the stable names that manifests, settings and the command line write and read
// (colour maps, scales, views; segment kinds come from model/, segmentKindName). They are never
// translated: a German manifest says "log", not "logarithmisch". Translated labels only display
// them, in combo boxes and captions.
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

#include "color_scale.h"
#include "run_types.h"

namespace attnx {

template <class E>
struct NameTable {
  struct Entry {
    E value;
    const char* id;     // stable
    const char* label;  // source text of the translated label (context "attnx::ColorScale")
  };
  std::vector<Entry> entries;

  QString id(E value) const;
  std::optional<E> fromId(const QString& id) const;
  QString label(E value) const;  // translated
  QStringList ids() const;
  QStringList labels() const;  // translated, in table order
  // "viridis, magma, cividis or grays", for usage messages.
  QString alternatives() const;
};

const NameTable<ColorMapKind>& colorMapNames();
const NameTable<ScaleKind>& scaleNames();

// A scale as a manifest records it: "linear", "log", or "power(gamma=0.5)".
QString scaleManifestName(ScaleKind scale, double gamma);

// The views, by the names figureViewName() and `attnx figure --view` use.
namespace view_names {
inline const QString kHeatmap = QStringLiteral("heatmap");
inline const QString kLayers = QStringLiteral("layers");
inline const QString kGrid = QStringLiteral("grid");
inline const QString kCausalGrid = QStringLiteral("causal_grid");  // Δ log p per knocked-out head
inline const QString kLens = QStringLiteral("lens");  // predictions by layer (logit lens)
// The comparison window's views of two groups.
inline const QString kGroupLayers = QStringLiteral("group_layers");
inline const QString kHeatmapDifference = QStringLiteral("heatmap_difference");
inline const QString kGridDifference = QStringLiteral("grid_difference");
inline const QString kLayersComparison = QStringLiteral("layers_comparison");  // two runs overlaid
inline const QString kRankedHeads = QStringLiteral("ranked_heads");
inline const QString kGroupDiagnostics = QStringLiteral("group_diagnostics");
}  // namespace view_names
QStringList figureCommandViews();  // what `attnx figure --view` takes

// A segment kind's stable name (model/'s segmentKindName), as a QString.
QString segmentKindId(SegmentKind kind);

}  // namespace attnx
