#pragma once
// One exception type for every bad input the model layer meets (files, JSON, shapes, text).
// The message is complete and user-facing: it names the file and, where there is one, the tensor.
#include <stdexcept>
#include <string>

namespace attnx {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace attnx
