// attnx::Model: loading (config, weights, tokenizer, device), input checks, the prompt pass and
// greedy generation with a KV cache, and the runtime description.
#include <dlfcn.h>
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "compose.h"
#include "error.h"
#include "family_table.h"
#include "forward_torch.h"
#include "model.h"
#include "memory_plan.h"
#include "model_impl.h"
#include "tokenizer.h"

namespace attnx {
namespace {

namespace fs = std::filesystem;

at::Device parseDevice(const std::string& text) {
  if (text == "cpu") return at::Device(at::kCPU);
  const int count = compat::cudaDeviceCount();
  if (text == "auto") return count > 0 ? at::Device(at::kCUDA, 0) : at::Device(at::kCPU);
  int index = -1;
  if (text == "cuda") {
    index = 0;
  } else if (text.rfind("cuda:", 0) == 0 && text.size() > 5 &&
             text.find_first_not_of("0123456789", 5) == std::string::npos && text.size() < 9) {
    index = std::stoi(text.substr(5));
  } else {
    throw Error("device '" + text + "': expected auto, cpu, cuda or cuda:N");
  }
  if (count == 0)
    throw Error("device '" + text + "': CUDA is not available (libtorch " + TORCH_VERSION +
                " sees no CUDA device)");
  if (index >= count)
    throw Error("device '" + text + "': there are only " + std::to_string(count) + " CUDA devices");
  return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index));
}

at::ScalarType parseDtype(const std::string& text) {
  if (text == "float32") return at::kFloat;
  if (text == "bfloat16") return at::kBFloat16;
  if (text == "float16") return at::kHalf;
  throw Error("dtype '" + text + "': expected float32, bfloat16 or float16");
}

// Some libtorch CPU builds (1.13 among them) lack half-precision matrix products.
void checkDtypeWorks(at::Device device, at::ScalarType dtype, const std::string& name) {
  if (dtype == at::kFloat) return;
  try {
    auto opts = at::TensorOptions().dtype(dtype).device(device);
    at::Tensor a = at::ones({4, 4}, opts);
    (void)at::matmul(a, a);
    (void)at::layer_norm(a, {4});
    (void)at::softmax(a, -1, at::kFloat);
  } catch (const c10::Error&) {
    throw Error("dtype " + name + " is not supported on " + device.str() + " by libtorch " +
                TORCH_VERSION + ": use float32" +
                (dtype == at::kHalf ? std::string(" or bfloat16") : std::string()));
  }
}

// A forward pass allocates and frees tens of megabytes per layer. glibc's defaults hand such
// blocks back to the kernel at once (mmap / heap trimming) and fault them in again on the next
// layer, which measured up to twice the cost of the matrix products at 512 tokens. Keeping freed
// blocks below 64 MB in the heap, and trimming only above 512 MB of free space, removes that.
void tuneAllocatorOnce() {
#if defined(__GLIBC__)
  static std::once_flag once;
  std::call_once(once, [] {
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
  });
#endif
}

int hardwareThreads() { return std::max(1u, std::thread::hardware_concurrency()); }

std::string dtypeText(at::ScalarType t) {
  return t == at::kFloat ? "float32" : t == at::kBFloat16 ? "bfloat16" : "float16";
}

}  // namespace

Model::Model() : impl_(std::make_unique<Impl>()) {}
Model::~Model() = default;

