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

namespace {

// A whole non-negative decimal number below 2^31, or nullopt.
std::optional<int> index(std::string_view s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

Knockout Knockout::parse(std::string_view spec) {
  Knockout k;
  k.spec = std::string(spec);
  auto fail = [&](const std::string& why) -> Error {
    return Error("knockout '" + k.spec + "': " + why);
  };
  const auto c1 = spec.find(':');
  const auto c2 = c1 == std::string_view::npos ? c1 : spec.find(':', c1 + 1);
  if (c2 == std::string_view::npos || spec.find(':', c2 + 1) != std::string_view::npos)
    throw fail("expected LAYER:HEAD:KEYS, for example 3:all:soft or all:2:5-9");
  const std::string_view layer = spec.substr(0, c1), head = spec.substr(c1 + 1, c2 - c1 - 1),
                         keys = spec.substr(c2 + 1);
  if (layer != "all") {
    k.layer = index(layer);
    if (!k.layer)
      throw fail("the layer must be a number or 'all', not '" + std::string(layer) + "'");
  }
  if (head != "all") {
    k.head = index(head);
    if (!k.head) throw fail("the head must be a number or 'all', not '" + std::string(head) + "'");
  }
  if (const auto dash = keys.find('-'); dash != std::string_view::npos) {
    const auto a = index(keys.substr(0, dash)), b = index(keys.substr(dash + 1));
    if (!a || !b || *a > *b)
      throw fail("key positions must be a-b with a <= b, not '" + std::string(keys) + "'");
    k.first = *a;
    k.last = *b;
  } else {
    k.kind = segmentKindFromName(keys);
    if (!k.kind || *k.kind == SegmentKind::Generated || *k.kind == SegmentKind::Pad)
      throw fail("the keys must be soft, bos, anchor, text, special or positions a-b, not '" +
                 std::string(keys) + "'");
  }
  return k;
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
  for (const auto& v : valueNorms) n += sizeof(v) + v.capacity() * sizeof(float);
  n += (logitLens.capacity() + rollout.capacity()) * sizeof(float);
  for (const auto& qk : queryKeys) n += sizeof(qk) + qk.bytes();
  return n;
}

}  // namespace attnx
