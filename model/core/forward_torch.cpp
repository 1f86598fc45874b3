#include "forward_torch.h"

#include <cmath>
#include <tuple>
#include <limits>

#include "attention_torch.h"
#include "error.h"

namespace attnx {
namespace {

at::Tensor linear(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b) {
  return b.defined() ? at::linear(x, w, b) : at::linear(x, w);
}

// transformers' RMSNorm: in float32, then back to the input dtype before the weight.
at::Tensor rmsNorm(const at::Tensor& x, const at::Tensor& w, double eps) {
  at::Tensor x32 = x.to(at::kFloat);
  at::Tensor variance = x32.pow(2).mean(-1, /*keepdim=*/true);
  x32 = x32 * at::rsqrt(variance + eps);
  return w * x32.to(x.scalar_type());
}

at::Tensor activate(const at::Tensor& x, Activation a) {
  switch (a) {
    case Activation::SiluGated:
      return at::silu(x);
    case Activation::ReluGated:
      return at::relu(x);
    case Activation::GeluExact:
      return at::gelu(x);
    case Activation::GeluNew: {
      // The tanh approximation written out as transformers' NewGELUActivation does.
      const double c = std::sqrt(2.0 / M_PI);
      return 0.5 * x * (1.0 + at::tanh(c * (x + 0.044715 * at::pow(x, 3.0))));
    }
  }
  return x;
}

at::Tensor rotateHalf(const at::Tensor& x) {
  const int64_t half = x.size(-1) / 2;
  return at::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
}

}  // namespace

at::Tensor ropeInverseFrequencies(const HParams& hp) {
  const int64_t dim = hp.headDim;
  // 1 / base^(arange(0, dim, 2) / dim), in float32 as transformers computes it.
  at::Tensor exps = at::arange(0, dim, 2, at::kLong).to(at::kFloat) / static_cast<double>(dim);
  at::Tensor inv = at::reciprocal(at::pow(hp.ropeTheta, exps));
  const RopeScaling& s = hp.ropeScaling;
  if (s.type == RopeScaling::Type::Linear) return inv / s.factor;
  if (s.type != RopeScaling::Type::Llama3) return inv;
  // Llama 3.1: long wavelengths are slowed by `factor`, short ones kept, the band between them
  // interpolated smoothly.
  const double oldContext = s.originalMaxPositions;
  const double lowWavelen = oldContext / s.lowFreqFactor;
  const double highWavelen = oldContext / s.highFreqFactor;
  at::Tensor wavelen = at::reciprocal(inv) * (2 * M_PI);
  at::Tensor scaled = at::where(wavelen > lowWavelen, inv / s.factor, inv);
  at::Tensor smooth = (at::reciprocal(wavelen) * oldContext - s.lowFreqFactor) /
                      (s.highFreqFactor - s.lowFreqFactor);
  at::Tensor smoothed = (1 - smooth) * scaled / s.factor + smooth * scaled;
  at::Tensor medium =
      (wavelen < highWavelen).logical_not().logical_and((wavelen > lowWavelen).logical_not());
  return at::where(medium, smoothed, scaled);
}

Transformer::Transformer(const HParams& hp, const ArchSpec& arch, const Weights& w,
                         at::Device device, at::ScalarType dtype)
    : hp_(hp), arch_(arch), w_(w), device_(device), dtype_(dtype) {
  if (arch.positions == Positions::Rope) invFreq_ = ropeInverseFrequencies(hp).to(device);
}

at::Tensor Transformer::norm(const at::Tensor& x, Role weight, Role bias, int layer) const {
  const at::Tensor& w = layer < 0 ? w_.get(weight) : w_.get(weight, layer);
  if (arch_.norm == NormKind::RMSNorm) return rmsNorm(x, w, hp_.normEps);
  const at::Tensor& b = layer < 0 ? w_.get(bias) : w_.get(bias, layer);
  return at::layer_norm(x, {x.size(-1)}, w, b, hp_.normEps);
}

at::Tensor Transformer::embed(const at::Tensor& ids, const at::Tensor& softMask,
                              const at::Tensor& softRows, const at::Tensor& positions,
                              const at::Tensor& tokenTypes) const {
  const bool soft = softMask.defined() && softRows.defined() && softRows.numel() > 0;
  at::Tensor h = at::embedding(w_.get(Role::TokEmbed), soft ? ids.masked_fill(softMask, 0) : ids);
  if (soft) {
    // Soft rows replace the token embeddings at their positions, in row-major (b, t) order, as
    // inputs_embeds does.
    h = h.masked_scatter(softMask.unsqueeze(-1).expand_as(h), softRows.to(h.scalar_type()));
  }
  if (arch_.tokenTypes) {
    at::Tensor types = tokenTypes.defined() ? tokenTypes : at::zeros_like(ids);
    h = h + at::embedding(w_.get(Role::TypeEmbed), types);
  }
  if (arch_.positions == Positions::Learned)
    h = h + at::embedding(w_.get(Role::PosEmbed), positions);
  if (arch_.embedNorm) h = norm(h, Role::EmbedNorm, Role::EmbedNormBias, -1);
  return h;  // [B,T,d]
}

at::Tensor Transformer::valueNorms(const at::Tensor& v, int l) const {
  const int64_t H = hp_.heads, Hkv = hp_.kvHeads, D = hp_.headDim, rep = H / Hkv;
  const int64_t B = v.size(0), Tk = v.size(2);
  // ||W_h v||^2 = v^T (W_h^T W_h) v with W_h = W_O[:, hD:(h+1)D] ([d, D]): a D x D Gram matrix
  // per head keeps the work and the memory at [B,H,Tk,D] instead of [B,H,Tk,d].
  const at::Tensor wo = w_.get(Role::O, l).to(at::kFloat);               // [d, H*D]
  const at::Tensor wh = wo.view({wo.size(0), H, D}).permute({1, 0, 2});  // [H, d, D]
  const at::Tensor gram = at::matmul(wh.transpose(1, 2), wh);            // [H, D, D]
  const at::Tensor vf = v.to(at::kFloat).unsqueeze(2).expand({B, Hkv, rep, Tk, D});
  const at::Tensor g = gram.view({1, Hkv, rep, D, D});
  const at::Tensor sq = (at::matmul(vf, g) * vf).sum(-1);  // [B,Hkv,rep,Tk]
  return sq.clamp_min(0).sqrt().reshape({B, H, Tk});
}

at::Tensor Transformer::attention(const at::Tensor& x, int l, const at::Tensor& cos,
                                  const at::Tensor& sin, const KeyRule& rule,
                                  const at::Tensor& removed, KvCache* cache,
                                  CaptureSink& sink) const {
  const int64_t B = x.size(0), Tq = x.size(1);
  const int64_t H = hp_.heads, Hkv = hp_.kvHeads, D = hp_.headDim;
  at::Tensor q, k, v;
  if (arch_.fusedQkv) {
    auto parts = linear(x, w_.get(Role::Qkv, l), w_.get(Role::QkvBias, l))
                     .split_with_sizes({H * D, Hkv * D, Hkv * D}, -1);
    q = parts[0], k = parts[1], v = parts[2];
  } else {
    q = linear(x, w_.get(Role::Q, l), w_.get(Role::QBias, l));
    k = linear(x, w_.get(Role::K, l), w_.get(Role::KBias, l));
    v = linear(x, w_.get(Role::V, l), w_.get(Role::VBias, l));
  }
  q = q.view({B, Tq, H, D});
  k = k.view({B, Tq, Hkv, D});
  v = v.view({B, Tq, Hkv, D}).transpose(1, 2);  // [B,Hkv,Tq,D]
  if (arch_.qkNorm) {  // Qwen3: per-head RMSNorm before RoPE
    q = rmsNorm(q, w_.get(Role::QNorm, l), hp_.normEps);
    k = rmsNorm(k, w_.get(Role::KNorm, l), hp_.normEps);
  }
  q = q.transpose(1, 2);  // [B,H,Tq,D]
  k = k.transpose(1, 2);  // [B,Hkv,Tq,D]
  if (cos.defined()) {
    q = q * cos + rotateHalf(q) * sin;
    k = k * cos + rotateHalf(k) * sin;
  }
  if (cache) {
    const int64_t past = cache->length;
    auto& ck = cache->k[static_cast<std::size_t>(l)];
    auto& cv = cache->v[static_cast<std::size_t>(l)];
    ck.narrow(2, past, Tq).copy_(k);
    cv.narrow(2, past, Tq).copy_(v);
    k = ck.narrow(2, 0, past + Tq);  // [B,Hkv,Tk,D]
    v = cv.narrow(2, 0, past + Tq);
  }
  const int64_t Tk = k.size(2);
  if (sink.wants(CapturePoint::ValueNorm)) sink.emit(CapturePoint::ValueNorm, l, valueNorms(v, l));

  const AttentionShape shape{H, Hkv, D, arch_.scaleByDivision};
  at::Tensor r;  // [B,H,1,Tk] or undefined: keys past the prompt's (generated ones) always stay
  if (removed.defined()) {
    r = removed;
    if (r.size(-1) < Tk)
      r = at::cat({r, at::zeros({B, H, 1, Tk - r.size(-1)}, r.options())}, -1);
    else if (r.size(-1) > Tk)
      r = r.narrow(-1, 0, Tk);
  }
  at::Tensor ctx;  // [B,H,Tq,D]
  const auto longs = at::TensorOptions().dtype(at::kLong).device(q.device());
  if (sink.needsAllRows(l)) {
    // Full matrices (or the rollout) asked for: every row's probabilities, then their output.
    const at::Tensor slots = at::arange(rule.past, rule.past + Tq, longs).view({1, Tq});
    const at::Tensor probs = rowProbabilities(q, k, slots, rule, r, shape);  // [B,H,Tq,Tk] f32
    sink.emit(CapturePoint::Attention, l, probs);
    ctx = weightedValues(probs.to(v.scalar_type()), v, shape);
  } else {
    // Memory-lean: tiles with an online softmax, and the probabilities of the kept rows only.
    at::Tensor lse;  // [B,H,Tq]
    std::tie(ctx, lse) = blockedAttention(q, k, v, rule, r, shape, block_);
    if (sink.wants(CapturePoint::Query)) {
      sink.emit(CapturePoint::Query, l, q);
      sink.emit(CapturePoint::Key, l, k);
      sink.emit(CapturePoint::RowLse, l, lse);
    }
    if (const at::Tensor rows = sink.rowsToKeep(l, Tq); rows.defined()) {
      const at::Tensor idx = rows.to(q.device());  // [B,nr] query rows of this pass
      const int64_t nr = idx.size(1);
      const at::Tensor qr = q.gather(2, idx.view({B, 1, nr, 1}).expand({B, H, nr, D}));
      sink.emit(CapturePoint::AttentionRows, l,
                rowProbabilities(qr, k, idx + rule.past, rule, r, shape));
    }
  }
  ctx = ctx.transpose(1, 2).reshape({B, Tq, H * D});
  return linear(ctx, w_.get(Role::O, l), w_.get(Role::OBias, l));  // [B,Tq,d]
}

at::Tensor Transformer::mlp(const at::Tensor& x, int l) const {
  if (arch_.gatedMlp(hp_)) {
    at::Tensor g = linear(x, w_.get(Role::Gate, l), w_.get(Role::GateBias, l));
    at::Tensor u = linear(x, w_.get(Role::Up, l), w_.get(Role::UpBias, l));
    return linear(activate(g, hp_.activation) * u, w_.get(Role::Down, l),
                  w_.get(Role::DownBias, l));
  }
  at::Tensor hidden =
      activate(linear(x, w_.get(Role::FcIn, l), w_.get(Role::FcInBias, l)), hp_.activation);
  return linear(hidden, w_.get(Role::FcOut, l), w_.get(Role::FcOutBias, l));
}

at::Tensor Transformer::layers(at::Tensor h, const at::Tensor& positions,
                               const at::Tensor& keyValid, KvCache* cache, CaptureSink& sink,
                               const std::function<void(int)>& afterLayer,
                               const LayerPass& pass) const {
  const int64_t Tq = h.size(1);
  const int64_t past = cache ? cache->length : 0;
  const KeyRule allowed{keyValid, past, arch_.causal, 0, keyValid.all().item<bool>()};
  KeyRule allowedWindow = allowed;
  allowedWindow.window = hp_.slidingWindow;

  at::Tensor cos, sin;
  if (arch_.positions == Positions::Rope) {
    // [B,Tq,D/2] angles, duplicated to D, as [B,1,Tq,D] in the run dtype.
    at::Tensor freqs = positions.to(at::kFloat).unsqueeze(-1) * invFreq_;
    at::Tensor emb = at::cat({freqs, freqs}, -1);
    cos = emb.cos().to(dtype_).unsqueeze(1);
    sin = emb.sin().to(dtype_).unsqueeze(1);
  }

  if (pass.first == 0) sink.emit(CapturePoint::HiddenState, 0, h);
  const int L = hp_.layers;
  if (pass.inputs) pass.inputs->assign(static_cast<std::size_t>(L), at::Tensor());
  static const at::Tensor kNone;
  for (int l = pass.first; l < L; ++l) {
    const KeyRule& mask = hp_.slidingAt(l) ? allowedWindow : allowed;
    const at::Tensor& removed =
        pass.removedKeys && static_cast<std::size_t>(l) < pass.removedKeys->size()
            ? (*pass.removedKeys)[static_cast<std::size_t>(l)]
            : kNone;
    if (pass.inputs) (*pass.inputs)[static_cast<std::size_t>(l)] = h;
    if (arch_.postNorm) {
      h = norm(h + attention(h, l, cos, sin, mask, removed, cache, sink), Role::AttnNorm,
               Role::AttnNormBias, l);
      h = norm(h + mlp(h, l), Role::MlpNorm, Role::MlpNormBias, l);
    } else {
      h = h + attention(norm(h, Role::AttnNorm, Role::AttnNormBias, l), l, cos, sin, mask, removed,
                        cache, sink);
      h = h + mlp(norm(h, Role::MlpNorm, Role::MlpNormBias, l), l);
    }
    // transformers reports the last layer's output after the final norm, when there is one.
    if (l < L - 1 || !arch_.finalNorm) sink.emit(CapturePoint::HiddenState, l + 1, h);
    if (afterLayer) afterLayer(l);
  }
  if (arch_.finalNorm) {
    h = norm(h, Role::FinalNorm, Role::FinalNormBias, -1);
    sink.emit(CapturePoint::HiddenState, L, h);
  }
  if (cache) cache->length += static_cast<int>(Tq);
  return h;
}

at::Tensor Transformer::finalNorm(const at::Tensor& h) const {
  return arch_.finalNorm ? norm(h, Role::FinalNorm, Role::FinalNormBias, -1) : h;
}

at::Tensor Transformer::logits(const at::Tensor& h) const {
  return at::linear(h, w_.get(Role::LmHead)).to(at::kFloat);
}

at::Tensor Transformer::pooled(const at::Tensor& h) const {
  if (!w_.get(Role::PoolerWeight).defined()) return {};
  return at::tanh(at::linear(h.select(1, 0), w_.get(Role::PoolerWeight), w_.get(Role::PoolerBias)))
      .to(at::kFloat);
}

KvCache Transformer::makeCache(int64_t batch, int64_t capacity) const {
  KvCache c;
  const auto opts = at::TensorOptions().dtype(dtype_).device(device_);
  for (int l = 0; l < hp_.layers; ++l) {
    c.k.push_back(at::zeros({batch, hp_.kvHeads, capacity, hp_.headDim}, opts));
    c.v.push_back(at::zeros({batch, hp_.kvHeads, capacity, hp_.headDim}, opts));
  }
  return c;
}

}  // namespace attnx
