// Per-example statistics of a dataset run and the group statistics compared between correct and
// incorrect examples. Sums are accumulated in double: a group may hold thousands of examples.
#include "dataset_stats.h"

#include <algorithm>
#include <cmath>

#include "diagnostics.h"
#include "error.h"
#include "student_t.h"

namespace attnx {

float ExampleStats::layerMean(SegmentKind k, std::size_t layerIndex) const {
  const auto& grid = of(k);
  if (layerIndex >= grid.size() || grid[layerIndex].empty()) return 0.0f;
  double s = 0;
  for (float v : grid[layerIndex]) s += v;
  return static_cast<float>(s / static_cast<double>(grid[layerIndex].size()));
}

ExampleStats summarizeQuery(const RunResult& r, int b, int queryPosition) {
  const SegmentMass m = computeSegmentMass(r, b, queryPosition);
  ExampleStats s;
  s.queryPosition = queryPosition;
  s.seqLen = r.seqLen;
  s.layout = r.layout.at(static_cast<std::size_t>(b));
  s.layers = m.layers;
  s.mass = m.mass;
  s.entropy = m.entropy;
  s.collapse = diagnoseCollapse(m).flagged;
  s.anchorDominance = diagnoseAnchorDominance(m).flagged;
  return s;
}

MeanCi meanCi95(const std::vector<float>& values) {
  MeanCi out;
  if (values.empty()) return out;
  const double n = static_cast<double>(values.size());
  double sum = 0;
  for (float v : values) sum += v;
  const double mean = sum / n;
  out.mean = out.lo = out.hi = static_cast<float>(mean);
  if (values.size() < 2) return out;
  double ss = 0;
  for (float v : values) ss += (v - mean) * (v - mean);
  const double se = std::sqrt(ss / (n - 1.0)) / std::sqrt(n);
  const double half = studentTQuantile(0.975, n - 1.0) * se;
  out.lo = static_cast<float>(mean - half);
  out.hi = static_cast<float>(mean + half);
  return out;
}

namespace {

// A [layer][head] grid of zeros shaped like `like`.
LayerHeadGrid zerosLike(const LayerHeadGrid& like) {
  LayerHeadGrid g(like.size());
  for (std::size_t l = 0; l < like.size(); ++l) g[l].assign(like[l].size(), 0.0f);
  return g;
}

// Mean and sample standard deviation (n - 1) over the members, element by element.
void meanStd(const std::vector<const LayerHeadGrid*>& grids, LayerHeadGrid& mean,
             LayerHeadGrid& stdev) {
  mean = zerosLike(*grids.front());
  stdev = zerosLike(*grids.front());
  const double n = static_cast<double>(grids.size());
  for (std::size_t l = 0; l < mean.size(); ++l) {
    for (std::size_t h = 0; h < mean[l].size(); ++h) {
      double s = 0;
      for (const auto* g : grids) s += (*g)[l][h];
      const double m = s / n;
      double ss = 0;
      for (const auto* g : grids) ss += ((*g)[l][h] - m) * ((*g)[l][h] - m);
      mean[l][h] = static_cast<float>(m);
      stdev[l][h] = grids.size() > 1 ? static_cast<float>(std::sqrt(ss / (n - 1.0))) : 0.0f;
    }
  }
}

bool sameShape(const LayerHeadGrid& a, const LayerHeadGrid& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t l = 0; l < a.size(); ++l)
    if (a[l].size() != b[l].size()) return false;
  return true;
}

}  // namespace

