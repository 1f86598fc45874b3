// The input of each example of a dataset run and the checks made before any model runs: plain
// C++, no model (the parsers' fuzzers link it without libtorch).
#include "example_inputs.h"

#include "error.h"
#include "input_fields.h"

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

std::string exampleWhere(const Example& ex, const DatasetSettings& settings) {
  const std::string file = settings.examplesFile.empty() ? "examples" : settings.examplesFile;
  return file + ":" + std::to_string(ex.line) + ": example " + ex.id;
}

bool judgedByFirstToken(const DatasetSettings& s) { return s.correctness == "first_token"; }

bool needsGeneration(const Example& ex, const DatasetSettings& s) {
  return !ex.correct && !ex.prediction && !judgedByFirstToken(s);
}

namespace {

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
      throw Error(exampleWhere(ex, settings) + ": names soft-token row " + std::to_string(ex.softIndex) +
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
      throw Error(exampleWhere(ex, settings) + ": " + e.what());
    }
  }
}

}  // namespace attnx
