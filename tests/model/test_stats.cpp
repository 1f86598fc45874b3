// Attention statistics on hand-built RunResults whose attention is known exactly: segment masses,
// entropy, per-layer summaries, both capture shapes, half storage, generation steps, the guide's
// diagnostics, and the JSON / CSV files read back.
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "attention_stats.h"
#include "check.h"
#include "shared_dir.h"
#include "diagnostics.h"
#include "half.h"
#include "safetensors.h"
#include "stats_export.h"

using namespace attnx;

namespace {

// The statistics are sums of at most 8 hand-made attention values in [0, 1], accumulated in
// double and stored as float32: within one rounding, |x| u <= 6e-8 (u = 2^-24), of the exact
// value. The decimal constants the tests compare with (0.1, 0.3, ...) are off by as much again in
// float. 1e-6 is 16 u: it bounds those roundings on any machine and still catches any wrong term.
constexpr float kTol = 1e-6f;

bool near(double a, double b, double tol = kTol) { return std::fabs(a - b) <= tol; }

#define CHECK_NEAR(a, b, tol) \
  CHECK_MSG(near((a), (b), (tol)), "CHECK_NEAR(" #a ", " #b ") failed: " << (a) << " vs " << (b))

using RowFn = std::function<std::vector<float>(int layer, int head)>;

// Layout used by most tests (T = 8):  bos | soft soft soft | anchor anchor | text text
std::vector<Segment> standardLayout() {
  return {{SegmentKind::Bos, 0, 1},
          {SegmentKind::Soft, 1, 4},
          {SegmentKind::Anchor, 4, 6},
          {SegmentKind::Text, 6, 8}};
}

// Uniform causal attention: query q spreads evenly over keys 0..q (the rows we do not examine).
float causalUniform(int q, int k) { return k <= q ? 1.0f / static_cast<float>(q + 1) : 0.0f; }

// A forward pass with full rows [1, H, T, T]; the row of `queryPos` comes from `row`.
RunResult fullRun(int layers, int heads, int queryPos, const RowFn& row, bool half = false,
                  std::vector<Segment> layout = standardLayout(), int T = 8) {
  RunResult r;
  r.batch = 1;
  r.seqLen = T;
  r.layout = {std::move(layout)};
  r.attentionMask.assign(static_cast<std::size_t>(T), 1);
  for (int l = 0; l < layers; ++l) {
    AttentionTensor a;
    a.layer = l;
    a.batch = 1, a.heads = heads, a.queries = T, a.keys = T;
    for (int q = 0; q < T; ++q) a.queryPositions.push_back(q);
    for (int h = 0; h < heads; ++h) {
      const std::vector<float> special = row(l, h);
      for (int q = 0; q < T; ++q)
        for (int k = 0; k < T; ++k) {
          const float v =
              q == queryPos ? special[static_cast<std::size_t>(k)] : causalUniform(q, k);
          if (half)
            a.f16.push_back(floatToHalf(v));
          else
            a.f32.push_back(v);
        }
    }
    r.attentions.push_back(std::move(a));
  }
  return r;
}

// 0.05 bos, soft split 1:2:3 of `soft`, anchor split evenly, the rest on text.
std::vector<float> makeRow(float bos, float soft, float anchor) {
  const float text = 1.0f - bos - soft - anchor;
  return {bos, soft / 6, soft * 2 / 6, soft * 3 / 6, anchor / 2, anchor / 2, text / 2, text / 2};
}

double entropyOf(const std::vector<float>& p) {
  double e = 0;
  for (float x : p)
    if (x > 0) e -= x * std::log(static_cast<double>(x));
  return e;
}

std::string tempPath(const std::string& name) {
  return "/tmp/attnx-stats-" + std::to_string(::getpid()) + "-" + name;
}

std::string readAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

}  // namespace

TEST(head_value_and_matrix_aggregate_heads) {
  AttentionTensor a;
  a.batch = 2, a.heads = 3, a.queries = 2, a.keys = 2;
  a.queryPositions = {4, 5};
  for (int i = 0; i < 24; ++i) a.f32.push_back(static_cast<float>(i));
  // batch 1, query row 1, key 0: heads give 14, 18, 22.
  CHECK_EQ(headValue(a, 1, HeadChoice::one(0), 1, 0), 14.0f);
  CHECK_EQ(headValue(a, 1, HeadChoice::mean(), 1, 0), 18.0f);
  CHECK_EQ(headValue(a, 1, HeadChoice::max(), 1, 0), 22.0f);
  const auto mean = attentionMatrix(a, 1, HeadChoice::mean());
  CHECK_EQ(mean.size(), 4u);
  CHECK_EQ(mean[0], 16.0f);  // (12 + 16 + 20) / 3
  CHECK_EQ(mean[3], 19.0f);  // (15 + 19 + 23) / 3
  const auto mx = attentionMatrix(a, 0, HeadChoice::max());
  CHECK_EQ(mx[1], 9.0f);
  const auto one = attentionMatrix(a, 0, HeadChoice::one(1));
  CHECK_EQ(one[2], 6.0f);
  CHECK_EQ(queryRowOf(a, 0, 5), 1);
  CHECK_EQ(queryRowOf(a, 0, 3), -1);
  CHECK_THROWS_WITH(headValue(a, 2, HeadChoice::one(0), 0, 0), "batch row 2 is out of range");
  CHECK_THROWS_WITH(headValue(a, 0, HeadChoice::one(3), 0, 0), "head 3");
  CHECK_THROWS_WITH(headValue(a, 0, HeadChoice::one(-3), 0, 0), "head -3");
  CHECK_THROWS_WITH(headValue(a, 0, HeadChoice::one(0), 0, 2), "key 2");
  CHECK_THROWS_WITH(attentionMatrix(a, 0, HeadChoice::one(7)), "head 7");
}

TEST(segment_mass_entropy_and_summaries_full_rows) {
  // Layer 0: head 0 puts 0.6 on soft and 0.3 on anchor, head 1 0.2 soft / 0.5 anchor.
  // Layer 1: both heads 0.4 soft / 0.1 anchor.
  const std::vector<std::vector<std::vector<float>>> rows = {
      {makeRow(0.05f, 0.6f, 0.3f), makeRow(0.1f, 0.2f, 0.5f)},
      {makeRow(0.1f, 0.4f, 0.1f), makeRow(0.1f, 0.4f, 0.1f)}};
  const RunResult r = fullRun(2, 2, 7, [&](int l, int h) { return rows[l][h]; });
  const SegmentMass m = computeSegmentMass(r, 0, 7);
  CHECK_EQ(m.layers.size(), 2u);
  CHECK_EQ(m.heads, 2);
  CHECK_EQ(m.keys, 8);
  CHECK_EQ(m.queryPosition, 7);
  CHECK(m.has(SegmentKind::Soft) && m.has(SegmentKind::Anchor) && !m.has(SegmentKind::Generated));

  CHECK_NEAR(m.of(SegmentKind::Soft)[0][0], 0.6, kTol);
  CHECK_NEAR(m.of(SegmentKind::Anchor)[0][0], 0.3, kTol);
  CHECK_NEAR(m.of(SegmentKind::Bos)[0][0], 0.05, kTol);
  CHECK_NEAR(m.of(SegmentKind::Text)[0][0], 0.05, kTol);
  CHECK_NEAR(m.of(SegmentKind::Soft)[0][1], 0.2, kTol);
  CHECK_NEAR(m.of(SegmentKind::Anchor)[0][1], 0.5, kTol);
  CHECK_NEAR(m.of(SegmentKind::Text)[0][1], 0.2, kTol);
  CHECK_EQ(m.of(SegmentKind::Generated)[0][0], 0.0f);
  CHECK_EQ(m.of(SegmentKind::Pad)[1][1], 0.0f);
  // Every head's masses add up to its row sum (1).
  for (std::size_t l = 0; l < 2; ++l)
    for (std::size_t h = 0; h < 2; ++h) {
      double total = 0;
      for (const auto& kind : m.mass) total += kind[l][h];
      CHECK_NEAR(total, 1.0, 1e-6);
    }

  // Summaries over heads: sample std (n - 1).
  const HeadSummary s0 = m.summary(SegmentKind::Soft, 0);
  CHECK_NEAR(s0.mean, 0.4, kTol);
  CHECK_NEAR(s0.std, std::sqrt(0.08), 1e-6);  // ((0.2)^2 + (0.2)^2) / (2 - 1)
  CHECK_NEAR(s0.min, 0.2, kTol);
  CHECK_NEAR(s0.max, 0.6, kTol);
  const HeadSummary s1 = m.summary(SegmentKind::Soft, 1);
  CHECK_NEAR(s1.mean, 0.4, kTol);
  CHECK_NEAR(s1.std, 0.0, kTol);
  CHECK_NEAR(m.summary(SegmentKind::Anchor, 0).mean, 0.4, kTol);

  // Entropy, natural log: the row [0.05, 0.1, 0.2, 0.3, 0.15, 0.15, 0.025, 0.025].
  const double e00 =
      -(0.05 * std::log(0.05) + 0.1 * std::log(0.1) + 0.2 * std::log(0.2) + 0.3 * std::log(0.3) +
        2 * 0.15 * std::log(0.15) + 2 * 0.025 * std::log(0.025));
  CHECK_NEAR(m.entropy[0][0], e00, 1e-5);
  CHECK_NEAR(m.entropy[1][1], entropyOf(rows[1][1]), 1e-5);
  CHECK_NEAR(m.entropySummary(1).std, 0.0, kTol);

  // The other rows are uniform over keys 0..q: query 3 has entropy ln 4 and soft mass 3/4.
  const SegmentMass m3 = computeSegmentMass(r, 0, 3);
  CHECK_NEAR(m3.entropy[0][0], std::log(4.0), 1e-6);
  CHECK_NEAR(m3.of(SegmentKind::Soft)[1][1], 0.75, 1e-6);
  CHECK_NEAR(m3.of(SegmentKind::Bos)[1][1], 0.25, 1e-6);
  CHECK_EQ(m3.of(SegmentKind::Anchor)[1][1], 0.0f);

  // Mean pairwise L1 between the heads' rows: layer 1's heads are identical.
  double l1 = 0;
  for (int k = 0; k < 8; ++k) l1 += std::fabs(rows[0][0][k] - rows[0][1][k]);
  CHECK_NEAR(m.headRowDistance[0], l1, 1e-6);
  CHECK_NEAR(m.headRowDistance[1], 0.0, kTol);
  CHECK_NEAR(m.meanRow[0][4], (0.15 + 0.25) / 2, 1e-6);

  CHECK_THROWS_WITH(computeSegmentMass(r, 1, 7), "batch row 1");
  CHECK_THROWS_WITH(computeSegmentMass(r, 0, 8), "query position 8 was not captured");
  RunResult none;
  CHECK_THROWS_WITH(computeSegmentMass(none, 0, 0), "no attention was captured");
}

TEST(last_row_capture_and_per_batch_positions) {
  // B = 2, right padded: row 0 is valid up to 7, row 1 up to 5 (positions 6, 7 are pad).
  RunResult r;
  r.batch = 2;
  r.seqLen = 8;
  r.layout = {standardLayout(),
              {{SegmentKind::Soft, 0, 3}, {SegmentKind::Text, 3, 6}, {SegmentKind::Pad, 6, 8}}};
  r.attentionMask = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
  CHECK_EQ(lastValidPosition(r, 0), 7);
  CHECK_EQ(lastValidPosition(r, 1), 5);
  AttentionTensor a;
  a.layer = 3;
  a.batch = 2, a.heads = 1, a.queries = 1, a.keys = 8;
  a.queryPositions = {7, 5};  // [b][q]: the rows differ per batch row
  const auto row0 = makeRow(0.1f, 0.3f, 0.4f);
  const std::vector<float> row1 = {0.2f, 0.2f, 0.2f, 0.1f, 0.1f, 0.2f, 0.0f, 0.0f};
  a.f32 = row0;
  a.f32.insert(a.f32.end(), row1.begin(), row1.end());
  r.attentions.push_back(a);

  const SegmentMass m0 = computeSegmentMass(r, 0, 7);
  CHECK_EQ(m0.layers.front(), 3);
  CHECK_NEAR(m0.of(SegmentKind::Soft)[0][0], 0.3, kTol);
  CHECK_NEAR(m0.of(SegmentKind::Anchor)[0][0], 0.4, kTol);
  const SegmentMass m1 = computeSegmentMass(r, 1, 5);
  CHECK_NEAR(m1.of(SegmentKind::Soft)[0][0], 0.6, kTol);
  CHECK_NEAR(m1.of(SegmentKind::Text)[0][0], 0.4, kTol);
  CHECK_EQ(m1.of(SegmentKind::Pad)[0][0], 0.0f);
  CHECK(m1.has(SegmentKind::Pad) && !m1.has(SegmentKind::Anchor));
  CHECK_EQ(m1.headRowDistance[0], 0.0f);  // one head: no pairs
  CHECK_NEAR(m1.summary(SegmentKind::Soft, 0).std, 0.0, 0.0);
  // A last-row capture holds no other row.
  CHECK_THROWS_WITH(computeSegmentMass(r, 1, 7), "query position 7 was not captured in layer 3");
}

TEST(half_storage_matches_float_storage) {
  const auto rowFn = [](int l, int h) { return makeRow(0.05f + 0.01f * h, 0.3f + 0.1f * l, 0.2f); };
  const SegmentMass f = computeSegmentMass(fullRun(3, 4, 6, rowFn, false), 0, 6);
  const SegmentMass h = computeSegmentMass(fullRun(3, 4, 6, rowFn, true), 0, 6);
  double worst = 0;
  for (std::size_t kind = 0; kind < kSegmentKindCount; ++kind)
    for (std::size_t l = 0; l < 3; ++l)
      for (std::size_t hd = 0; hd < 4; ++hd)
        worst = std::max(worst,
                         std::fabs(static_cast<double>(f.mass[kind][l][hd]) - h.mass[kind][l][hd]));
  std::printf("  half vs float storage: max mass difference %.3g\n", worst);
  // Half has 11 significant bits: each of <= 3 summed values errs by <= 2^-12 relative.
  CHECK(worst > 0);
  CHECK(worst < 3 * std::ldexp(1.0, -11));
  CHECK_NEAR(h.of(SegmentKind::Soft)[2][1], 0.5, 1e-3);
}

TEST(generation_steps_count_generated_keys) {
  // Prompt T = 8 (standard layout); step 0 is the last prompt row over 8 keys, step 1 the row of
  // the first generated token over 9 keys (key 8 is generated), step 2 over 10 keys.
  RunResult r;
  r.batch = 1;
  r.seqLen = 8;
  r.layout = {standardLayout()};
  r.attentionMask.assign(8, 1);
  r.generated = 3;
  for (int s = 0; s < 3; ++s) {
    const int K = 8 + s;
    std::vector<AttentionTensor> layers;
    for (int l = 0; l < 2; ++l) {
      AttentionTensor a;
      a.layer = l;
      a.batch = 1, a.heads = 2, a.queries = 1, a.keys = K;
      a.queryPositions = {s == 0 ? 7 : 7 + s};
      for (int h = 0; h < 2; ++h) {
        // 0.5 on the soft tokens, 0.1 per generated key, the rest on text.
        std::vector<float> row(static_cast<std::size_t>(K), 0.0f);
        row[1] = row[2] = 0.25f;
        for (int k = 8; k < K; ++k) row[static_cast<std::size_t>(k)] = 0.1f;
        const float rest = 0.5f - 0.1f * s;
        row[6] = row[7] = rest / 2;
        a.f32.insert(a.f32.end(), row.begin(), row.end());
      }
      layers.push_back(std::move(a));
    }
    r.stepAttentions.push_back(std::move(layers));
  }
  for (int s = 0; s < 3; ++s) {
    const SegmentMass m = computeStepSegmentMass(r, 0, s);
    CHECK_EQ(m.step, s);
    CHECK_EQ(m.keys, 8 + s);
    CHECK_EQ(m.queryPosition, s == 0 ? 7 : 7 + s);
    CHECK_NEAR(m.of(SegmentKind::Soft)[1][0], 0.5, kTol);
    CHECK_NEAR(m.of(SegmentKind::Generated)[0][1], 0.1 * s, kTol);
    CHECK_NEAR(m.of(SegmentKind::Text)[0][1], 0.5 - 0.1 * s, kTol);
    CHECK(m.has(SegmentKind::Generated) == (s > 0));
  }
  CHECK_THROWS_WITH(computeStepSegmentMass(r, 0, 3), "generation step 3 was not captured");
  CHECK_THROWS_WITH(computeStepSegmentMass(r, 0, -1), "generation step -1");
}

TEST(diagnostic_collapse) {
  // Soft below 0.1 in every layer (0.05, 0.08): collapse.
  auto collapsed =
      fullRun(2, 2, 7, [](int l, int) { return makeRow(0.1f, 0.05f + 0.03f * l, 0.3f); });
  Diagnostic d = diagnoseCollapse(computeSegmentMass(collapsed, 0, 7));
  CHECK(d.applicable && d.flagged);
  CHECK_EQ(d.layers.size(), 2u);
  CHECK_NEAR(d.values[1], 0.08, kTol);
  CHECK(d.explanation.find("Attention collapse") != std::string::npos);
  CHECK(d.explanation.find("0.08, layer 1") != std::string::npos);
  // One layer above the threshold: no collapse; a higher threshold flags it again.
  auto healthy = fullRun(2, 2, 7, [](int l, int) { return makeRow(0.1f, l ? 0.3f : 0.05f, 0.3f); });
  const SegmentMass hm = computeSegmentMass(healthy, 0, 7);
  d = diagnoseCollapse(hm);
  CHECK(d.applicable && !d.flagged && d.layers.empty());
  DiagnosticThresholds t;
  t.collapseSoft = 0.35f;
  CHECK(diagnoseCollapse(hm, t).flagged);
  // No soft tokens: not applicable.
  auto noSoft = fullRun(2, 2, 7, [](int, int) { return makeRow(0.1f, 0.05f, 0.3f); }, false,
                        {{SegmentKind::Bos, 0, 1}, {SegmentKind::Text, 1, 8}});
  d = diagnoseCollapse(computeSegmentMass(noSoft, 0, 7));
  CHECK(!d.applicable && !d.flagged);
}

TEST(diagnostic_anchor_dominance) {
  // Layer 2 only: anchor 0.8, soft 0.05.
  auto r = fullRun(3, 2, 7, [](int l, int) {
    return l == 2 ? makeRow(0.05f, 0.05f, 0.8f) : makeRow(0.1f, 0.4f, 0.3f);
  });
  const SegmentMass m = computeSegmentMass(r, 0, 7);
  Diagnostic d = diagnoseAnchorDominance(m);
  CHECK(d.applicable && d.flagged);
  CHECK(d.layers == std::vector<int>{2});
  CHECK_NEAR(d.values[2], 0.8, kTol);
  CHECK_NEAR(d.values2[2], 0.05, kTol);
  CHECK(d.explanation.find("layer(s) 2") != std::string::npos);
  DiagnosticThresholds t;
  t.dominanceAnchor = 0.85f;
  CHECK(!diagnoseAnchorDominance(m, t).flagged);
  // High anchor but soft not low: no dominance.
  auto both = fullRun(2, 2, 7, [](int, int) { return makeRow(0.0f, 0.15f, 0.75f); });
  CHECK(!diagnoseAnchorDominance(computeSegmentMass(both, 0, 7)).flagged);
  auto noAnchor = fullRun(1, 2, 7, [](int, int) { return makeRow(0.1f, 0.5f, 0.2f); }, false,
                          {{SegmentKind::Soft, 0, 4}, {SegmentKind::Text, 4, 8}});
  CHECK(!diagnoseAnchorDominance(computeSegmentMass(noAnchor, 0, 7)).applicable);
}

TEST(diagnostic_head_uniformity) {
  auto same = fullRun(2, 3, 7, [](int l, int) { return makeRow(0.1f, 0.3f + 0.2f * l, 0.2f); });
  Diagnostic d = diagnoseHeadUniformity(computeSegmentMass(same, 0, 7));
  CHECK(d.applicable && d.flagged);
  CHECK_EQ(d.layers.size(), 2u);
  CHECK_NEAR(d.values[0], 0.0, kTol);
  // Distinct heads in layer 1 only: [0.5 on soft key 1 | 0.5 on anchor key 4] vs the reverse.
  auto mixed = fullRun(2, 2, 7, [](int l, int h) {
    if (l == 0) return makeRow(0.1f, 0.4f, 0.2f);
    std::vector<float> row(8, 0.0f);
    row[h == 0 ? 1 : 4] = 0.8f;
    row[h == 0 ? 4 : 1] = 0.2f;
    return row;
  });
  const SegmentMass mm = computeSegmentMass(mixed, 0, 7);
  d = diagnoseHeadUniformity(mm);
  CHECK(d.applicable && !d.flagged);
  CHECK(d.layers == std::vector<int>{0});
  CHECK_NEAR(d.values[1], 1.2, 1e-6);               // |0.8-0.2| + |0.2-0.8|
  CHECK_NEAR(d.values2[1], std::sqrt(0.18), 1e-6);  // soft 0.8 vs 0.2: 2 x 0.3^2 / (2 - 1)
  // Rows nearly alike but soft mass spread above its threshold: not uniform.
  auto spread = fullRun(1, 2, 7, [](int, int h) { return makeRow(0.1f, 0.3f + 0.04f * h, 0.2f); });
  const SegmentMass sm = computeSegmentMass(spread, 0, 7);
  CHECK_NEAR(sm.headRowDistance[0], 0.08, 1e-6);
  CHECK(!diagnoseHeadUniformity(sm).flagged);  // soft std 0.028 >= 0.02
  DiagnosticThresholds t;
  t.headSoftStd = 0.05f;
  CHECK(diagnoseHeadUniformity(sm, t).flagged);
  auto single = fullRun(2, 1, 7, [](int, int) { return makeRow(0.1f, 0.3f, 0.2f); });
  CHECK(!diagnoseHeadUniformity(computeSegmentMass(single, 0, 7)).applicable);
}

TEST(diagnostic_layer_uniformity) {
  auto same = fullRun(3, 2, 7, [](int, int h) { return makeRow(0.1f, 0.2f + 0.1f * h, 0.2f); });
  Diagnostic d = diagnoseLayerUniformity(computeSegmentMass(same, 0, 7));
  CHECK(d.applicable && d.flagged);
  CHECK_EQ(d.layers.size(), 3u);
  // Layer 2 moves 0.2 from text to soft: L1 distance 0.4 from the others.
  auto differ =
      fullRun(3, 2, 7, [](int l, int) { return makeRow(0.1f, l == 2 ? 0.5f : 0.3f, 0.2f); });
  const SegmentMass m = computeSegmentMass(differ, 0, 7);
  d = diagnoseLayerUniformity(m);
  CHECK(d.applicable && !d.flagged);
  CHECK_NEAR(d.values[0], 0.4, 1e-6);
  CHECK_NEAR(d.values[2], 0.4, 1e-6);
  DiagnosticThresholds t;
  t.layerRowL1 = 0.5f;
  CHECK(diagnoseLayerUniformity(m, t).flagged);
  auto one = fullRun(1, 2, 7, [](int, int) { return makeRow(0.1f, 0.3f, 0.2f); });
  CHECK(!diagnoseLayerUniformity(computeSegmentMass(one, 0, 7)).applicable);
  CHECK_EQ(diagnose(m).size(), 4u);
}

TEST(json_export_reads_back) {
  const std::vector<std::vector<std::vector<float>>> rows = {
      {makeRow(0.05f, 0.6f, 0.3f), makeRow(0.1f, 0.2f, 0.5f)},
      {makeRow(0.1f, 0.05f, 0.8f), makeRow(0.1f, 0.05f, 0.8f)}};
  const SegmentMass m =
      computeSegmentMass(fullRun(2, 2, 7, [&](int l, int h) { return rows[l][h]; }), 0, 7);
  const auto diags = diagnose(m);
  const std::string path = tempPath("stats.json");
  writeStatsJson(path, m, diags);
  const auto j = nlohmann::json::parse(readAll(path));
  ::unlink(path.c_str());
  CHECK_EQ(j["query_position"].get<int>(), 7);
  CHECK(j["step"].is_null());
  CHECK_EQ(j["per_layer"].size(), 2u);
  const auto& l0 = j["per_layer"][0];
  CHECK_EQ(l0["layer"].get<int>(), 0);
  CHECK_NEAR(l0["soft_mean"].get<double>(), 0.4, 1e-6);
  CHECK_NEAR(l0["soft_std"].get<double>(), std::sqrt(0.08), 1e-6);
  CHECK_NEAR(l0["anchor_mean"].get<double>(), 0.4, 1e-6);
  CHECK_NEAR(l0["soft_min"].get<double>(), 0.2, 1e-6);
  CHECK_NEAR(l0["soft_max"].get<double>(), 0.6, 1e-6);
  CHECK_NEAR(l0["bos_mean"].get<double>(), 0.075, 1e-6);
  CHECK_NEAR(l0["text_mean"].get<double>(), 0.125, 1e-6);
  CHECK_EQ(l0["generated_mean"].get<double>(), 0.0);
  CHECK_EQ(l0["per_head_soft"].size(), 2u);
  CHECK_NEAR(l0["per_head_soft"][1].get<double>(), 0.2, 1e-6);
  CHECK_NEAR(l0["per_head"]["anchor"][0].get<double>(), 0.3, 1e-6);
  CHECK_NEAR(l0["per_head_entropy"][0].get<double>(), m.entropy[0][0], 1e-7);
  CHECK_NEAR(l0["entropy_mean"].get<double>(), (m.entropy[0][0] + m.entropy[0][1]) / 2, 1e-6);
  CHECK_EQ(j["diagnostics"].size(), 4u);
  CHECK_EQ(j["diagnostics"][1]["id"].get<std::string>(), "anchor_dominance");
  CHECK(j["diagnostics"][1]["flagged"].get<bool>());
  CHECK(j["diagnostics"][1]["layers"] == nlohmann::json::array({1}));
  CHECK_NEAR(j["thresholds"]["collapse_soft"].get<double>(), 0.1, 1e-7);
  CHECK_THROWS_WITH(writeStatsJson("/nonexistent-dir/x.json", m), "/nonexistent-dir/x.json");
}

TEST(csv_export_reads_back) {
  const SegmentMass m = computeSegmentMass(
      fullRun(2, 3, 7, [](int l, int h) { return makeRow(0.05f, 0.1f * (h + 1), 0.1f * (l + 1)); }),
      0, 7);
  const std::string path = tempPath("stats.csv");
  writeStatsCsv(path, m);
  std::istringstream in(readAll(path));
  ::unlink(path.c_str());
  std::string line;
  std::getline(in, line);
  CHECK_EQ(line, "layer,head,soft,bos,anchor,text,generated,entropy,special,pad");
  int rowsRead = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::istringstream ls(line);
    for (std::string c; std::getline(ls, c, ',');) f.push_back(c);
    CHECK_EQ(f.size(), 10u);
    const int l = std::stoi(f[0]), h = std::stoi(f[1]);
    const auto li = static_cast<std::size_t>(l), hi = static_cast<std::size_t>(h);
    // Shortest round-trip text: the floats read back exactly.
    CHECK_EQ(std::stof(f[2]), m.of(SegmentKind::Soft)[li][hi]);
    CHECK_EQ(std::stof(f[3]), m.of(SegmentKind::Bos)[li][hi]);
    CHECK_EQ(std::stof(f[4]), m.of(SegmentKind::Anchor)[li][hi]);
    CHECK_EQ(std::stof(f[5]), m.of(SegmentKind::Text)[li][hi]);
    CHECK_EQ(std::stof(f[6]), 0.0f);
    CHECK_EQ(std::stof(f[7]), m.entropy[li][hi]);
    CHECK_NEAR(std::stof(f[2]), 0.1 * (h + 1), 1e-6);
    CHECK_NEAR(std::stof(f[4]), 0.1 * (l + 1), 1e-6);
    ++rowsRead;
  }
  CHECK_EQ(rowsRead, 6);
}

