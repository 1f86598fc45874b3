// The pieces of a dataset run that need no model: SQuAD v1.1 EM / F1 on hand-worked cases, the
// t quantile behind the 95% intervals (against tabulated values and the closed forms for 1 and 2
// degrees of freedom), intervals and group statistics on hand-made numbers, and the examples-file
// reader's errors.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "check.h"
#include "dataset_run.h"
#include "dataset_stats.h"
#include "examples_file.h"
#include "squad_metrics.h"
#include "student_t.h"

using namespace attnx;

namespace {

constexpr double kPi = 3.14159265358979323846;

bool near(double a, double b, double tol) { return std::abs(a - b) <= tol; }

struct TempFile {
  std::string path;
  explicit TempFile(const std::string& content) {
    char tmpl[] = "/tmp/attnx-examples-XXXXXX";
    const int fd = ::mkstemp(tmpl);
    ::close(fd);
    path = tmpl;
    std::ofstream(path, std::ios::binary) << content;
  }
  ~TempFile() { std::filesystem::remove(path); }
};

std::string demoExamples() {
  if (const char* s = std::getenv("ATTNX_SOURCE_DIR"))
    return std::string(s) + "/resources/demo/examples.jsonl";
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().string() +
         "/resources/demo/examples.jsonl";
}

}  // namespace

// ---- SQuAD v1.1 ----

TEST(squad_normalization_steps) {
  // lower -> punctuation out -> articles out -> single spaces.
  CHECK_EQ(normalizeAnswer("The  Eiffel Tower!"), std::string("eiffel tower"));
  CHECK_EQ(normalizeAnswer("A man, a plan; a canal: Panama."),
           std::string("man plan canal panama"));
  // Only whole words are articles; "an" inside "and" or "the" inside "theatre" stays.
  CHECK_EQ(normalizeAnswer("an and the theatre"), std::string("and theatre"));
  // Punctuation is removed before articles: "a-team" becomes "ateam", not "team".
  CHECK_EQ(normalizeAnswer("a-team"), std::string("ateam"));
  CHECK_EQ(normalizeAnswer("don't  stop\t\nnow"), std::string("dont stop now"));
  CHECK_EQ(normalizeAnswer("  "), std::string(""));
  // Python's str.lower() is Unicode-aware; non-ASCII punctuation is not in string.punctuation.
  CHECK_EQ(normalizeAnswer("ÉCOLE «Über»"), std::string("école «über»"));
}

TEST(squad_exact_match) {
  CHECK_EQ(exactMatch("Paris", "paris."), 1.0);
  CHECK_EQ(exactMatch("the Paris", "Paris"), 1.0);
  CHECK_EQ(exactMatch("Paris France", "Paris"), 0.0);
  CHECK_EQ(exactMatch("", ""), 1.0);      // both normalise to ""
  CHECK_EQ(exactMatch("the", "a"), 1.0);  // likewise
}

TEST(squad_f1_by_hand) {
  // pred {paris, france}, gold {paris}: 1 shared; P = 1/2, R = 1; F1 = 2/3.
  CHECK(near(f1Score("Paris France", "Paris"), 2.0 / 3.0, 1e-12));
  // pred "cat sat on mat" (4), gold "cat on mat" (3), 3 shared: P = 3/4, R = 1, F1 = 6/7.
  CHECK(near(f1Score("the cat sat on the mat", "a cat on a mat"), 6.0 / 7.0, 1e-12));
  // Bags, not sets: pred {x, x, y}, gold {x, y, y}: min(2,1) + min(1,2) = 2; P = R = 2/3.
  CHECK(near(f1Score("x x y", "x y y"), 2.0 / 3.0, 1e-12));
  // Nothing shared: 0; v1.1 gives 0 also when both are empty after normalisation.
  CHECK_EQ(f1Score("London", "Paris"), 0.0);
  CHECK_EQ(f1Score("", ""), 0.0);
  CHECK_EQ(f1Score("the", "an"), 0.0);
  CHECK_EQ(f1Score("Paris", "paris!"), 1.0);
}

