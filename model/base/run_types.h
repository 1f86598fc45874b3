#pragma once
// Plain value types that cross from the model to the application: what to feed, what to capture,
// and what a run produced. No libtorch types here, ever: results travel between threads by value.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include "error.h"
#include "provenance.h"

namespace attnx {

// What a position of the input is. Views colour by it; statistics sum attention by it.
enum class SegmentKind : uint8_t { Soft, Bos, Anchor, Text, Special, Generated, Pad };
std::string_view segmentKindName(SegmentKind k);  // "soft", "bos", "anchor", "text", ...
// The kind segmentKindName gives `name`; nullopt for any other name.
std::optional<SegmentKind> segmentKindFromName(std::string_view name);

// One head of a layer, or an aggregate over its heads (the mean or the maximum).
struct HeadChoice {
  enum class Kind : uint8_t { One, Mean, Max };
  Kind kind = Kind::Mean;
  int index = 0;  // Kind::One: the head

  static constexpr HeadChoice one(int head) { return {Kind::One, head}; }
  static constexpr HeadChoice mean() { return {Kind::Mean, 0}; }
  static constexpr HeadChoice max() { return {Kind::Max, 0}; }
  constexpr bool isOne() const { return kind == Kind::One; }
  bool operator==(const HeadChoice&) const = default;
};

// Positions [begin, end) of one batch row.
struct Segment {
  SegmentKind kind = SegmentKind::Text;
  int begin = 0;
  int end = 0;
  int size() const { return end - begin; }
};

// One part of the input, in order. Soft rows are fed as inputs_embeds rows.
struct InputPart {
  SegmentKind kind = SegmentKind::Text;  // Soft, Bos, Anchor, Text or Special
  std::string text;                      // Anchor / Text: tokenized without special tokens
  std::vector<int64_t> ids;              // explicit ids (Text given as ids, Special)
  std::vector<float> embeddings;         // Soft: [rows, hidden], row-major
  int rows = 0;                          // Soft: number of soft tokens
  // Text only: tokenize with the tokenizer's special tokens (BOS, CLS/SEP) as Hugging Face does
  // for a prompt alone; the special positions get Bos/Special segments.
  bool addSpecialTokens = false;
  // Text only, encoders: the second text of a sentence pair, tokenized with `text` through the
  // tokenizer's pair template (token types 0 for the first text, 1 for the second).
  std::string pairText;
};

// What to keep, decided before the run. Never holds L x H x T x T unless rows == Full.
struct CapturePolicy {
  enum class Rows { Full, LastRow, Selected, None };
  Rows rows = Rows::Full;
  std::vector<int> layers;          // empty: every layer
  std::vector<int> queryPositions;  // rows == Selected: absolute query positions
  bool storeFloat16 = false;        // keep captured attention as IEEE half
  bool hiddenStates = false;        // keep hidden states [L+1][B,T,d]
  bool fullLogits = true;           // false: keep only the last valid position's logits
  bool stepLogits = false;          // generation: keep the logits of every step [B,N,vocab]
  // Analyses of the prompt pass, each off unless asked for (see RunResult for their shapes).
  bool valueNorms = false;       // ||f_h(x_j)||: the size of what each head takes from each key
  bool logitLens = false;        // every layer's residual read through the final norm and LM head
  bool rollout = false;          // attention rollout over every layer (Abnar & Zuidema 2020)
  std::optional<int> lensQuery;  // the logit lens's row; nullopt: each batch row's last valid
  // Keep each captured layer's post-RoPE queries and keys and every row's log-sum-exp
  // (RunResult::queryKeys): any tile can then be recomputed exactly (attention_tile.h). Only with
  // rows other than Full, without the rollout and without knockouts.
  bool queryKeys = false;
};

// "L:H:KEYS": in layer L (or `all`) and head H (or `all`), the scores of every query to KEYS (a
// segment kind: soft, bos, anchor, text, special; or positions a-b, inclusive) are removed before
// the softmax: those weights become 0 and the rest are renormalised. A query row that would be
// left without any allowed key keeps its weights.
struct Knockout {
  std::optional<int> layer;         // nullopt: every layer
  std::optional<int> head;          // nullopt: every head
  std::optional<SegmentKind> kind;  // the keys of this kind, else positions first..last
  int first = 0, last = -1;
  std::string spec;  // as written, for messages and run files

  // Throws attnx::Error naming the spec when it is not of that form.
  static Knockout parse(std::string_view spec);
};

// Attention captured for one layer, row-major [batch, heads, queries, keys].
struct AttentionTensor {
  int layer = 0;
  int batch = 0, heads = 0, queries = 0, keys = 0;
  // Absolute position of each kept query row: `queries` entries when every batch row kept the
  // same positions, else batch * queries entries ([b][q]; LastRow with right padding).
  std::vector<int> queryPositions;
  std::vector<float> f32;     // filled unless stored as half
  std::vector<uint16_t> f16;  // IEEE half bits when storeFloat16

