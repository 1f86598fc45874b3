#pragma once
// Turns what the user typed into an attnx::RunRequest. Kept apart from the input panel so the
// rules (part order, "ids:" fields, layer lists) are tested without widgets.
#include <QString>
#include <optional>
#include <vector>

#include "model.h"

namespace attnx {

// What the input panel holds, as plain values.
struct RequestFields {
  QString prompt;           // text, or "ids: 1, 2, 3" for explicit token ids
  QString anchor;           // text or "ids: ..."; empty: no anchor
  bool softTokens = false;  // a soft-token file is chosen (rows are filled in on the worker)
  bool bosAfterSoft = true;
  int generate = 0;
  bool stopAtEos = true;     // stop generating at the model's end-of-sequence id
  bool lastRowOnly = false;  // capture only the last valid query row
  QString layers;            // "" or "all": every layer; else "0,2,5-7"
};

// "ids: 1, 2 3" -> {1, 2, 3}; text without the "ids:" prefix -> nullopt.
// Throws attnx::Error for a malformed list (names the offending item).
std::optional<std::vector<int64_t>> parseIdsField(const QString& text);

// "" / "all" -> {} (every layer); "0,2,5-7" -> {0, 2, 5, 6, 7}, sorted, without duplicates.
// Throws attnx::Error for a malformed list.
std::vector<int> parseLayerList(const QString& text);

// Parts in order [soft][BOS if checked][anchor][prompt]. With neither soft tokens nor an anchor,
// a text prompt alone is Model::promptRequest (special tokens as Hugging Face adds them) and an
// id prompt is taken exactly as given. Soft parts carry rows = 0 and no embeddings: the worker
// fills them from the soft-token file. Throws attnx::Error when there is nothing to run.
RunRequest buildRunRequest(const RequestFields& fields);

}  // namespace attnx
