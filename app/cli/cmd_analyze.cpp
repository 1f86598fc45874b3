// `attnx analyze`: run a model over an examples file and compare the attention of correct and
// incorrect examples. Writes DIR/stats.json (after every example, so that an interrupted run
// continues where it stopped when started again with the same options) and DIR/summary.csv.
// Ctrl+C stops after the current layer, keeping the finished examples.
#include <charconv>
#include <csignal>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <optional>

#include "args.h"
#include "cli.h"
#include "dataset_results.h"
#include "dataset_run.h"
#include "error.h"
#include "examples_file.h"
#include "dataset_session.h"
#include "results_checkpoint.h"
#include "run_inputs.h"
#include "model.h"

namespace attnx::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// ---- Ctrl+C ----

volatile std::sig_atomic_t gInterrupted = 0;

extern "C" void onInterrupt(int) {
  gInterrupted = 1;
  // A second Ctrl+C ends the process at once.
  std::signal(SIGINT, SIG_DFL);
}

// Installs the handler for the lifetime of the command and restores the previous one after.
class InterruptGuard {
 public:
  InterruptGuard() {
    gInterrupted = 0;
    struct sigaction sa {};
    sa.sa_handler = onInterrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &previous_);
  }
  ~InterruptGuard() { sigaction(SIGINT, &previous_, nullptr); }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  struct sigaction previous_ {};
};

// ---- options ----

double parseThreshold(const std::string& text) {
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || !(v >= 0.0 && v <= 1.0))
    throw UsageError("--f1-threshold must be a number in [0, 1], not '" + text + "'");
  return v;
}

// "K/N": the K-th of N shards, 1 <= K <= N.
void parseShard(const std::string& text, DatasetSettings& s) {
  const std::size_t slash = text.find('/');
  auto whole = [](std::string_view t, int& out) {
    const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
    return !t.empty() && ec == std::errc() && p == t.data() + t.size();
  };
  int k = 0, n = 0;
  if (slash == std::string::npos || !whole(std::string_view(text).substr(0, slash), k) ||
      !whole(std::string_view(text).substr(slash + 1), n) || n < 1 || n > 100000 || k < 1 || k > n)
    throw UsageError("--shard must be K/N with 1 <= K <= N (e.g. 2/8), not '" + text + "'");
  s.shard = k;
  s.shards = n;
}

DatasetSettings settingsFrom(const Args& args) {
  DatasetSettings s;
  s.modelDir = args.require("model");
  s.examplesFile = args.require("examples");
  if (auto soft = args.get("soft-tokens")) s.softTokenFile = *soft;
  s.anchor = args.value("anchor", "");
  s.bosAfterSoft = args.has("bos-after-soft");
  if (s.bosAfterSoft && s.softTokenFile.empty())
    throw UsageError("--bos-after-soft needs --soft-tokens");
  s.noSoftTokens = args.has("no-soft-tokens");
  if (s.noSoftTokens && !s.softTokenFile.empty())
    throw UsageError("give only one of --soft-tokens and --no-soft-tokens");
  s.predictionField = args.value("prediction-field", "prediction");
  if (s.predictionField.empty()) throw UsageError("--prediction-field is empty");
  if (const std::optional<int> q = queryOption(args)) s.query = *q;
  const std::string c = args.value("correctness", "em");
  if (c == "em" || c == "f1")
    s.correctness = c;
  else if (c == "first-token" || c == "first_token")
    s.correctness = "first_token";
  else
    throw UsageError("--correctness must be em, f1 or first-token, not '" + c + "'");
  if (auto t = args.get("f1-threshold")) s.f1Threshold = parseThreshold(*t);
  s.maxNewTokens = args.integer("max-new-tokens", 16);
  if (s.maxNewTokens < 1) throw UsageError("--max-new-tokens must be at least 1");
  if (auto shard = args.get("shard")) parseShard(*shard, s);
  return normalizedSettings(s);
}

