#pragma once
// The input parts that compose a run's input again (composeParts), from what the run records:
// its layout and ids. Soft segments become Soft parts without embeddings (the rows come from the
// soft-token file the run names, filled in where it is run); BOS, anchor, text and special
// segments become parts of their kind with their ids. What reruns a shown or opened run (a
// knockout of it) starts from here rather than from whatever the input panel holds now.
#include <vector>

#include "run_types.h"

namespace attnx {

// Batch row `b` of `r` (its generated tokens left out). Throws attnx::Error when the run has no
// layout or ids for that row, or the row is padded.
std::vector<InputPart> partsOfRun(const RunResult& r, int b = 0);

}  // namespace attnx