GroupStats computeGroup(const std::vector<ExampleStats>& examples, const std::vector<int>& members,
                        const std::string& name) {
  GroupStats g;
  g.name = name;
  g.members = members;
  if (members.empty()) return g;
  std::vector<const ExampleStats*> ex;
  for (int i : members) {
    if (i < 0 || static_cast<std::size_t>(i) >= examples.size())
      throw Error("group " + name + ": example " + std::to_string(i) + " does not exist");
    ex.push_back(&examples[static_cast<std::size_t>(i)]);
  }
  const ExampleStats& first = *ex.front();
  g.layers = first.layers;
  for (const auto* e : ex) {
    bool same = e->layers == first.layers && sameShape(e->entropy, first.entropy);
    for (std::size_t k = 0; k < kSegmentKindCount; ++k)
      same = same && sameShape(e->mass[k], first.mass[k]);
    if (!same)
      throw Error("group " + name + ": example " + e->id + " has other layers or heads than " +
                  first.id + " (results of different models cannot be grouped)");
  }

  for (std::size_t k = 0; k < kSegmentKindCount; ++k) {
    std::vector<const LayerHeadGrid*> grids;
    for (const auto* e : ex) grids.push_back(&e->mass[k]);
    meanStd(grids, g.massMean[k], g.massStd[k]);
    // Per layer: each example's mean over heads, then the mean and its interval over examples.
    const std::size_t L = first.mass[k].size();
    g.byLayer[k].resize(L);
    for (std::size_t l = 0; l < L; ++l) {
      std::vector<float> perExample;
      for (const auto* e : ex) perExample.push_back(e->layerMean(static_cast<SegmentKind>(k), l));
      g.byLayer[k][l] = meanCi95(perExample);
    }
  }
  {
    std::vector<const LayerHeadGrid*> grids;
    for (const auto* e : ex) grids.push_back(&e->entropy);
    LayerHeadGrid unused;
    meanStd(grids, g.entropyMean, unused);
  }

  const double n = static_cast<double>(ex.size());
  int collapse = 0, dominance = 0, correct = 0, ftN = 0, ftCorrect = 0, scored = 0;
  double em = 0, f1 = 0;
  for (const auto* e : ex) {
    collapse += e->collapse;
    dominance += e->anchorDominance;
    correct += e->correct;
    if (e->firstTokenCorrect) {
      ++ftN;
      ftCorrect += *e->firstTokenCorrect;
    }
    if (e->em && e->f1) {
      ++scored;
      em += *e->em;
      f1 += *e->f1;
    }
  }
  g.collapseFraction = collapse / n;
  g.anchorDominanceFraction = dominance / n;
  g.accuracy = correct / n;
  if (ftN > 0) g.firstTokenAccuracy = static_cast<double>(ftCorrect) / ftN;
  if (scored > 0) {
    g.meanEm = em / scored;
    g.meanF1 = f1 / scored;
  }
  return g;
}

std::vector<int> correctMembers(const std::vector<ExampleStats>& examples, bool correct) {
  std::vector<int> out;
  for (std::size_t i = 0; i < examples.size(); ++i)
    if (examples[i].correct == correct) out.push_back(static_cast<int>(i));
  return out;
}

std::vector<HeadDifference> rankHeadDifferences(const GroupStats& a, const GroupStats& b,
                                                SegmentKind kind) {
  const auto k = kindIndex(kind);
  const LayerHeadGrid& ma = a.massMean[k];
  const LayerHeadGrid& mb = b.massMean[k];
  if (ma.empty() || mb.empty()) return {};
  if (!sameShape(ma, mb))
    throw Error("groups " + a.name + " and " + b.name + " have different layers or heads");
  std::vector<HeadDifference> out;
  const double na = a.n(), nb = b.n();
  for (std::size_t l = 0; l < ma.size(); ++l) {
    for (std::size_t h = 0; h < ma[l].size(); ++h) {
      HeadDifference d;
      d.layer = l < a.layers.size() ? a.layers[l] : static_cast<int>(l);
      d.head = static_cast<int>(h);
      d.a = ma[l][h];
      d.b = mb[l][h];
      d.diff = d.a - d.b;
      if (na >= 2 && nb >= 2) {
        const double sa = a.massStd[k][l][h], sb = b.massStd[k][l][h];
        const double se = std::sqrt(sa * sa / na + sb * sb / nb);
        d.t = se > 0 ? static_cast<float>((static_cast<double>(d.a) - d.b) / se) : 0.0f;
      }
      out.push_back(d);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const HeadDifference& x, const HeadDifference& y) {
    return std::abs(x.diff) > std::abs(y.diff);
  });
  return out;
}

std::vector<HeadScore> topHeads(const GroupStats& g, SegmentKind kind, int count) {
  std::vector<HeadScore> out;
  const LayerHeadGrid& m = g.massMean[kindIndex(kind)];
  for (std::size_t l = 0; l < m.size(); ++l)
    for (std::size_t h = 0; h < m[l].size(); ++h)
      out.push_back(
          {l < g.layers.size() ? g.layers[l] : static_cast<int>(l), static_cast<int>(h), m[l][h]});
  std::stable_sort(out.begin(), out.end(),
                   [](const HeadScore& x, const HeadScore& y) { return x.value > y.value; });
  if (count >= 0 && out.size() > static_cast<std::size_t>(count))
    out.resize(static_cast<std::size_t>(count));
  return out;
}

}  // namespace attnx
