#pragma once
// Scaled dot-product attention, two ways with one set of rules:
//  - rowProbabilities: the softmax of chosen query rows over every key, [B,H,rows,Tk] (all rows
//    when full matrices are captured, else only the rows a capture keeps);
//  - blockedAttention: the output of every row without any [Tq,Tk] tensor, by tiles of queries and
//    keys with an online softmax (flash-attention's recurrence in libtorch ops). Tiles a causal or
//    sliding-window mask rules out entirely are skipped; each row's log-sum-exp is kept so that
//    any weight can be recomputed as exp(s_ij - lse_i).
// Both take the mask as a rule (KeyRule) and the knockouts as removed keys per head, so they agree
// on every input: padding, soft prefixes, GQA/MQA, sliding windows, encoders, generation steps.
#include <utility>

#include "torch_compat.h"

namespace attnx {

// Which keys each query may attend to, as a rule rather than a [Tq,Tk] matrix: the query in cache
// slot i may attend to key j when keyValid[b,j], j <= i (causal) and j > i - window (window > 0;
// transformers masks j <= i - window).
struct KeyRule {
  at::Tensor keyValid;  // [B,Tk] bool
  int64_t past = 0;     // cache slot of the first query
  bool causal = true;
  int window = 0;
  bool allValid = true;  // every key is valid: tiles inside the causal band need no mask

  // [B,1,rows,nk] bool for the queries in cache slots `slots` ([B|1,rows] int64) and the keys
  // k0..k0+nk-1.
  at::Tensor allowed(const at::Tensor& slots, int64_t k0, int64_t nk) const;
};

struct AttentionShape {
  int64_t heads = 0, kvHeads = 0, headDim = 0;
  bool scaleByDivision = false;  // GPT-2 divides by sqrt(D); the others multiply by D^-0.5
};

// Probabilities [B,H,rows,Tk] float32 of the query rows q [B,H,rows,D] (in cache slots `slots`,
// [B|1,rows]) over the keys k [B,Hkv,Tk,D]. removed: [B,H,1,Tk] bool or undefined (knockout;
// a row left without any key keeps its weights). A row with no allowed key at all (a left pad)
// gets 1/Tk everywhere, as the softmax of a row of equal scores does.
at::Tensor rowProbabilities(const at::Tensor& q, const at::Tensor& k, const at::Tensor& slots,
                            const KeyRule& rule, const at::Tensor& removed,
                            const AttentionShape& shape);

// The attention output [B,H,rows,D] of probabilities p [B,H,rows,Tk] over the values v
// [B,Hkv,Tk,D], in p's dtype.
at::Tensor weightedValues(const at::Tensor& p, const at::Tensor& v, const AttentionShape& shape);

// The attention output [B,H,Tq,D] (in v's dtype) of the queries q [B,H,Tq,D] in slots
// rule.past.. over k, v [B,Hkv,Tk,D], and each row's log-sum-exp [B,H,Tq] float32 (-inf for a
// row without allowed keys). Tiles of `block` queries x `block` keys (wider key tiles when there
// are fewer queries): no tensor larger than [B,H,block,block] exists.
std::pair<at::Tensor, at::Tensor> blockedAttention(const at::Tensor& q, const at::Tensor& k,
                                                   const at::Tensor& v, const KeyRule& rule,
                                                   const at::Tensor& removed,
                                                   const AttentionShape& shape, int64_t block);

}  // namespace attnx
