#pragma once
// What the current selection points at in a RunResult, shared by the views: the attention
// tensors of the forward pass or of a generation step, the selected layer's tensor, the segment
// statistics of the selected query, and display labels of token positions.
#include <QString>
#include <optional>
#include <vector>

#include "attention_stats.h"
#include "run_document.h"

namespace attnx {

// The forward pass's tensors (no step) or those of generation step `step` (empty if none).
const std::vector<AttentionTensor>& tensorsForStep(const RunResult& r, std::optional<int> step);
// The tensor of the selected layer and step, or nullptr when that layer was not captured.
const AttentionTensor* selectedTensor(const RunResult& r, const Selection& s);

// Number of positions shown as tokens: the prompt plus the generated tokens.
int tokenCount(const RunResult& r);
// The raw display label of a position (prompt token of batch row `row`, or generated token).
QString tokenText(const RunResult& r, int row, int position);
// The label made printable for axes and chips: spaces as "·", newlines as "↵", tabs as "→",
// empty labels as "∅", and elided to `maxChars` characters.
QString visibleToken(const QString& text, int maxChars = 0);
// visibleToken in quotes, for running text (tooltips, titles, status lines): "query 12 at 'at'",
// where a bare ":" or "at" would read as part of the sentence.
QString quotedToken(const QString& text, int maxChars = 0);
// The text of token `id` the run's logit lens keeps (the views have no tokenizer: the lens
// records the text of the ids it ranks); nullopt for an id it does not know.
std::optional<QString> lensLabel(const RunResult& r, int64_t id);
// The token id of a position (a prompt id or a generated id), or -1 (a soft position).
qint64 tokenId(const RunResult& r, int row, int position);

// The largest weight of a [rows, cols] matrix over the rows with more than one non-zero weight:
// the top of an automatic colour range. A row with a single allowed key (position 0 of a causal
// model, weight 1 on itself) says nothing about the data and would pin the range at 1; it is
// found by its weights (all on one key), which also leaves out a row whose other weights
// underflowed to exactly 0 (its one weight is 1 and shows at the top colour anyway). Falls back
// to the largest weight of all when every row is such a row; 0 for an empty or all-zero matrix
// (callers then use 1, and a panel without data does not pin a shared range).
double largestInformativeWeight(const std::vector<float>& values, int rows, int cols);

// Head choice as text: "head 3", "mean of heads", "max of heads".
QString headName(HeadChoice head);

}  // namespace attnx
