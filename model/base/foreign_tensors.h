#pragma once
// What the readers of files saved by other programs share (soft-token files, imported attention):
// reading a whole file with a size limit, recognising safetensors by content, and turning a raw
// tensor of any floating-point dtype into finite float32 values.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "safetensors.h"  // DType

namespace attnx {

// The file's bytes; throws attnx::Error naming the file when it cannot be read or is larger
// than `maxBytes` (`what` names the kind of file in that message: "a soft-token file").
std::string readWholeFile(const std::string& path, uint64_t maxBytes, const std::string& what);

// A u64 header length, then a JSON object.
bool looksLikeSafetensors(std::string_view bytes);

// F32, F64, F16 or BF16 elements as float32, every one finite; throws attnx::Error starting with
// `where` (the file and tensor) for another dtype, a size that does not match `shape`, or a NaN or
// infinite element (named by its index).
std::vector<float> finiteFloats(const std::string& where, DType dtype,
                                const std::vector<int64_t>& shape, const std::byte* data,
                                std::size_t nbytes);

}  // namespace attnx