TEST(squad_best_over_golds) {
  const AnswerScore s = scoreAnswer("Paris France", {"London", "paris", "France, Paris"});
  CHECK_EQ(s.em, 0.0);
  CHECK_EQ(s.f1, 1.0);  // "france paris" shares both words
  const AnswerScore t = scoreAnswer("paris", {"Paris France", "PARIS"});
  CHECK_EQ(t.em, 1.0);
  CHECK_EQ(t.f1, 1.0);
  const AnswerScore none = scoreAnswer("paris", {});
  CHECK_EQ(none.em, 0.0);
  CHECK_EQ(none.f1, 0.0);
}

// ---- Student's t ----

TEST(generated_answer_is_its_first_line) {
  CHECK_EQ(firstAnswerLine(" Paris\nQ: what is"), std::string(" Paris"));
  CHECK_EQ(firstAnswerLine("\n\n Paris\n"), std::string("\n\n Paris"));
  CHECK_EQ(firstAnswerLine("Paris"), std::string("Paris"));
  CHECK_EQ(firstAnswerLine(" \n "), std::string(" \n "));
  CHECK_EQ(exactMatch(firstAnswerLine("\nthe Paris\nLondon"), "Paris"), 1.0);
}

TEST(t_quantile_matches_tables_and_closed_forms) {
  // Tabulated t_{0.975, df}, printed to 7 decimals (so within 5e-8 of the true quantile); the
  // quantile is computed in double (error ~1e-15), so 1e-6 is the table's precision with margin.
  const std::pair<double, double> table[] = {{1, 12.7062047},  {2, 4.3026527},  {3, 3.1824463},
                                             {5, 2.5705818},   {10, 2.2281389}, {30, 2.0422725},
                                             {100, 1.9839715}, {1e7, 1.9599640}};
  double worst = 0;
  for (auto [df, t] : table) {
    const double q = studentTQuantile(0.975, df);
    worst = std::max(worst, std::abs(q - t));
    CHECK_MSG(near(q, t, 1e-6), "df " << df << ": " << q << " vs " << t);
    CHECK(near(studentTQuantile(0.025, df), -t, 1e-6));
  }
  // df = 1 is Cauchy: t = tan(pi (p - 1/2)); df = 2: t = (2p - 1) / sqrt(2 p (1 - p)).
  for (double p : {0.51, 0.6, 0.75, 0.9, 0.95, 0.99, 0.999, 0.02}) {
    const double c1 = std::tan(kPi * (p - 0.5));
    const double c2 = (2 * p - 1) / std::sqrt(2 * p * (1 - p));
    const double q1 = studentTQuantile(p, 1), q2 = studentTQuantile(p, 2);
    worst = std::max({worst, std::abs(q1 - c1) / std::max(1.0, std::abs(c1)),
                      std::abs(q2 - c2) / std::max(1.0, std::abs(c2))});
    CHECK_MSG(near(q1, c1, 1e-8 * std::max(1.0, std::abs(c1))), "df 1, p " << p);
    CHECK_MSG(near(q2, c2, 1e-8 * std::max(1.0, std::abs(c2))), "df 2, p " << p);
  }
  CHECK_EQ(studentTQuantile(0.5, 7), 0.0);
  CHECK(near(studentTCdf(2.5705818, 5), 0.975, 1e-7));
  std::printf("  t quantiles: max difference %.2e\n", worst);
  CHECK_THROWS_WITH(studentTQuantile(1.0, 3), "0 < p < 1");
  CHECK_THROWS_WITH(studentTQuantile(0.9, 0), "degrees of freedom");
}

