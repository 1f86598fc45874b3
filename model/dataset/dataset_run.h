#pragma once
// A dataset run: every example of an examples file through one loaded model, keeping only the
// compact statistics of the query position (dataset_stats.h). Resumable and cancellable.
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "dataset_results.h"
#include "examples_file.h"
#include "soft_tokens.h"

namespace attnx {

class Model;

// The soft-token file of a dataset run (soft_tokens.h): [N, M, d], row i for example i or
// example.softIndex, or one shared prefix [M, d] / [1, M, d] used for every example.
// The prefix an example uses: example.softIndex, else exampleIndex; 0 for a shared prefix.
// Throws attnx::Error naming the example when it does not exist.
int softIndexFor(const SoftTokenSet& soft, const Example& example, int exampleIndex);
std::vector<float> softRowsFor(const SoftTokenSet& soft, const Example& example, int exampleIndex);

// The first example that names a soft-token row (soft_index, or a soft segment), if any: with no
// soft-token file such examples would run without the prefix they were made with.
std::optional<std::size_t> firstExampleWithSoftTokens(const std::vector<Example>& examples);

// The input of one example: [soft][BOS if bosAfterSoft][anchor][prompt] as `attnx run` composes
// it, or the example's explicit segments (Soft parts filled from `soft`). The same parts the
// window uses to recompute an example's full attention.
std::vector<InputPart> exampleParts(const Example& example, int exampleIndex,
                                    const DatasetSettings& settings, const SoftTokenSet& soft);

// Checks, before any model runs, that every example can be run and judged with these settings:
// its soft-token row exists, it has an input, and its correctness can be decided (given, or a
// gold answer to compare with). Examples that name soft-token rows need a soft-token file unless
// settings.noSoftTokens says that running them without is intended. Throws attnx::Error naming
// the file, line and id.
void validateExamples(const std::vector<Example>& examples, const DatasetSettings& settings,
                      const SoftTokenSet& soft);

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
