#include "run_types.h"

#include <iterator>

#include "half.h"

namespace attnx {

namespace {

// The stable name of every segment kind, by enum order (run files, manifests, the CLI).
constexpr std::string_view kSegmentKindNames[] = {"soft",    "bos",       "anchor", "text",
                                                  "special", "generated", "pad"};
static_assert(std::size(kSegmentKindNames) == static_cast<std::size_t>(SegmentKind::Pad) + 1);

}  // namespace

std::string_view segmentKindName(SegmentKind k) {
  const auto i = static_cast<std::size_t>(k);
  return i < std::size(kSegmentKindNames) ? kSegmentKindNames[i] : "unknown";
}

std::optional<SegmentKind> segmentKindFromName(std::string_view name) {
  for (std::size_t k = 0; k < std::size(kSegmentKindNames); ++k)
    if (kSegmentKindNames[k] == name) return static_cast<SegmentKind>(k);
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
