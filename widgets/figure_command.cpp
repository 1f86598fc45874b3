#include "figure_command.h"

#include <QDir>
#include <QFileInfo>
#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>

#include "args.h"
#include "color_scale.h"
#include "error.h"
#include "figure_export.h"
#include "head_grid_view.h"
#include "heatmap_view.h"
#include "layer_curves_view.h"
#include "model.h"
#include "run_document.h"
#include "soft_tokens.h"

namespace attnx {
namespace {

using cli::Args;
using cli::UsageError;

// [soft][BOS][anchor][prompt]; a text prompt alone keeps its special tokens as Hugging Face adds.
RunRequest buildRequest(const Args& args) {
  const bool hasPrompt = args.has("prompt"), hasIds = args.has("input-ids");
  if (hasPrompt == hasIds) throw UsageError("give exactly one of --prompt and --input-ids");
  const bool soft = args.has("soft-tokens");
  if (args.has("bos-after-soft") && !soft) throw UsageError("--bos-after-soft needs --soft-tokens");
  RunRequest request;
  if (soft) {
    const std::string path = *args.get("soft-tokens");
    const FloatTensor t = loadSoftTokens(path);
    if (t.shape.size() < 2 || (t.shape.size() == 3 && t.shape[0] != 1))
      throw Error(path + ": soft tokens must have the shape [M, hidden] or [1, M, hidden]");
    InputPart p;
    p.kind = SegmentKind::Soft;
    p.rows = static_cast<int>(t.shape[t.shape.size() - 2]);
    p.embeddings = t.data;
    request.parts.push_back(std::move(p));
    if (args.has("bos-after-soft")) request.parts.push_back(InputPart{SegmentKind::Bos});
  }
  if (auto anchor = args.get("anchor")) {
    InputPart p;
    p.kind = SegmentKind::Anchor;
    p.text = *anchor;
    request.parts.push_back(std::move(p));
  }
  InputPart prompt;
  prompt.kind = SegmentKind::Text;
  if (hasIds) {
    prompt.ids = cli::parseIntList(*args.get("input-ids"), "--input-ids");
    if (prompt.ids.empty()) throw UsageError("--input-ids is empty");
  } else {
    prompt.text = *args.get("prompt");
    if (prompt.text.empty()) throw UsageError("--prompt is empty");
    prompt.addSpecialTokens = request.parts.empty();
  }
  request.parts.push_back(std::move(prompt));
  request.capture.rows = CapturePolicy::Rows::Full;
  request.generate = 0;
  return request;
}

ColorMapKind parseColorMap(const std::string& name) {
  if (name == "viridis") return ColorMapKind::Viridis;
  if (name == "magma") return ColorMapKind::Magma;
  if (name == "cividis") return ColorMapKind::Cividis;
  if (name == "grays" || name == "greys" || name == "gray") return ColorMapKind::Grays;
  throw UsageError("--colormap must be viridis, magma, cividis or grays, not '" + name + "'");
}

int parseHead(const std::string& text) {
  if (text == "mean") return kHeadMean;
  if (text == "max") return kHeadMax;
  std::size_t used = 0;
  int h = -1;
  try {
    h = std::stoi(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || h < 0)
    throw UsageError("--head must be a head number, mean or max, not '" + text + "'");
  return h;
}

double parsePositive(const Args& args, const std::string& name, double fallback) {
  const auto v = args.get(name);
  if (!v) return fallback;
  std::size_t used = 0;
  double d = 0;
  try {
    d = std::stod(*v, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != v->size() || !(d > 0)) throw UsageError("--" + name + " must be a positive number");
  return d;
}

int figure(const std::vector<std::string>& argv) {
  const Args args(
      argv,
      {"model", "prompt", "input-ids", "soft-tokens", "anchor", "view", "layer", "head", "query",
       "style", "width-in", "dpi", "colormap", "format", "out", "device", "threads"},
      {"bos-after-soft"});
  const std::string view = args.require("view");
  if (view != "heatmap" && view != "layers" && view != "grid")
    throw UsageError("--view must be heatmap, layers or grid, not '" + view + "'");
  FigureOptions options;
  if (!parseFigureFormat(QString::fromStdString(args.require("format")), &options.format))
    throw UsageError("--format must be png, pdf or svg");
  if (!parseFigureStyle(QString::fromStdString(args.value("style", "paper")), &options.style))
    throw UsageError("--style must be paper or slide");
  options.widthIn = parsePositive(args, "width-in", 3.25);
  options.dpi = parsePositive(args, "dpi", 300.0);
  const std::string colorMapName = args.value("colormap", "viridis");
  const ColorMapKind colorMap = parseColorMap(colorMapName);
  const int head = parseHead(args.value("head", "mean"));
  const std::string queryText = args.value("query", "last");
  const int query = queryText == "last" ? -1 : args.integer("query", -1);
  if (queryText != "last" && query < 0) throw UsageError("--query must be last or a position");
  const std::string out = args.require("out");
  const std::string modelDir = args.require("model");
  RunRequest request = buildRequest(args);

  LoadOptions load;
  load.device = args.value("device", "cpu");
  load.threads = args.integer("threads", 0);
  const std::unique_ptr<Model> model = Model::load(modelDir, load);
  const ModelInfo& info = model->info();
  const int layer = args.integer("layer", 0);
  if (layer < 0 || layer >= info.layers)
    throw UsageError("--layer must be 0-" + std::to_string(info.layers - 1));
  if (head >= info.heads) throw UsageError("--head must be 0-" + std::to_string(info.heads - 1));
  auto result = std::make_shared<RunResult>(model->run(request));
  if (query >= result->seqLen)
    throw UsageError("--query must be below the sequence length " + std::to_string(result->seqLen));

  RunDocument doc;
  // The widget's size sets the figure's aspect (height / width).
  std::unique_ptr<QWidget> widget;
  if (view == "heatmap") {
    auto* h = new HeatmapView(&doc);
    h->setColorMap(colorMap);
    h->resize(720, 640);
    widget.reset(h);
  } else if (view == "layers") {
    widget.reset(new LayerCurvesView(&doc));
    widget->resize(800, 520);
  } else {
    // The grid's cells are square: an aspect that fits layers x heads leaves no blank band.
    const double aspect = std::clamp(0.95 * info.layers / std::max(1, info.heads) + 0.2, 0.3, 1.5);
    widget.reset(new HeadGridView(&doc));
    widget->resize(800, static_cast<int>(std::lround(800 * aspect)));
  }
  widget->setAttribute(Qt::WA_DontShowOnScreen);
  doc.setResult(result);
  Selection s = doc.selection();
  s.layer = layer;
  s.head = head;
  s.query = query;
  doc.setSelection(s);

  FigureSource source;
  source.modelDir = QDir(QString::fromStdString(modelDir)).absolutePath();
  if (auto soft = args.get("soft-tokens"))
    source.softTokenFile = QFileInfo(QString::fromStdString(*soft)).absoluteFilePath();
  source.prompt = args.has("prompt")
                      ? QString::fromStdString(*args.get("prompt"))
                      : QStringLiteral("ids: ") + QString::fromStdString(*args.get("input-ids"));
  source.anchor = QString::fromStdString(args.value("anchor", ""));
  source.viewName = QString::fromStdString(view);
  source.colorMap = QString::fromStdString(colorMapName);
  source.colorScale = QStringLiteral("linear");
  exportFigure(widget.get(), QString::fromStdString(out), options, figureManifest(doc, source));
  return 0;
}

}  // namespace

const char* figureUsage() {
  return "usage: attnx figure --model DIR (--prompt TEXT | --input-ids 1,2,3)\n"
         "         [--soft-tokens FILE] [--bos-after-soft] [--anchor TEXT]\n"
         "         --view heatmap|layers|grid [--layer L] [--head H|mean|max] [--query last|N]\n"
         "         [--style paper|slide] [--width-in 3.25] [--dpi 300] [--colormap viridis]\n"
         "         --format png|pdf|svg --out FILE\n";
}

int runFigureCommand(const std::vector<std::string>& argv) {
  if (!argv.empty() && (argv[0] == "--help" || argv[0] == "-h")) {
    std::cout << figureUsage();
    return 0;
  }
  try {
    return figure(argv);
  } catch (const UsageError& e) {
    std::cerr << "attnx figure: " << e.what() << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << "attnx figure: out of memory\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "attnx figure: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace attnx
