// The analyses that need the model's own parts: knockout masks, the logit lens and the knockout
// scan (the causal head grid), which reuses every layer before the one it knocks out.
#include <chrono>
#include <string>

#include "family_table.h"
#include "model_impl.h"

namespace attnx {
namespace {

// [B*T] 1 where a position is among the knockout's keys. Throws naming the spec when the input
// has no such positions.
std::vector<uint8_t> keyMaskOf(const Knockout& k, const PreparedInput& p) {
  const int64_t B = p.B, T = p.T;
  std::vector<uint8_t> keys(static_cast<std::size_t>(B * T), 0);
  if (!k.kind) {
    if (k.last >= T)
      throw Error("knockout '" + k.spec + "': positions " + std::to_string(k.first) + "-" +
                  std::to_string(k.last) + " are outside the input's 0.." + std::to_string(T - 1));
    for (int64_t b = 0; b < B; ++b)
      for (int t = k.first; t <= k.last; ++t) keys[static_cast<std::size_t>(b * T + t)] = 1;
    return keys;
  }
  bool any = false;
  for (int64_t b = 0; b < B; ++b)
    for (const Segment& s : p.layout[static_cast<std::size_t>(b)])
      if (s.kind == *k.kind)
        for (int t = s.begin; t < s.end; ++t)
          keys[static_cast<std::size_t>(b * T + t)] = 1, any = true;
  if (!any)
    throw Error("knockout '" + k.spec + "': the input has no " +
                std::string(segmentKindName(*k.kind)) + " positions");
  return keys;
}

}  // namespace

void Model::Impl::requireLmHead(const char* what) const {
  if (!arch->lmHead)
    throw Error(std::string(what) + " needs an LM head, and " + std::string(familyName(hp.family)) +
                " (an encoder) has none");
}

std::vector<at::Tensor> Model::Impl::removedKeys(const std::vector<Knockout>& knockouts,
                                                 const PreparedInput& p) const {
  if (knockouts.empty()) return {};
  const int L = hp.layers, H = hp.heads;
  const int64_t B = p.B, T = p.T;
  std::vector<std::vector<uint8_t>> host(static_cast<std::size_t>(L));
  for (const Knockout& k : knockouts) {
    if (k.layer && *k.layer >= L)
      throw Error("knockout '" + k.spec + "': the model has " + std::to_string(L) + " layers (0.." +
                  std::to_string(L - 1) + ")");
    if (k.head && *k.head >= H)
      throw Error("knockout '" + k.spec + "': the model has " + std::to_string(H) +
                  " heads per layer (0.." + std::to_string(H - 1) + ")");
    const std::vector<uint8_t> keys = keyMaskOf(k, p);
    const int l0 = k.layer ? *k.layer : 0, l1 = k.layer ? *k.layer + 1 : L;
    const int h0 = k.head ? *k.head : 0, h1 = k.head ? *k.head + 1 : H;
    for (int l = l0; l < l1; ++l) {
      auto& m = host[static_cast<std::size_t>(l)];
      if (m.empty()) m.assign(static_cast<std::size_t>(B * H * T), 0);
      for (int64_t b = 0; b < B; ++b)
        for (int h = h0; h < h1; ++h)
          for (int64_t t = 0; t < T; ++t)
            m[static_cast<std::size_t>((b * H + h) * T + t)] |=
                keys[static_cast<std::size_t>(b * T + t)];
    }
  }
  std::vector<at::Tensor> out(static_cast<std::size_t>(L));
  for (int l = 0; l < L; ++l) {
    const auto& m = host[static_cast<std::size_t>(l)];
    if (m.empty()) continue;
    out[static_cast<std::size_t>(l)] =
        at::tensor(std::vector<int64_t>(m.begin(), m.end()), at::kLong)
            .view({B, H, 1, T})
            .to(device)
            .to(at::kBool);
  }
  return out;
}

at::Tensor Model::Impl::logitLens(const std::vector<at::Tensor>& lensHidden,
                                  const at::Tensor& hFinal, const std::vector<int>& rows) const {
  const int64_t B = hFinal.size(0), d = hFinal.size(2);
  std::vector<at::Tensor> layers;
  for (const at::Tensor& x : lensHidden)  // h_l, l < L: the residual stream before layer l
    layers.push_back(at::log_softmax(transformer->logits(transformer->finalNorm(x)), -1));
  at::Tensor idx = at::tensor(std::vector<int64_t>(rows.begin(), rows.end()), at::kLong)
                       .to(hFinal.device())
                       .view({B, 1, 1})
                       .expand({B, 1, d});
  // l = L: the model's own output (hFinal carries the final norm already).
  layers.push_back(at::log_softmax(transformer->logits(hFinal.gather(1, idx).squeeze(1)), -1));
  return at::stack(layers, 1);  // [B, L+1, V]
}

ScanResult Model::Impl::scan(const BatchInput& in, const ScanOptions& options,
                             const ProgressFn& progress) const {
  const auto start = std::chrono::steady_clock::now();
  if (at::get_num_threads() != threads) at::set_num_threads(threads);
  compat::InferenceGuard inference;
  requireLmHead("a knockout scan");
  if (in.batch != 1)
    throw Error("a knockout scan takes one input, not a batch of " + std::to_string(in.batch));
  const PreparedInput p = prepare(in);
  const int L = hp.layers, H = hp.heads;
  const int q = options.query ? *options.query : p.lastRow[0];
  if (q < 0 || q >= p.T || !p.mask[static_cast<std::size_t>(q)])
    throw Error("the scan's query " + std::to_string(q) + " is not a valid position (0.." +
                std::to_string(p.T - 1) + ")");
  // The keys, checked once: the same positions for every layer and head.
  const Knockout all = Knockout::parse("all:all:" + options.keys);
  const std::vector<uint8_t> keys = keyMaskOf(all, p);
  const at::Tensor keyRow = at::tensor(std::vector<int64_t>(keys.begin(), keys.end()), at::kLong)
                                .to(device)
                                .to(at::kBool);

  CapturePolicy nothing;
  nothing.rows = CapturePolicy::Rows::None;
  CaptureSink sink(nothing, L, false);
  sink.beginPrompt(p.lastRow);
  auto logprobs = [&](const at::Tensor& h) {  // [V] at the query row
    return at::log_softmax(transformer->logits(h.select(0, 0).select(0, q)), -1);
  };

  // The unmodified pass, keeping each layer's input for the branches.
  std::vector<at::Tensor> inputs;
  LayerPass base;
  base.inputs = &inputs;
  at::Tensor h0 = transformer->embed(p.ids, p.softMask, p.softRows, p.positions, p.types);
  const at::Tensor lp =
      logprobs(transformer->layers(h0, p.positions, p.keyValid, nullptr, sink, {}, base));

  ScanResult r;
  r.keys = options.keys;
  r.query = q;
  r.layers = L;
  r.heads = H;
  r.target = options.target ? *options.target : lp.argmax().item<int64_t>();
  if (r.target < 0 || r.target >= hp.vocab)
    throw Error("the scan's target " + std::to_string(r.target) + " is outside the vocabulary 0.." +
                std::to_string(hp.vocab - 1));
  r.baseLogprob = lp[r.target].item<double>();
  r.delta.assign(static_cast<std::size_t>(L) * H, 0.0);

  int done = 0;
  for (int l = 0; l < L; ++l) {
    for (int h = 0; h < H; ++h) {
      // Layer l, head h loses the keys; layers 0..l-1 are those of the unmodified pass.
      std::vector<at::Tensor> removed(static_cast<std::size_t>(L));
      at::Tensor m = at::zeros({1, H, 1, p.T}, keyRow.options());
      m.select(1, h).view({p.T}).copy_(keyRow);
      removed[static_cast<std::size_t>(l)] = m;
      LayerPass branch;
      branch.first = l;
      branch.removedKeys = &removed;
      const at::Tensor out = transformer->layers(inputs[static_cast<std::size_t>(l)], p.positions,
                                                 p.keyValid, nullptr, sink, {}, branch);
      r.delta[static_cast<std::size_t>(l) * H + h] =
          logprobs(out)[r.target].item<double>() - r.baseLogprob;
      ++done;
      if (progress &&
          !progress(done, L * H, "layer " + std::to_string(l) + ", head " + std::to_string(h)))
        throw Cancelled();
    }
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

ScanResult Model::scan(const BatchInput& input, const ScanOptions& options,
                       const ProgressFn& progress) const {
  impl_->checkInput(input, 0);
  return guarded([&] { return impl_->scan(input, options, progress); });
}

ScanResult Model::scan(const RunRequest& request, const ScanOptions& options,
                       const ProgressFn& progress) const {
  ComposedInput in = compose(request.parts);
  in.batch.layout = {in.layout};
  return scan(in.batch, options, progress);
}

}  // namespace attnx
