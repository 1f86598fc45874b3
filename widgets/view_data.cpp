#include "view_data.h"

#include <QCoreApplication>

#include "error.h"

namespace attnx {

const std::vector<AttentionTensor>& tensorsForStep(const RunResult& r, int step) {
  static const std::vector<AttentionTensor> none;
  if (step < 0) return r.attentions;
  if (step < static_cast<int>(r.stepAttentions.size()))
    return r.stepAttentions[static_cast<std::size_t>(step)];
  return none;
}

const AttentionTensor* selectedTensor(const RunResult& r, const Selection& s) {
  for (const AttentionTensor& a : tensorsForStep(r, s.step))
    if (a.layer == s.layer) return &a;
  return nullptr;
}

std::optional<SegmentMass> selectedSegmentMass(const RunDocument& doc) {
  const RunResult* r = doc.result();
  if (!r) return std::nullopt;
  const Selection& s = doc.selection();
  if (tensorsForStep(*r, s.step).empty()) return std::nullopt;
  try {
    if (s.step >= 0) return computeStepSegmentMass(*r, s.batchRow, s.step);
    return computeSegmentMass(*r, s.batchRow, doc.resolvedQuery());
  } catch (const Error&) {
    // The query's row was not captured: the views show their empty state instead.
    return std::nullopt;
  }
}

int tokenCount(const RunResult& r) { return r.seqLen + r.generated; }

QString tokenText(const RunResult& r, int row, int position) {
  if (position < 0) return QString();
  if (position < r.seqLen) {
    const std::size_t i = static_cast<std::size_t>(row) * r.seqLen + position;
    return i < r.tokens.size() ? QString::fromStdString(r.tokens[i]) : QString::number(position);
  }
  const std::size_t g = static_cast<std::size_t>(position - r.seqLen);
  // Generated labels are kept for batch row 0 only.
  if (row == 0 && g < r.generatedTokens.size()) return QString::fromStdString(r.generatedTokens[g]);
  return QString::number(position);
}

QString visibleToken(const QString& text, int maxChars) {
  if (text.isEmpty()) return QStringLiteral("∅");
  QString t = text;
  // Spaces are made visible in real tokens (" the" -> "·the"); labels the program made up,
  // such as "<soft 0>", keep theirs.
  const bool madeUp = t.startsWith(QLatin1Char('<')) && t.endsWith(QLatin1Char('>'));
  if (!madeUp) t.replace(QLatin1Char(' '), QStringLiteral("·"));
  t.replace(QLatin1Char('\n'), QStringLiteral("↵"));
  t.replace(QLatin1Char('\r'), QStringLiteral("↵"));
  t.replace(QLatin1Char('\t'), QStringLiteral("→"));
  if (maxChars > 1 && t.size() > maxChars) t = t.left(maxChars - 1) + QStringLiteral("…");
  return t;
}

QString headName(int head) {
  if (head == kHeadMean) return QCoreApplication::translate("attnx::Views", "mean of heads");
  if (head == kHeadMax) return QCoreApplication::translate("attnx::Views", "max of heads");
  return QCoreApplication::translate("attnx::Views", "head %1").arg(head);
}

}  // namespace attnx