namespace {

using attnx::fixtures::sharedDir;

AttentionTensor fromFixture(const TensorView& v, int layer, std::vector<int> positions) {
  AttentionTensor a;
  a.layer = layer;
  a.batch = static_cast<int>(v.shape[0]);
  a.heads = static_cast<int>(v.shape[1]);
  a.queries = static_cast<int>(v.shape[2]);
  a.keys = static_cast<int>(v.shape[3]);
  a.queryPositions = std::move(positions);
  const auto* p = reinterpret_cast<const float*>(v.data);
  a.f32.assign(p, p + v.numel());
  return a;
}

}  // namespace

TEST(reference_attention_of_every_fixture_model) {
  // Real attention from Hugging Face (the b_soft_prefix cases): the guide's soft_mean / soft_std
  // computed directly from the raw [1, H, T, T] floats must match, and soft + text must be 1.
  const std::string root = sharedDir() + "/fixtures";
  const auto manifest = nlohmann::json::parse(readAll(root + "/manifest.json"));
  int models = 0, generations = 0;
  double worstMean = 0, worstStd = 0, worstSum = 0, worstGen = 0, worstPad = 0;
  for (const auto& [name, model] : manifest["models"].items()) {
    for (const auto& c : model["cases"]) {
      const std::string kind = c["kind"].get<std::string>();
      const auto f = SafetensorsFile::open(root + "/" + c["file"].get<std::string>());
      if (kind == "inputs_embeds_soft_prefix") {
        const int M = c["prefix_len"].get<int>();
        RunResult r;
        r.batch = 1;
        for (int l = 0; f.find("out.attentions." + std::to_string(l)); ++l) {
          const TensorView& v = f.at("out.attentions." + std::to_string(l));
          r.seqLen = static_cast<int>(v.shape[2]);
          std::vector<int> all(static_cast<std::size_t>(r.seqLen));
          for (int i = 0; i < r.seqLen; ++i) all[static_cast<std::size_t>(i)] = i;
          r.attentions.push_back(fromFixture(v, l, all));
        }
        r.layout = {{{SegmentKind::Soft, 0, M}, {SegmentKind::Text, M, r.seqLen}}};
        const int T = r.seqLen;
        const SegmentMass m = computeSegmentMass(r, 0, T - 1);
        for (std::size_t l = 0; l < r.attentions.size(); ++l) {
          const AttentionTensor& a = r.attentions[l];
          std::vector<double> soft(static_cast<std::size_t>(a.heads), 0.0);
          for (int h = 0; h < a.heads; ++h)
            for (int k = 0; k < M; ++k) soft[static_cast<std::size_t>(h)] += a.at(0, h, T - 1, k);
          double mean = 0, sq = 0;
          for (double x : soft) mean += x / a.heads;
          for (double x : soft) sq += (x - mean) * (x - mean);
          const double sd = std::sqrt(sq / (a.heads - 1));  // torch.std
          worstMean = std::max(worstMean, std::fabs(m.summary(SegmentKind::Soft, l).mean - mean));
          worstStd = std::max(worstStd, std::fabs(m.summary(SegmentKind::Soft, l).std - sd));
          for (int h = 0; h < a.heads; ++h)
            worstSum = std::max(worstSum, std::fabs(m.of(SegmentKind::Soft)[l][h] +
                                                    m.of(SegmentKind::Text)[l][h] - 1.0));
        }
        ++models;
      } else if (kind == "greedy_generate_left_padded" || f.find("in.attention_mask")) {
        // Generation with batch row 0 left padded by 4: generated keys and masked pads.
        if (!f.find("out.attentions.step1.0")) continue;
        const TensorView& mask = f.at("in.attention_mask");
        const int T = static_cast<int>(mask.shape[1]);
        const auto* mk = reinterpret_cast<const int64_t*>(mask.data);
        int pad = 0;
        while (pad < T && mk[pad] == 0) ++pad;
        RunResult r;
        r.batch = static_cast<int>(mask.shape[0]);
        r.seqLen = T;
        r.attentionMask.assign(mk, mk + mask.numel());
        r.layout = {{{SegmentKind::Pad, 0, pad}, {SegmentKind::Text, pad, T}},
                    {{SegmentKind::Text, 0, T}}};
        for (int s = 0; f.find("out.attentions.step" + std::to_string(s) + ".0"); ++s) {
          std::vector<AttentionTensor> layers;
          for (int l = 0;; ++l) {
            const TensorView* v =
                f.find("out.attentions.step" + std::to_string(s) + "." + std::to_string(l));
            if (!v) break;
            std::vector<int> positions;
            if (s == 0)
              for (int i = 0; i < T; ++i) positions.push_back(i);
            else
              positions.push_back(T + s - 1);
            layers.push_back(fromFixture(*v, l, positions));
          }
          r.stepAttentions.push_back(std::move(layers));
        }
        ++generations;
        for (int s = 1; s < static_cast<int>(r.stepAttentions.size()); ++s) {
          const SegmentMass m = computeStepSegmentMass(r, 0, s);
          for (std::size_t l = 0; l < m.layers.size(); ++l) {
            const AttentionTensor& a = r.stepAttentions[static_cast<std::size_t>(s)][l];
            for (int h = 0; h < a.heads; ++h) {
              double gen = 0;
              for (int k = T; k < a.keys; ++k) gen += a.at(0, h, 0, k);
              worstGen = std::max(worstGen, std::fabs(m.of(SegmentKind::Generated)[l][h] - gen));
              worstPad = std::max(worstPad, static_cast<double>(m.of(SegmentKind::Pad)[l][h]));
            }
          }
        }
      }
    }
  }
  std::printf(
      "  fixtures: %d soft-prefix, %d padded generation cases; max |soft_mean diff| %.3g, "
      "|soft_std diff| %.3g, "
      "|soft+text-1| %.3g, |generated diff| %.3g, max pad mass %.3g\n",
      models, generations, worstMean, worstStd, worstSum, worstGen, worstPad);
  CHECK(models >= 7);
  CHECK(generations >= 6);
  // The fixture's own floats, summed in double both here and in computeSegmentMass, stored as
  // float: half an ulp of a value <= 1 (6e-8), and the mean and sd of <= 8 heads round once more.
  // soft + text sums every probability of a row: float32 softmax rows of transformers sum to 1
  // within T u (T <= 40 here: 2.4e-6).
  CHECK(worstMean < 1e-6 && worstStd < 1e-6);
  CHECK(worstSum < 1e-5);
  CHECK(worstGen < 1e-6);
  CHECK(worstPad < 1e-6);
}

TEST_MAIN()
