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

// A field of the panel: "ids: ..." or text; white space alone is no field.
TextOrIds fieldValue(const QString& text) {
  TextOrIds v;
  if (text.trimmed().isEmpty()) return v;
  if (auto ids = parseIdsField(text))
    v.ids = std::move(*ids);
  else
    v.text = text.toStdString();
  return v;
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

InputFields inputFieldsFrom(const RequestFields& f) {
  InputFields in;
  in.softRowsLater = f.softTokens;
  in.bosAfterSoft = f.bosAfterSoft;
  in.anchor = fieldValue(f.anchor);
  in.prompt = fieldValue(f.prompt);
  if (!f.promptPair.trimmed().isEmpty()) {
    if (!in.prompt.ids.empty() || in.prompt.text.empty())
      fail(tr("The second sentence of a pair needs a text prompt as its first sentence."));
    in.promptPair = f.promptPair.toStdString();
  }
  return in;
}

RunRequest buildRunRequest(const RequestFields& f) {
  const InputFields in = inputFieldsFrom(f);
  if (in.prompt.empty() && in.anchor.empty() && !in.softRowsLater)
    fail(tr("Enter a prompt (text, or token ids as \"ids: 1, 2, 3\")."));
  if (f.generate < 0) fail(tr("The number of tokens to generate cannot be negative."));

  InputParts composed = composeInputParts(in);
  RunRequest request;
  request.parts = std::move(composed.parts);
  request.tokenTypeIds = std::move(composed.tokenTypeIds);
  request.generate = f.generate;
  request.stopAtEos = f.stopAtEos;
  request.capture.rows = f.lastRowOnly ? CapturePolicy::Rows::LastRow : CapturePolicy::Rows::Full;
  request.capture.layers = parseLayerList(f.layers);
  // The views read attention, not logits: only the last position's row is kept (0.5 GB at 1k
  // tokens for a 128k vocabulary otherwise).
  request.capture.fullLogits = false;
  return request;
}

}  // namespace attnx
