#pragma once
// Student's t distribution, for the confidence intervals and Welch tests of group statistics.
namespace attnx {

// P(T <= t) for `df` > 0 degrees of freedom (df need not be an integer: Welch's test uses the
// Welch-Satterthwaite value).
double studentTCdf(double t, double df);

// The t with P(T <= t) = p, for 0 < p < 1 and df > 0; accurate to about 1e-9.
double studentTQuantile(double p, double df);

}  // namespace attnx
