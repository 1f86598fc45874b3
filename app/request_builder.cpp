#include "request_builder.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <algorithm>

#include "error.h"

namespace attnx {
namespace {

// lupdate files these free-function messages under the namespace's context ("attnx"), so the
// lookup uses that same context or the German text would never be found.
QString tr(const char* text) { return QCoreApplication::translate("attnx", text); }

[[noreturn]] void fail(const QString& message) { throw Error(message.toStdString()); }

// A text or id part for the given kind.
InputPart textPart(SegmentKind kind, const QString& text) {
  InputPart part;
  part.kind = kind;
  if (auto ids = parseIdsField(text))
    part.ids = std::move(*ids);
  else
    part.text = text.toStdString();
  return part;
}

}  // namespace

std::optional<std::vector<int64_t>> parseIdsField(const QString& text) {
  const QString t = text.trimmed();
  if (!t.startsWith(QLatin1String("ids:"), Qt::CaseInsensitive)) return std::nullopt;
  const QStringList items =
      t.mid(4).split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
  if (items.isEmpty()) fail(tr("\"ids:\" is followed by no token id"));
  std::vector<int64_t> ids;
  ids.reserve(items.size());
  for (const QString& item : items) {
    bool ok = false;
    const qlonglong id = item.toLongLong(&ok);
    if (!ok || id < 0) fail(tr("\"%1\" is not a token id (ids are integers >= 0)").arg(item));
    ids.push_back(id);
  }
  return ids;
}

std::vector<int> parseLayerList(const QString& text) {
  const QString t = text.trimmed();
  if (t.isEmpty() || t.compare(QLatin1String("all"), Qt::CaseInsensitive) == 0) return {};
  std::vector<int> layers;
  const QStringList items =
      t.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
  static const QRegularExpression range(QStringLiteral("^(\\d+)(?:-(\\d+))?$"));
  for (const QString& item : items) {
    const auto m = range.match(item);
    if (!m.hasMatch()) fail(tr("\"%1\" is not a layer or a range such as 2-5").arg(item));
    const int first = m.captured(1).toInt();
    const int last = m.captured(2).isEmpty() ? first : m.captured(2).toInt();
    if (last < first) fail(tr("the range \"%1\" ends before it starts").arg(item));
    if (last - first > 100000) fail(tr("the range \"%1\" is too large").arg(item));
    for (int l = first; l <= last; ++l) layers.push_back(l);
  }
  std::sort(layers.begin(), layers.end());
  layers.erase(std::unique(layers.begin(), layers.end()), layers.end());
  return layers;
}

RunRequest buildRunRequest(const RequestFields& f) {
  const bool hasAnchor = !f.anchor.trimmed().isEmpty();
  const bool hasPrompt = !f.prompt.trimmed().isEmpty();
  if (!hasPrompt && !hasAnchor && !f.softTokens)
    fail(tr("Enter a prompt (text, or token ids as \"ids: 1, 2, 3\")."));
  if (f.generate < 0) fail(tr("The number of tokens to generate cannot be negative."));

  RunRequest request;
  if (!f.softTokens && !hasAnchor) {
    if (auto ids = parseIdsField(f.prompt)) {
      InputPart part;
      part.kind = SegmentKind::Text;
      part.ids = std::move(*ids);
      request.parts.push_back(std::move(part));
    } else {
      request = Model::promptRequest(f.prompt.toStdString());
    }
  } else {
    if (f.softTokens) {
      InputPart soft;
      soft.kind = SegmentKind::Soft;
      request.parts.push_back(std::move(soft));
    }
    if (f.bosAfterSoft) {
      InputPart bos;
      bos.kind = SegmentKind::Bos;
      request.parts.push_back(std::move(bos));
    }
    if (hasAnchor) request.parts.push_back(textPart(SegmentKind::Anchor, f.anchor));
    if (hasPrompt) request.parts.push_back(textPart(SegmentKind::Text, f.prompt));
  }

  request.generate = f.generate;
  request.stopAtEos = f.stopAtEos;
  request.capture.rows = f.lastRowOnly ? CapturePolicy::Rows::LastRow : CapturePolicy::Rows::Full;
  request.capture.layers = parseLayerList(f.layers);
  return request;
}

}  // namespace attnx
