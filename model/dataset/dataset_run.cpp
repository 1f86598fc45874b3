// Dataset runs: every example through the model at batch size 1 (no padding, so each example's
// numbers are exactly those of a single run in the explorer), capturing only the query row and
// the last position's logits; memory stays O(L * H * T) per example whatever the dataset size.
#include "dataset_run.h"

#include <algorithm>
#include <set>

#include "error.h"
#include "first_token.h"
#include "model.h"
#include "squad_metrics.h"
#include "tokenizer.h"

namespace attnx {
namespace {

ExampleStats runExample(const Model& model, const Example& ex, int index,
                        const DatasetSettings& settings, const SoftTokenSet& soft,
                        const ProgressFn& layerProgress, double& seconds) {
  RunRequest request;
  request.parts = exampleParts(ex, index, settings, soft);
  // Only the query row is captured: never L x H x T x T for a dataset.
  if (settings.query >= 0) {
    request.capture.rows = CapturePolicy::Rows::Selected;
    request.capture.queryPositions = {settings.query};
  } else {
    request.capture.rows = CapturePolicy::Rows::LastRow;
  }
  request.capture.fullLogits = false;
  const bool generate = needsGeneration(ex, settings);
  request.generate = generate ? settings.maxNewTokens : 0;
  request.stopAtEos = true;
  const RunResult r = model.run(request, layerProgress);
  seconds += r.seconds;

  const int query = settings.query >= 0 ? settings.query : lastValidPosition(r, 0);
  ExampleStats s = summarizeQuery(r, 0, query);
  s.index = index;
  s.id = ex.id;

  const Tokenizer* tok = model.tokenizer();
  const int64_t vocab = r.model.vocab;
  if (!r.logits.empty() && vocab > 0 && r.logits.size() >= static_cast<std::size_t>(vocab)) {
    // fullLogits = false: one row, the last valid position.
    const TopToken top = topToken(r.logits.data(), vocab);
    s.firstTokenId = top.id;
    s.firstTokenProb = top.prob;
    s.firstToken = tok ? tok->displayToken(top.id) : "#" + std::to_string(top.id);
    if (tok && !ex.gold.empty()) {
      const auto gold = goldFirstTokenIds(*tok, ex.gold);
      s.firstTokenCorrect = std::find(gold.begin(), gold.end(), top.id) != gold.end();
    }
  }

  if (ex.prediction) {
    s.prediction = *ex.prediction;
  } else if (generate) {
    if (!tok)
      throw Error(
          "the model folder has no tokenizer, so the generated answer cannot be decoded; "
          "give a prediction or \"correct\"");
    std::vector<int64_t> ids(r.generatedIds.begin(), r.generatedIds.begin() + r.generated);
    if (auto eos = tok->eosId()) ids.erase(std::find(ids.begin(), ids.end(), *eos), ids.end());
    s.prediction = firstAnswerLine(tok->decode(ids, true));
    s.predictionGenerated = true;
  }
  if (!ex.gold.empty() && (ex.prediction || generate)) {
    const AnswerScore score = scoreAnswer(s.prediction, ex.gold);
    s.em = score.em;
    s.f1 = score.f1;
  }

  if (ex.correct) {
    s.correct = *ex.correct;
    s.correctSource = "given";
  } else if (judgedByFirstToken(settings)) {
    if (!s.firstTokenCorrect)
      throw Error(r.logits.empty() ? "the model has no language-model head: FirstTok@1 needs one"
                                   : "FirstTok@1 needs a gold answer and a tokenizer");
    s.correct = *s.firstTokenCorrect;
    s.correctSource = "first_token";
  } else {
    const bool f1 = settings.correctness == "f1";
    s.correct = f1 ? *s.f1 >= settings.f1Threshold : *s.em == 1.0;
    s.correctSource = std::string(generate ? "generated_" : "") + (f1 ? "f1" : "em");
  }
  return s;
}

}  // namespace

void runDataset(const Model& model, const std::vector<Example>& examples, const SoftTokenSet& soft,
                DatasetResults& results, const ProgressFn& progress,
                const ExampleDoneFn& onExampleDone) {
  if (results.total != static_cast<int>(examples.size()))
    throw Error("the results are for " + std::to_string(results.total) +
                " examples, the examples file holds " + std::to_string(examples.size()));
  const DatasetSettings& settings = results.settings;
  for (const auto& done : results.examples) {
    if (done.index < 0 || done.index >= results.total ||
        examples[static_cast<std::size_t>(done.index)].id != done.id)
      throw Error("the results do not belong to these examples: example " +
                  std::to_string(done.index) + " is " + done.id + " there");
  }
  validateExamples(examples, settings, soft);
  results.model = model.info();

  std::sort(results.examples.begin(), results.examples.end(),
            [](const ExampleStats& a, const ExampleStats& b) { return a.index < b.index; });
  std::set<int> finished;
  for (const auto& e : results.examples) finished.insert(e.index);

  // A shard runs its block of the examples only (DatasetSettings::shard).
  const auto [begin, end] = shardRange(results.total, settings.shard, settings.shards);
  for (int index = begin; index < end; ++index) {
    if (finished.count(index)) continue;
    const Example& ex = examples[static_cast<std::size_t>(index)];
    const int done = static_cast<int>(results.examples.size());
    const int expected = results.expected();
    if (progress && !progress(done, expected, ex.id)) throw Cancelled();
    // Between layers the same question again, so that cancelling a long example is quick.
    const ProgressFn layerProgress = [&](int, int, std::string_view) {
      return !progress || progress(done, expected, ex.id);
    };
    ExampleStats s;
    try {
      s = runExample(model, ex, index, settings, soft, layerProgress, results.seconds);
    } catch (const Cancelled&) {
      throw;
    } catch (const Error& e) {
      throw Error(exampleWhere(ex, settings) + ": " + e.what());
    }
    auto pos = std::lower_bound(results.examples.begin(), results.examples.end(), index,
                                [](const ExampleStats& a, int idx) { return a.index < idx; });
    pos = results.examples.insert(pos, std::move(s));
    if (onExampleDone) onExampleDone(*pos, results);
  }
}

}  // namespace attnx