std::unique_ptr<Model> Model::load(const std::string& dir, const LoadOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  tuneAllocatorOnce();
  std::unique_ptr<Model> m(new Model());
  Impl& d = *m->impl_;
  d.hp = loadHParams(dir);
  d.arch = &archFor(d.hp.family);
  d.device = parseDevice(options.device);
  d.dtype = parseDtype(options.dtype);
  if (options.threads < 0) throw Error("threads must be 0 (all) or a positive number");
  d.threads = options.threads > 0 ? options.threads : hardwareThreads();
  at::set_num_threads(d.threads);
  checkDtypeWorks(d.device, d.dtype, options.dtype);
  guarded([&] {
    compat::InferenceGuard inference;
    d.weights = loadWeights(dir, d.hp, *d.arch, d.device, d.dtype);
    d.transformer = std::make_unique<Transformer>(d.hp, *d.arch, d.weights, d.device, d.dtype);
    d.transformer->setAttentionBlock(options.attentionBlock);
    return 0;
  });
  if (fs::exists(fs::path(dir) / "tokenizer.json")) d.tokenizer = Tokenizer::fromDirectory(dir);

  ModelInfo& i = d.info;
  // Absolute, so that a run file written here names a folder its reader can find.
  i.dir = fs::path(dir).is_absolute() ? dir : fs::absolute(dir).lexically_normal().string();
  i.family = std::string(familyName(d.hp.family));
  i.encoder = !d.arch->causal;
  i.lmHead = d.arch->lmHead;
  i.layers = d.hp.layers;
  i.heads = d.hp.heads;
  i.kvHeads = d.hp.kvHeads;
  i.hidden = d.hp.hidden;
  i.headDim = d.hp.headDim;
  i.vocab = d.hp.vocab;
  i.maxPositions = d.hp.maxPositions;
  i.parameters = d.weights.parameters;
  i.weightBytes = d.weights.bytes;
  i.device = d.device.str();
  i.dtype = dtypeText(d.dtype);
  i.provenance = modelProvenance(dir);
  i.loadSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return m;
}

const ModelInfo& Model::info() const { return impl_->info; }
const Tokenizer* Model::tokenizer() const { return impl_->tokenizer.get(); }

RunRequest Model::promptRequest(const std::string& prompt) {
  RunRequest r;
  InputPart p;
  p.kind = SegmentKind::Text;
  p.text = prompt;
  p.addSpecialTokens = true;
  r.parts.push_back(std::move(p));
  return r;
}

ComposedInput Model::compose(const std::vector<InputPart>& parts) const {
  return composeParts(parts, impl_->tokenizer.get(), impl_->hp);
}

RunResult Model::run(const RunRequest& request, const ProgressFn& progress) const {
  ComposedInput in = compose(request.parts);
  in.batch.stopAtEos = request.stopAtEos;
  bool pair = false;
  for (const auto& p : request.parts) pair |= !p.pairText.empty();
  if ((pair || !request.tokenTypeIds.empty()) && !impl_->arch->tokenTypes)
    throw Error(std::string(familyName(impl_->hp.family)) +
                " has no token types: sentence pairs and token type ids are for encoders such "
                "as BERT");
  if (!request.tokenTypeIds.empty()) {
    if (request.tokenTypeIds.size() != in.batch.ids.size())
      throw Error("token type ids: " + std::to_string(request.tokenTypeIds.size()) +
                  " values for an input of " + std::to_string(in.batch.ids.size()) +
                  " positions (give one per position, soft positions included)");
    in.batch.tokenTypeIds = request.tokenTypeIds;
  }
  in.batch.layout = {in.layout};
  in.batch.knockouts = request.knockouts;
  RunResult r = run(in.batch, request.capture, request.generate, progress);
  r.tokens = in.tokens;
  r.softTokens = request.softTokens;
  return r;
}

RunResult Model::run(const BatchInput& input, const CapturePolicy& capture, int generate,
                     const ProgressFn& progress) const {
  impl_->checkInput(input, generate);
  return guarded([&] { return impl_->run(input, capture, generate, progress); });
}

