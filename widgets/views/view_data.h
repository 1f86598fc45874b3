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

// Head choice as text: "head 3", "mean of heads", "max of heads".
QString headName(HeadChoice head);

}  // namespace attnx
