// Dataset runs: every example through the model at batch size 1 (no padding, so each example's
// numbers are exactly those of a single run in the explorer), capturing only the query row and
// the last position's logits; memory stays O(L * H * T) per example whatever the dataset size.
#include "dataset_run.h"

#include <algorithm>
#include <set>

#include "error.h"
#include "first_token.h"
#include "model.h"
#include "input_fields.h"
#include "squad_metrics.h"
#include "tokenizer.h"

namespace attnx {

// ---- soft tokens ----

int softIndexFor(const SoftTokenSet& soft, const Example& example, int exampleIndex) {
  const std::string file = soft.path.empty() ? std::string("the soft-token file") : soft.path;
  const std::string who = "example " + example.id + " (line " + std::to_string(example.line) + ")";
  if (soft.empty()) throw Error(who + " needs soft tokens, but the run has no soft-token file");
  if (soft.count() == 1) {
    // One shared prefix: every example uses it.
    if (example.softIndex > 0)
      throw Error(who + ": soft_index " + std::to_string(example.softIndex) +
                  " is out of range: " + file + " holds one shared prefix");
    return 0;
  }
  const int i = example.softIndex >= 0 ? example.softIndex : exampleIndex;
  if (i >= soft.count())
    throw Error(who + ": " +
                (example.softIndex >= 0 ? "soft_index " : "no soft_index and its position ") +
                std::to_string(i) + " is out of range: " + file + " holds " +
                std::to_string(soft.count()) + " prefixes");
  return i;
}

std::vector<float> softRowsFor(const SoftTokenSet& soft, const Example& example,
                               int exampleIndex) {
  return soft.prefix(softIndexFor(soft, example, exampleIndex));
}

std::optional<std::size_t> firstExampleWithSoftTokens(const std::vector<Example>& examples) {
  for (std::size_t i = 0; i < examples.size(); ++i) {
    if (examples[i].softIndex >= 0) return i;
    for (const auto& p : examples[i].segments)
      if (p.kind == SegmentKind::Soft) return i;
  }
  return std::nullopt;
}

// ---- inputs ----

std::vector<InputPart> exampleParts(const Example& example, int exampleIndex,
                                    const DatasetSettings& settings, const SoftTokenSet& soft) {
  if (!example.segments.empty()) {
    std::vector<InputPart> parts = example.segments;
    for (auto& p : parts) {
      if (p.kind != SegmentKind::Soft) continue;
      p.embeddings = softRowsFor(soft, example, exampleIndex);
      p.rows = soft.rows();
    }
    return parts;
  }
  InputFields fields;
  // Without a soft-token file an example's soft_index is unused (validateExamples allows that
  // only with settings.noSoftTokens): the same examples run without their prefixes as a baseline.
  if (!soft.empty()) {
    fields.softRows = softRowsFor(soft, example, exampleIndex);
    fields.softCount = soft.rows();
  }
  fields.bosAfterSoft = settings.bosAfterSoft;
  fields.anchor.text = example.anchor ? *example.anchor : settings.anchor;
  fields.prompt.text = example.prompt;
  fields.prompt.ids = example.inputIds;
  return composeInputParts(fields).parts;
}

namespace {

std::string where(const Example& ex, const DatasetSettings& settings) {
  const std::string file = settings.examplesFile.empty() ? "examples" : settings.examplesFile;
  return file + ":" + std::to_string(ex.line) + ": example " + ex.id;
}

bool firstTokenCorrectness(const DatasetSettings& s) { return s.correctness == "first_token"; }

bool needsGeneration(const Example& ex, const DatasetSettings& s) {
  return !ex.correct && !ex.prediction && !firstTokenCorrectness(s);
}

void checkSettings(const DatasetSettings& s) {
  if (s.correctness != "em" && s.correctness != "f1" && s.correctness != "first_token")
    throw Error("correctness must be em, f1 or first_token, not \"" + s.correctness + "\"");
  if (!(s.f1Threshold >= 0.0 && s.f1Threshold <= 1.0))
    throw Error("the F1 threshold must lie in [0, 1]");
  if (s.maxNewTokens < 1) throw Error("the number of new tokens must be at least 1");
  if (s.query < -1) throw Error("the query position cannot be negative");
}

}  // namespace

void validateExamples(const std::vector<Example>& examples, const DatasetSettings& settings,
                      const SoftTokenSet& soft) {
  checkSettings(settings);
  for (std::size_t i = 0; i < examples.size(); ++i) {
    const Example& ex = examples[i];
    const int index = static_cast<int>(i);
    bool softSegment = false;
    for (const auto& p : ex.segments) softSegment = softSegment || p.kind == SegmentKind::Soft;
    if (soft.empty() && ex.softIndex >= 0 && !settings.noSoftTokens)
      throw Error(where(ex, settings) + ": names soft-token row " + std::to_string(ex.softIndex) +
                  " (soft_index) but the run has no soft-token file; give the file, or say that "
                  "the examples run without their soft tokens");
    try {
      if (!soft.empty() || softSegment) softIndexFor(soft, ex, index);
    } catch (const Error& e) {
      // softIndexFor names the example and its line already.
      throw Error(
          (settings.examplesFile.empty() ? std::string("examples") : settings.examplesFile) + ": " +
          e.what());
    }
    try {
      const bool hasAnchor = ex.anchor ? !ex.anchor->empty() : !settings.anchor.empty();
      if (ex.segments.empty() && ex.inputIds.empty() && ex.prompt.empty() && !hasAnchor &&
          soft.empty())
        throw Error("the prompt is empty and there is no anchor or soft tokens: nothing to run");
      if (!ex.correct && ex.gold.empty())
        throw Error("has neither \"correct\" nor \"gold\": its correctness cannot be decided");
    } catch (const Error& e) {
      throw Error(where(ex, settings) + ": " + e.what());
    }
  }
}

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
  } else if (firstTokenCorrectness(settings)) {
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

  for (std::size_t i = 0; i < examples.size(); ++i) {
    const int index = static_cast<int>(i);
    if (finished.count(index)) continue;
    const Example& ex = examples[i];
    const int done = static_cast<int>(results.examples.size());
    if (progress && !progress(done, results.total, ex.id)) throw Cancelled();
    // Between layers the same question again, so that cancelling a long example is quick.
    const ProgressFn layerProgress = [&](int, int, std::string_view) {
      return !progress || progress(done, results.total, ex.id);
    };
    ExampleStats s;
    try {
      s = runExample(model, ex, index, settings, soft, layerProgress, results.seconds);
    } catch (const Cancelled&) {
      throw;
    } catch (const Error& e) {
      throw Error(where(ex, settings) + ": " + e.what());
    }
    auto pos = std::lower_bound(results.examples.begin(), results.examples.end(), index,
                                [](const ExampleStats& a, int idx) { return a.index < idx; });
    pos = results.examples.insert(pos, std::move(s));
    if (onExampleDone) onExampleDone(*pos, results);
  }
}

}  // namespace attnx
