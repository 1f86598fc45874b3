#include "figure_command.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <algorithm>
#include <array>
#include <cmath>
#include <iostream>
#include <memory>
#include <optional>

#include "args.h"
#include "color_scale.h"
#include "difference_heatmap_view.h"
#include "error.h"
#include "figure_export.h"
#include "figure_panels.h"
#include "heatmap_view.h"
#include "model.h"
#include "run_document.h"
#include "run_inputs.h"
#include "soft_tokens.h"
#include "stable_names.h"
#include "view_data.h"

namespace attnx {
namespace {

using cli::Args;
using cli::UsageError;

// The input, composed as `attnx run` and `attnx stats` compose it; every layer's full matrices.
RunRequest buildRequest(const Args& args) {
  RunRequest request = cli::inputRequestFrom(args);
  request.capture.rows = CapturePolicy::Rows::Full;
  request.generate = 0;
  return request;
}

int softRows(const RunRequest& r) {
  return !r.parts.empty() && r.parts.front().kind == SegmentKind::Soft ? r.parts.front().rows : 0;
}

ColorMapKind parseColorMap(const std::string& name) {
  // British and short spellings of the grey map are accepted too.
  const QString id = name == "greys" || name == "gray" ? QStringLiteral("grays")
                                                       : QString::fromStdString(name);
  if (auto map = colorMapNames().fromId(id)) return *map;
  throw UsageError("--colormap must be " + colorMapNames().alternatives().toStdString() +
                   ", not '" + name + "'");
}

// Whole text as a number, or nullopt.
std::optional<double> toNumber(const std::string& text) {
  std::size_t used = 0;
  double d = 0;
  try {
    d = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (used != text.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

// linear | log | power[:GAMMA]
void parseScale(const std::string& text, FigureLook* look) {
  if (text == "linear") {
    look->scale = ScaleKind::Linear;
  } else if (text == "log") {
    look->scale = ScaleKind::Logarithmic;
  } else if (text == "power" || text.rfind("power:", 0) == 0) {
    look->scale = ScaleKind::Power;
    if (text.size() > 6) {
      const auto g = toNumber(text.substr(6));
      if (!g || *g < 0.05 || *g > 5.0)
        throw UsageError("--scale power:GAMMA needs a gamma between 0.05 and 5");
      look->gamma = *g;
    }
  } else {
    throw UsageError("--scale must be linear, log or power[:GAMMA], not '" + text + "'");
  }
}

// 0..1 (default) | 0..X | auto
void parseRange(const std::string& text, FigureLook* look) {
  if (text == "auto") {
    look->rangeUpper = 0.0;
    return;
  }
  const auto upper = text.rfind("0..", 0) == 0 ? toNumber(text.substr(3)) : std::nullopt;
  if (!upper || !(*upper > 0) || *upper > 1)
    throw UsageError("--range must be auto or 0..X with 0 < X <= 1, not '" + text + "'");
  look->rangeUpper = *upper;
}

HeadChoice parseHead(const std::string& text) {
  if (text == "mean") return HeadChoice::mean();
  if (text == "max") return HeadChoice::max();
  const auto h = toNumber(text);
  if (!h || *h < 0 || *h != std::floor(*h) || *h > 1e6)
    throw UsageError("--head must be a head number, mean or max, not '" + text + "'");
  return HeadChoice::one(static_cast<int>(*h));
}

double parsePositive(const Args& args, const std::string& name, double fallback) {
  const auto v = args.get(name);
  if (!v) return fallback;
  const auto d = toNumber(*v);
  if (!d || !(*d > 0)) throw UsageError("--" + name + " must be a positive number");
  return *d;
}

// --panels heads:LIST | layers:LIST, LIST = all or numbers and ranges ("0,2,4-7").
struct PanelSpec {
  bool heads = true;
  std::vector<int> indices;
};

PanelSpec parsePanels(const std::string& text, const ModelInfo& info) {
  const auto colon = text.find(':');
  const std::string kind = text.substr(0, colon);
  if (colon == std::string::npos || (kind != "heads" && kind != "layers"))
    throw UsageError("--panels must be heads:LIST or layers:LIST (LIST: all, 0,1,2 or 0-3)");
  PanelSpec spec;
  spec.heads = kind == "heads";
  const int count = spec.heads ? info.heads : info.layers;
  const std::string list = text.substr(colon + 1);
  if (list == "all") {
    for (int i = 0; i < count; ++i) spec.indices.push_back(i);
    return spec;
  }
  std::size_t pos = 0;
  while (pos <= list.size()) {
    const std::size_t comma = std::min(list.find(',', pos), list.size());
    const std::string item = list.substr(pos, comma - pos);
    const std::size_t dash = item.find('-', 1);
    const auto first = toNumber(item.substr(0, dash));
    const auto last = dash == std::string::npos ? first : toNumber(item.substr(dash + 1));
    if (!first || !last || *first < 0 || *last < *first || *first != std::floor(*first) ||
        *last != std::floor(*last))
      throw UsageError("--panels: '" + item + "' is not a number or a range like 0-3");
    if (*last >= count)
      throw UsageError("--panels: " + kind + " must be 0-" + std::to_string(count - 1));
    for (int i = static_cast<int>(*first); i <= static_cast<int>(*last); ++i)
      spec.indices.push_back(i);
    pos = comma + 1;
  }
  if (spec.indices.size() > 256) throw UsageError("--panels: at most 256 panels");
  return spec;
}

// One run of the figure: its input, what it is called in captions and the manifest.
struct FigureRun {
  RunRequest request;
  QString label;     // empty when the figure shows one run
  QString softFile;  // absolute; empty: none
  std::shared_ptr<const RunResult> result;
};

QString absolute(const std::string& path) {
  return QFileInfo(QString::fromStdString(path)).absoluteFilePath();
}

// --cells: the kind of token whose attention mass the grid's cells show.
SegmentKind parseCells(const std::string& name) {
  const auto kind = segmentKindFromName(name);
  if (!kind || *kind == SegmentKind::Pad)
    throw UsageError("--cells must be soft, bos, anchor, text, special or generated, not '" + name +
                     "'");
  return *kind;
}

// The runs to show: the input itself and, to compare, the same input without its soft tokens
// or with those of a second file.
std::vector<FigureRun> buildRuns(const Args& args) {
  std::vector<FigureRun> runs(1);
  runs[0].request = buildRequest(args);
  if (auto soft = args.get("soft-tokens")) runs[0].softFile = absolute(*soft);
  const bool without = args.has("compare-without-soft");
  const auto other = args.get("compare-soft-tokens");
  if (!without && !other) return runs;
  if (without && other)
    throw UsageError("give only one of --compare-without-soft and --compare-soft-tokens");
  if (!args.has("soft-tokens"))
    throw UsageError(std::string(without ? "--compare-without-soft" : "--compare-soft-tokens") +
                     " needs --soft-tokens");
  FigureRun second;
  second.request = runs[0].request;
  auto& parts = second.request.parts;
  if (without) {
    parts.erase(parts.begin());  // the soft part; an explicit BOS and the rest stay the same
    second.request.softTokens = {};
    runs[0].label = QObject::tr("with soft tokens");
    second.label = QObject::tr("without soft tokens");
  } else {
    // The same prefix row of the second file (--soft-index), through the one loader.
    const SoftTokenSet set = SoftTokenSet::load(*other);
    InputPart& soft = parts.front();
    const int index = args.integer("soft-index", -1);
    soft.embeddings = set.prefix(index, "choose one with --soft-index N");
    soft.rows = set.rows();
    second.request.softTokens = set.source(index);
    second.softFile = absolute(*other);
    runs[0].label = QFileInfo(runs[0].softFile).completeBaseName();
    second.label = QFileInfo(second.softFile).completeBaseName();
    if (runs[0].label == second.label) {
      runs[0].label = runs[0].softFile;
      second.label = second.softFile;
    }
  }
  runs.push_back(std::move(second));
  return runs;
}

// The query of `run` that corresponds to `query` of the first run: the same token, so positions
// after the soft prefix move with its length. -1 (the last position) stays -1.
int matchingQuery(int query, const FigureRun& first, const FigureRun& run) {
  if (query < 0 || &first == &run) return query;
  const int m1 = softRows(first.request), m2 = softRows(run.request);
  if (query >= m1) return query - m1 + m2;
  if (query < m2) return query;
  throw UsageError("--query " + std::to_string(query) +
                   " is a soft token that the compared run does not have");
}

// The format --format names, else the one the extension of --out names; a format and an
// extension that contradict each other (a PDF named .png) are a usage error.
FigureFormat formatOf(const std::optional<std::string>& option, const std::string& out) {
  FigureFormat byName;
  const QString suffix = QFileInfo(QString::fromStdString(out)).suffix();
  const bool named = parseFigureFormat(suffix, &byName);
  if (!option) {
    if (!named)
      throw UsageError("--out " + out +
                       " names no figure format (.png, .pdf or .svg); add the extension or "
                       "--format png|pdf|svg");
    return byName;
  }
  FigureFormat chosen;
  if (!parseFigureFormat(QString::fromStdString(*option), &chosen))
    throw UsageError("--format must be png, pdf or svg");
  if (named && byName != chosen)
    throw UsageError("--format " + *option + " contradicts --out " + out +
                     "; give a matching extension (." + figureFormatName(chosen).toStdString() +
                     ") or leave --format out");
  return chosen;
}

int figure(const std::vector<std::string>& argv) {
  const Args args(
      argv,
      cli::withInputOptions({"model",  "view",     "layer",  "head",    "query",
                             "style",  "width-in", "dpi",    "aspect",  "colormap",
                             "scale",  "range",    "panels", "columns", "compare-soft-tokens",
                             "cells",  "zoom",     "format", "out",     "device",
                             "threads"},
                            false),
      cli::withInputOptions({"compare-without-soft", "mark-layer", "mark-query"}, true));
  const std::string view = args.require("view");
  if (!figureCommandViews().contains(QString::fromStdString(view)))
    throw UsageError("--view must be " + figureCommandViews().join(QStringLiteral(", ")).toStdString() +
                     ", not '" + view + "'");
  FigureOptions options;
  options.format = formatOf(args.get("format"), args.require("out"));
  if (!parseFigureStyle(QString::fromStdString(args.value("style", "paper")), &options.style))
    throw UsageError("--style must be paper or slide");
  options.widthIn = parsePositive(args, "width-in", defaultFigureWidthIn(options.style));
  options.dpi = parsePositive(args, "dpi", 300.0);
  options.aspect = parsePositive(args, "aspect", 0.0);
  options.marks.layer = args.has("mark-layer");
  options.marks.query = args.has("mark-query");
  FigureLook look;
  const std::string colorMapName = args.value("colormap", "viridis");
  look.colorMap = parseColorMap(colorMapName);
  if ((args.has("scale") || args.has("range")) && view != "heatmap")
    throw UsageError("--scale and --range apply to --view heatmap");
  parseScale(args.value("scale", "linear"), &look);
  parseRange(args.value("range", "0..1"), &look);
  if (args.has("panels") && view != "heatmap")
    throw UsageError("--panels needs --view heatmap (the other views show every layer already)");
  if (args.has("cells") && view != "grid") throw UsageError("--cells applies to --view grid");
  const std::string zoom = args.value("zoom", "all");
  if (zoom != "all" && zoom != "prefix") throw UsageError("--zoom must be all or prefix");
  if (args.has("zoom") && view != "heatmap") throw UsageError("--zoom applies to --view heatmap");
  look.gridKind = parseCells(args.value("cells", "soft"));
  const HeadChoice head = parseHead(args.value("head", "mean"));
  const std::string queryText = args.value("query", "last");
  const int query = queryText == "last" ? -1 : args.integer("query", -1);
  if (queryText != "last" && query < 0) throw UsageError("--query must be last or a position");
  const int columnsArg = args.integer("columns", 0);
  if (args.has("columns") && (columnsArg < 1 || columnsArg > 64))
    throw UsageError("--columns must be 1-64");
  const std::string out = args.require("out");
  const std::string modelDir = args.require("model");
  std::vector<FigureRun> runs = buildRuns(args);

  LoadOptions load;
  load.device = args.value("device", "cpu");
  load.threads = args.integer("threads", 0);
  const std::unique_ptr<Model> model = Model::load(modelDir, load);
  const ModelInfo& info = model->info();
  const int layer = args.integer("layer", 0);
  if (layer < 0 || layer >= info.layers)
    throw UsageError("--layer must be 0-" + std::to_string(info.layers - 1));
  if (head.isOne() && head.index >= info.heads) throw UsageError("--head must be 0-" + std::to_string(info.heads - 1));
  // Every panel's layer and head: one panel, or one per head (at --layer) or layer (at --head).
  std::vector<std::pair<int, HeadChoice>> selections{{layer, head}};
  bool headPanels = false, layerPanels = false;
  if (auto spec = args.get("panels")) {
    const PanelSpec p = parsePanels(*spec, info);
    selections.clear();
    for (int i : p.indices)
      selections.emplace_back(p.heads ? layer : i, p.heads ? HeadChoice::one(i) : head);
    headPanels = p.heads;
    layerPanels = !p.heads;
  }
  for (FigureRun& run : runs) {
    run.result = std::make_shared<RunResult>(model->run(run.request));
    const int q = matchingQuery(query, runs.front(), run);
    if (q >= run.result->seqLen)
      throw UsageError("--query must be below the sequence length " +
                       std::to_string(run.result->seqLen));
  }

  if (!args.has("cells") && args.has("compare-without-soft")) {
    // Without soft tokens the second grid's soft cells are all 0: compare the anchor by default,
    // or the text when the input has no anchor.
    const auto& layout = runs.front().result->layout;
    const bool anchor = !layout.empty() &&
                        std::any_of(layout.front().begin(), layout.front().end(),
                                    [](const Segment& s) { return s.kind == SegmentKind::Anchor; });
    look.gridKind = anchor ? SegmentKind::Anchor : SegmentKind::Text;
  }
  // Runs side by side: the panels of one selection follow each other, one per run, and for a
  // heatmap or grid the difference of the two after them. The curves of two runs are overlaid
  // in one plot instead.
  FigurePanelSet set(look);
  const QString viewName = QString::fromStdString(view);
  const bool overlay = runs.size() > 1 && view == "layers";
  std::optional<TokenAlignment> alignment;
  if (runs.size() > 1 && view == "heatmap") {
    QString why;
    alignment = alignTokenLayouts(*runs[0].result, *runs[1].result, &why);
    if (!alignment) std::cerr << "attnx figure: no difference panel: " << why.toStdString() << "\n";
  }
  const bool difference = runs.size() > 1 && (view == "grid" || alignment.has_value());
  int overlayView = -1;
  for (const auto& [l, h] : selections) {
    const int firstPanel = set.size();
    for (std::size_t r = 0; r < runs.size(); ++r) {
      Selection s;
      s.layer = l;
      s.head = h;
      if (const int q = matchingQuery(query, runs.front(), runs[r]); q >= 0) s.query = q;
      QStringList what;
      if (!runs[r].label.isEmpty()) what << runs[r].label;
      // The layer curves and the grid show every layer and head: only the heatmap's caption
      // says which one it is.
      if (view == "heatmap" && (headPanels || layerPanels || runs.size() > 1))
        what << QObject::tr("layer %1").arg(l) << headName(h);
      QJsonObject describe;
      if (runs.size() > 1) describe[QStringLiteral("run")] = static_cast<int>(r);
      set.add(viewName, runs[r].result, s,
              what.isEmpty() || overlay
                  ? QString()
                  : panelLetter(set.size()) + QLatin1Char(' ') + what.join(QStringLiteral(" · ")),
              describe);
    }
    const std::array<QString, 2> labels{runs.size() > 1 ? runs[0].label : QString(),
                                        runs.size() > 1 ? runs[1].label : QString()};
    if (overlay) {
      overlayView = set.size();
      set.addComparison(viewName, firstPanel, firstPanel + 1, labels, QString(),
                        {{QStringLiteral("overlay_of"), QJsonArray{firstPanel, firstPanel + 1}}});
    } else if (difference) {
      QStringList what{QObject::tr("%1 − %2").arg(labels[0], labels[1])};
      if (view == "heatmap") {
        what << QObject::tr("layer %1").arg(l) << headName(h);
        if (!alignment->whole()) what << QObject::tr("tokens both have");
      }
      set.addComparison(
          viewName, firstPanel, firstPanel + 1, labels,
          panelLetter(set.size()) + QLatin1Char(' ') + what.join(QStringLiteral(" · ")),
          {{QStringLiteral("difference_of"), QJsonArray{firstPanel, firstPanel + 1}}});
    }
  }
  if (zoom == "prefix") {
    // Every heatmap that has such segments (a compared run without soft tokens may have none);
    // a difference panel stays whole.
    bool zoomed = false;
    for (int i = 0; i < set.size(); ++i)
      if (auto* h = qobject_cast<HeatmapView*>(set.view(i))) zoomed = h->zoomToPrefix() || zoomed;
    if (!zoomed)
      throw UsageError("--zoom prefix needs soft tokens, a BOS or an anchor in the input");
  }
  const double upper = set.applyColorRange();

  FigureSource source;
  source.modelDir = QDir(QString::fromStdString(modelDir)).absolutePath();
  source.prompt = args.has("input-ids")
                      ? QStringLiteral("ids: ") + QString::fromStdString(*args.get("input-ids"))
                      : QString::fromStdString(args.value("prompt", ""));
  source.anchor = QString::fromStdString(args.value("anchor", ""));
  source.viewName = viewName;
  // The colours of the layer curves do not depend on the map or the scale.
  source.colorMap = view == "layers" ? QString() : colorMapNames().id(look.colorMap);
  source.colorScale =
      view == "heatmap" ? scaleManifestName(look.scale, look.gamma) : QString();
  QJsonObject manifest = figureManifest(set.document(0), source);
  if (view == "heatmap") manifest[QStringLiteral("scale_range")] = QJsonArray{0.0, upper};
  if (view == "grid") manifest[QStringLiteral("cells")] = segmentKindId(look.gridKind);
  if (view == "heatmap") manifest[QStringLiteral("zoom")] = QString::fromStdString(zoom);
  const QString file = QString::fromStdString(out);
  if (set.size() == 1) {
    exportFigure(set.view(0), file, options, manifest);
    return 0;
  }
  if (runs.size() > 1) {
    // Each run's input (segments and ids) as the manifest records the first one's.
    QJsonArray inputs;
    for (std::size_t r = 0; r < runs.size(); ++r) {
      FigureSource s = source;
      QJsonObject in = figureManifest(set.document(static_cast<int>(r)), s)
                           .value(QStringLiteral("input"))
                           .toObject();
      in[QStringLiteral("label")] = runs[r].label;
      inputs.append(in);
    }
    manifest[QStringLiteral("runs")] = inputs;
  }
  manifest[QStringLiteral("panels")] = set.manifestPanels();
  if (overlay) {
    manifest[QStringLiteral("view")] = view_names::kLayersComparison;
    manifest[QStringLiteral("shown_panel")] = overlayView;
    exportFigure(set.view(overlayView), file, options, manifest);
    return 0;
  }
  int columns = columnsArg;
  if (columns == 0) {
    // Two runs (and their difference) side by side in a double column, one selection per row.
    // In a single column heatmaps are stacked, since three matrices side by side in 3.25 in
    // leave too little room for the data; grids, whose cells stay small, are always in a row,
    // so that the figure keeps a sane height.
    const int perSelection = static_cast<int>(runs.size()) + (difference ? 1 : 0);
    const bool wide = options.widthIn >= 5.0;
    columns = runs.size() > 1 ? (wide || view == "grid" ? perSelection : 1)
                              : defaultFigureColumns(set.size(), options.widthIn);
  }
  exportFigurePanels(set.panels(), columns, file, options, manifest);
  return 0;
}

}  // namespace

int runFigureCommand(const std::vector<std::string>& argv) { return figure(argv); }

}  // namespace attnx
