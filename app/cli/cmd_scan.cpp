// `attnx scan`: the causal head grid. For every layer and head, knock out that head's attention
// to KEYS and record how the log-probability of the target at the query row changes.
#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "args.h"
#include "atomic_file.h"
#include "cli.h"
#include "error.h"
#include "model.h"
#include "run_inputs.h"

namespace attnx::cli {

int cmdScan(const std::vector<std::string>& argv) {
  const Args args(
      argv,
      withInputOptions({"model", "keys", "target", "query", "device", "dtype", "threads", "out"},
                       false),
      withInputOptions({}, true));
  const std::string dir = args.require("model");
  const std::string out = args.require("out");
  ScanOptions options;
  options.keys = args.require("keys");
  // The keys' form now, before the model loads (the model checks that the input has them).
  try {
    (void)Knockout::parse("all:all:" + options.keys);
  } catch (const Error&) {
    throw Error("--keys '" + options.keys +
                "': expected soft, bos, anchor, text, special or positions a-b");
  }
  const std::string target = args.value("target", "argmax");
  if (target != "argmax") {
    int64_t id = -1;
    auto [p, ec] = std::from_chars(target.data(), target.data() + target.size(), id);
    if (ec != std::errc() || p != target.data() + target.size() || id < 0)
      throw UsageError("--target must be argmax or a token id, not '" + target + "'");
    options.target = id;
  }
  options.query = queryOption(args);
  const RunRequest request = inputRequestFrom(args);

  const LoadOptions load = loadOptionsFrom(args);
  const auto model = Model::load(dir, load);
  const ScanResult r = model->scan(request, options);

  nlohmann::json delta = nlohmann::json::array();
  for (int l = 0; l < r.layers; ++l) {
    nlohmann::json row = nlohmann::json::array();
    for (int h = 0; h < r.heads; ++h)
      row.push_back(r.delta[static_cast<std::size_t>(l) * r.heads + h]);
    delta.push_back(std::move(row));
  }
  const nlohmann::json j = {{"target", r.target}, {"base_logprob", r.baseLogprob},
                            {"keys", r.keys},     {"query", r.query},
                            {"layers", r.layers}, {"heads", r.heads},
                            {"delta", delta},     {"model", model->info().dir}};
  writeFileAtomically(out, j.dump(2) + "\n");
  std::fprintf(stderr,
               "attnx scan: %d layers x %d heads, keys %s, target %lld (log p %.4f) at position "
               "%d, %.3f s -> %s\n",
               r.layers, r.heads, r.keys.c_str(), static_cast<long long>(r.target), r.baseLogprob,
               r.query, r.seconds, out.c_str());
  return 0;
}

}  // namespace attnx::cli
