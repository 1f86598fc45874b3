#include "attention_stats.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace attnx {
namespace {

void checkIndex(const char* what, int v, int n) {
  if (v < 0 || v >= n)
    throw Error(std::string("attention ") + what + " " + std::to_string(v) + " is out of range (" +
                std::to_string(n) + ")");
}

void checkHead(const AttentionTensor& a, HeadChoice head) {
  if (head.isOne()) checkIndex("head", head.index, a.heads);
}

// Kind of every key of batch row b: the layout covers the prompt [0, T); later keys are tokens
// generated earlier. A position the layout leaves uncovered counts as text.
std::vector<SegmentKind> keyKinds(const RunResult& r, int b, int keys) {
  std::vector<SegmentKind> kinds(static_cast<std::size_t>(keys), SegmentKind::Text);
  for (int k = r.seqLen; k < keys; ++k) kinds[static_cast<std::size_t>(k)] = SegmentKind::Generated;
  if (b < static_cast<int>(r.layout.size())) {
    for (const Segment& s : r.layout[static_cast<std::size_t>(b)]) {
      const int end = std::min({s.end, keys, r.seqLen > 0 ? r.seqLen : keys});
      for (int k = std::max(s.begin, 0); k < end; ++k) kinds[static_cast<std::size_t>(k)] = s.kind;
    }
  }
  return kinds;
}

}  // namespace

float headValue(const AttentionTensor& a, int b, HeadChoice head, int qRow, int k) {
  checkIndex("batch row", b, a.batch);
  checkHead(a, head);
  checkIndex("query row", qRow, a.queries);
  checkIndex("key", k, a.keys);
  if (head.isOne()) return a.at(b, head.index, qRow, k);
  const bool mean = head.kind == HeadChoice::Kind::Mean;
  float acc = mean ? 0.0f : -INFINITY;
  for (int h = 0; h < a.heads; ++h) {
    const float v = a.at(b, h, qRow, k);
    acc = mean ? acc + v : std::max(acc, v);
  }
  return mean ? acc / static_cast<float>(a.heads) : acc;
}

std::vector<float> attentionMatrix(const AttentionTensor& a, int b, HeadChoice head) {
  checkIndex("batch row", b, a.batch);
  checkHead(a, head);
  std::vector<float> out(static_cast<std::size_t>(a.queries) * a.keys);
  const int h0 = head.isOne() ? head.index : 0;
  const int h1 = head.isOne() ? head.index + 1 : a.heads;
  const bool max = head.kind == HeadChoice::Kind::Max;
  std::fill(out.begin(), out.end(), max ? -INFINITY : 0.0f);
  for (int h = h0; h < h1; ++h) {
    for (int q = 0; q < a.queries; ++q) {
      float* row = out.data() + static_cast<std::size_t>(q) * a.keys;
      for (int k = 0; k < a.keys; ++k) {
        const float v = a.at(b, h, q, k);
        row[k] = max ? std::max(row[k], v) : row[k] + v;
      }
    }
  }
  if (head.kind == HeadChoice::Kind::Mean && a.heads > 0)
    for (float& v : out) v /= static_cast<float>(a.heads);
  return out;
}

int queryRowOf(const AttentionTensor& a, int b, int position) {
  for (int q = 0; q < a.queries; ++q)
    if (a.queryPosition(b, q) == position) return q;
  return -1;
}

int lastValidPosition(const RunResult& r, int b) {
  const std::size_t T = static_cast<std::size_t>(r.seqLen);
  if (r.attentionMask.size() >= (static_cast<std::size_t>(b) + 1) * T) {
    for (std::size_t t = T; t-- > 0;)
      if (r.attentionMask[static_cast<std::size_t>(b) * T + t] != 0) return static_cast<int>(t);
  }
  return r.seqLen - 1;
}

HeadSummary summarizeHeads(const std::vector<float>& v) {
  HeadSummary s;
  if (v.empty()) return s;
  double sum = 0;
  s.min = s.max = v.front();
  for (float x : v) {
    sum += x;
    s.min = std::min(s.min, x);
    s.max = std::max(s.max, x);
  }
  const double mean = sum / static_cast<double>(v.size());
  s.mean = static_cast<float>(mean);
  if (v.size() > 1) {
    double sq = 0;
    for (float x : v) sq += (x - mean) * (x - mean);
    s.std = static_cast<float>(std::sqrt(sq / static_cast<double>(v.size() - 1)));
  }
  return s;
}

HeadSummary SegmentMass::summary(SegmentKind k, std::size_t layerIndex) const {
  return summarizeHeads(of(k).at(layerIndex));
}

