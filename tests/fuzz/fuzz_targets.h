#pragma once
// The parsers attnx reads untrusted files with, each as a function of raw bytes: the libFuzzer
// harnesses (fuzz_main.cpp, -DATTNX_FUZZ=ON) and the regression test of the normal suite
// (tests/model/test_fuzz_corpus.cpp, every kept input) call the same code. A target returns
// normally for any input: bad input must end in attnx::Error, which the target swallows; any
// other exception, a crash or a sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace attnx::fuzz {

using Target = void (*)(const uint8_t* data, std::size_t size);

struct NamedTarget {
  const char* name;  // also the corpus folder: tests/fuzz/corpus/<name>/
  Target fn;
};

const std::vector<NamedTarget>& targets();
Target targetNamed(const std::string& name);  // nullptr when unknown

}  // namespace attnx::fuzz
