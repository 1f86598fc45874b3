#include "attention_torch.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace attnx {
namespace {

double lowest(at::ScalarType t) {
  switch (t) {
    case at::kHalf:
      return -65504.0;
    case at::kBFloat16:
      return -3.3895313892515355e38;
    case at::kDouble:
      return std::numeric_limits<double>::lowest();
    default:
      return std::numeric_limits<float>::lowest();
  }
}

// Scores [B,H,rows,nk] in the run dtype: the `rep` query heads sharing a key head are stacked along
// the query axis (head h uses key head h / rep, as repeat_kv does), so keys are never copied.
at::Tensor scores(const at::Tensor& q, const at::Tensor& k, const AttentionShape& s) {
  const int64_t B = q.size(0), rows = q.size(2), nk = k.size(2), rep = s.heads / s.kvHeads;
  at::Tensor qg = q.reshape({B, s.kvHeads, rep * rows, s.headDim});
  at::Tensor out = at::matmul(qg, k.transpose(-1, -2)).view({B, s.heads, rows, nk});
  if (s.scaleByDivision) return out / std::sqrt(static_cast<double>(s.headDim));
  return out * std::pow(static_cast<double>(s.headDim), -0.5);
}

}  // namespace

at::Tensor weightedValues(const at::Tensor& p, const at::Tensor& v, const AttentionShape& s) {
  const int64_t B = p.size(0), rows = p.size(2), nk = p.size(3), rep = s.heads / s.kvHeads;
  return at::matmul(p.reshape({B, s.kvHeads, rep * rows, nk}), v)
      .view({B, s.heads, rows, s.headDim});
}

at::Tensor KeyRule::allowed(const at::Tensor& slots, int64_t k0, int64_t nk) const {
  const int64_t B = keyValid.size(0);
  at::Tensor a = keyValid.narrow(1, k0, nk).view({B, 1, nk});
  const auto longs = at::TensorOptions().dtype(at::kLong).device(keyValid.device());
  const at::Tensor keys = at::arange(k0, k0 + nk, longs).view({1, 1, nk});
  const at::Tensor s = slots.unsqueeze(-1);  // [B|1,rows,1]
  if (causal) a = a.logical_and(keys <= s);
  if (window > 0) a = a.logical_and(keys > s - window);
  return a.unsqueeze(1);  // [B,1,rows|1,nk]
}

at::Tensor rowProbabilities(const at::Tensor& q, const at::Tensor& k, const at::Tensor& slots,
                            const KeyRule& rule, const at::Tensor& removed,
                            const AttentionShape& shape) {
  at::Tensor s = scores(q, k, shape);
  const at::Tensor allowed = rule.allowed(slots, 0, k.size(2));
  at::Tensor mask = allowed;
  if (removed.defined()) {
    const at::Tensor kept = allowed.logical_and(removed.logical_not());
    // A row left without any key keeps its weights.
    mask = kept.logical_or(allowed.logical_and(kept.any(-1, /*keepdim=*/true).logical_not()));
  }
  s = s.masked_fill(mask.logical_not(), lowest(s.scalar_type()));
  return at::softmax(s, -1, at::kFloat);
}

