#include "dataset_view_data.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <iterator>

namespace attnx {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("attnx::DatasetView", text); }

}  // namespace

QColor groupColor(int side) {
  return side == 0 ? QColor(0x00, 0x72, 0xb2) : QColor(0xd5, 0x5e, 0x00);
}

const std::vector<SegmentKind>& comparableKinds() {
  static const std::vector<SegmentKind> kinds = {SegmentKind::Soft, SegmentKind::Anchor,
                                                 SegmentKind::Bos, SegmentKind::Text};
  return kinds;
}

QString massName(SegmentKind kind) {
  // By SegmentKind's order.
  static constexpr const char* kNames[] = {
      QT_TRANSLATE_NOOP("attnx::DatasetView", "mass to soft tokens"),
      QT_TRANSLATE_NOOP("attnx::DatasetView", "mass to BOS"),
      QT_TRANSLATE_NOOP("attnx::DatasetView", "mass to anchor tokens"),
      QT_TRANSLATE_NOOP("attnx::DatasetView", "mass to text tokens"),
      QT_TRANSLATE_NOOP("attnx::DatasetView", "mass to special tokens"),
      QT_TRANSLATE_NOOP("attnx::DatasetView", "mass to generated tokens"),
      QT_TRANSLATE_NOOP("attnx::DatasetView", "mass to padding")};
  static_assert(std::size(kNames) == static_cast<std::size_t>(SegmentKind::Pad) + 1);
  return tr(kNames[static_cast<std::size_t>(kind)]);
}

std::vector<int> groupLayers(const DatasetDocument& doc, int side, std::size_t count) {
  if (doc.group(side).layers.size() == count) return doc.group(side).layers;
  const std::vector<int>& members = doc.members(side);
  const DatasetResults* r = doc.results(doc.groupSpec(side).run);
  if (r && !members.empty() && members.front() >= 0 &&
      members.front() < static_cast<int>(r->examples.size())) {
    const std::vector<int>& layers = r->examples[static_cast<std::size_t>(members.front())].layers;
    if (layers.size() == count) return layers;
  }
  std::vector<int> out(count);
  for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<int>(i);
  return out;
}

const ExampleStats* exampleAt(const DatasetDocument& doc, int run, int index) {
  const DatasetResults* r = doc.results(run);
  if (!r || index < 0 || index >= static_cast<int>(r->examples.size())) return nullptr;
  return &r->examples[static_cast<std::size_t>(index)];
}

QString exampleLabel(const ExampleStats& e) {
  QString text = QString::fromStdString(e.id) + QStringLiteral(" · ") +
                 (e.correct ? tr("correct") : tr("wrong"));
  if (!e.prediction.empty())
    text += QStringLiteral(" · ") +
            tr("predicted “%1”").arg(QString::fromStdString(e.prediction).simplified().left(40));
  return text;
}

QString exampleDetails(const ExampleStats& e) {
  QString text = tr("%1 tokens · query at %2").arg(e.seqLen).arg(e.queryPosition);
  if (e.firstTokenId >= 0) {
    text += QStringLiteral(" · ") + tr("first token “%1” (p = %2)")
                                        .arg(QString::fromStdString(e.firstToken).simplified())
                                        .arg(e.firstTokenProb, 0, 'f', 2);
    if (e.firstTokenCorrect)
      text += QStringLiteral(", ") +
              (*e.firstTokenCorrect ? tr("the gold answer's") : tr("not the gold answer's"));
  }
  return text;
}

QJsonObject datasetManifest(const DatasetDocument& doc, const QString& viewName) {
  QJsonObject m;
  m[QStringLiteral("app")] = QStringLiteral("attnx");
  m[QStringLiteral("app_version")] = QStringLiteral(ATTNX_VERSION);
  m[QStringLiteral("view")] = viewName;
  QJsonArray runs;
  for (int run = 0; run < doc.runCount(); ++run) {
    const DatasetResults* r = doc.results(run);
    if (!r) continue;
    const DatasetSettings& s = r->settings;
    runs.append(
        QJsonObject{{QStringLiteral("results_file"), doc.resultsFile(run)},
                    {QStringLiteral("model_dir"), QString::fromStdString(s.modelDir)},
                    {QStringLiteral("model_family"), QString::fromStdString(r->model.family)},
                    {QStringLiteral("examples_file"), QString::fromStdString(s.examplesFile)},
                    {QStringLiteral("soft_tokens"), QString::fromStdString(s.softTokenFile)},
                    {QStringLiteral("anchor"), QString::fromStdString(s.anchor)},
                    {QStringLiteral("bos_after_soft"), s.bosAfterSoft},
                    {QStringLiteral("query"), s.query},
                    {QStringLiteral("correctness"), QString::fromStdString(s.correctness)},
                    {QStringLiteral("examples"), static_cast<int>(r->examples.size())},
                    {QStringLiteral("total"), r->total}});
  }
  m[QStringLiteral("runs")] = runs;
  QJsonArray groups;
  for (int side = 0; side < 2; ++side) {
    const GroupSpec& g = doc.groupSpec(side);
    QJsonObject o{{QStringLiteral("side"), side == 0 ? QStringLiteral("A") : QStringLiteral("B")},
                  {QStringLiteral("source"), DatasetDocument::sourceKey(g.source)},
                  {QStringLiteral("run"), g.run},
                  {QStringLiteral("name"), doc.groupName(side)},
                  {QStringLiteral("n"), doc.group(side).n()}};
    if (g.source == GroupSpec::Source::IdList)
      o[QStringLiteral("ids")] = QJsonArray::fromStringList(g.ids);
    groups.append(o);
  }
  m[QStringLiteral("groups")] = groups;
  m[QStringLiteral("kind")] = QString::fromStdString(std::string(segmentKindName(doc.kind())));
  m[QStringLiteral("layer")] = doc.layer();
  return m;
}

}  // namespace attnx