// The option that sets a run setting, for the message that suggests --restart.
std::string optionOf(RunSetting s) {
  // By RunSetting's order.
  static constexpr const char* kOptions[] = {
      "--model",          "--examples",         "--soft-tokens", "--anchor",
      "--bos-after-soft", "--prediction-field", "--query",       "--correctness",
      "--f1-threshold",   "--max-new-tokens",   "--shard"};
  static_assert(std::size(kOptions) == kRunSettingCount);
  return kOptions[static_cast<std::size_t>(s)];
}

std::string duration(double seconds) {
  const RoundedDuration d = roundDuration(seconds);
  char buf[64];
  switch (d.unit) {
    case RoundedDuration::Unit::Seconds:
      std::snprintf(buf, sizeof buf, "%.0f s", d.value);
      break;
    case RoundedDuration::Unit::Minutes:
      std::snprintf(buf, sizeof buf, "%.0f min", d.value);
      break;
    case RoundedDuration::Unit::Hours:
      std::snprintf(buf, sizeof buf, "%.1f h", d.value);
      break;
  }
  return buf;
}

// The session's refusals, in the command line's terms.
[[noreturn]] void rethrowInOptions(const ResumeRefused& r) {
  switch (r.reason) {
    case ResumeRefused::Reason::Unreadable:
      throw Error(r.detail + "; use --restart to start over");
    case ResumeRefused::Reason::OtherSettings: {
      std::string options;
      for (RunSetting s : r.settings) options += (options.empty() ? "" : ", ") + optionOf(s);
      throw Error(r.file + " was made with other options (" + options +
                  "); use --restart to start over, or another --out");
    }
    case ResumeRefused::Reason::OtherTotal:
      throw Error(r.file + " is for " + std::to_string(r.fileTotal) +
                  " examples, the examples file now holds " + std::to_string(r.examplesTotal) +
                  "; use --restart to start over");
    case ResumeRefused::Reason::OtherExamples:
      throw Error(r.file + " is for other examples (example " + std::to_string(r.exampleIndex + 1) +
                  " was " + r.exampleId + "); use --restart to start over");
  }
  throw Error(r.what());
}

void printSummary(const DatasetResults& r, const std::string& statsPath,
                  const std::string& csvPath) {
  const auto& ex = r.examples;
  const GroupStats correct = computeGroup(ex, correctMembers(ex, true), "correct");
  const GroupStats incorrect = computeGroup(ex, correctMembers(ex, false), "incorrect");
  std::fprintf(stderr, "attnx analyze: %d examples, %d correct, %d incorrect -> %s, %s\n",
               static_cast<int>(ex.size()), correct.n(), incorrect.n(), statsPath.c_str(),
               csvPath.c_str());
  std::vector<int> all(ex.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
  const GroupStats everything = computeGroup(ex, all, "all");
  if (everything.firstTokenAccuracy)
    std::fprintf(stderr, "  FirstTok@1 %.1f%%", 100.0 * *everything.firstTokenAccuracy);
  if (everything.meanEm)
    std::fprintf(stderr, "%s EM %.3f, F1 %.3f", everything.firstTokenAccuracy ? "," : " ",
                 *everything.meanEm, *everything.meanF1);
  if (everything.firstTokenAccuracy || everything.meanEm) std::fprintf(stderr, "\n");
  const auto soft = kindIndex(SegmentKind::Soft);
  if (correct.n() > 0 && incorrect.n() > 0) {
    std::fprintf(stderr, "  soft-token mass by layer (mean of heads), correct vs incorrect:\n");
    for (std::size_t l = 0; l < correct.byLayer[soft].size(); ++l) {
      const MeanCi& a = correct.byLayer[soft][l];
      const MeanCi& b = incorrect.byLayer[soft][l];
      std::fprintf(stderr, "    layer %2d  %.3f [%.3f, %.3f]  vs  %.3f [%.3f, %.3f]\n",
                   correct.layers[l], a.mean, a.lo, a.hi, b.mean, b.lo, b.hi);
    }
  }
}

}  // namespace