// The statistics below are of a few exact small numbers, computed in double and stored as
// float32: within half an ulp (|x| 2^-24, at most 2e-7 here) of the exact value on any machine.
// Bounds with a 7-decimal t quantile from a table carry that table's rounding, hence 1e-5.
TEST(mean_ci95_by_hand) {
  // {1, 2, 3, 4}: mean 2.5, s = sqrt(5/3), se = s / 2, t_{0.975,3} = 3.1824463.
  const MeanCi m = meanCi95({1, 2, 3, 4});
  const double half = 3.1824463 * std::sqrt(5.0 / 3.0) / 2.0;
  CHECK(near(m.mean, 2.5, 1e-6));
  CHECK(near(m.lo, 2.5 - half, 1e-5));
  CHECK(near(m.hi, 2.5 + half, 1e-5));
  const MeanCi one = meanCi95({0.25f});
  CHECK(one.mean == 0.25f && one.lo == 0.25f && one.hi == 0.25f);
  const MeanCi none = meanCi95({});
  CHECK(none.mean == 0.0f);
}

namespace {

// An example with one layer of two heads: soft mass {a, b}, anchor 1 - a, 1 - b.
ExampleStats handExample(int index, bool correct, float a, float b) {
  ExampleStats e;
  e.index = index;
  e.id = "e" + std::to_string(index);
  e.correct = correct;
  e.layers = {0};
  for (auto& g : e.mass) g = {{0.0f, 0.0f}};
  e.mass[kindIndex(SegmentKind::Soft)] = {{a, b}};
  e.mass[kindIndex(SegmentKind::Anchor)] = {{1 - a, 1 - b}};
  e.entropy = {{1.0f, 2.0f}};
  e.collapse = a < 0.1f && b < 0.1f;
  return e;
}

}  // namespace

TEST(group_statistics_by_hand) {
  const std::vector<ExampleStats> ex = {
      handExample(0, true, 0.5f, 0.1f), handExample(1, true, 0.7f, 0.3f),
      handExample(2, false, 0.05f, 0.05f), handExample(3, false, 0.25f, 0.15f)};
  const GroupStats c = computeGroup(ex, correctMembers(ex, true), "correct");
  const GroupStats w = computeGroup(ex, correctMembers(ex, false), "incorrect");
  CHECK_EQ(c.n(), 2);
  CHECK_EQ(w.n(), 2);
  const auto soft = kindIndex(SegmentKind::Soft);
  CHECK(near(c.massMean[soft][0][0], 0.6, 1e-6));
  CHECK(near(c.massMean[soft][0][1], 0.2, 1e-6));
  CHECK(near(c.massStd[soft][0][0], std::sqrt(0.02), 1e-6));  // (0.1^2 + 0.1^2) / 1
  // Head means per example: 0.3 and 0.5 -> mean 0.4, s = sqrt(0.02), t_{.975,1} = 12.7062047.
  const double half = 12.7062047 * std::sqrt(0.02) / std::sqrt(2.0);
  CHECK(near(c.byLayer[soft][0].mean, 0.4, 1e-6));
  CHECK(near(c.byLayer[soft][0].hi, 0.4 + half, 1e-5));
  CHECK(near(w.collapseFraction, 0.5, 1e-12));
  CHECK(near(*c.accuracy, 1.0, 0) && near(*w.accuracy, 0.0, 0));
  CHECK(!c.meanEm && !c.firstTokenAccuracy);

  // Welch: head 0: means 0.6 vs 0.15, variances 0.02 and 0.02 -> t = 0.45 / sqrt(0.02).
  const auto diffs = rankHeadDifferences(c, w, SegmentKind::Soft);
  CHECK_EQ(diffs.size(), std::size_t(2));
  CHECK_EQ(diffs[0].head, 0);
  CHECK(near(diffs[0].diff, 0.45, 1e-6));
  CHECK(near(diffs[0].t, 0.45 / std::sqrt(0.02), 1e-4));
  CHECK(near(diffs[1].diff, 0.1, 1e-6));
  const auto top = topHeads(c, SegmentKind::Anchor, 1);
  CHECK_EQ(top.size(), std::size_t(1));
  CHECK_EQ(top[0].head, 1);
  CHECK(near(top[0].value, 0.8, 1e-6));

  const GroupStats empty = computeGroup(ex, {}, "none");
  CHECK_EQ(empty.n(), 0);
  CHECK(rankHeadDifferences(c, empty, SegmentKind::Soft).empty());
  std::vector<ExampleStats> mixed = ex;
  mixed[1].mass[soft] = {{0.1f, 0.1f, 0.1f}};
  CHECK_THROWS_WITH(computeGroup(mixed, {0, 1}, "mixed"), "other layers or heads");
}

