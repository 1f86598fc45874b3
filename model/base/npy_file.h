#pragma once
// NumPy .npy files (format versions 1, 2 and 3): the header's Python dict literal is parsed by a
// small reader for exactly the keys numpy writes ('descr', 'fortran_order', 'shape').
#include <string>
#include <string_view>

#include "raw_tensor.h"

namespace attnx {

// Little-endian floats ('<f2', '<f4', '<f8') and integers/bools are recognised (the caller decides
// what it accepts); big-endian, structured and object arrays are refused. A Fortran-ordered array
// is returned in row-major order. Throws attnx::Error naming `path`.
RawTensor readNpy(const std::string& path, std::string_view bytes);

bool looksLikeNpy(std::string_view bytes);

}  // namespace attnx
