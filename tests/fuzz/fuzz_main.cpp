// One libFuzzer harness per parser: fuzz_<name>, built from this file with ATTNX_FUZZ_TARGET set
// to the target's name (tests/fuzz/CMakeLists.txt). Run them with tools/fuzz.sh.
#include <cstdlib>

#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static const attnx::fuzz::Target target = [] {
    auto t = attnx::fuzz::targetNamed(ATTNX_FUZZ_TARGET);
    if (!t) std::abort();
    return t;
  }();
  target(data, size);
  return 0;
}
