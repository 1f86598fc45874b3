#pragma once
// PyTorch files written by torch.save (the zip format of torch >= 1.6): a folder
// "<archive>/" holding data.pkl (the pickled object), data/<key> (raw little-endian storages),
// version and, since torch 2.0, byteorder. Only tensors and dicts of tensors are read (see
// torch_pickle.h); the legacy non-zip format is refused with a hint.
#include <string>
#include <string_view>
#include <vector>

#include "raw_tensor.h"

namespace attnx {

bool looksLikeZip(std::string_view bytes);
bool looksLikeLegacyTorch(std::string_view bytes);

// Every tensor in the file, each gathered into contiguous row-major bytes. Throws attnx::Error.
std::vector<RawTensor> readTorchSave(const std::string& path, std::string_view bytes);

// Any nesting of dicts, tuples and lists of tensors and strings (outputs.attentions, or a dict
// with "attentions", "input_ids", "tokens"), flattened as parseTorchPickleTree names them.
struct TorchSaveTree {
  std::vector<RawTensor> tensors;
  std::vector<std::pair<std::string, std::vector<std::string>>> strings;
};
TorchSaveTree readTorchSaveTree(const std::string& path, std::string_view bytes);

}  // namespace attnx
