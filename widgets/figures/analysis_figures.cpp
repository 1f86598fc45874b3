#include "analysis_figures.h"

#include <QDir>
#include <QJsonObject>
#include <memory>

#include "dataset_document.h"
#include "dataset_view_data.h"
#include "difference_grid_view.h"
#include "error.h"
#include "figure_export.h"
#include "group_curves_view.h"

namespace attnx {

QStringList writeAnalysisFigures(const DatasetResults& results, const QString& outDir,
                                 const QString& resultsFile) {
  if (!QDir().mkpath(outDir))
    throw Error(QObject::tr("cannot create the folder %1").arg(outDir).toStdString());
  DatasetDocument doc;
  // The document's defaults: correct (A) vs incorrect (B), mass to soft tokens.
  doc.setResults(0, std::make_shared<DatasetResults>(results), resultsFile);
  doc.setKind(SegmentKind::Soft);

  // The views are laid out offscreen at these sizes, which set the figures' aspect: the curves
  // 4:3, the grid square cells plus room for its labels and colour bar.
  GroupCurvesView curves(&doc);
  curves.resize(640, 480);
  DifferenceGridView grid(&doc);
  const GroupStats& a = doc.group(0);
  const std::size_t layers = a.massMean[kindIndex(SegmentKind::Soft)].size();
  const std::size_t heads = layers ? a.massMean[kindIndex(SegmentKind::Soft)].front().size() : 0;
  const int cell = 40;
  grid.resize(std::max(320, static_cast<int>(heads) * cell + 80),
              std::max(220, static_cast<int>(layers) * cell + 130));
  curves.refreshNow();
  grid.refreshNow();

  FigureOptions options;
  options.style = FigureStyle::Paper;
  options.dpi = 300.0;
  options.widthIn = 3.25;  // one journal column
  QStringList written;
  const QDir dir(outDir);
  for (auto [view, name] :
       {std::pair<QWidget*, QString>{&curves, QStringLiteral("layers_by_group")},
        std::pair<QWidget*, QString>{&grid, view_names::kGridDifference}}) {
    auto* fv = dynamic_cast<IFigureView*>(view);
    const QJsonObject manifest = datasetManifest(doc, fv ? fv->figureViewName() : name);
    for (FigureFormat format : {FigureFormat::Pdf, FigureFormat::Png}) {
      options.format = format;
      const QString file = dir.filePath(name + QLatin1Char('.') + figureFormatName(format));
      exportFigure(view, file, options, manifest);
      written << file;
    }
  }
  return written;
}

}  // namespace attnx