  float at(int b, int h, int q, int k) const;
  std::size_t index(int b, int h, int q, int k) const {
    return ((static_cast<std::size_t>(b) * heads + h) * queries + q) * keys + k;
  }
  std::size_t bytes() const { return f32.size() * sizeof(float) + f16.size() * sizeof(uint16_t); }
  int queryPosition(int b, int q) const {
    const std::size_t i = queryPositions.size() == static_cast<std::size_t>(queries)
                              ? static_cast<std::size_t>(q)
                              : static_cast<std::size_t>(b) * queries + q;
    return i < queryPositions.size() ? queryPositions[i] : -1;
  }
};

// One layer's prompt pass as post-RoPE queries and keys with each row's log-sum-exp, instead of
// its [T,T] matrices: the weight of query i on key j is exp(scale * q_i . k_j - lse_i) when key j
// is allowed for query i (a real token, j <= i when causal, j > i - window when windowed) and 0
// otherwise; a row without any allowed key (a left pad) has 1/T on every key.
struct QueryKeys {
  int layer = 0;
  int batch = 0, heads = 0, kvHeads = 0, tokens = 0, headDim = 0;
  bool causal = true;
  int window = 0;          // this layer's sliding window; 0: none
  std::vector<float> q;    // [B,H,T,D]
  std::vector<float> k;    // [B,Hkv,T,D]; query head h uses key head h / (H / Hkv)
  std::vector<float> lse;  // [B,H,T]; -inf where a row has no allowed key
  std::size_t bytes() const { return (q.size() + k.size() + lse.size()) * sizeof(float); }
};

// Describes the loaded model, for status bars, manifests and result files.
struct ModelInfo {
  std::string dir;
  std::string family;  // "gpt2", "llama", "mistral", "qwen2", "qwen3", "bert"
  bool encoder = false;
  bool lmHead = false;  // has an LM head: logits, the logit lens and knockout scans
  int layers = 0, heads = 0, kvHeads = 0, hidden = 0, headDim = 0;
  int64_t vocab = 0;
  int maxPositions = 0;
  int64_t parameters = 0;
  std::size_t weightBytes = 0;
  std::string device;  // "cpu", "cuda:0"
  std::string dtype;   // "float32", "bfloat16", "float16"
  ModelProvenance provenance;  // taken when the model was loaded
  double loadSeconds = 0;      // how long Model::load took (reading, hashing, to the device)
};

// The causal head grid (Model::scan): for every layer and head, the change of log p(target) at
// the query row when that head's attention to `keys` is knocked out.
struct ScanOptions {
  std::string keys = "soft";      // KEYS of a knockout spec: a segment kind or positions a-b
  std::optional<int64_t> target;  // nullopt: the argmax of the unmodified run
  std::optional<int> query;       // nullopt: the last valid position
};

struct ScanResult {
  std::string keys;
  int64_t target = 0;
  int query = 0;
  double baseLogprob = 0.0;  // log p(target) of the unmodified run
  int layers = 0, heads = 0;
  std::vector<double> delta;  // [layers, heads]
  double seconds = 0.0;
};

struct RunResult {
  ModelInfo model;
  int batch = 0, seqLen = 0;
  std::vector<int64_t> inputIds;             // [B,T]; -1 at soft positions
  std::vector<int64_t> attentionMask;        // [B,T]
  std::vector<int64_t> tokenTypeIds;         // [B,T] for encoders given token types; empty: 0
  std::vector<std::vector<Segment>> layout;  // per batch row, covering 0..T-1
  std::vector<std::string> tokens;           // [B*T] display labels ("<soft 0>", " the")
  std::vector<AttentionTensor> attentions;   // captured layers of the forward pass, by layer

  std::vector<float> logits;  // [B, logitRows, vocab]
  int logitRows = 0;          // T when fullLogits, else 1 (the last valid position)
  std::vector<std::vector<float>> hiddenStates;  // optional, [L+1] of [B,T,hidden]
  std::vector<float> pooled;  // encoders with a pooler: [B, hidden] (tanh(dense(h[:, 0])))

  // Greedy generation: step s's query row is the one that predicted generated token s
  // (s = 0: the last prompt position over T keys; s > 0: [B,H,1,T+s]).
  int generated = 0;
  std::vector<int64_t> generatedIds;                         // [B, generated]
  std::vector<std::string> generatedTokens;                  // batch row 0, display labels
  std::string generatedText;                                 // batch row 0, decoded
  std::vector<std::vector<AttentionTensor>> stepAttentions;  // [generated][captured layers]
  std::vector<float> stepLogits;  // [B, generated, vocab] when CapturePolicy::stepLogits

  SoftTokenSource softTokens;  // the file the soft rows came from (the request's), if any

  // Analyses (CapturePolicy), of the prompt pass. L layers, H query heads, V vocabulary.
  std::vector<std::vector<float>> valueNorms;  // [L] of [B,H,T]: ||W_O,h v_kv(h)(x_j)||_2
  std::vector<float> logitLens;                // [B, L+1, V] log-probabilities at the lens row
  std::vector<int> lensPositions;              // [B]: the lens row of each batch row
  // Display labels of the 10 likeliest ids of every lens row (the views have no tokenizer).
  std::vector<std::pair<int64_t, std::string>> lensLabels;
  std::vector<float> rollout;          // [B,T,T]
  std::vector<std::string> knockouts;  // the knockout specs this run was made with
  // A scan's answer on the inference thread (RunJob::scan): the grid of this input, the rest of
  // the result empty. Not written to run files.
  std::optional<ScanResult> scan;
  std::vector<QueryKeys> queryKeys;    // captured layers, when CapturePolicy::queryKeys
  // Every row of `attentions` was recomputed from queryKeys for the views of a small Q/K run
  // (attentionFromQueryKeys); a Q/K run file keeps only the query rows besides the Q/K.
  bool attentionsFromQueryKeys = false;

  double seconds = 0.0;
  std::size_t bytes() const;  // memory held by this result
};

// Called between layers (and steps); return false to cancel: the run then throws Cancelled.
using ProgressFn = std::function<bool(int done, int total, std::string_view what)>;

class Cancelled : public Error {
 public:
  Cancelled() : Error("cancelled") {}
};

}  // namespace attnx
