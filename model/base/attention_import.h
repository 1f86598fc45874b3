#pragma once
// Attention saved by Python pipelines, turned into a run (`attnx import`, the window's Open):
//   torch.save of transformers' outputs.attentions (a tuple or list, one [B,H,T,T] or [H,T,T]
//     per layer), or of a dict holding "attentions" (that tuple, or one stacked tensor) and
//     optionally "input_ids" ([T] or [1,T]), "tokens" (T strings) and "layout" (a layout spec);
//   NumPy .npz (attentions.<l> or arr_<l> per layer, or one stacked "attentions", with optional
//     input_ids) and .npy (one stacked array);
//   safetensors with attentions.<l> (metadata "layout" and "tokens", a JSON list, optional).
// A stacked array is [L,B,H,T,T] or [L,H,T,T]. B must be 1: one example per run.
// Everything is checked before anything is returned: every layer the same H and T, layers
// 0..L-1 each once, weights finite in [0, 1], every row summing to 1 (within the rounding of
// the dtype the file holds), the layout covering exactly 0..T-1.
#include <string>
#include <string_view>
#include <vector>

#include "run_types.h"

namespace attnx {

struct ImportOptions {
  std::string layout;      // "soft:M,bos:1,anchor:N,text:K"; empty: the file's, else all text
  std::string tokensFile;  // a JSON list of T strings; empty: the file's, else the ids ("#17")
};

// Throws attnx::Error naming the file and what is wrong.
RunResult importAttention(const std::string& path, const ImportOptions& options = {});

// The file's own layout spec ("layout" entry), or empty; for the window to propose it. Throws
// attnx::Error as importAttention does when the file cannot be read.
std::string layoutInFile(const std::string& path);

// "soft:8,bos:1,anchor:3,text:20": segments in that order (kinds soft, bos, anchor, text,
// special, generated, pad; counts of 1 or more). Throws attnx::Error when a part is malformed
// or the counts do not add up to T.
std::vector<Segment> parseLayoutSpec(std::string_view spec, int T);

// Whether `path` names a file importAttention reads by its extension (.pt, .pth, .bin, .npz,
// .npy); safetensors files are run files unless they lack "input_ids".
bool isAttentionImportFile(std::string_view path);

}  // namespace attnx
