#pragma once
// Turning input parts (soft rows, BOS, anchor and prompt text, special ids) into one batch row,
// with the layout the views colour by. Plain C++: no libtorch.
#include <vector>

#include "hparams.h"
#include "model.h"

namespace attnx {

// Throws attnx::Error on soft rows of the wrong width, text without a tokenizer, a BOS the model
// does not have, or an empty input.
ComposedInput composeParts(const std::vector<InputPart>& parts, const Tokenizer* tokenizer,
                           const HParams& hp);

// Display label of a token: the tokenizer's, or "#id" without one.
std::string tokenLabel(const Tokenizer* tokenizer, int64_t id);

}  // namespace attnx
