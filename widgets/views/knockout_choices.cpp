#include "knockout_choices.h"

#include <QCoreApplication>
#include <QMenu>
#include <algorithm>

#include "segment_style.h"
#include "view_data.h"

namespace attnx {

namespace {

QString kindName(SegmentKind kind) { return QString::fromLatin1(segmentKindName(kind)); }

}  // namespace

std::vector<SegmentKind> knockoutKinds(const RunResult& r, int row) {
  std::vector<SegmentKind> kinds;
  if (row < 0 || static_cast<std::size_t>(row) >= r.layout.size()) return kinds;
  for (const Segment& s : r.layout[static_cast<std::size_t>(row)]) {
    // Padding is never attended; generated tokens are not keys of the prompt pass.
    if (s.size() <= 0 || s.kind == SegmentKind::Pad || s.kind == SegmentKind::Generated) continue;
    if (std::find(kinds.begin(), kinds.end(), s.kind) == kinds.end()) kinds.push_back(s.kind);
  }
  return kinds;
}

std::vector<KnockoutChoice> headKnockouts(const RunResult& r, int row, int layer, int head) {
  std::vector<KnockoutChoice> out;
  const std::vector<SegmentKind> kinds = knockoutKinds(r, row);
  for (SegmentKind k : kinds)
    out.push_back({QStringLiteral("%1:%2:%3").arg(layer).arg(head).arg(kindName(k)),
                   QCoreApplication::translate("attnx::KnockoutChoices",
                                               "Knock out head %1.%2's attention to the %3 tokens")
                       .arg(layer)
                       .arg(head)
                       .arg(segmentLabel(k))});
  for (SegmentKind k : kinds)
    out.push_back({QStringLiteral("%1:all:%2").arg(layer).arg(kindName(k)),
                   QCoreApplication::translate(
                       "attnx::KnockoutChoices",
                       "Knock out every head of layer %1's attention to the %2 tokens")
                       .arg(layer)
                       .arg(segmentLabel(k))});
  return out;
}

std::vector<KnockoutChoice> keyKnockouts(const RunResult& r, int row, int position,
                                         const HeadChoice& head, int layer) {
  std::vector<KnockoutChoice> out;
  if (position < 0 || position >= r.seqLen) return out;
  const SegmentKind kind = segmentAt(r, row, position);
  const QString token = quotedToken(tokenText(r, row, position), 16);
  const QString keys = QStringLiteral("%1-%1").arg(position);
  const bool segment = kind != SegmentKind::Pad && kind != SegmentKind::Generated;
  out.push_back({QStringLiteral("all:all:") + keys,
                 QCoreApplication::translate("attnx::KnockoutChoices",
                                             "Knock out every head's attention to token %1 %2")
                     .arg(position)
                     .arg(token)});
  if (segment)
    out.push_back({QStringLiteral("all:all:") + kindName(kind),
                   QCoreApplication::translate("attnx::KnockoutChoices",
                                               "Knock out every head's attention to the %1 tokens")
                       .arg(segmentLabel(kind))});
  if (head.isOne()) {
    const QString at = QStringLiteral("%1:%2:").arg(layer).arg(head.index);
    out.push_back(
        {at + keys, QCoreApplication::translate("attnx::KnockoutChoices",
                                                "Knock out head %1.%2's attention to token %3 %4")
                        .arg(layer)
                        .arg(head.index)
                        .arg(position)
                        .arg(token)});
    if (segment)
      out.push_back({at + kindName(kind), QCoreApplication::translate(
                                              "attnx::KnockoutChoices",
                                              "Knock out head %1.%2's attention to the %3 tokens")
                                              .arg(layer)
                                              .arg(head.index)
                                              .arg(segmentLabel(kind))});
  }
  return out;
}

void addKnockoutActions(QMenu* menu, const std::vector<KnockoutChoice>& choices,
                        const std::function<void(const QString& spec)>& run) {
  if (choices.empty()) return;
  if (!menu->isEmpty()) menu->addSeparator();
  menu->setToolTipsVisible(true);
  for (const KnockoutChoice& c : choices) {
    QAction* a = menu->addAction(c.text);
    a->setData(c.spec);
    a->setToolTip(QCoreApplication::translate(
                      "attnx::KnockoutChoices",
                      "Runs the input again with knockout %1 and opens it beside this run")
                      .arg(c.spec));
    const QString spec = c.spec;
    QObject::connect(a, &QAction::triggered, menu, [run, spec] { run(spec); });
  }
}

}  // namespace attnx
