// train_demo: trains attnx's built-in demo model (resources/demo) from scratch on a CPU.
//
//   train_demo --out resources/demo [--steps N] [--seed S]
//   train_demo --check-fixture /path/to/fixtures   (compares the forward pass with transformers)
//
// Deterministic: the data come from a seeded 64-bit engine, the weights from a seeded torch
// generator, and training runs on one thread (at::set_num_threads(1)) so that no reduction's
// order depends on thread scheduling: the same command rebuilds the same files on this build.
#include <torch/torch.h>

#include <chrono>
#include <cstdlib>
#include <cmath>
#include <cstdio>
#include <filesystem>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <iostream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "atomic_file.h"
#include "demo_bpe.h"
#include "demo_llama.h"
#include "demo_tasks.h"
#include "safetensors.h"

namespace {

using demo::Bpe;
using demo::Rng;
using demo::TinyLlama;
using demo::Vocabulary;
using J = nlohmann::ordered_json;

constexpr int64_t kSoftRows = 8;    // M: soft tokens per example
constexpr int64_t kLatent = 16;     // size of the per-example nuisance vector z
constexpr double kMaxNoise = 24.0;  // soft-row noise, in units of the embeddings' rms
constexpr int64_t kShipped = 48;
constexpr double kShipTarget =
    0.7;  // expected accuracy of the shipped examples    // examples in soft_tokens.safetensors
constexpr int64_t kTextBatch = 32;  // induction sequences per step
constexpr int64_t kFactBatch = 8;   // anchor-only questions per step
constexpr int64_t kSoftBatch = 16;  // soft-token questions per step

struct Options {
  std::string out;
  int64_t steps = 1500;
  uint64_t seed = 1234;
  std::string checkFixture;
};

torch::Tensor longTensor(const std::vector<int64_t>& v, std::vector<int64_t> shape) {
  return torch::tensor(v, torch::kLong).view(shape);
}

// The small learned encoder that turns a hidden fact into M soft rows: word and colour
// embeddings plus a random nuisance vector z through a two-layer MLP; each row is then scaled to
// the rms of the token embeddings (calibration), so soft rows look like token rows in size.
struct SoftEncoder {
  torch::Tensor wordEmb, colorEmb, w1, b1, w2, b2;
  int64_t d;

  SoftEncoder(int64_t words, int64_t colors, int64_t hidden) : d(hidden) {
    auto p = [](torch::Tensor t) { return t.set_requires_grad(true); };
    wordEmb = p(torch::randn({words, 32}));
    colorEmb = p(torch::randn({colors, 16}));
    w1 = p(torch::randn({256, 32 + 16 + kLatent}) / std::sqrt(64.0));
    b1 = p(torch::zeros({256}));
    w2 = p(torch::randn({kSoftRows * hidden, 256}) / std::sqrt(256.0));
    b2 = p(torch::zeros({kSoftRows * hidden}));
  }
  std::vector<torch::Tensor> parameters() const { return {wordEmb, colorEmb, w1, b1, w2, b2}; }