HeadSummary SegmentMass::entropySummary(std::size_t layerIndex) const {
  return summarizeHeads(entropy.at(layerIndex));
}

SegmentMass computeSegmentMass(const RunResult& r, const std::vector<AttentionTensor>& tensors,
                               int b, int queryPosition, int step) {
  const std::string where =
      step >= 0 ? "generation step " + std::to_string(step) : std::string("the forward pass");
  if (tensors.empty()) throw Error("no attention was captured for " + where);
  SegmentMass m;
  m.batchRow = b;
  m.queryPosition = queryPosition;
  m.step = step;
  m.heads = tensors.front().heads;
  m.keys = tensors.front().keys;
  for (auto& v : m.mass) v.resize(tensors.size());
  m.entropy.resize(tensors.size());
  m.headRowDistance.resize(tensors.size());
  m.meanRow.resize(tensors.size());

  const std::vector<SegmentKind> kinds = keyKinds(r, b, m.keys);
  for (SegmentKind k : kinds) m.present[kindIndex(k)] = true;

  std::vector<std::vector<double>> rows(static_cast<std::size_t>(m.heads));
  for (std::size_t li = 0; li < tensors.size(); ++li) {
    const AttentionTensor& a = tensors[li];
    if (a.heads != m.heads || a.keys != m.keys)
      throw Error("captured layers of " + where + " differ in heads or keys");
    checkIndex("batch row", b, a.batch);
    const int q = queryRowOf(a, b, queryPosition);
    if (q < 0)
      throw Error("query position " + std::to_string(queryPosition) +
                  " was not captured in layer " + std::to_string(a.layer) + " of " + where +
                  " (capture full rows or select that position)");
    m.layers.push_back(a.layer);
    for (auto& v : m.mass) v[li].assign(static_cast<std::size_t>(m.heads), 0.0f);
    m.entropy[li].assign(static_cast<std::size_t>(m.heads), 0.0f);
    m.meanRow[li].assign(static_cast<std::size_t>(m.keys), 0.0f);

    for (int h = 0; h < m.heads; ++h) {
      // Sums in double: rows of thousands of small probabilities.
      std::array<double, kSegmentKindCount> sums{};
      double ent = 0;
      auto& row = rows[static_cast<std::size_t>(h)];
      row.resize(static_cast<std::size_t>(m.keys));
      for (int k = 0; k < m.keys; ++k) {
        const double p = a.at(b, h, q, k);
        row[static_cast<std::size_t>(k)] = p;
        sums[kindIndex(kinds[static_cast<std::size_t>(k)])] += p;
        if (p > 0) ent -= p * std::log(p);
        m.meanRow[li][static_cast<std::size_t>(k)] += static_cast<float>(p / m.heads);
      }
      for (std::size_t kind = 0; kind < kSegmentKindCount; ++kind)
        m.mass[kind][li][static_cast<std::size_t>(h)] = static_cast<float>(sums[kind]);
      m.entropy[li][static_cast<std::size_t>(h)] = static_cast<float>(ent);
    }
    // Mean L1 distance over the H (H - 1) / 2 pairs of heads: 0 when all heads attend alike,
    // up to 2 when they attend to disjoint keys.
    double dist = 0;
    int pairs = 0;
    for (int h = 0; h < m.heads; ++h)
      for (int g = h + 1; g < m.heads; ++g, ++pairs)
        for (int k = 0; k < m.keys; ++k)
          dist += std::fabs(rows[static_cast<std::size_t>(h)][static_cast<std::size_t>(k)] -
                            rows[static_cast<std::size_t>(g)][static_cast<std::size_t>(k)]);
    m.headRowDistance[li] = pairs ? static_cast<float>(dist / pairs) : 0.0f;
  }
  return m;
}

SegmentMass computeSegmentMass(const RunResult& r, int b, int queryPosition) {
  return computeSegmentMass(r, r.attentions, b, queryPosition, -1);
}

SegmentMass computeStepSegmentMass(const RunResult& r, int b, int step) {
  if (step < 0 || step >= static_cast<int>(r.stepAttentions.size()))
    throw Error("generation step " + std::to_string(step) + " was not captured (" +
                std::to_string(r.stepAttentions.size()) + " steps hold attention)");
  const int position = step == 0 ? lastValidPosition(r, b) : r.seqLen + step - 1;
  return computeSegmentMass(r, r.stepAttentions[static_cast<std::size_t>(step)], b, position, step);
}

}  // namespace attnx
