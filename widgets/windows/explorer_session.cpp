#include "explorer_session.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

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
};

}  // namespace

void writeSession(const QString& path, const ExplorerSession& s) {
  const QDir folder = QFileInfo(path).absoluteDir();
  const QFileInfo run(s.runFile);
  // Beside the session (or below it): relative, so that the two travel together.
  const QString below = folder.absolutePath() + QLatin1Char('/');
  const QString runPath = (run.absolutePath() + QLatin1Char('/')).startsWith(below)
                              ? folder.relativeFilePath(run.absoluteFilePath())
                              : run.absoluteFilePath();
  const Selection& sel = s.selection;
  QJsonObject thresholds{{QStringLiteral("collapse_soft"), s.thresholds.collapseSoft},
                         {QStringLiteral("dominance_anchor"), s.thresholds.dominanceAnchor},
                         {QStringLiteral("dominance_soft"), s.thresholds.dominanceSoft},
                         {QStringLiteral("head_soft_std"), s.thresholds.headSoftStd},
                         {QStringLiteral("head_row_l1"), s.thresholds.headRowL1},
                         {QStringLiteral("layer_row_l1"), s.thresholds.layerRowL1}};
  QJsonValue zoom;
  if (s.zoom) zoom = QJsonArray{(*s.zoom)[0], (*s.zoom)[1], (*s.zoom)[2], (*s.zoom)[3]};
  const QJsonObject doc{
      {QStringLiteral("format"), QLatin1String(kFormat)},
      {QStringLiteral("version"), kVersion},
      {QStringLiteral("run"), runPath},
      {QStringLiteral("run_sha256"), s.runSha256},
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
  const QString run = top.string("run", QString());
  if (run.isEmpty()) fail(path, QStringLiteral("names no run file"));
  if (QFileInfo(run).suffix().toLower() == QLatin1String("attnx"))
    fail(path, QStringLiteral("names a session (%1) as its run file").arg(run));
  s.runFile = QDir::cleanPath(QFileInfo(path).absoluteDir().absoluteFilePath(run));
  s.runSha256 = top.string("run_sha256", QString());

  const QJsonObject selObject = top.object("selection");
  const Fields sel{path, selObject, QStringLiteral("selection.")};
  s.selection.layer = sel.integer("layer", 0);
  const QJsonValue head = selObject.value(QStringLiteral("head"));
  if (head.isString() && head.toString() == QLatin1String("max"))
    s.selection.head = HeadChoice::max();
  else if (head.isString() && head.toString() == QLatin1String("mean"))
    s.selection.head = HeadChoice::mean();
  else if (!head.isUndefined())
    s.selection.head = HeadChoice::one(sel.integer("head", 0));
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

QString runFileProblem(const ExplorerSession& s) {
  if (!QFileInfo(s.runFile).isFile())
    return QCoreApplication::translate("attnx::ExplorerSession",
                                       "its run file %1 is missing; put it back beside the "
                                       "session or open the run itself")
        .arg(s.runFile);
  if (!s.runSha256.isEmpty()) {
    const auto sha = sha256OfFile(s.runFile.toStdString());
    if (!sha || QString::fromStdString(*sha) != s.runSha256)
      return QCoreApplication::translate("attnx::ExplorerSession",
                                         "its run file %1 changed since the session was saved "
                                         "(another SHA-256); open the run itself to look at it")
          .arg(s.runFile);
  }
  return {};
}

}  // namespace attnx