// ---- examples files ----

TEST(examples_file_reads_every_form) {
  TempFile f(
      "\xEF\xBB\xBF{\"id\": \"q1\", \"prompt\": \"Where?\", \"gold\": \"Paris\", \"correct\": "
      "true}\r\n"
      "\n"
      "{\"id\": 7, \"prompt_raw\": \"raw\", \"gold\": [\"a b\", \"c\"], \"latent_pred_llama\": "
      "\"c\", \"prediction\": \"ignored\", \"soft_index\": 3, \"anchor\": \"Answer: \"}\n"
      "{\"input_ids\": [1, 2, 3], \"correct\": 0, \"extra\": {\"any\": 1}}\n"
      "{\"segments\": [{\"kind\": \"soft\"}, {\"kind\": \"bos\"}, {\"kind\": \"anchor\", \"text\": "
      "\"A:\"}, {\"kind\": \"special\", \"ids\": [5]}], \"gold\": \"x\", \"anchor\": null}\n");
  const auto ex = readExamples(f.path, {"latent_pred_llama"});
  CHECK_EQ(ex.size(), std::size_t(4));
  CHECK_EQ(ex[0].id, std::string("q1"));
  CHECK_EQ(ex[0].line, 1);
  CHECK_EQ(ex[0].prompt, std::string("Where?"));
  CHECK(ex[0].correct && *ex[0].correct);
  CHECK_EQ(ex[1].id, std::string("7"));
  CHECK_EQ(ex[1].line, 3);
  CHECK_EQ(ex[1].prompt, std::string("raw"));
  CHECK_EQ(ex[1].gold.size(), std::size_t(2));
  CHECK(ex[1].prediction && *ex[1].prediction == "c");
  CHECK_EQ(ex[1].softIndex, 3);
  CHECK(ex[1].anchor && *ex[1].anchor == "Answer: ");
  CHECK_EQ(ex[2].id, std::string("line 4"));
  CHECK(ex[2].inputIds == (std::vector<int64_t>{1, 2, 3}));
  CHECK(ex[2].correct && !*ex[2].correct);
  CHECK_EQ(ex[3].segments.size(), std::size_t(4));
  CHECK(ex[3].segments[0].kind == SegmentKind::Soft && ex[3].segments[0].rows == 0);
  CHECK(!ex[3].anchor);
}

TEST(demo_examples_load) {
  const auto ex = readExamples(demoExamples());
  CHECK_EQ(ex.size(), std::size_t(48));
  CHECK(ex[0].prompt.empty() && ex[0].anchor && !ex[0].anchor->empty());
  CHECK_EQ(ex[0].softIndex, 0);
  CHECK(ex[0].gold == std::vector<std::string>{"bear"});
}

