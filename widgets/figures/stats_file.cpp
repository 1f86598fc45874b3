#include "stats_file.h"

#include <QFile>
#include <QFileInfo>
#include <QObject>

#include "error.h"
#include "stats_export.h"

namespace attnx {

void writeSelectedStatistics(const RunDocument& doc, const QString& file,
                             const DiagnosticThresholds& thresholds) {
  if (!doc.result())
    throw Error(QObject::tr("there is no run yet; run a prompt first").toStdString());
  const std::optional<SegmentMass>& mass = doc.selectedMass();
  if (!mass)
    throw Error(
        QObject::tr("the selected query's attention was not captured in this run").toStdString());
  // QFile's local 8-bit encoding is what std::ofstream expects of a path on this platform.
  const std::string path = QFile::encodeName(file).toStdString();
  if (QFileInfo(file).suffix().compare(QLatin1String("csv"), Qt::CaseInsensitive) == 0)
    writeStatsCsv(path, *mass);
  else
    writeStatsJson(path, *mass, diagnose(*mass, thresholds), thresholds);
}

}  // namespace attnx
