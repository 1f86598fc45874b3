#pragma once
// Tolerances from float32 arithmetic on the magnitudes involved, never from what one machine
// gave: every comparison of two computations names the operations they may do differently and
// bounds the difference by the rounding those operations can make (Higham, "Accuracy and
// Stability of Numerical Algorithms", 2nd ed., chapters 2-4). Another CPU (AVX-512 kernels of
// OpenBLAS, another thread split) may order the additions of a sum or a matrix product
// differently; the bounds below hold for every order.
#include <cmath>
#include <vector>

namespace attnx::tolerance {

// float32's unit roundoff: one rounding moves x by at most |x| u.
constexpr double kUnit = 0x1p-24;

// gamma_n = n u / (1 - n u): a sum or dot product of n float32 terms, accumulated in float32 in
// any order, is within gamma_{n-1} sum|terms| of the exact one (Higham eq. 3.4 / 4.4).
inline double gamma(double n) { return n * kUnit / (1.0 - n * kUnit); }

// Two float32 evaluations of a sum of n terms in two different orders: each is within
// gamma_n sum|terms| of the exact value, so they are within twice that of each other.
inline double twoOrders(double n, double sumAbs) { return 2.0 * gamma(n) * sumAbs; }

// A value computed in double and stored as float32 (attnx's statistics): half an ulp, at most
// |x| u; two such values of the same double differ by 0, of doubles that differ by d by d + 2u|x|.
inline double stored(double magnitude) { return kUnit * std::abs(magnitude); }

// Logits of a length-d dot product h . W_v computed twice in different orders (the LM head on one
// row or on all T rows of a batch take different BLAS kernels): by Cauchy-Schwarz
// sum_k |h_k W_vk| <= ||h|| ||W_v||, so every logit moves by at most twoOrders(d, ||h|| max_v ||W_v||).
inline double logitOrders(int d, double hNorm, double maxRowNorm) {
  return twoOrders(d, hNorm * maxRowNorm);
}

// A softmax probability p = exp(z_a) / sum_v exp(z_v) whose logits each move by at most dz:
// d p = p (dz_a - sum_v p_v dz_v), so |d p| <= 2 p dz, plus the rounding of p itself.
inline double probabilityFromLogits(double p, double dz) { return 2.0 * p * dz + 4.0 * kUnit; }

// Attention weights of one run computed twice, as the forward's full matrices and again from its
// Q/K capture (exp(q.k/sqrt(D) - lse)): weights in [0, 1] through a few layers of length-16..64
// dot products summed in other orders (see tests/support/analysis_goldens.h), and the scale
// issue's requirement for exact tiles.
constexpr double kTileVsFull = 1e-5;

inline double norm(const float* v, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i) s += double(v[i]) * v[i];
  return std::sqrt(s);
}

// The largest Euclidean norm of the rows of a row-major [rows, cols] matrix.
inline double maxRowNorm(const std::vector<float>& m, int cols) {
  double best = 0;
  for (std::size_t r = 0; r + cols <= m.size(); r += static_cast<std::size_t>(cols))
    best = std::max(best, norm(m.data() + r, cols));
  return best;
}

}  // namespace attnx::tolerance
