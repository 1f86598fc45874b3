// `attnx import`: attention saved by Python (torch.save, NumPy, safetensors) as a run file the
// window and the other commands read.
#include <iostream>

#include "args.h"
#include "attention_import.h"
#include "cli.h"
#include "run_file.h"

namespace attnx::cli {

int cmdImport(const std::vector<std::string>& argv) {
  const Args args(argv, {"attentions", "tokens", "layout", "out"}, {});
  ImportOptions options;
  options.layout = args.value("layout", "");
  options.tokensFile = args.value("tokens", "");
  if (args.has("layout") && options.layout.empty())
    throw UsageError("--layout needs KIND:COUNT parts, e.g. soft:8,bos:1,anchor:3,text:20");
  const std::string in = args.require("attentions");
  const std::string out = args.require("out");
  const RunResult r = importAttention(in, options);
  writeRunFile(out, r, "full");
  std::cerr << "attnx import: " << r.model.layers << " layers, " << r.model.heads << " heads, "
            << r.seqLen << " positions -> " << out << "\n";
  return 0;
}

}  // namespace attnx::cli
