#include "run_parts.h"

#include <string>

#include "error.h"

namespace attnx {

std::vector<InputPart> partsOfRun(const RunResult& r, int b) {
  if (b < 0 || b >= r.batch || static_cast<std::size_t>(b) >= r.layout.size())
    throw Error("the run has no layout for batch row " + std::to_string(b));
  const std::size_t T = static_cast<std::size_t>(r.seqLen);
  if (r.inputIds.size() < (static_cast<std::size_t>(b) + 1) * T)
    throw Error("the run does not record its input ids");
  const int64_t* ids = r.inputIds.data() + static_cast<std::size_t>(b) * T;
  std::vector<InputPart> parts;
  for (const Segment& s : r.layout[static_cast<std::size_t>(b)]) {
    if (s.size() <= 0) continue;
    if (s.begin < 0 || s.end > r.seqLen) throw Error("the run's layout does not fit its input");
    InputPart p;
    p.kind = s.kind;
    switch (s.kind) {
      case SegmentKind::Soft:
        p.rows = s.size();
        break;
      case SegmentKind::Bos:
      case SegmentKind::Anchor:
      case SegmentKind::Text:
      case SegmentKind::Special:
        p.ids.assign(ids + s.begin, ids + s.end);
        break;
      case SegmentKind::Pad:
        throw Error("batch row " + std::to_string(b) +
                    " is padded: its input cannot be composed again on its own");
      case SegmentKind::Generated:
        continue;  // produced by the run, not part of its input
    }
    parts.push_back(std::move(p));
  }
  if (parts.empty()) throw Error("the run's input is empty");
  return parts;
}

}  // namespace attnx