TEST(examples_file_errors_name_file_and_line) {
  auto expectError = [](const std::string& content, const std::string& needle) {
    TempFile f(content);
    CHECK_THROWS_WITH(readExamples(f.path), f.path + ":" + needle);
  };
  const std::string ok = "{\"id\": \"a\", \"prompt\": \"p\", \"correct\": true}\n";
  expectError(ok + "{\"id\": \"b\", \"prompt\": \"p\"\n", "2: broken JSON");
  expectError(ok + ok.substr(0, 0) + "{\"id\": \"b\", \"prompt\": \"caf\xC3\x28\"}\n",
              "2: invalid UTF-8 at byte 27");
  expectError(ok + "{\"id\": \"b\", \"prompt\": \"p\", \"gold\": 5}\n",
              "2: \"gold\" must be a string or a list of strings");
  expectError(ok + "{\"id\": \"b\", \"prompt\": 3}\n", "2: \"prompt\" must be a string");
  expectError(ok + "\n" + ok, "3: duplicate id \"a\" (first on line 1)");
  expectError(ok + "{\"id\": \"b\", \"gold\": \"x\"}\n", "2: no \"prompt\"");
  expectError(ok + "{\"id\": \"b\", \"prompt\": \"p\", \"correct\": \"yes\"}\n",
              "2: \"correct\" must be true, false, 0 or 1");
  expectError(ok + "{\"id\": \"b\", \"prompt\": \"p\", \"soft_index\": -1}\n",
              "2: \"soft_index\" must be at least 0");
  expectError(ok + "[1, 2]\n", "2: each line must be a JSON object");
  expectError(ok + "{\"id\": \"b\", \"prompt\": \"p\", \"input_ids\": [1]}\n", "2: give only one");
  expectError(ok + "{\"segments\": [{\"kind\": \"image\"}]}\n", "2: \"segments[0].kind\"");
  expectError(ok + "{\"id\": true, \"prompt\": \"p\"}\n", "2: \"id\" must be a string or");
  CHECK_THROWS_WITH(readExamples("/nonexistent/examples.jsonl"), "cannot open");
  TempFile blank("\n  \n");
  CHECK_THROWS_WITH(readExamples(blank.path), "holds no examples");
}

TEST(examples_checked_against_soft_tokens_and_settings) {
  TempFile f(
      "{\"id\": \"a\", \"prompt\": \"p\", \"correct\": true, \"soft_index\": 1}\n"
      "{\"id\": \"b\", \"prompt\": \"p\", \"correct\": true, \"soft_index\": 5}\n");
  const auto ex = readExamples(f.path);
  DatasetSettings settings;
  settings.examplesFile = f.path;
  SoftTokenSet soft;
  soft.tensor.shape = {2, 3, 4};  // [N, M, d]
  soft.tensor.data.assign(24, 0.5f);
  soft.path = "soft.safetensors";
  CHECK_EQ(soft.count(), 2);
  CHECK_EQ(soft.rows(), 3);
  CHECK_EQ(soft.dim(), 4);
  CHECK_THROWS_WITH(
      validateExamples(ex, settings, soft),
      f.path + ": example b (line 2): soft_index 5 is out of range: soft.safetensors holds 2");
  // A shared prefix [M, d] serves every example, but a soft_index past 0 is a mistake.
  SoftTokenSet shared;
  shared.tensor.shape = {3, 4};
  shared.tensor.data.assign(12, 0.5f);
  CHECK_EQ(shared.count(), 1);
  CHECK_THROWS_WITH(validateExamples(ex, settings, shared), "holds one shared prefix");
  CHECK_EQ(softRowsFor(soft, ex[0], 0).size(), std::size_t(12));

  TempFile g(
      "{\"id\": \"a\", \"prompt\": \"\", \"gold\": \"x\"}\n"
      "{\"id\": \"b\", \"prompt\": \"p\"}\n");
  const auto ex2 = readExamples(g.path);
  settings.examplesFile = g.path;
  CHECK_THROWS_WITH(validateExamples(ex2, settings, {}), ":1: example a: the prompt is empty");
  settings.anchor = "Q:";  // the run's anchor makes the empty prompt runnable
  CHECK_THROWS_WITH(validateExamples(ex2, settings, {}), ":2: example b: has neither");
  settings.correctness = "exact";
  CHECK_THROWS_WITH(validateExamples(ex2, settings, {}), "correctness must be");
}

TEST_MAIN()
