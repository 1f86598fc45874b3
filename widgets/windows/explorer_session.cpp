#include "explorer_session.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSet>
#include <QStringList>

#include "error.h"
#include "sha256.h"

namespace attnx {
namespace {

constexpr const char* kFormat = "attnx-session";
constexpr int kVersion = 1;

QJsonValue optionalInt(const std::optional<int>& v) { return v ? QJsonValue(*v) : QJsonValue(); }

QJsonValue headJson(HeadChoice h) {
  if (h.isOne()) return h.index;
  return h.kind == HeadChoice::Kind::Max ? QStringLiteral("max") : QStringLiteral("mean");
}

// `file` as the session stores it: relative when it lies in the session's folder (or below),
// so that the two travel together; absolute otherwise.
QString storedPath(const QDir& folder, const QString& file) {
  const QFileInfo info(file);
  const QString below = folder.absolutePath() + QLatin1Char('/');
  return (info.absolutePath() + QLatin1Char('/')).startsWith(below)
             ? folder.relativeFilePath(info.absoluteFilePath())
             : info.absoluteFilePath();
}

// Whether `file` is missing or no longer has SHA-256 `sha256` (not checked when empty): the
// reason, saying what the file was to the session (`what`); empty when it is unchanged.
QString fileProblem(const QString& file, const QString& sha256, const QString& what) {
  if (!QFileInfo(file).isFile())
    return QCoreApplication::translate("attnx::ExplorerSession",
                                       "its %1 %2 is missing; put it back beside the session "
                                       "or open the file itself")
        .arg(what, file);
  if (!sha256.isEmpty()) {
    const auto sha = sha256OfFile(file.toStdString());
    if (!sha || QString::fromStdString(*sha) != sha256)
      return QCoreApplication::translate("attnx::ExplorerSession",
                                         "its %1 %2 changed since the session was saved "
                                         "(another SHA-256); open the file itself to look at it")
          .arg(what, file);
  }
  return {};
}

[[noreturn]] void fail(const QString& path, const QString& what) {
  throw Error((path + QStringLiteral(": ") + what).toStdString());
}

// Reads one field, failing with its name when it has another type.
struct Fields {
  const QString& path;
  const QJsonObject& o;
  QString where;
  QJsonValue at(const char* key) const { return o.value(QLatin1String(key)); }
  [[noreturn]] void wrong(const char* key, const char* what) const {
    fail(path,
         QStringLiteral("\"%1%2\" must be %3").arg(where, QLatin1String(key), QLatin1String(what)));
  }
  int integer(const char* key, int fallback, int low = 0, int high = 1 << 30) const {
    const QJsonValue v = at(key);
    if (v.isUndefined()) return fallback;
    if (!v.isDouble() || v.toDouble() != double(v.toInt()) || v.toInt() < low || v.toInt() > high)
      wrong(key, "a whole number in range");
    return v.toInt();
  }
  std::optional<int> optionalInteger(const char* key) const {
    if (at(key).isNull() || at(key).isUndefined()) return std::nullopt;
    return integer(key, 0);
  }
  double real(const char* key, double fallback) const {
    const QJsonValue v = at(key);
    if (v.isUndefined()) return fallback;
    if (!v.isDouble()) wrong(key, "a number");
    return v.toDouble();
  }
  bool boolean(const char* key, bool fallback) const {
    const QJsonValue v = at(key);
    if (v.isUndefined()) return fallback;
    if (!v.isBool()) wrong(key, "true or false");
    return v.toBool();
  }
  QString string(const char* key, const QString& fallback) const {
    const QJsonValue v = at(key);
    if (v.isUndefined()) return fallback;
    if (!v.isString()) wrong(key, "a string");
    return v.toString();
  }
  QJsonObject object(const char* key) const {
    const QJsonValue v = at(key);
    if (v.isUndefined()) return {};
    if (!v.isObject()) wrong(key, "an object");
    return v.toObject();
  }
  // "mean", "max" or a head index.
  HeadChoice head(const char* key, HeadChoice fallback) const {
    const QJsonValue v = at(key);
    if (v.isUndefined()) return fallback;
    if (v == QJsonValue(QStringLiteral("max"))) return HeadChoice::max();
    if (v == QJsonValue(QStringLiteral("mean"))) return HeadChoice::mean();
    if (v.isString()) wrong(key, "\"mean\", \"max\" or a head index");
    return HeadChoice::one(integer(key, 0));
  }
  QJsonArray array(const char* key) const {
    const QJsonValue v = at(key);
    if (v.isUndefined()) return {};
    if (!v.isArray()) wrong(key, "an array");
    return v.toArray();
  }
};

QJsonObject comparisonJson(const QDir& folder, const ComparisonSession& c) {
  QJsonArray results;
  for (const ComparisonSession::Results& r : c.results)
    results.append(QJsonObject{{QStringLiteral("file"), storedPath(folder, r.file)},
                               {QStringLiteral("sha256"), r.sha256}});
  QJsonArray groups;
  for (const GroupSpec& g : c.groups)
    groups.append(QJsonObject{{QStringLiteral("source"), DatasetDocument::sourceKey(g.source)},
                              {QStringLiteral("run"), g.run},
                              {QStringLiteral("ids"), QJsonArray::fromStringList(g.ids)}});
  QJsonArray examples;
  for (const DatasetDocument::ExampleRef& e : c.examples)
    examples.append(e.index < 0 ? QJsonValue() : QJsonValue(QJsonArray{e.run, e.index}));
  return {{QStringLiteral("results"), results},
          {QStringLiteral("groups"), groups},
          {QStringLiteral("kind"), QString::fromLatin1(segmentKindName(c.kind).data())},
          {QStringLiteral("layer"), c.layer >= 0 ? QJsonValue(c.layer) : QJsonValue()},
          {QStringLiteral("head"), headJson(c.head)},
          {QStringLiteral("examples"), examples},
          {QStringLiteral("tab"),
           c.examplesTab ? QStringLiteral("examples") : QStringLiteral("groups")},
          {QStringLiteral("shown"), c.shown}};
}

// The "comparison" object of session `path`, its files made absolute against `folder`.
ComparisonSession readComparison(const QString& path, const QDir& folder, const QJsonObject& o) {
  const Fields f{path, o, QStringLiteral("comparison.")};
  ComparisonSession c;
  const QJsonArray results = f.array("results");
  if (results.isEmpty() || results.size() > 2) f.wrong("results", "one or two results files");
  for (const QJsonValue& v : results) {
    if (!v.isObject()) f.wrong("results", "a list of {\"file\", \"sha256\"} objects");
    const Fields r{path, v.toObject(), QStringLiteral("comparison.results[].")};
    const QString file = r.string("file", QString());
    if (file.isEmpty()) r.wrong("file", "a results file (stats.json)");
    c.results.push_back({QDir::cleanPath(folder.absoluteFilePath(file)), r.string("sha256", {})});
  }
  const QJsonArray groups = f.array("groups");
  if (!groups.isEmpty() && groups.size() != 2) f.wrong("groups", "two groups (A and B)");
  for (int side = 0; side < groups.size(); ++side) {
    if (!groups[side].isObject()) f.wrong("groups", "two {\"source\", \"run\"} objects");
    const Fields g{path, groups[side].toObject(), QStringLiteral("comparison.groups[].")};
    GroupSpec& spec = c.groups[static_cast<std::size_t>(side)];
    const auto source = DatasetDocument::sourceFromKey(g.string("source", QString()));
    if (!source)
      g.wrong("source",
              "correct, incorrect, all, first_token_correct, "
              "first_token_incorrect or ids");
    spec.source = *source;
    spec.run = g.integer("run", 0, 0, int(c.results.size()) - 1);
    for (const QJsonValue& id : g.array("ids")) {
      if (!id.isString()) g.wrong("ids", "a list of example ids (strings)");
      spec.ids << id.toString();
    }
  }
  if (groups.isEmpty()) c.groups[1].source = GroupSpec::Source::Incorrect;
  const auto kind = segmentKindFromName(f.string("kind", QStringLiteral("soft")).toStdString());
  if (!kind) f.wrong("kind", "a segment kind (soft, bos, anchor, text, special)");
  c.kind = *kind;
  c.layer = f.optionalInteger("layer").value_or(-1);
  c.head = f.head("head", c.head);
  const QJsonArray examples = f.array("examples");
  if (examples.size() > 2) f.wrong("examples", "two examples (left and right) or fewer");
  for (int slot = 0; slot < examples.size(); ++slot) {
    const QJsonValue& e = examples[slot];
    if (e.isNull()) continue;
    const QJsonArray pair = e.toArray();
    const auto whole = [](const QJsonValue& v, double high) {
      return v.isDouble() && v.toDouble() >= 0 && v.toDouble() < high &&
             v.toDouble() == double(v.toInt());
    };
    if (!e.isArray() || pair.size() != 2 || !whole(pair[0], double(c.results.size())) ||
        !whole(pair[1], double(1 << 30)))
      f.wrong("examples", "[run, index] pairs of the results, or null");
    c.examples[static_cast<std::size_t>(slot)] = {pair[0].toInt(), pair[1].toInt()};
  }
  const QString tab = f.string("tab", QStringLiteral("groups"));
  if (tab != QLatin1String("groups") && tab != QLatin1String("examples"))
    f.wrong("tab", "\"groups\" or \"examples\"");
  c.examplesTab = tab == QLatin1String("examples");
  c.shown = f.boolean("shown", true);
  return c;
}

}  // namespace

void writeSession(const QString& path, const ExplorerSession& s) {
  const QDir folder = QFileInfo(path).absoluteDir();
  const Selection& sel = s.selection;
  QJsonObject thresholds{{QStringLiteral("collapse_soft"), s.thresholds.collapseSoft},
                         {QStringLiteral("dominance_anchor"), s.thresholds.dominanceAnchor},
                         {QStringLiteral("dominance_soft"), s.thresholds.dominanceSoft},
                         {QStringLiteral("head_soft_std"), s.thresholds.headSoftStd},
                         {QStringLiteral("head_row_l1"), s.thresholds.headRowL1},
                         {QStringLiteral("layer_row_l1"), s.thresholds.layerRowL1}};
  QJsonValue zoom;
  if (s.zoom) zoom = QJsonArray{(*s.zoom)[0], (*s.zoom)[1], (*s.zoom)[2], (*s.zoom)[3]};
  QJsonObject doc{
      {QStringLiteral("format"), QLatin1String(kFormat)},
      {QStringLiteral("version"), kVersion},
      {QStringLiteral("selection"), QJsonObject{{QStringLiteral("layer"), sel.layer},
                                                {QStringLiteral("head"), headJson(sel.head)},
                                                {QStringLiteral("query"), optionalInt(sel.query)},
                                                {QStringLiteral("step"), optionalInt(sel.step)},
                                                {QStringLiteral("batch_row"), sel.batchRow}}},
      {QStringLiteral("heatmap"), QJsonObject{{QStringLiteral("color_map"), s.colorMap},
                                              {QStringLiteral("scale"), s.scale},
                                              {QStringLiteral("gamma"), s.gamma},
                                              {QStringLiteral("fit_range"), s.fitRange},
                                              {QStringLiteral("zoom"), zoom}}},
      {QStringLiteral("grid"),
       QJsonObject{{QStringLiteral("metric"), s.gridMetric}, {QStringLiteral("kind"), s.gridKind}}},
      {QStringLiteral("curves"), QJsonObject{{QStringLiteral("show_range"), s.showRange}}},
      {QStringLiteral("thresholds"), thresholds},
      {QStringLiteral("window_state"), QString::fromLatin1(s.windowState.toBase64())}};
  if (!s.runFile.isEmpty()) {
    doc.insert(QStringLiteral("run"), storedPath(folder, s.runFile));
    doc.insert(QStringLiteral("run_sha256"), s.runSha256);
  }
  if (s.comparison) doc.insert(QStringLiteral("comparison"), comparisonJson(folder, *s.comparison));
  QSaveFile out(path);
  if (!out.open(QIODevice::WriteOnly) ||
      out.write(QJsonDocument(doc).toJson(QJsonDocument::Indented)) < 0 || !out.commit())
    fail(path, QStringLiteral("cannot write the session (%1)").arg(out.errorString()));
}

ExplorerSession readSession(const QString& path) {
  QFile in(path);
  if (!in.open(QIODevice::ReadOnly)) fail(path, QStringLiteral("cannot open the session file"));
  if (in.size() > (64 << 20)) fail(path, QStringLiteral("too large for a session file"));
  QJsonParseError error;
  const QJsonDocument doc = QJsonDocument::fromJson(in.readAll(), &error);
  if (error.error != QJsonParseError::NoError)
    fail(path,
         QStringLiteral("broken JSON (%1 at byte %2)").arg(error.errorString()).arg(error.offset));
  if (!doc.isObject()) fail(path, QStringLiteral("not a session (a JSON object) file"));
  const QJsonObject o = doc.object();
  const Fields top{path, o, QString()};
  if (top.string("format", QString()) != QLatin1String(kFormat))
    fail(path, QStringLiteral("not an attnx session (\"format\" is not \"attnx-session\")"));
  if (top.integer("version", 0) != kVersion)
    fail(path,
         QStringLiteral("session version %1 is not supported").arg(top.integer("version", 0)));
  ExplorerSession s;
  const QDir folder = QFileInfo(path).absoluteDir();
  if (o.contains(QStringLiteral("comparison")))
    s.comparison = readComparison(path, folder, top.object("comparison"));
  const QString run = top.string("run", QString());
  if (run.isEmpty() && !s.comparison)
    fail(path, QStringLiteral("names no run file and no dataset results"));
  if (QFileInfo(run).suffix().toLower() == QLatin1String("attnx"))
    fail(path, QStringLiteral("names a session (%1) as its run file").arg(run));
  if (!run.isEmpty()) s.runFile = QDir::cleanPath(folder.absoluteFilePath(run));
  s.runSha256 = top.string("run_sha256", QString());

  const QJsonObject selObject = top.object("selection");
  const Fields sel{path, selObject, QStringLiteral("selection.")};
  s.selection.layer = sel.integer("layer", 0);
  s.selection.head = sel.head("head", s.selection.head);
  s.selection.query = sel.optionalInteger("query");
  s.selection.step = sel.optionalInteger("step");
  s.selection.batchRow = sel.integer("batch_row", 0);

  const QJsonObject heatObject = top.object("heatmap");
  const Fields heat{path, heatObject, QStringLiteral("heatmap.")};
  s.colorMap = heat.string("color_map", s.colorMap);
  s.scale = heat.string("scale", s.scale);
  s.gamma = heat.real("gamma", s.gamma);
  s.fitRange = heat.boolean("fit_range", s.fitRange);
  const QJsonValue zoom = heatObject.value(QStringLiteral("zoom"));
  if (zoom.isArray()) {
    const QJsonArray z = zoom.toArray();
    if (z.size() != 4) heat.wrong("zoom", "[x0, x1, y0, y1]");
    std::array<double, 4> r{};
    for (int i = 0; i < 4; ++i) {
      if (!z[i].isDouble()) heat.wrong("zoom", "[x0, x1, y0, y1]");
      r[static_cast<std::size_t>(i)] = z[i].toDouble();
    }
    s.zoom = r;
  } else if (!zoom.isNull() && !zoom.isUndefined()) {
    heat.wrong("zoom", "[x0, x1, y0, y1] or null");
  }
  const QJsonObject gridObject = top.object("grid");
  const Fields grid{path, gridObject, QStringLiteral("grid.")};
  s.gridMetric = grid.string("metric", s.gridMetric);
  s.gridKind = grid.string("kind", s.gridKind);
  const QJsonObject curvesObject = top.object("curves");
  s.showRange = Fields{path, curvesObject, QStringLiteral("curves.")}.boolean("show_range", false);
  const QJsonObject thObject = top.object("thresholds");
  const Fields th{path, thObject, QStringLiteral("thresholds.")};
  DiagnosticThresholds& t = s.thresholds;
  t.collapseSoft = float(th.real("collapse_soft", t.collapseSoft));
  t.dominanceAnchor = float(th.real("dominance_anchor", t.dominanceAnchor));
  t.dominanceSoft = float(th.real("dominance_soft", t.dominanceSoft));
  t.headSoftStd = float(th.real("head_soft_std", t.headSoftStd));
  t.headRowL1 = float(th.real("head_row_l1", t.headRowL1));
  t.layerRowL1 = float(th.real("layer_row_l1", t.layerRowL1));
  s.windowState = QByteArray::fromBase64(top.string("window_state", QString()).toLatin1());
  return s;
}

QString comparisonProblem(const ComparisonSession& c,
                          const std::vector<std::shared_ptr<const DatasetResults>>& results) {
  const auto say = [](const char* text) {
    return QCoreApplication::translate("attnx::ExplorerSession", text);
  };
  for (const DatasetDocument::ExampleRef& e : c.examples) {
    if (e.index < 0) continue;
    const std::size_t run = static_cast<std::size_t>(e.run);
    const int count = run < results.size() ? int(results[run]->examples.size()) : 0;
    if (e.index >= count)
      return say(QT_TRANSLATE_NOOP("attnx::ExplorerSession",
                                   "it shows example %1 of %2, which holds %3 examples"))
          .arg(e.index)
          .arg(run < c.results.size() ? c.results[run].file : QString())
          .arg(count);
  }
  for (const GroupSpec& g : c.groups) {
    const std::size_t run = static_cast<std::size_t>(g.run);
    if (g.source != GroupSpec::Source::IdList || run >= results.size()) continue;
    QSet<QString> known;
    for (const ExampleStats& e : results[run]->examples) known.insert(QString::fromStdString(e.id));
    QStringList missing;
    for (const QString& id : g.ids)
      if (!known.contains(id)) missing << id;
    if (!missing.isEmpty())
      return say(QT_TRANSLATE_NOOP("attnx::ExplorerSession",
                                   "its group names examples %1 does not hold: %2"))
          .arg(c.results[run].file, missing.mid(0, 5).join(QStringLiteral(", ")) +
                                        (missing.size() > 5 ? QStringLiteral(", …") : QString()));
  }
  return {};
}

QString runFileProblem(const ExplorerSession& s) {
  const auto what = [](const char* text) {
    return QCoreApplication::translate("attnx::ExplorerSession", text);
  };
  if (!s.runFile.isEmpty())
    if (QString why = fileProblem(s.runFile, s.runSha256,
                                  what(QT_TRANSLATE_NOOP("attnx::ExplorerSession", "run file")));
        !why.isEmpty())
      return why;
  if (s.comparison)
    for (const ComparisonSession::Results& r : s.comparison->results)
      if (QString why =
              fileProblem(r.file, r.sha256,
                          what(QT_TRANSLATE_NOOP("attnx::ExplorerSession", "dataset results")));
          !why.isEmpty())
        return why;
  return {};
}

}  // namespace attnx
