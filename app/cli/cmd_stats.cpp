// `attnx stats`: run a model on one input and write the attention statistics of one query
// position (mass on each segment per layer and head, entropy, the guide's diagnostics) as JSON
// or CSV.
#include <charconv>
#include <cstdio>

#include "args.h"
#include "attention_stats.h"
#include "cli.h"
#include "diagnostics.h"
#include "error.h"
#include "model.h"
#include "run_inputs.h"
#include "stats_export.h"

namespace attnx::cli {

int cmdStats(const std::vector<std::string>& argv) {
  const Args args(argv,
                  withInputOptions({"model", "query", "format", "device", "dtype", "threads", "out"},
                                   false),
                  withInputOptions({}, true));
  const std::string dir = args.require("model");
  const std::string out = args.require("out");
  const std::string format = args.value("format", "json");
  if (format != "json" && format != "csv")
    throw UsageError("--format must be json or csv, not '" + format + "'");

  RunRequest request = inputRequestFrom(args);
  // Only the rows of the chosen query are kept: never L x H x T x T for statistics.
  if (const std::optional<int> q = queryOption(args)) {
    request.capture.rows = CapturePolicy::Rows::Selected;
    request.capture.queryPositions = {*q};
  } else {
    request.capture.rows = CapturePolicy::Rows::LastRow;
  }
  request.capture.fullLogits = false;

  const LoadOptions options = loadOptionsFrom(args);
  const auto model = Model::load(dir, options);
  const int queryPosition = request.capture.rows == CapturePolicy::Rows::Selected
                                ? request.capture.queryPositions.front()
                                : -1;
  if (queryPosition >= 0) {
    const ComposedInput composed = model->compose(request.parts);
    if (queryPosition >= composed.batch.seqLen)
      throw Error("--query " + std::to_string(queryPosition) +
                  " is past the input's last position " +
                  std::to_string(composed.batch.seqLen - 1));
  }
  const RunResult r = model->run(request);
  const int position = queryPosition >= 0 ? queryPosition : lastValidPosition(r, 0);
  const SegmentMass mass = computeSegmentMass(r, 0, position);
  if (format == "json")
    writeStatsJson(out, mass, diagnose(mass));
  else
    writeStatsCsv(out, mass);
  std::fprintf(stderr, "attnx stats: query position %d, %d layers x %d heads -> %s\n", position,
               r.model.layers, r.model.heads, out.c_str());
  return 0;
}

}  // namespace attnx::cli