int cmdAnalyze(const std::vector<std::string>& argv) {
  const Args args(
      argv,
      {"model", "examples", "soft-tokens", "anchor", "prediction-field", "query", "out",
       "correctness", "f1-threshold", "max-new-tokens", "device", "dtype", "threads", "shard"},
      {"bos-after-soft", "restart", "no-soft-tokens"});
  const std::string outDir = args.require("out");
  DatasetSettings settings = settingsFrom(args);
  const LoadOptions load = loadOptionsFrom(args);
  if (load.threads < 0) throw UsageError("--threads cannot be negative");

  // Everything about the inputs is checked before the model loads.
  const std::vector<Example> examples =
      readExamples(settings.examplesFile, {settings.predictionField});
  const SoftTokenSet soft =
      settings.softTokenFile.empty() ? SoftTokenSet{} : SoftTokenSet::load(settings.softTokenFile);

  std::error_code ec;
  fs::create_directories(outDir, ec);
  if (ec) throw Error(outDir + ": cannot create the output folder (" + ec.message() + ")");
  const std::string statsPath = (fs::path(outDir) / "stats.json").string();

  std::optional<DatasetSession> session;
  try {
    session.emplace(settings, examples, soft, statsPath, !args.has("restart"));
  } catch (const MissingSoftTokens& m) {
    // Soft mass 0.000 in every layer would say nothing: refused unless it is meant.
    throw Error(settings.examplesFile + ":" + std::to_string(m.line) + ": example " + m.id +
                " names soft-token rows" +
                (m.softIndex >= 0 ? " (soft_index " + std::to_string(m.softIndex) + ")"
                                  : std::string(" (a soft segment)")) +
                " but no --soft-tokens file is given; give it, or --no-soft-tokens to run the "
                "examples without their soft tokens");
  } catch (const ResumeRefused& r) {
    rethrowInOptions(r);
  }
  const std::string& csvPath = session->summaryFile();
  if (session->complete() && session->doneAtStart() > 0) {
    session->save();
    std::fprintf(stderr, "attnx analyze: %s is already complete (use --restart to run again)\n",
                 statsPath.c_str());
    printSummary(session->results(), statsPath, csvPath);
    return 0;
  }
  if (session->doneAtStart() > 0)
    std::fprintf(stderr, "attnx analyze: continuing %s at %d / %d examples\n", statsPath.c_str(),
                 session->doneAtStart(), session->results().expected());

  const auto model = Model::load(settings.modelDir, load);

  InterruptGuard guard;
  const RunClock clock(session->doneAtStart(), session->results().expected());
  auto lastLine = Clock::now() - std::chrono::hours(1);
  auto onDone = [&](const ExampleStats&, const DatasetResults& r) {
    const auto now = Clock::now();
    const int done = static_cast<int>(r.examples.size()), expected = r.expected();
    if (done == expected || now - lastLine >= std::chrono::seconds(1)) {
      if (done < expected)
        std::fprintf(stderr, "%d / %d examples, about %s left\n", done, expected,
                     duration(clock.secondsLeft(done)).c_str());
      else
        std::fprintf(stderr, "%d / %d examples in %s\n", done, expected,
                     duration(clock.elapsedSeconds()).c_str());
      lastLine = now;
    }
  };
  const ProgressFn progress = [](int, int, std::string_view) { return gInterrupted == 0; };

  try {
    session->run(*model, progress, onDone);
  } catch (const Cancelled&) {
    session->save();
    std::fprintf(stderr,
                 "attnx analyze: cancelled; %d / %d examples are in %s (run the same command "
                 "again to continue)\n",
                 static_cast<int>(session->results().examples.size()),
                 session->results().expected(), statsPath.c_str());
    return 1;
  }
  printSummary(session->results(), statsPath, csvPath);
  return 0;
}

int cmdAnalyzeWithoutFigures(const std::vector<std::string>& argv) {
  const int status = cmdAnalyze(argv);
  if (status == 0)
    std::fprintf(stderr,
                 "attnx analyze: figures (soft-token mass by layer per group, head-grid "
                 "difference) are drawn by the attnx executable; attnx-cli writes the numbers "
                 "only\n");
  return status;
}

}  // namespace attnx::cli
