#pragma once
// The knockouts the views offer on right-click (#12, "Knock out…"): for a head of the grid, its
// attention (or its layer's heads') to each kind of token the input has; for a token of the
// strip, every head's (or the selected head's) attention to that token or to its segment. Each
// is a spec `L:H:KEYS` (Knockout::parse) with the words of its menu entry; the window runs it.
#include <QString>
#include <functional>
#include <vector>

#include "run_types.h"

class QMenu;

namespace attnx {

struct KnockoutChoice {
  QString spec;  // "1:3:soft", "all:all:5-5"
  QString text;  // the menu entry
};

// The kinds of token batch row `row` of `r` has that a knockout can name, in input order.
std::vector<SegmentKind> knockoutKinds(const RunResult& r, int row);
// For head `head` of `layer`: its attention to each kind, then every head of the layer's.
std::vector<KnockoutChoice> headKnockouts(const RunResult& r, int row, int layer, int head);
// For prompt position `position`: every head's attention to it and to its segment, then the
// same for head `head` of `layer` when `head` is one head (not an aggregate). Empty for a
// generated position.
std::vector<KnockoutChoice> keyKnockouts(const RunResult& r, int row, int position,
                                         const HeadChoice& head, int layer);

// Adds a "Knock out" section of `choices` to `menu`; triggering one calls `run(spec)`.
void addKnockoutActions(QMenu* menu, const std::vector<KnockoutChoice>& choices,
                        const std::function<void(const QString& spec)>& run);

}  // namespace attnx