void Model::Impl::checkInput(const BatchInput& in, int generate) const {
  const int64_t B = in.batch, T = in.seqLen;
  if (B < 1 || T < 1) throw Error("the input is empty: nothing to run");
  const auto n = static_cast<std::size_t>(B * T);
  auto sized = [&](const auto& v, const char* what) {
    if (!v.empty() && v.size() != n)
      throw Error(std::string(what) + " has " + std::to_string(v.size()) + " values, expected " +
                  std::to_string(B) + " x " + std::to_string(T));
  };
  if (in.ids.size() != n)
    throw Error("input ids have " + std::to_string(in.ids.size()) + " values, expected " +
                std::to_string(B) + " x " + std::to_string(T));
  sized(in.attentionMask, "attention mask");
  sized(in.positionIds, "position ids");
  sized(in.tokenTypeIds, "token type ids");
  sized(in.softMask, "soft mask");
  if (generate < 0) throw Error("the number of tokens to generate cannot be negative");
  if (generate > 0 && !arch->lmHead)
    throw Error(std::string(familyName(hp.family)) +
                " is an encoder without a language-model head: it cannot generate");

  const int64_t needed = T + std::max(generate - 1, 0);
  if (T > hp.maxPositions)
    throw Error("prompt has " + std::to_string(T) + " tokens but the model allows at most " +
                std::to_string(hp.maxPositions));
  if (needed > hp.maxPositions)
    throw Error("prompt has " + std::to_string(T) + " tokens and generating " +
                std::to_string(generate) + " more needs " + std::to_string(needed) +
                " positions, but the model allows at most " + std::to_string(hp.maxPositions));

  std::size_t softCount = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const bool soft = !in.softMask.empty() && in.softMask[i];
    softCount += soft;
    if (!soft && (in.ids[i] < 0 || in.ids[i] >= hp.vocab))
      throw Error("token id " + std::to_string(in.ids[i]) + " is outside the vocabulary (" +
                  std::to_string(hp.vocab) + " tokens)");
    if (!in.attentionMask.empty() && in.attentionMask[i] != 0 && in.attentionMask[i] != 1)
      throw Error("attention mask values must be 0 or 1");
    if (!in.positionIds.empty() && (in.positionIds[i] < 0 || in.positionIds[i] >= hp.maxPositions))
      throw Error("position id " + std::to_string(in.positionIds[i]) + " is outside 0.." +
                  std::to_string(hp.maxPositions - 1));
    if (!in.tokenTypeIds.empty() && arch->tokenTypes &&
        (in.tokenTypeIds[i] < 0 || in.tokenTypeIds[i] >= hp.typeVocab))
      throw Error("token type id " + std::to_string(in.tokenTypeIds[i]) + " is outside 0.." +
                  std::to_string(hp.typeVocab - 1));
  }
  if (softCount == 0 && !in.softRows.empty())
    throw Error("soft rows were given but no position is marked soft");
  if (softCount > 0 && in.softRows.size() != softCount * static_cast<std::size_t>(hp.hidden)) {
    const std::string width = in.softRows.size() % softCount == 0
                                  ? std::to_string(in.softRows.size() / softCount)
                                  : "(not a whole number)";
    throw Error("soft tokens have width " + width + " but the model's hidden size is " +
                std::to_string(hp.hidden));
  }
  if (!in.attentionMask.empty()) {
    for (int64_t b = 0; b < B; ++b) {
      const int64_t* row = in.attentionMask.data() + b * T;
      if (std::all_of(row, row + T, [](int64_t m) { return m == 0; }))
        throw Error("batch row " + std::to_string(b) + " has no valid position");
      if (generate > 0 && row[T - 1] == 0)
        throw Error("generation needs left padding: batch row " + std::to_string(b) +
                    " ends with padding");
    }
  }
}

