#pragma once
// The input of every example of a dataset run (its soft-token row, [soft][BOS][anchor][prompt]
// through the one composer, or its explicit segments) and the checks made before any model runs.
// Plain C++: no model, no libtorch.
#include <optional>
#include <string>
#include <vector>

#include "dataset_results.h"
#include "examples_file.h"
#include "soft_tokens.h"

namespace attnx {

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

// "examples.jsonl:12: example q7", for messages.
std::string exampleWhere(const Example& example, const DatasetSettings& settings);
// Correctness is FirstTok@1 (settings.correctness "first_token").
bool judgedByFirstToken(const DatasetSettings& settings);
// The example has neither "correct" nor a prediction, and correctness needs an answer: the
// model's greedy answer is generated.
bool needsGeneration(const Example& example, const DatasetSettings& settings);

}  // namespace attnx
