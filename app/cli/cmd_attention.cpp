// `attnx attention`: one tile of one head's attention from a run file, exact: read from the
// matrices it stored, or recomputed from its queries, keys and row log-sum-exps (--capture qk).
#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "args.h"
#include "attention_tile.h"
#include "cli.h"
#include "error.h"
#include "run_file.h"
#include "safetensors.h"

namespace attnx::cli {
namespace {

// "a-b" (inclusive) or "a".
std::pair<int, int> positions(const std::string& text, const std::string& option) {
  auto number = [&](std::string_view s) {
    int v = -1;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v < 0)
      throw UsageError(option + " must be positions a-b or one position a, not '" + text + "'");
    return v;
  };
  const auto dash = text.find('-');
  if (dash == std::string::npos) {
    const int a = number(text);
    return {a, a};
  }
  const int a = number(std::string_view(text).substr(0, dash));
  const int b = number(std::string_view(text).substr(dash + 1));
  if (b < a) throw UsageError(option + " '" + text + "' ends before it begins");
  return {a, b};
}

}  // namespace

int cmdAttention(const std::vector<std::string>& argv) {
  const Args args(argv, {"run", "layer", "head", "rows", "cols", "batch", "out"}, {});
  const std::string runPath = args.require("run");
  const std::string out = args.require("out");
  TileRequest t;
  t.layer = args.integer("layer", -1);
  t.head = args.integer("head", -1);
  t.batch = args.integer("batch", 0);
  if (!args.has("layer") || t.layer < 0) throw UsageError("--layer L (0 or more) is required");
  if (!args.has("head") || t.head < 0) throw UsageError("--head H (0 or more) is required");
  if (t.batch < 0) throw UsageError("--batch must be 0 or more");
  std::tie(t.firstRow, t.lastRow) = positions(args.require("rows"), "--rows");

  const RunResult run = readRunFile(runPath);
  if (args.has("cols"))
    std::tie(t.firstCol, t.lastCol) = positions(*args.get("cols"), "--cols");
  else
    t.lastCol = run.seqLen - 1;
  bool fromQueryKeys = false;
  const std::vector<float> tile = attentionTile(run, t, &fromQueryKeys);
  const int64_t rows = t.lastRow - t.firstRow + 1, cols = t.lastCol - t.firstCol + 1;
  const nlohmann::json where = {{"run", runPath},
                                {"layer", t.layer},
                                {"head", t.head},
                                {"batch", t.batch},
                                {"rows", {t.firstRow, t.lastRow}},
                                {"cols", {t.firstCol, t.lastCol}}};
  writeSafetensors(out, {OwnedTensor::fromFloats("attention", {rows, cols}, tile.data())},
                   {{"tile", where.dump()}});
  std::fprintf(stderr, "attnx attention: layer %d head %d, rows %d-%d x keys %d-%d (%s) -> %s\n",
               t.layer, t.head, t.firstRow, t.lastRow, t.firstCol, t.lastCol,
               fromQueryKeys ? "from queries and keys" : "from stored matrices", out.c_str());
  return 0;
}

}  // namespace attnx::cli