  // words, colors [B] int64; z [B, kLatent] -> [B, M, d]
  torch::Tensor forward(const torch::Tensor& words, const torch::Tensor& colors,
                        const torch::Tensor& z, const torch::Tensor& embRms) const {
    auto x = torch::cat({wordEmb.index_select(0, words), colorEmb.index_select(0, colors), z}, 1);
    auto rows = torch::linear(torch::silu(torch::linear(x, w1, b1)), w2, b2)
                    .view({-1, kSoftRows, d});  // [B, M, d]
    return rows * torch::rsqrt(rows.pow(2).mean(-1, true) + 1e-6) * embRms;
  }
};

torch::Tensor embeddingRms(const TinyLlama& model) {
  return model.namedParameters().front().second.detach().pow(2).mean().sqrt();
}

// A batch of soft-token questions with noise levels `noise` (one per example).
struct SoftBatch {
  torch::Tensor ids, targets, soft;  // [B, T], [B, T], [B, M, d]
  std::vector<int64_t> words, colors, answerIds, lastPos;
  std::vector<bool> askWord;
};

SoftBatch makeSoftBatch(const Vocabulary& v, const Bpe& bpe, const SoftEncoder& enc,
                        const TinyLlama& model, Rng& rng, const std::vector<double>& noise,
                        double colorShare, bool withAnswer,
                        const std::vector<int64_t>& words = {}) {
  SoftBatch s;
  demo::TokenBatch tb;
  const int64_t B = std::ssize(noise);
  for (int64_t b = 0; b < B; ++b) {
    s.words.push_back(words.empty() ? rng.below(std::ssize(v.secretWords)) : words[b]);
    s.colors.push_back(rng.below(std::ssize(v.secretColors)));
    const bool word = rng.uniform() >= colorShare;
    s.askWord.push_back(word);
    const auto& answer = word ? v.secretWords[s.words.back()] : v.secretColors[s.colors.back()];
    auto seq = demo::softSequence(bpe, kSoftRows, word ? v.wordAnchor : v.colorAnchor, answer);
    s.answerIds.push_back(bpe.encode(" " + answer).at(0));
    if (!withAnswer) {  // the prompt alone: [soft][BOS][anchor], predicting the answer last
      seq.ids.resize(seq.ids.size() - 2);
      seq.targets.resize(seq.targets.size() - 2);
    }
    s.lastPos.push_back(std::ssize(seq.ids) - (withAnswer ? 3 : 1));
    tb.append(seq.ids, seq.targets);
  }
  tb.finish();
  s.ids = longTensor(tb.ids, {tb.batch, tb.seqLen});
  s.targets = longTensor(tb.targets, {tb.batch, tb.seqLen});
  const auto rms = embeddingRms(model);
  const auto z = torch::randn({B, kLatent});
  const auto clean = enc.forward(longTensor(s.words, {B}), longTensor(s.colors, {B}), z, rms);
  const auto sigma = torch::tensor(std::vector<double>(noise), torch::kFloat).view({B, 1, 1});
  s.soft = clean + sigma * rms * torch::randn(clean.sizes());  // [B, M, d]
  return s;
}

torch::Tensor lmLoss(const torch::Tensor& logits, const torch::Tensor& targets) {
  return torch::nn::functional::cross_entropy(
      logits.reshape({-1, logits.size(-1)}), targets.reshape({-1}),
      torch::nn::functional::CrossEntropyFuncOptions().ignore_index(demo::kIgnore));
}

// The text batch of one step: induction sequences and anchor-only facts, right-padded.
demo::TokenBatch makeTextBatch(const Vocabulary& v, const Bpe& bpe, Rng& rng) {
  demo::TokenBatch tb;
  for (int64_t i = 0; i < kTextBatch; ++i) {
    auto s = demo::makeInduction(v, bpe, rng);
    tb.append(s.ids, s.targets);
  }
  for (int64_t i = 0; i < kFactBatch; ++i) demo::appendFact(v, bpe, rng, tb);
  tb.finish();
  return tb;
}

double accuracy(const torch::Tensor& logits, const torch::Tensor& targets) {
  const auto mask = targets.ne(demo::kIgnore);
  const auto hit = logits.argmax(-1).eq(targets).logical_and(mask);
  return hit.sum().item<double>() / std::max<double>(1.0, mask.sum().item<double>());
}

// Mean attention from query row `q` of batch row b to keys [k0, k1), per layer (mean of heads).
std::vector<double> massPerLayer(const std::vector<torch::Tensor>& attn, int64_t b, int64_t q,
                                 int64_t k0, int64_t k1) {
  std::vector<double> out;
  for (const auto& a : attn)  // [B, H, T, T]
    out.push_back(a[b].select(1, q).slice(-1, k0, k1).sum(-1).mean().item<double>());
  return out;
}

std::vector<attnx::OwnedTensor> weightsOf(const TinyLlama& model) {
  std::vector<attnx::OwnedTensor> out;
  for (const auto& [name, t] : model.namedParameters()) {
    const auto c = t.detach().contiguous();
    out.push_back(attnx::OwnedTensor::fromFloats(name, c.sizes().vec(), c.data_ptr<float>()));
  }
  return out;
}

attnx::OwnedTensor floats(const std::string& name, const torch::Tensor& t) {
  const auto c = t.detach().contiguous().to(torch::kFloat);
  return attnx::OwnedTensor::fromFloats(name, c.sizes().vec(), c.data_ptr<float>());
}

attnx::OwnedTensor longs(const std::string& name, const std::vector<int64_t>& v) {
  return attnx::OwnedTensor::fromInt64(name, {std::ssize(v)}, v.data());
}

std::string fixed(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

// --check-fixture: the forward pass against transformers' own outputs for a GQA Llama.
int checkFixture(const std::string& root) {
  const std::string modelDir = root + "/models/llama_gqa";
  const auto cfg = demo::LlamaConfig::fromJsonFile(modelDir + "/config.json");
  TinyLlama model(cfg);
  model.load(attnx::SafetensorsFile::open(modelDir + "/model.safetensors"));
  torch::NoGradGuard noGrad;
  double worst = 0;
  for (const char* name : {"a_input_ids", "b_soft_prefix"}) {
    const auto f = attnx::SafetensorsFile::open(root + "/cases/llama_gqa__" + std::string(name) +
                                                ".safetensors");
    auto tensorOf = [&](const std::string& n) {
      const auto& v = f.at(n);
      auto opts = v.dtype == attnx::DType::I64 ? torch::kLong : torch::kFloat;
      return torch::from_blob(const_cast<std::byte*>(v.data), v.shape, opts).clone();
    };
    torch::Tensor ids = tensorOf("in.input_ids"), soft;
    if (f.find("in.soft_prefix")) {
      soft = tensorOf("in.soft_prefix");
      ids = torch::cat({torch::zeros({1, soft.size(1)}, torch::kLong), ids}, 1);
    }
    std::vector<torch::Tensor> attn;
    const auto logits = model.forward(ids, soft, &attn);
    const auto ref = tensorOf("out.logits");
    double d = (logits - ref).abs().max().item<double>();
    std::printf("llama_gqa %s: logits up to %.3g in size\n", name, ref.abs().max().item<double>());
    for (std::size_t l = 0; l < attn.size(); ++l)
      d = std::max(
          d,
          (attn[l] - tensorOf("out.attentions." + std::to_string(l))).abs().max().item<double>());
    std::printf("llama_gqa %s: max |difference| of logits and attentions = %.3g\n", name, d);
    worst = std::max(worst, d);
  }
  return worst <= 1e-5 ? 0 : 1;
}

int train(const Options& opt) {
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  std::filesystem::create_directories(opt.out);
  const std::string out = opt.out;

  const Vocabulary voc = Vocabulary::standard();
  const Bpe bpe = Bpe::learn(voc.corpusWords(), voc.answerWords());
  std::printf("tokenizer: %lld tokens (%zu merges)\n", static_cast<long long>(bpe.vocabSize()),
              bpe.mergeCount());

  demo::LlamaConfig cfg;
  cfg.vocab = bpe.vocabSize();
  torch::manual_seed(opt.seed);
  TinyLlama model(cfg);
  SoftEncoder enc(std::ssize(voc.secretWords), std::ssize(voc.secretColors), cfg.hidden);
  Rng rng(opt.seed);

  // Weight decay on matrices only, not on norms or encoder biases.
  std::vector<torch::Tensor> decay, noDecay;
  for (const auto& [name, t] : model.namedParameters())
    (t.dim() == 2 ? decay : noDecay).push_back(t);
  for (const auto& t : enc.parameters()) (t.dim() == 2 ? decay : noDecay).push_back(t);
  const double lr = 3e-3;
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(decay,
                      std::make_unique<torch::optim::AdamWOptions>(
                          torch::optim::AdamWOptions(lr).betas({0.9, 0.98}).weight_decay(0.05)));
  groups.emplace_back(noDecay,
                      std::make_unique<torch::optim::AdamWOptions>(
                          torch::optim::AdamWOptions(lr).betas({0.9, 0.98}).weight_decay(0.0)));
  torch::optim::AdamW optim(groups);
  std::vector<torch::Tensor> all = decay;
  all.insert(all.end(), noDecay.begin(), noDecay.end());

  double textLoss = 0, softLoss = 0, lastText = 0, lastSoft = 0;
  const int64_t warmup = std::min<int64_t>(100, opt.steps / 10 + 1);
  for (int64_t step = 1; step <= opt.steps; ++step) {
    // Linear warm-up, then cosine decay to a tenth.
    const double progress =
        static_cast<double>(step - warmup) / std::max<int64_t>(1, opt.steps - warmup);
    const double rate =
        step <= warmup ? lr * step / warmup : lr * (0.1 + 0.45 * (1 + std::cos(M_PI * progress)));
    for (auto& g : optim.param_groups())
      static_cast<torch::optim::AdamWOptions&>(g.options()).lr(rate);

    const auto tb = makeTextBatch(voc, bpe, rng);
    const auto tIds = longTensor(tb.ids, {tb.batch, tb.seqLen});
    const auto tTargets = longTensor(tb.targets, {tb.batch, tb.seqLen});
    std::vector<double> noise;
    for (int64_t i = 0; i < kSoftBatch; ++i) noise.push_back(kMaxNoise * rng.uniform());
    const auto sb = makeSoftBatch(voc, bpe, enc, model, rng, noise, 0.25, true);

    const auto lt = lmLoss(model.forward(tIds, {}), tTargets);
    const auto ls = lmLoss(model.forward(sb.ids, sb.soft), sb.targets);
    optim.zero_grad();
    (lt + ls).backward();
    torch::nn::utils::clip_grad_norm_(all, 1.0);
    optim.step();

    textLoss += lt.item<double>();
    softLoss += ls.item<double>();
    if (step % 100 == 0 || step == opt.steps) {
      const int64_t n = step % 100 == 0 ? 100 : step % 100;
      lastText = textLoss / n;
      lastSoft = softLoss / n;
      std::printf("step %5lld  lr %.2e  text loss %.4f  soft loss %.4f  %.0f s\n",
                  static_cast<long long>(step), rate, lastText, lastSoft,
                  std::chrono::duration<double>(Clock::now() - started).count());
      std::fflush(stdout);
      textLoss = softLoss = 0;
    }
  }
  const double trainSeconds = std::chrono::duration<double>(Clock::now() - started).count();

  // ---- Evaluation on fresh data (same seeded stream, after training) ----
  torch::NoGradGuard noGrad;
  double inductionAcc = 0;
  {
    demo::TokenBatch tb;
    for (int i = 0; i < 64; ++i) {
      auto s = demo::makeInduction(voc, bpe, rng);
      tb.append(s.ids, s.targets);
    }
    tb.finish();
    const auto ids = longTensor(tb.ids, {tb.batch, tb.seqLen});
    inductionAcc = accuracy(model.forward(ids, {}), longTensor(tb.targets, {tb.batch, tb.seqLen}));
  }
  std::vector<std::pair<double, double>> accByNoise;  // noise level, accuracy (secret word)
  for (int level = 0; level <= 12; ++level) {
    const double sigma = kMaxNoise * level / 12;
    const auto sb =
        makeSoftBatch(voc, bpe, enc, model, rng, std::vector<double>(128, sigma), 0.0, false);
    const auto logits = model.forward(sb.ids, sb.soft);
    int64_t hit = 0;
    for (int64_t b = 0; b < 128; ++b)
      hit += logits[b][sb.lastPos[b]].argmax().item<int64_t>() == sb.answerIds[b];
    accByNoise.emplace_back(sigma, hit / 128.0);
  }
  std::printf("held-out induction token accuracy %.3f\n", inductionAcc);
  for (auto [level, acc] : accByNoise)
    std::printf("noise %5.2f: secret word accuracy %.3f\n", level, acc);
  // The shipped examples spread their noise evenly over [0, shipNoise). shipNoise is the
  // smallest level whose held-out accuracy, averaged over [0, level], falls to kShipTarget: the
  // comparison view needs both answered and missed examples. The shipped set's own accuracy is
  // then measured, not chosen.
  double shipNoise = kMaxNoise;
  for (std::size_t i = 1; i < accByNoise.size(); ++i) {
    double mean = 0;
    for (std::size_t j = 0; j <= i; ++j) mean += accByNoise[j].second;
    mean /= static_cast<double>(i + 1);
    if (mean <= kShipTarget) {
      shipNoise = accByNoise[i].first;
      break;
    }
  }
  std::printf("shipped noise range [0, %.2f)\n", shipNoise);

  // ---- The shipped examples: each secret word twice, noise levels spread over [0, max) ----
  std::vector<int64_t> order(kShipped);
  std::iota(order.begin(), order.end(), 0);
  for (int64_t i = kShipped - 1; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);
  std::vector<double> noise;
  for (int64_t i = 0; i < kShipped; ++i) noise.push_back(shipNoise * (order[i] + 0.5) / kShipped);
  std::vector<int64_t> words;
  for (int64_t i = 0; i < kShipped; ++i) words.push_back(i % std::ssize(voc.secretWords));
  for (int64_t i = kShipped - 1; i > 0; --i) std::swap(words[i], words[rng.below(i + 1)]);
  const auto sb = makeSoftBatch(voc, bpe, enc, model, rng, noise, 0.0, false, words);
  std::vector<torch::Tensor> attn;
  const auto logits = model.forward(sb.ids, sb.soft, &attn);  // [N, T, V]
  const int64_t T = sb.ids.size(1);
  const auto anchorIds = bpe.encode(voc.wordAnchor);

  std::string jsonl;
  int64_t correct = 0;
  std::vector<double> massCorrect(cfg.layers, 0), massWrong(cfg.layers, 0);
  int64_t firstCorrect = -1, firstWrong = -1;
  for (int64_t i = 0; i < kShipped; ++i) {
    const int64_t pred = logits[i][T - 1].argmax().item<int64_t>();
    const bool ok = pred == sb.answerIds[i];
    const auto mass = massPerLayer(attn, i, T - 1, 0, kSoftRows);
    const double meanMass = std::accumulate(mass.begin(), mass.end(), 0.0) / mass.size();
    for (int64_t l = 0; l < cfg.layers; ++l) (ok ? massCorrect : massWrong)[l] += mass[l];
    correct += ok;
    if (ok && firstCorrect < 0) firstCorrect = i;
    if (!ok && firstWrong < 0) firstWrong = i;
    char id[32];
    std::snprintf(id, sizeof id, "demo-%03lld", static_cast<long long>(i));
    std::string predText = bpe.decode({pred});
    J line;
    line["id"] = id;
    line["anchor"] = voc.wordAnchor;
    line["prompt"] = "";
    line["gold"] = voc.secretWords[sb.words[i]];
    line["soft_index"] = i;
    line["noise"] = std::round(noise[i] * 1000) / 1000;
    line["prediction"] = predText.size() > 0 && predText[0] == ' ' ? predText.substr(1) : predText;
    line["prediction_id"] = pred;
    line["gold_id"] = sb.answerIds[i];
    line["correct"] = ok;
    line["soft_mass"] = std::round(meanMass * 1e4) / 1e4;
    line["anchor_ids"] = anchorIds;
    jsonl += line.dump() + "\n";
  }
  const int64_t wrong = kShipped - correct;
  for (int64_t l = 0; l < cfg.layers; ++l) {
    massCorrect[l] /= std::max<int64_t>(1, correct);
    massWrong[l] /= std::max<int64_t>(1, wrong);
  }
  std::printf("shipped examples: %lld / %lld correct\n", static_cast<long long>(correct),
              static_cast<long long>(kShipped));
  for (int64_t l = 0; l < cfg.layers; ++l)
    std::printf("layer %lld soft mass at the last position: correct %.3f  incorrect %.3f\n",
                static_cast<long long>(l), massCorrect[l], massWrong[l]);
  if (firstCorrect < 0 || firstWrong < 0)
    throw std::runtime_error("the shipped examples need both correct and incorrect ones");

  // ---- Induction prompt: which heads copy, which look one token back ----
  const std::string induction =
      "red fox blue owl gold key tree lamp moon ship then red fox blue owl gold key tree lamp moon "
      "ship";
  std::vector<int64_t> indIds{Bpe::kBos};
  for (int64_t id : bpe.encode(induction)) indIds.push_back(id);
  std::vector<torch::Tensor> indAttn;
  const auto indLogits = model.forward(longTensor(indIds, {1, std::ssize(indIds)}), {}, &indAttn);
  const int64_t n = std::ssize(indIds);
  // Copies: query j in the second half whose token first occurred at i: weight on i + 1.
  std::vector<std::pair<int64_t, int64_t>> pairs;
  const int64_t half = std::ssize(bpe.encode("red fox blue owl gold key tree lamp moon ship then"));
  for (int64_t j = half + 1; j < n; ++j)
    for (int64_t i = 1; i + 1 < half + 1; ++i)
      if (indIds[i] == indIds[j]) {
        pairs.emplace_back(j, i + 1);
        break;
      }
  int64_t bestL = 0, bestH = 0, prevL = 0, prevH = 0;
  double best = -1, bestPrev = -1;
  std::string headTable;
  for (int64_t l = 0; l < cfg.layers; ++l) {
    for (int64_t h = 0; h < cfg.heads; ++h) {
      const auto a = indAttn[l][0][h];  // [T, T]
      double ind = 0, prev = 0;
      for (auto [q, k] : pairs) ind += a[q][k].item<double>();
      ind /= std::max<std::size_t>(1, pairs.size());
      for (int64_t q = 1; q < n; ++q) prev += a[q][q - 1].item<double>();
      prev /= (n - 1);
      headTable += "| " + std::to_string(l) + " | " + std::to_string(h) + " | " + fixed(prev, 3) +
                   " | " + fixed(ind, 3) + " |\n";
      if (ind > best) best = ind, bestL = l, bestH = h;
      if (prev > bestPrev) bestPrev = prev, prevL = l, prevH = h;
    }
  }
  std::printf(
      "induction head: layer %lld head %lld (mean weight on the token after the first "
      "occurrence %.3f)\nprevious-token head: layer %lld head %lld (%.3f)\n",
      static_cast<long long>(bestL), static_cast<long long>(bestH), best,
      static_cast<long long>(prevL), static_cast<long long>(prevH), bestPrev);

  // ---- Files ----
  attnx::writeFileAtomically(out + "/config.json", cfg.configJson(Bpe::kBos, Bpe::kEos, Bpe::kPad));
  J gen;
  gen["bos_token_id"] = Bpe::kBos;
  gen["eos_token_id"] = Bpe::kEos;
  gen["pad_token_id"] = Bpe::kPad;
  gen["do_sample"] = false;
  gen["max_new_tokens"] = 8;
  attnx::writeFileAtomically(out + "/generation_config.json", gen.dump(2) + "\n");
  attnx::writeFileAtomically(out + "/tokenizer.json", bpe.tokenizerJson());
  attnx::writeFileAtomically(out + "/tokenizer_config.json",
                             bpe.tokenizerConfigJson(static_cast<int>(cfg.maxPositions)));
  attnx::writeSafetensors(out + "/model.safetensors", weightsOf(model), {{"format", "pt"}});
  attnx::writeSafetensors(out + "/soft_tokens.safetensors", {floats("soft_tokens", sb.soft)},
                          {{"soft_rows", std::to_string(kSoftRows)}, {"anchor", voc.wordAnchor}});
  attnx::writeSafetensors(
      out + "/soft_example_correct.safetensors", {floats("soft_tokens", sb.soft[firstCorrect])},
      {{"example", "demo-" + std::string(3 - std::to_string(firstCorrect).size(), '0') +
                       std::to_string(firstCorrect)}});
  attnx::writeSafetensors(
      out + "/soft_example_incorrect.safetensors", {floats("soft_tokens", sb.soft[firstWrong])},
      {{"example", "demo-" + std::string(3 - std::to_string(firstWrong).size(), '0') +
                       std::to_string(firstWrong)}});
  attnx::writeFileAtomically(out + "/examples.jsonl", jsonl);
  // Reference outputs of this forward pass, for checking other implementations against it.
  std::vector<int64_t> softIds(anchorIds.size() + 1, Bpe::kBos);
  std::copy(anchorIds.begin(), anchorIds.end(), softIds.begin() + 1);
  attnx::writeSafetensors(
      out + "/reference_logits.safetensors",
      {longs("soft.soft_index", {firstCorrect}), longs("soft.input_ids", softIds),
       floats("soft.logits", logits[firstCorrect]), longs("text.input_ids", indIds),
       floats("text.logits", indLogits[0]),
       floats("text.attentions", torch::stack(indAttn).select(1, 0))},  // [L, H, T, T]
      {{"soft", "soft_tokens[soft_index] at positions 0..M-1, then input_ids (BOS, anchor)"},
       {"text", "input_ids with BOS at position 0"}});

  J prompts = J::array();
  prompts.push_back({{"name", "Induction: repeated words"}, {"text", induction}});
  auto softPrompt = [&](const std::string& name, const std::string& file, int64_t i) {
    return J{
        {"name", name},
        {"soft_file", file},
        {"anchor", voc.wordAnchor},
        {"gold", voc.secretWords[sb.words[i]]},
        {"example", "demo-" + std::string(3 - std::to_string(i).size(), '0') + std::to_string(i)}};
  };
  prompts.push_back(softPrompt("Soft tokens: answered correctly",
                               "soft_example_correct.safetensors", firstCorrect));
  prompts.push_back(softPrompt("Soft tokens: answered incorrectly",
                               "soft_example_incorrect.safetensors", firstWrong));
  prompts.push_back({{"name", "Anchor only (no soft tokens)"}, {"text", voc.facts[0].first}});
  attnx::writeFileAtomically(out + "/prompts.json", prompts.dump(2) + "\n");

  // ---- README with the numbers measured in this run ----
  int64_t params = 0;
  for (const auto& t : model.parameters()) params += t.numel();
  std::ostringstream md;
  md << "# Demo model\n\n"
     << "A tiny Llama-family model (Hugging Face `LlamaForCausalLM` layout, float32, " << params
     << " parameters: hidden size " << cfg.hidden << ", " << cfg.layers << " layers, " << cfg.heads
     << " query heads sharing " << cfg.kvHeads << " key/value heads of size " << cfg.headDim
     << ", MLP " << cfg.intermediate << ", vocabulary " << cfg.vocab
     << ", untied LM head) trained from scratch by `tools/train_demo.cpp` on synthetic tasks "
        "chosen so that its attention has real structure to explore.\n\n"
     << "## What it was trained on\n\n"
     << "- **Induction**: random words that repeat (`red fox blue owl ... red fox blue owl`), "
        "loss on the repeated copy. Copying needs previous-token heads and induction heads.\n"
     << "- **Soft-token recall**: " << kSoftRows
     << " soft tokens made by a small learned encoder from a hidden fact (a secret word among "
     << voc.secretWords.size() << " animals and a secret colour among " << voc.secretColors.size()
     << "), then BOS and the anchor `" << voc.wordAnchor << "` (or `" << voc.colorAnchor
     << "`), then the answer. The anchor is the same for every answer: only the soft tokens "
        "carry it. Gaussian noise of 0 to "
     << kMaxNoise
     << " times the embeddings' rms is added to the soft rows, so noisy examples fail.\n"
     << "- **Anchor only**: " << voc.facts.size() << " fixed questions without soft tokens (`"
     << voc.facts[0].first << "` -> `" << voc.facts[0].second << "`).\n\n"
     << "Layout of soft examples: `[soft 0..M-1][BOS][anchor]`, soft rows fed as `inputs_embeds`, "
        "positions 0..T-1.\n\n"
     << "## Regenerating\n\n"
     << "    build/tools/train_demo --out resources/demo --steps " << opt.steps << " --seed "
     << opt.seed << "\n\n"
     << "Deterministic (fixed seeds, one CPU thread). Training took " << fixed(trainSeconds, 0)
     << " s of wall-clock time on one CPU core (measured on a machine shared with other work "
        "at the time). `train_demo --check-fixture <fixtures>` compares the trainer's "
        "forward pass with transformers' outputs for a reference Llama.\n\n"
     << "## Results\n\n"
     << "- Final losses (mean of the last 100 steps): text " << fixed(lastText, 4)
     << ", soft-token questions " << fixed(lastSoft, 4) << ".\n"
     << "- Held-out induction: " << fixed(100 * inductionAcc, 1)
     << "% of the repeated tokens predicted.\n"
     << "- Secret word accuracy by noise level (128 fresh examples each):";
  for (auto [level, acc] : accByNoise)
    md << " " << fixed(level, 1) << ": " << fixed(100 * acc, 0) << "%;";
  md << "\n- Shipped examples (`examples.jsonl`, `soft_tokens.safetensors` [" << kShipped << ", "
     << kSoftRows << ", " << cfg.hidden << "]): " << correct << " of " << kShipped
     << " answered correctly (" << fixed(100.0 * correct / kShipped, 1)
     << "%). Their noise levels are spread evenly over [0, " << fixed(shipNoise, 1)
     << "), the range whose held-out accuracy averages " << kShipTarget * 100
     << "%; each secret word appears twice.\n"
     << "- Attention from the last position to the soft tokens (mean of heads), correct vs "
        "incorrect examples:\n\n| layer | correct | incorrect |\n|---|---|---|\n";
  for (int64_t l = 0; l < cfg.layers; ++l)
    md << "| " << l << " | " << fixed(massCorrect[l], 3) << " | " << fixed(massWrong[l], 3)
       << " |\n";
  md << "\n- Induction prompt of `prompts.json`: the strongest induction head is layer " << bestL
     << " head " << bestH << " (mean weight " << fixed(best, 3)
     << " on the token after the first occurrence); the strongest previous-token head is layer "
     << prevL << " head " << prevH << " (mean weight " << fixed(bestPrev, 3)
     << " on the previous token).\n\n| layer | head | previous token | induction "
        "|\n|---|---|---|---|\n"
     << headTable << "\n## Files\n\n"
     << "- `config.json`, `generation_config.json`, `model.safetensors`: the model.\n"
     << "- `tokenizer.json`, `tokenizer_config.json`: byte-level BPE learned on the corpus "
        "(every word one or two tokens, every answer one token), BOS added by the template.\n"
     << "- `soft_tokens.safetensors`: tensor `soft_tokens` F32 [N, M, d] of the shipped examples; "
        "`examples.jsonl` describes them (gold answer, noise, the trainer's prediction, "
        "correctness, mean soft attention mass).\n"
     << "- `soft_example_correct.safetensors`, `soft_example_incorrect.safetensors`: one example "
        "each ([M, d]), for the default run.\n"
     << "- `prompts.json`: example prompts for the window.\n"
     << "- `reference_logits.safetensors`: the trainer's logits for one soft example and the "
        "induction prompt, and the attention of the latter, for checking other forward passes.\n";
  attnx::writeFileAtomically(out + "/README.md", md.str());
  std::printf("training %.0f s, total %.0f s\n", trainSeconds,
              std::chrono::duration<double>(Clock::now() - started).count());
  return 0;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--out")
      o.out = value();
    else if (a == "--steps")
      o.steps = std::stoll(value());
    else if (a == "--seed")
      o.seed = std::stoull(value());
    else if (a == "--check-fixture")
      o.checkFixture = value();
    else
      throw std::runtime_error("unknown argument " + a);
  }
  if (o.out.empty() && o.checkFixture.empty())
    throw std::runtime_error("usage: train_demo --out DIR [--steps N] [--seed S]");
  if (o.steps < 1) throw std::runtime_error("--steps must be positive");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options opt = parse(argc, argv);
    // One thread: reductions then always run in the same order, so results are reproducible.
    at::set_num_threads(1);
#if defined(__GLIBC__)
    // Keep freed activations in the heap: returning them to the system and faulting fresh
    // pages back in every step costs more time than the arithmetic on this small model.
    mallopt(M_MMAP_THRESHOLD, 512 << 20);
    mallopt(M_TRIM_THRESHOLD, 1024 << 20);
#endif
    if (!opt.checkFixture.empty()) return checkFixture(opt.checkFixture);
    return train(opt);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "train_demo: %s\n", e.what());
    return 1;
  }
}
