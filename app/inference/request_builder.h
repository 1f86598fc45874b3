#pragma once
// Turns what the user typed into an attnx::RunRequest through the one composer of model/
// (input_fields.h), so that the window composes exactly what `attnx run` does from the same
// fields. Kept apart from the input panel so the rules ("ids:" fields, layer lists) are tested
// without widgets.
#include <QString>
#include <optional>
#include <vector>

#include "input_fields.h"
#include "model.h"

namespace attnx {

// What the input panel holds, as plain values.
struct RequestFields {
  QString prompt;           // text, or "ids: 1, 2, 3" for explicit token ids
  QString promptPair;       // encoders: the second sentence of a pair; empty: none
  QString anchor;           // text or "ids: ..."; empty: no anchor
  bool softTokens = false;  // a soft-token file is chosen (rows are filled in on the worker)
  bool bosAfterSoft = true;  // applies only with soft tokens
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

// The fields for the composer (a field of white space only counts as empty).
InputFields inputFieldsFrom(const RequestFields& fields);

// Parts composed by composeInputParts: [soft][BOS if checked and soft][anchor][prompt]. Soft parts
// carry rows = 0 and no embeddings: the worker fills them from the soft-token file
// (fillSoftTokens). Throws attnx::Error when there is nothing to run.
RunRequest buildRunRequest(const RequestFields& fields);

}  // namespace attnx