PreparedInput Model::Impl::prepare(const BatchInput& in) const {
  PreparedInput p;
  const int64_t B = in.batch, T = in.seqLen;
  p.B = B;
  p.T = T;
  const auto n = static_cast<std::size_t>(B * T);
  p.mask = in.attentionMask.empty() ? std::vector<int64_t>(n, 1) : in.attentionMask;
  const std::vector<int64_t>& mask = p.mask;
  std::vector<int64_t> positions = in.positionIds;
  if (positions.empty()) {
    positions.resize(n);
    for (int64_t b = 0; b < B; ++b) {
      // Decoders number the valid tokens (cumsum(mask) - 1, pads 1, as generate() does);
      // encoders use 0..T-1 whatever the mask.
      int64_t count = 0;
      for (int64_t t = 0; t < T; ++t) {
        const auto i = static_cast<std::size_t>(b * T + t);
        if (!arch->causal) {
          positions[i] = t;
        } else {
          count += mask[i];
          positions[i] = mask[i] ? count - 1 : 1;
        }
      }
    }
  }
  p.lastRow.assign(static_cast<std::size_t>(B), 0);
  for (int64_t b = 0; b < B; ++b)
    for (int64_t t = 0; t < T; ++t)
      if (mask[static_cast<std::size_t>(b * T + t)])
        p.lastRow[static_cast<std::size_t>(b)] = static_cast<int>(t);

  // The segments: the caller's (composed inputs know BOS, anchor, ...), else soft, text and pad.
  if (!in.layout.empty()) {
    if (in.layout.size() != static_cast<std::size_t>(B))
      throw Error("the layout has " + std::to_string(in.layout.size()) + " rows for a batch of " +
                  std::to_string(B));
    for (const auto& row : in.layout) {
      int at = 0;
      for (const Segment& seg : row) {
        if (seg.begin != at || seg.end <= seg.begin) throw Error("the layout has a gap or overlap");
        at = seg.end;
      }
      if (at != T) throw Error("the layout does not cover the " + std::to_string(T) + " positions");
    }
    p.layout = in.layout;
  } else {
    p.layout.resize(static_cast<std::size_t>(B));
    for (int64_t b = 0; b < B; ++b) {
      auto& segs = p.layout[static_cast<std::size_t>(b)];
      for (int64_t t = 0; t < T; ++t) {
        const auto i = static_cast<std::size_t>(b * T + t);
        const SegmentKind k = !mask[i]                                   ? SegmentKind::Pad
                              : (!in.softMask.empty() && in.softMask[i]) ? SegmentKind::Soft
                                                                         : SegmentKind::Text;
        if (segs.empty() || segs.back().kind != k)
          segs.push_back({k, static_cast<int>(t), static_cast<int>(t) + 1});
        else
          segs.back().end = static_cast<int>(t) + 1;
      }
    }
  }

  const at::Device dev = device;
  p.ids = longTensor(in.ids, B, T).to(dev);
  p.keyValid = longTensor(mask, B, T).to(dev).to(at::kBool);
  p.positions = longTensor(positions, B, T).to(dev);
  if (!in.tokenTypeIds.empty()) p.types = longTensor(in.tokenTypeIds, B, T).to(dev);
  if (!in.softMask.empty()) {
    std::vector<int64_t> sm(in.softMask.begin(), in.softMask.end());
    p.softMask = longTensor(sm, B, T).to(dev).to(at::kBool);
    p.softRows = at::tensor(in.softRows, at::TensorOptions().dtype(at::kFloat))
                     .view({-1, hp.hidden})
                     .to(dev);
  }
  return p;
}

void Model::Impl::refuseWhatWouldNotFit(const BatchInput& in, const CapturePolicy& capture,
                                        int generate) const {
  PlanRequest plan;
  plan.tokens = in.seqLen;
  plan.batch = in.batch;
  plan.generate = generate;
  plan.allLogits = capture.fullLogits;
  plan.dtypeBytes = static_cast<int>(c10::elementSize(dtype));
  plan.attentionBlock = transformer->attentionBlock();
  plan.cpu = device.is_cpu();
  using R = CapturePolicy::Rows;
  using C = PlanRequest::Capture;
  plan.capture = capture.rows == R::Full || capture.rollout ? C::Full
                 : capture.queryKeys                        ? C::QueryKeys
                 : capture.rows == R::LastRow               ? C::LastRow
                 : capture.rows == R::Selected              ? C::Rows
                                                            : C::None;
  plan.rows = std::max<int>(1, static_cast<int>(capture.queryPositions.size()));
  const MemoryPlan p = planMemory(hp, *arch, plan);
  const uint64_t available = deviceMemoryBytes(device.str());
  if (available > 0 && p.peak > available) throw Error(planRefusal(p, available, hp, *arch, plan));
}

