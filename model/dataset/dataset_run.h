#pragma once
// A dataset run: every example of an examples file through one loaded model, keeping only the
// compact statistics of the query position (dataset_stats.h). Resumable and cancellable.
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "dataset_results.h"
#include "example_inputs.h"

namespace attnx {

class Model;

// Called after each example with its statistics (results already holds it).
using ExampleDoneFn = std::function<void(const ExampleStats&, const DatasetResults&)>;

// Runs every example of `examples` that `results` does not hold yet, in file order, appending to
// results.examples (results.settings and .total must be set by the caller; model info is filled
// in). progress(done, total, id) is called before each example; returning false cancels, and the
// run then throws Cancelled with every finished example kept in `results` (it is also passed to
// the model between layers, so a long example stops early). A failing example throws
// attnx::Error naming its id and line. Correctness of an example: "correct" when given; else
// FirstTok@1 with correctness "first_token"; else EM (or F1 >= f1Threshold) of the given
// prediction, or of the model's greedy answer (maxNewTokens, stopping at end-of-sequence).
// FirstTok@1 is judged at the last valid position, the one whose next token continues the input
// (also when settings.query picks another row for the attention statistics).
void runDataset(const Model& model, const std::vector<Example>& examples, const SoftTokenSet& soft,
                DatasetResults& results, const ProgressFn& progress = {},
                const ExampleDoneFn& onExampleDone = {});

}  // namespace attnx
