#pragma once
// Run files: what `attnx run` writes (OUT.safetensors) and what the window and later commands
// read back without the model. Tensors (B batch rows, T positions):
//   input_ids                      I64 [B, T]        token ids, -1 at soft positions (and in an
//                                                    import that recorded none)
//   token_type_ids                 I64 [B, T]        encoders given token types (optional)
//   attention_mask                 I64 [B, T]        when some position is padding (optional)
//   logits                         F32 [B, R, V]     R = T (every row) or 1 (the last) (optional)
//   attentions.<layer>             F32 [B, H, Tq, T] captured layers; Tq = T or the kept rows
//   generated_ids                  I64 [B, N]        greedy tokens (optional)
//   generation.<s>.attentions.<l>  F32 [B, H, 1, T+s] the row that predicted token s
//   value_norms.<layer>            F32 [B, H, T]     ||f_h(x_j)|| (optional, --value-norms)
//   logit_lens                     F32 [B, L+1, V]   log-probabilities at the lens row (optional)
//   rollout                        F32 [B, T, T]     attention rollout (optional)
// __metadata__ (JSON strings): layout (per batch row, segments {"kind", "begin", "end"}), model
// (ModelInfo), tokens (B*T display labels), capture ("full", "last-row", ...), query_positions
// (the kept rows when Tq < T), generated_tokens and generated_text, knockouts (the specs; logits
// and attentions are then those of the modified run), lens_positions (with logit_lens).
#include <string>

#include "run_types.h"

namespace attnx {

// Written to a temporary file, then renamed. `capture` names the policy ("full", "last-row",
// "none", ...). Throws attnx::Error.
void writeRunFile(const std::string& path, const RunResult& run, const std::string& capture);

// The capture policy a result shows: "qk", "full", "rows" (chosen query rows), "last-row" or
// "none"; what the window writes when it saves a run it did not make on the command line.
std::string captureName(const RunResult& run);
// Reads and checks a run file: every shape against the others, the layout covering 0..T, the
// attention weights finite and in [0, 1], indices in range. Throws attnx::Error naming the file
// and what is wrong (a truncated or hostile file never crashes and never yields a half result).
RunResult readRunFile(const std::string& path);

}  // namespace attnx
