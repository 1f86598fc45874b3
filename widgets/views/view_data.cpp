#include "view_data.h"

#include <algorithm>

#include <QCoreApplication>

namespace attnx {

const std::vector<AttentionTensor>& tensorsForStep(const RunResult& r, std::optional<int> step) {
  static const std::vector<AttentionTensor> none;
  if (!step) return r.attentions;
  if (*step >= 0 && *step < static_cast<int>(r.stepAttentions.size()))
    return r.stepAttentions[static_cast<std::size_t>(*step)];
  return none;
}

const AttentionTensor* selectedTensor(const RunResult& r, const Selection& s) {
  for (const AttentionTensor& a : tensorsForStep(r, s.step))
    if (a.layer == s.layer) return &a;
  return nullptr;
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

QString quotedToken(const QString& text, int maxChars) {
  return QLatin1Char('\'') + visibleToken(text, maxChars) + QLatin1Char('\'');
}

std::optional<QString> lensLabel(const RunResult& r, int64_t id) {
  for (const auto& [known, text] : r.lensLabels)
    if (known == id) return QString::fromStdString(text);
  return std::nullopt;
}

qint64 tokenId(const RunResult& r, int row, int position) {
  if (row < 0 || row >= r.batch || position < 0) return -1;
  if (position < r.seqLen) {
    const auto i = static_cast<std::size_t>(row) * r.seqLen + position;
    return i < r.inputIds.size() ? r.inputIds[i] : -1;
  }
  const auto i = static_cast<std::size_t>(row) * r.generated + (position - r.seqLen);
  return position - r.seqLen < r.generated && i < r.generatedIds.size() ? r.generatedIds[i] : -1;
}

double largestInformativeWeight(const std::vector<float>& values, int rows, int cols) {
  double informative = 0, any = 0;
  if (rows <= 0 || cols <= 0 || values.size() < static_cast<std::size_t>(rows) * cols) return 0.0;
  for (int q = 0; q < rows; ++q) {
    const float* row = values.data() + static_cast<std::size_t>(q) * cols;
    int nonZero = 0;
    double top = 0;
    for (int k = 0; k < cols; ++k) {
      if (row[k] != 0.0f) ++nonZero;
      top = std::max(top, static_cast<double>(row[k]));
    }
    any = std::max(any, top);
    if (nonZero > 1) informative = std::max(informative, top);
  }
  return informative > 0 ? informative : any;
}

QString headName(HeadChoice head) {
  switch (head.kind) {
    case HeadChoice::Kind::Mean:
      return QCoreApplication::translate("attnx::Views", "mean of heads");
    case HeadChoice::Kind::Max:
      return QCoreApplication::translate("attnx::Views", "max of heads");
    case HeadChoice::Kind::One:
      break;
  }
  return QCoreApplication::translate("attnx::Views", "head %1").arg(head.index);
}

}  // namespace attnx
