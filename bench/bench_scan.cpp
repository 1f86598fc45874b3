// The knockout scan (the causal head grid) against what it replaces, measured in the same run:
//   scan        Model::scan: one prefix pass keeping each layer's input, then for every layer l
//               and head h a pass through layers l..L-1 only
//   one by one  L x H full forward passes, each with one knockout l:h:KEYS
//   plain       L x H plain forward passes (the floor of any method that runs whole passes)
// A scan runs sum_l H (L - l) = H L (L + 1) / 2 layer passes instead of H L^2, so its ratio to
// the one-by-one runs tends to (L + 1) / (2 L) as layers dominate; embeddings and the LM head on
// one row are shared. Default model: the built-in demo (4 layers, 4 heads); --model takes any
// checkpoint folder.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "args.h"
#include "model.h"
#include "openmp_env.h"

using namespace attnx;

namespace {

template <class F>
double median(int reps, F&& f) {
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) {
    const auto start = std::chrono::steady_clock::now();
    f();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

const char* kUsage =
    "usage: bench_scan [--model DIR] [--tokens N] [--keys KEYS] [--threads N] [--reps N]\n"
    "  --model    a checkpoint folder (default: the built-in demo in resources/demo)\n"
    "  --tokens   input length (default 128)\n"
    "  --keys     the knocked-out keys (default 0-7)\n"
    "  --threads  libtorch threads (default 1)\n"
    "  --reps     repetitions, the median is reported (default 3)\n";

}  // namespace

int main(int argc, char** argv) {
  restartWithPassiveOpenMpWait(argv);  // as attnx itself runs
  const std::vector<std::string> argv1(argv + 1, argv + argc);
  try {
    for (const auto& a : argv1)
      if (a == "--help" || a == "-h") {
        std::fputs(kUsage, stdout);
        return 0;
      }
    const cli::Args args(argv1, {"model", "tokens", "keys", "threads", "reps"}, {});
    const int T = args.integer("tokens", 128), reps = args.integer("reps", 3);
    if (T < 2 || reps < 1) throw cli::UsageError("--tokens must be at least 2, --reps at least 1");
    LoadOptions options;
    options.device = "cpu";
    options.threads = args.integer("threads", 1);
    const auto model = Model::load(args.value("model", ATTNX_DEMO_DIR), options);
    const ModelInfo& info = model->info();
    BatchInput in;
    in.seqLen = std::min<int>(T, info.maxPositions);
    for (int i = 0; i < in.seqLen; ++i) in.ids.push_back(1 + (i * 7919) % (info.vocab - 1));
    ScanOptions scan;
    scan.keys = args.value("keys", "0-7");
    CapturePolicy lastOnly;
    lastOnly.rows = CapturePolicy::Rows::None;
    lastOnly.fullLogits = false;
    const int L = info.layers, H = info.heads;

    ScanResult result;
    const double tScan = median(reps, [&] { result = model->scan(in, scan); });
    const double tSingle = median(reps, [&] {
      for (int l = 0; l < L; ++l)
        for (int h = 0; h < H; ++h) {
          BatchInput ko = in;
          ko.knockouts = {
              Knockout::parse(std::to_string(l) + ":" + std::to_string(h) + ":" + scan.keys)};
          (void)model->run(ko, lastOnly);
        }
    });
    const double tPlain = median(reps, [&] {
      for (int i = 0; i < L * H; ++i) (void)model->run(in, lastOnly);
    });
    std::printf("bench_scan: %s, %d layers x %d heads, %d tokens, keys %s, %d thread(s)\n",
                info.family.c_str(), L, H, in.seqLen, scan.keys.c_str(), options.threads);
    std::printf("  %-34s %9.3f s\n", "scan (prefix reuse)", tScan);
    std::printf("  %-34s %9.3f s   scan / this = %.2f\n", "L x H knockout runs, one by one",
                tSingle, tScan / tSingle);
    std::printf("  %-34s %9.3f s   scan / this = %.2f\n", "L x H plain forward passes", tPlain,
                tScan / tPlain);
    std::printf("  layer passes: scan %d, one by one %d (ratio %.2f)\n", H * L * (L + 1) / 2,
                H * L * L, (L + 1) / (2.0 * L));
    return 0;
  } catch (const cli::UsageError& e) {
    std::fprintf(stderr, "bench_scan: %s\n%s", e.what(), kUsage);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_scan: %s\n", e.what());
    return 1;
  }
}
