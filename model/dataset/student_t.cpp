// The t distribution through the regularised incomplete beta function:
//   P(|T| > t) = I_x(df/2, 1/2) with x = df / (df + t^2),
// I_x evaluated by its continued fraction (modified Lentz), and the quantile found by bisection
// on the monotone CDF, which is slow but cannot diverge and costs nothing at these sizes.
#include "student_t.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "error.h"

namespace attnx {
namespace {

// Continued fraction of I_x(a, b) without its prefactor; converges fast for x < (a+1)/(a+b+2).
double betaFraction(double a, double b, double x) {
  const double tiny = 1e-300;
  double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::abs(d) < tiny) d = tiny;
  d = 1.0 / d;
  double f = d;
  for (int m = 1; m <= 1000; ++m) {
    const double m2 = 2.0 * m;
    // Even step: d_{2m} = m (b - m) x / ((a + 2m - 1)(a + 2m)).
    double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
    d = 1.0 + num * d;
    c = 1.0 + num / c;
    if (std::abs(d) < tiny) d = tiny;
    if (std::abs(c) < tiny) c = tiny;
    d = 1.0 / d;
    f *= d * c;
    // Odd step: d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)).
    num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
    d = 1.0 + num * d;
    c = 1.0 + num / c;
    if (std::abs(d) < tiny) d = tiny;
    if (std::abs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double step = d * c;
    f *= step;
    if (std::abs(step - 1.0) < 1e-15) break;
  }
  return f;
}

// Regularised incomplete beta I_x(a, b).
double incompleteBeta(double a, double b, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double logPrefactor =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  const double prefactor = std::exp(logPrefactor);
  // Use the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction converges slowly.
  if (x < (a + 1.0) / (a + b + 2.0)) return prefactor * betaFraction(a, b, x) / a;
  return 1.0 - prefactor * betaFraction(b, a, 1.0 - x) / b;
}

}  // namespace

double studentTCdf(double t, double df) {
  if (!(df > 0.0)) throw Error("the t distribution needs positive degrees of freedom");
  if (std::isnan(t)) return t;
  if (std::isinf(t)) return t > 0 ? 1.0 : 0.0;
  const double x = df / (df + t * t);
  const double tail = 0.5 * incompleteBeta(0.5 * df, 0.5, x);  // P(T > |t|)
  return t >= 0.0 ? 1.0 - tail : tail;
}

double studentTQuantile(double p, double df) {
  if (!(p > 0.0 && p < 1.0)) throw Error("a t quantile needs 0 < p < 1");
  if (!(df > 0.0)) throw Error("the t distribution needs positive degrees of freedom");
  if (p == 0.5) return 0.0;
  // Symmetric: solve for the upper half and mirror.
  const double q = p > 0.5 ? p : 1.0 - p;
  double lo = 0.0, hi = 1.0;
  while (studentTCdf(hi, df) < q) {
    hi *= 2.0;
    if (hi > 1e300)
      return p > 0.5 ? std::numeric_limits<double>::infinity()
                     : -std::numeric_limits<double>::infinity();
  }
  for (int i = 0; i < 200 && hi - lo > 1e-12 * std::max(1.0, hi); ++i) {
    const double mid = 0.5 * (lo + hi);
    (studentTCdf(mid, df) < q ? lo : hi) = mid;
  }
  const double t = 0.5 * (lo + hi);
  return p > 0.5 ? t : -t;
}

}  // namespace attnx
