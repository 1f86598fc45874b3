#pragma once
// What the tests of the analyses (value norms, logit lens, rollout, knockout, scan) share: the
// golden files of shared/fixtures/analyses/, their tolerances, and a flat comparison that prints
// its largest difference.
#include <cstdio>
#include <string>
#include <vector>

#include "check.h"
#include "fixtures.h"

namespace attnx::fixtures {

inline const char* const kAnalysisGoldens[] = {"gpt2_tiny_ids", "llama_gqa_soft",
                                               "qwen2_tied_soft"};

// The goldens' README suggests these; they follow from float32 arithmetic on the magnitudes
// involved. The fixture models have d = 64 and 2-3 layers: every value passes through a few
// dozen length-64 dot products whose order may differ between libtorch and PyTorch's kernels,
// each within gamma_64 = 3.8e-6 of its sum of |terms|. Weights and rollout entries lie in [0, 1]
// and are renormalised by softmax, so they stay within 1e-5 + 1e-4 relative; logits, log-
// probabilities and value norms are of order 1-10 and accumulate one such error per layer and
// per norm, within 1e-4 + 1e-4 relative. A scan delta is a difference of two log-probabilities
// that nearly cancel, hence its larger relative part.
constexpr Tolerance kAnalysisWeights{1e-5, 1e-4};
constexpr Tolerance kAnalysisValues{1e-4, 1e-4};
constexpr Tolerance kAnalysisScan{1e-4, 1e-3};

// ours and ref compared element by element; the largest difference is printed.
inline void expectCloseFlat(const std::string& what, const std::vector<float>& ours,
                            const std::vector<float>& ref, Tolerance tol) {
  const Diff d = compareRows(ours, ref, 1, 1, 1, static_cast<int>(ref.size()), tol);
  std::printf("  %-40s max |diff| %.3g over %zu values\n", what.c_str(), d.maxAbs, d.compared);
  CHECK_MSG(d.ok(), what << ": " << d.bad << " of " << d.compared
                         << " values outside tolerance, first " << d.firstBad);
}

}  // namespace attnx::fixtures