RunResult Model::Impl::run(const BatchInput& in, const CapturePolicy& capture, int generate,
                           const ProgressFn& progress) const {
  const auto start = std::chrono::steady_clock::now();
  if (at::get_num_threads() != threads) at::set_num_threads(threads);  // per calling thread
  compat::InferenceGuard inference;
  if (capture.logitLens) requireLmHead("the logit lens");
  if (capture.queryKeys) {
    if (capture.rows == CapturePolicy::Rows::Full)
      throw Error(
          "Q/K capture keeps queries and keys instead of full matrices: use it with "
          "last-row, selected or no rows");
    if (capture.rollout) throw Error("the rollout needs full matrices, not Q/K capture");
    if (!in.knockouts.empty())
      throw Error("Q/K capture records no knockouts: run knockouts with full or last-row capture");
  }
  const int64_t B = in.batch, T = in.seqLen, V = hp.vocab, L = hp.layers;
  const auto n = static_cast<std::size_t>(B * T);
  refuseWhatWouldNotFit(in, capture, generate);
  const PreparedInput p = prepare(in);
  const std::vector<int64_t>& mask = p.mask;
  const std::vector<int>& lastRow = p.lastRow;
  const std::vector<at::Tensor> removed = removedKeys(in.knockouts, p);
  std::vector<int> lensRows = lastRow;
  if (capture.logitLens && capture.lensQuery) {
    const int q = *capture.lensQuery;
    for (int64_t b = 0; b < B; ++b)
      if (q < 0 || q >= T || !mask[static_cast<std::size_t>(b * T + q)])
        throw Error("the logit lens's query " + std::to_string(q) +
                    " is not a valid position of batch row " + std::to_string(b) + " (0.." +
                    std::to_string(T - 1) + ")");
    lensRows.assign(static_cast<std::size_t>(B), q);
  }
  const at::Device dev = device;
  at::Tensor keyValid = p.keyValid;

  const int total = static_cast<int>(L) + generate;
  int done = 0;
  auto report = [&](const std::string& what) {
    ++done;
    if (progress && !progress(done, total, what)) throw Cancelled();
  };

  CaptureSink sink(capture, static_cast<int>(L), generate > 0);
  sink.beginPrompt(lastRow);
  sink.setLensRows(lensRows);
  KvCache cache;
  if (generate > 0) cache = transformer->makeCache(B, T + generate - 1);
  KvCache* cachePtr = generate > 0 ? &cache : nullptr;
  LayerPass pass;
  pass.removedKeys = &removed;

  at::Tensor h = transformer->embed(p.ids, p.softMask, p.softRows, p.positions, p.types);
  h = transformer->layers(
      h, p.positions, keyValid, cachePtr, sink,
      [&](int l) { report("layer " + std::to_string(l + 1) + " of " + std::to_string(L)); },
      pass);  // [B,T,d]

  RunResult r;
  r.model = info;
  r.batch = static_cast<int>(B);
  r.seqLen = static_cast<int>(T);
  at::Tensor lastIndex =
      at::tensor(std::vector<int64_t>(lastRow.begin(), lastRow.end()), at::kLong).to(dev);
  // [B,1,d]: each row's last valid position.
  at::Tensor hLast = h.gather(1, lastIndex.view({B, 1, 1}).expand({B, 1, h.size(2)}));
  at::Tensor lastLogits;  // [B,V] float32
  if (arch->lmHead) {
    at::Tensor logits = capture.fullLogits ? transformer->logits(h) : transformer->logits(hLast);
    lastLogits = capture.fullLogits
                     ? logits.gather(1, lastIndex.view({B, 1, 1}).expand({B, 1, V})).squeeze(1)
                     : logits.squeeze(1);
    at::Tensor host = logits.to(at::kCPU).contiguous();
    r.logits.assign(host.data_ptr<float>(), host.data_ptr<float>() + host.numel());
    r.logitRows = static_cast<int>(logits.size(1));
  }
  if (at::Tensor pooled = transformer->pooled(h); pooled.defined()) {
    at::Tensor host = pooled.to(at::kCPU).contiguous();
    r.pooled.assign(host.data_ptr<float>(), host.data_ptr<float>() + host.numel());
  }
  if (capture.logitLens) {
    at::Tensor lens = logitLens(sink.lensHidden, h, lensRows).to(at::kCPU).contiguous();
    r.logitLens.assign(lens.data_ptr<float>(), lens.data_ptr<float>() + lens.numel());
    r.lensPositions = lensRows;
    const at::Tensor top = std::get<1>(lens.topk(std::min<int64_t>(10, V), -1)).flatten();
    std::vector<int64_t> ids(top.data_ptr<int64_t>(), top.data_ptr<int64_t>() + top.numel());
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (int64_t id : ids) r.lensLabels.emplace_back(id, tokenLabel(tokenizer.get(), id));
  }
  if (sink.rollout.defined()) {
    at::Tensor host = sink.rollout.to(at::kCPU).contiguous();
    r.rollout.assign(host.data_ptr<float>(), host.data_ptr<float>() + host.numel());
    sink.rollout = at::Tensor();
  }
  r.valueNorms = std::move(sink.valueNorms);
  r.queryKeys = std::move(sink.queryKeys);
  for (QueryKeys& qk : r.queryKeys) {
    qk.causal = arch->causal;
    qk.window = hp.slidingAt(qk.layer) ? hp.slidingWindow : 0;
  }
  for (const Knockout& k : in.knockouts) r.knockouts.push_back(k.spec);

  // Greedy generation: step 0 uses the prompt pass; step s feeds token s-1.
  std::vector<int64_t> generated;  // [step][B] while generating
  std::vector<float> stepLogits;   // [step][B][V]
  std::vector<char> finished(static_cast<std::size_t>(B), 0);
  const bool stopping = in.stopAtEos && !hp.eosIds.empty();
  at::Tensor nextPos = p.positions.select(1, T - 1).unsqueeze(1);  // [B,1]
  int steps = 0;
  for (int s = 0; s < generate; ++s) {
    if (s > 0) {
      at::Tensor fed =
          at::tensor(std::vector<int64_t>(generated.end() - B, generated.end()), at::kLong)
              .view({B, 1})
              .to(dev);
      nextPos = nextPos + 1;
      keyValid = at::cat({keyValid, at::ones({B, 1}, keyValid.options())}, 1);
      sink.beginStep(s);
      at::Tensor hs = transformer->embed(fed, {}, {}, nextPos, {});
      hs = transformer->layers(hs, nextPos, keyValid, cachePtr, sink, {}, pass);
      lastLogits = transformer->logits(hs).select(1, 0);
    }
    if (capture.stepLogits) {
      at::Tensor host = lastLogits.to(at::kCPU).contiguous();
      stepLogits.insert(stepLogits.end(), host.data_ptr<float>(),
                        host.data_ptr<float>() + host.numel());
    }
    at::Tensor next = lastLogits.argmax(-1).to(at::kCPU);  // [B]
    bool all = true;
    for (int64_t b = 0; b < B; ++b) {
      int64_t id = next[b].item<int64_t>();
      auto& fin = finished[static_cast<std::size_t>(b)];
      if (stopping && fin) id = hp.eosIds.front();  // finished rows are padded with EOS
      if (stopping && std::find(hp.eosIds.begin(), hp.eosIds.end(), id) != hp.eosIds.end())
        fin = true;
      all = all && fin;
      generated.push_back(id);
    }
    ++steps;
    report("token " + std::to_string(s + 1) + " of " + std::to_string(generate));
    if (stopping && all) break;
  }

  // Results, back on the host.
  r.inputIds = in.ids;
  for (std::size_t i = 0; i < n; ++i)
    if (!in.softMask.empty() && in.softMask[i]) r.inputIds[i] = -1;
  r.attentionMask = mask;
  if (arch->tokenTypes) r.tokenTypeIds = in.tokenTypeIds;
  r.layout = p.layout;
  r.tokens.reserve(n);
  for (int64_t b = 0; b < B; ++b) {
    int soft = 0;
    for (int64_t t = 0; t < T; ++t) {
      const auto i = static_cast<std::size_t>(b * T + t);
      if (!mask[i])
        r.tokens.push_back("<pad>");
      else if (!in.softMask.empty() && in.softMask[i])
        r.tokens.push_back("<soft " + std::to_string(soft++) + ">");
      else
        r.tokens.push_back(tokenLabel(tokenizer.get(), in.ids[i]));
    }
  }
  r.attentions = std::move(sink.attentions);
  r.hiddenStates = std::move(sink.hiddenStates);

  r.generated = steps;
  r.generatedIds.resize(static_cast<std::size_t>(B * steps));
  for (int s = 0; s < steps; ++s)
    for (int64_t b = 0; b < B; ++b)
      r.generatedIds[static_cast<std::size_t>(b * steps + s)] =
          generated[static_cast<std::size_t>(s * B + b)];
  if (capture.stepLogits) {
    r.stepLogits.resize(stepLogits.size());
    for (int s = 0; s < steps; ++s)
      for (int64_t b = 0; b < B; ++b)
        std::copy_n(stepLogits.begin() + (s * B + b) * V, V,
                    r.stepLogits.begin() + (b * steps + s) * V);
  }
  if (steps > 0) {
    r.stepAttentions = std::move(sink.stepAttentions);
    r.stepAttentions.resize(static_cast<std::size_t>(steps));
    std::vector<int64_t> row0(r.generatedIds.begin(), r.generatedIds.begin() + steps);
    for (int64_t id : row0) r.generatedTokens.push_back(tokenLabel(tokenizer.get(), id));
    if (tokenizer) r.generatedText = tokenizer->decode(row0);
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

namespace {

// The shared object that provides `symbol`, resolved (Debian's alternatives are symlinks).
std::string libraryOf(const char* symbol) {
  void* p = ::dlsym(RTLD_DEFAULT, symbol);
  Dl_info info{};
  if (!p || !::dladdr(p, &info) || !info.dli_fname) return {};
  std::error_code ec;
  const auto real = fs::canonical(info.dli_fname, ec);
  return ec ? std::string(info.dli_fname) : real.string();
}

// The first BLAS-looking library in this process's memory map.
std::string blasFromMaps() {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    const auto slash = line.find('/');
    if (slash == std::string::npos) continue;
    const std::string path = line.substr(slash);
    const std::string base = fs::path(path).filename().string();
    for (const char* key : {"openblas", "libblas", "mkl_", "blis", "atlas"})
      if (base.find(key) != std::string::npos) return path;
  }
  return {};
}

std::string blasName(const std::string& path) {
  if (path.find("openblas") != std::string::npos) return "OpenBLAS";
  if (path.find("mkl") != std::string::npos) return "Intel MKL";
  if (path.find("blis") != std::string::npos) return "BLIS";
  if (path.find("atlas") != std::string::npos) return "ATLAS";
  if (path.find("libblas") != std::string::npos) return "reference BLAS";
  return "unknown BLAS";
}

}  // namespace

bool isCpuDevice(const std::string& device) { return parseDevice(device).is_cpu(); }

uint64_t deviceMemoryBytes(const std::string& device) {
  const at::Device d = parseDevice(device);
  if (d.is_cpu()) return availableHostBytes();
  return compat::cudaTotalMemory(d.has_index() ? d.index() : 0);
}

std::string runtimeDescription() {
  std::ostringstream os;
  os << "libtorch " << TORCH_VERSION << "\n";
  std::string blas;
  try {
    compat::InferenceGuard inference;
    at::Tensor a = at::ones({64, 64});
    (void)at::mm(a, a);  // makes sure the BLAS is loaded and initialised
    blas = libraryOf("sgemm_");
    if (blas.empty()) blas = blasFromMaps();
  } catch (const c10::Error&) {
  }
  if (!blas.empty())
    os << "BLAS: " << blasName(blas) << " (" << blas << ")\n";
  else
    os << "BLAS: "
       << (at::globalContext().hasMKL() ? "Intel MKL (linked into libtorch)" : "none found")
       << "\n";
  // A loaded model sets the thread count to every hardware thread unless told otherwise.
  os << "CPU threads: " << hardwareThreads() << " (hardware; runs use all unless --threads)\n";
  const char* wait = std::getenv("OMP_WAIT_POLICY");
  os << "OpenMP wait policy: " << (wait ? wait : "default (spinning)") << "\n";
  const int cuda = compat::cudaDeviceCount();
  if (cuda == 0) {
    os << "CUDA: none\n";
  } else {
    os << "CUDA: " << cuda << " device" << (cuda > 1 ? "s" : "") << ":";
    for (int i = 0; i < cuda; ++i) os << (i ? ", " : " ") << compat::cudaDeviceName(i);
    os << "\n";
  }
  return os.str();
}

}  // namespace attnx
