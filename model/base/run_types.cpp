#include "run_types.h"

#include "half.h"

namespace attnx {

std::string_view segmentKindName(SegmentKind k) {
  switch (k) {
    case SegmentKind::Soft:
      return "soft";
    case SegmentKind::Bos:
      return "bos";
    case SegmentKind::Anchor:
      return "anchor";
    case SegmentKind::Text:
      return "text";
    case SegmentKind::Special:
      return "special";
    case SegmentKind::Generated:
      return "generated";
    case SegmentKind::Pad:
      return "pad";
  }
  return "unknown";
}

std::optional<SegmentKind> segmentKindFromName(std::string_view name) {
  for (int k = 0; k <= static_cast<int>(SegmentKind::Pad); ++k)
    if (segmentKindName(static_cast<SegmentKind>(k)) == name) return static_cast<SegmentKind>(k);
  return std::nullopt;
}

float AttentionTensor::at(int b, int h, int q, int k) const {
  const std::size_t i = index(b, h, q, k);
  // Exactly one of the two buffers is filled (storeFloat16 picks which).
  if (!f16.empty()) return halfToFloat(f16[i]);
  return f32[i];
}

std::size_t RunResult::bytes() const {
  std::size_t n = sizeof(RunResult);
  n += inputIds.capacity() * sizeof(int64_t) + attentionMask.capacity() * sizeof(int64_t);
  for (const auto& row : layout) n += row.capacity() * sizeof(Segment);
  for (const auto& t : tokens) n += sizeof(std::string) + t.capacity();
  auto attentionBytes = [](const std::vector<AttentionTensor>& v) {
    std::size_t s = 0;
    for (const auto& a : v)
      s += sizeof(AttentionTensor) + a.bytes() + a.queryPositions.capacity() * sizeof(int);
    return s;
  };
  n += attentionBytes(attentions);
  n += logits.capacity() * sizeof(float) + stepLogits.capacity() * sizeof(float);
  n += pooled.capacity() * sizeof(float);
  for (const auto& h : hiddenStates) n += sizeof(h) + h.capacity() * sizeof(float);
  n += generatedIds.capacity() * sizeof(int64_t);
  for (const auto& t : generatedTokens) n += sizeof(std::string) + t.capacity();
  n += generatedText.capacity();
  for (const auto& step : stepAttentions) n += attentionBytes(step);
  return n;
}

}  // namespace attnx