std::pair<at::Tensor, at::Tensor> blockedAttention(const at::Tensor& q, const at::Tensor& k,
                                                   const at::Tensor& v, const KeyRule& rule,
                                                   const at::Tensor& removed,
                                                   const AttentionShape& shape, int64_t block) {
  const int64_t B = q.size(0), H = q.size(1), Tq = q.size(2), D = q.size(3), Tk = k.size(2);
  const int64_t past = rule.past;
  const double inf = std::numeric_limits<double>::infinity();
  const auto longs = at::TensorOptions().dtype(at::kLong).device(q.device());
  const auto floats = q.options().dtype(at::kFloat);

  // Each row's allowed key range lo..hi, and how many allowed (and, under a knockout, kept) keys
  // fall in it, from prefix counts over the keys: O(B*H*T), no [Tq,Tk] mask.
  const at::Tensor slotsAll = at::arange(past, past + Tq, longs);
  const at::Tensor hi = rule.causal ? slotsAll.clamp_max(Tk - 1) : at::full({Tq}, Tk - 1, longs);
  const at::Tensor lo =
      rule.window > 0 ? (slotsAll - rule.window + 1).clamp_min(0) : at::zeros({Tq}, longs);
  auto inRange = [&](const at::Tensor& keys) {  // keys [..., Tk] bool -> counts [..., Tq]
    const int64_t dim = keys.dim() - 1;
    std::vector<int64_t> zeroShape = keys.sizes().vec();
    zeroShape.back() = 1;
    const at::Tensor cum =
        at::cat({at::zeros(zeroShape, longs), keys.to(at::kLong).cumsum(dim)}, dim);
    return cum.index_select(dim, hi + 1) - cum.index_select(dim, lo);
  };
  const at::Tensor empty = inRange(rule.keyValid).eq(0);  // [B,Tq]: no key at all (left pads)
  at::Tensor fallback;                                    // [B,H,Tq]: knockout left no key
  if (removed.defined())
    fallback =
        inRange(rule.keyValid.unsqueeze(1).logical_and(removed.squeeze(2).logical_not())).eq(0);

  // A short query tile (a generated step's single row) takes proportionally wider key tiles: the
  // tile's area, and so its memory, stays that of block x block.
  const int64_t keyBlock =
      std::max(block, block * block / std::max<int64_t>(1, std::min(block, Tq)));
  at::Tensor out = at::empty({B, H, Tq, D}, v.options());
  at::Tensor lse = at::empty({B, H, Tq}, floats);
  for (int64_t q0 = 0; q0 < Tq; q0 += block) {
    const int64_t nq = std::min(block, Tq - q0);
    const int64_t first = past + q0, last = past + q0 + nq - 1;  // the tile's query slots
    const int64_t kBegin = rule.window > 0 ? std::max<int64_t>(0, first - rule.window + 1) : 0;
    const int64_t kEnd = rule.causal ? std::min(Tk, last + 1) : Tk;
    const at::Tensor qb = q.narrow(2, q0, nq);
    const at::Tensor slots = slotsAll.narrow(0, q0, nq).view({1, nq});
    const at::Tensor fb =
        removed.defined() ? fallback.narrow(2, q0, nq).unsqueeze(-1) : at::Tensor();
    at::Tensor m = at::full({B, H, nq}, -inf, floats);
    at::Tensor l = at::zeros({B, H, nq}, floats);
    at::Tensor acc = at::zeros({B, H, nq, D}, floats);
    for (int64_t k0 = kBegin; k0 < kEnd; k0 += keyBlock) {
      const int64_t nk = std::min(keyBlock, kEnd - k0);
      at::Tensor s = scores(qb, k.narrow(2, k0, nk), shape).to(at::kFloat);  // [B,H,nq,nk]
      // A tile inside the causal band and the window, without padding or knockout, needs no mask.
      const bool inside = rule.allValid && !removed.defined() &&
                          (!rule.causal || k0 + nk - 1 <= first) &&
                          (rule.window <= 0 || k0 > last - rule.window);
      if (!inside) {
        at::Tensor a = rule.allowed(slots, k0, nk);  // [B,1,nq,nk]
        if (removed.defined())
          a = a.logical_and(removed.narrow(-1, k0, nk).logical_not().logical_or(fb));
        s.masked_fill_(a.logical_not(), -inf);
      }
      // Online softmax: m is the running maximum, l the running sum of exp(s - m), acc the
      // running sum of exp(s - m) v; a new maximum rescales both by exp(m_old - m_new).
      const at::Tensor mNew = at::maximum(m, std::get<0>(s.max(-1)));
      const at::Tensor mSafe = mNew.masked_fill(mNew.eq(-inf), 0.0);  // rows with nothing yet
      const at::Tensor p = at::exp(s - mSafe.unsqueeze(-1));
      const at::Tensor alpha = at::exp(m - mSafe);
      l = l * alpha + p.sum(-1);
      acc = acc * alpha.unsqueeze(-1) +
            weightedValues(p.to(v.scalar_type()), v.narrow(2, k0, nk), shape).to(at::kFloat);
      m = mNew;
    }
    out.narrow(2, q0, nq).copy_(acc / l.unsqueeze(-1));
    lse.narrow(2, q0, nq).copy_(m + at::log(l));
  }
  if (empty.any().item<bool>()) {
    // A row without any allowed key: the full softmax of equal scores, 1/Tk on every key.
    const int64_t Hkv = shape.kvHeads, rep = H / Hkv;
    const at::Tensor mean = v.to(at::kFloat).mean(2).unsqueeze(2).expand({B, Hkv, rep, D});
    out = at::where(empty.view({B, 1, Tq, 1}), mean.reshape({B, H, 1, D}).to(v.scalar_type()), out);
    lse.masked_fill_(empty.view({B, 1, Tq}), -inf);
  }
  return {out, lse};
}

}  // namespace attnx
