package dev.cvm.clv.math;

import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * Special functions needed by the CLV models, all evaluated so that they stay finite for the
 * large counts (hundreds of repeat purchases) and long horizons that appear in practice.
 *
 * <p>Gamma and Beta functions delegate to commons-math3. The Gauss hypergeometric function is a
 * power series with running rescaling (so huge intermediate terms do not overflow), compensated
 * summation and an explicit tail-bound stopping rule; if the series cannot reach full precision
 * within the term budget an {@link ArithmeticException} is thrown instead of returning a
 * silently truncated value.
 */
public final class SpecialFunctions {

    /** Default maximum number of series terms for {@link #hyp2f1(double, double, double, double)}. */
    public static final int DEFAULT_MAX_TERMS = 2_000_000;

    /** Relative precision targeted by the hypergeometric series. */
    private static final double SERIES_EPS = 1e-16;

    /** Rescale the running series when a term exceeds this magnitude (keeps doubles finite). */
    private static final double RESCALE_THRESHOLD = 1e250;
    private static final double LOG_RESCALE = Math.log(RESCALE_THRESHOLD);

    private SpecialFunctions() {
    }

    /** Natural log of the Gamma function for {@code x > 0}. */
    public static double logGamma(double x) {
        if (!(x > 0) || Double.isInfinite(x)) {
            throw new IllegalArgumentException("logGamma requires a finite x > 0, got " + x);
        }
        return Gamma.logGamma(x);
    }

    /** Natural log of the Beta function B(a, b) for {@code a, b > 0}. */
    public static double logBeta(double a, double b) {
        if (!(a > 0) || !(b > 0) || Double.isInfinite(a) || Double.isInfinite(b)) {
            throw new IllegalArgumentException("logBeta requires finite a, b > 0, got a=" + a + ", b=" + b);
        }
        return Beta.logBeta(a, b);
    }

    /**
     * {@code log(exp(u) + exp(v))} without overflow; either argument may be {@code -Infinity}.
     */
    public static double logSumExp(double u, double v) {
        if (u == Double.NEGATIVE_INFINITY) {
            return v;
        }
        if (v == Double.NEGATIVE_INFINITY) {
            return u;
        }
        double max = Math.max(u, v);
        return max + Math.log1p(Math.exp(-Math.abs(u - v)));
    }

    /**
     * {@code log(exp(u) - exp(v))} for {@code u >= v}, accurate when the two are close
     * (uses {@code log1p(-exp(v-u))}). Returns {@code -Infinity} when {@code u == v}.
     */
    public static double logDiffExp(double u, double v) {
        if (v > u) {
            throw new IllegalArgumentException("logDiffExp requires u >= v, got u=" + u + ", v=" + v);
        }
        if (v == Double.NEGATIVE_INFINITY) {
            return u;
        }
        if (u == v) {
            return Double.NEGATIVE_INFINITY;
        }
        double d = v - u;
        // For d close to 0 expm1 keeps precision; for very negative d log1p(-exp(d)) is better.
        return u + (d > -0.693 ? Math.log(-Math.expm1(d)) : Math.log1p(-Math.exp(d)));
    }

    /** {@code log(1 + exp(u))} without overflow (the "softplus"). */
    public static double log1pExp(double u) {
        if (u > 0) {
            return u + Math.log1p(Math.exp(-u));
        }
        return Math.log1p(Math.exp(u));
    }

    /**
     * Gauss hypergeometric function 2F1(a, b; c; z) for {@code 0 <= z < 1}; at {@code z == 1}
     * Gauss's summation theorem Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) is used, which requires
     * {@code c − a − b > 0} and {@code c − a, c − b > 0}.
     *
     * @throws ArithmeticException if the value overflows a double (use {@link #logHyp2f1}) or the
     *                             series does not converge within {@link #DEFAULT_MAX_TERMS} terms
     */
    public static double hyp2f1(double a, double b, double c, double z) {
        return hyp2f1(a, b, c, z, DEFAULT_MAX_TERMS);
    }

    /** As {@link #hyp2f1(double, double, double, double)} with an explicit term budget. */
    public static double hyp2f1(double a, double b, double c, double z, int maxTerms) {
        double[] s = series(a, b, c, z, maxTerms);
        double value = s[1] * Math.exp(s[0]);
        if (Double.isInfinite(value)) {
            throw new ArithmeticException("hyp2f1(" + a + ", " + b + "; " + c + "; " + z
                    + ") overflows a double; use logHyp2f1");
        }
        return value;
    }

    /**
     * Natural log of 2F1(a, b; c; z) for {@code 0 <= z <= 1} (see {@link #hyp2f1}); the value must
     * be positive, which is always the case when {@code a, b, c > 0}.
     *
     * @throws ArithmeticException if the function is not positive or the series does not converge
     */
    public static double logHyp2f1(double a, double b, double c, double z) {
        return logHyp2f1(a, b, c, z, DEFAULT_MAX_TERMS);
    }

    /** As {@link #logHyp2f1(double, double, double, double)} with an explicit term budget. */
    public static double logHyp2f1(double a, double b, double c, double z, int maxTerms) {
        double[] s = series(a, b, c, z, maxTerms);
        if (!(s[1] > 0)) {
            throw new ArithmeticException("logHyp2f1(" + a + ", " + b + "; " + c + "; " + z
                    + ") is not positive (" + s[1] + " * exp(" + s[0] + "))");
        }
        if (s[0] == 0 && Math.abs(s[2]) < 0.5) {
            return Math.log1p(s[2]);
        }
        return s[0] + Math.log(s[1]);
    }

    /**
     * Power series of 2F1 returned as {logScale, sum, sum − 1}: value = sum * exp(logScale); the
     * third entry (the series without its leading 1) is only meaningful while logScale == 0.
     * Terms t_{n+1} = t_n (a+n)(b+n) / ((c+n)(n+1)) z. The stopping rule estimates the remaining
     * tail as a geometric series |t_{n+1}| / (1 − ρ) with ρ = max(next ratio, z). Because
     * (a+n)(b+n)/((c+n)(n+1)) − 1 has a numerator linear in n, the ratio crosses z at most once and
     * then tends to z monotonically, so this estimate is an upper bound up to at most a small factor
     * near a hump; with a 1e-16 target that still leaves full double precision.
     */
    private static double[] series(double a, double b, double c, double z, int maxTerms) {
        if (Double.isNaN(a) || Double.isNaN(b) || Double.isNaN(c) || Double.isNaN(z)
                || Double.isInfinite(a) || Double.isInfinite(b) || Double.isInfinite(c)) {
            throw new IllegalArgumentException("hyp2f1 requires finite arguments, got a=" + a + ", b=" + b
                    + ", c=" + c + ", z=" + z);
        }
        if (!(z >= 0 && z <= 1)) {
            throw new IllegalArgumentException("hyp2f1 is implemented for 0 <= z <= 1, got z=" + z);
        }
        if (c <= 0 && c == Math.rint(c)) {
            throw new IllegalArgumentException("hyp2f1 is undefined for c = 0, -1, -2, ...; got c=" + c);
        }
        if (maxTerms < 1) {
            throw new IllegalArgumentException("maxTerms must be >= 1, got " + maxTerms);
        }
        if (z == 0 || a == 0 || b == 0) {
            return new double[] {0.0, 1.0, 0.0};
        }
        if (z == 1) {
            return gaussSum(a, b, c);
        }
        // The leading 1 is kept apart from the rest (sumMinusOne) so that log1p can be used when
        // the function is close to 1 (small z): ln 2F1 then keeps full relative precision.
        double logScale = 0;
        double one = 1;
        double rest = 0;
        double comp = 0; // Neumaier compensation term
        double term = 1;
        double ratio = a * b / c * z; // t_1 / t_0
        for (int n = 0; n < maxTerms; n++) {
            term *= ratio;
            if (term == 0) {
                // a or b is a non-positive integer: the series is a polynomial and has terminated.
                return result(logScale, one, rest + comp);
            }
            double t = rest + term;
            comp += Math.abs(rest) >= Math.abs(term) ? (rest - t) + term : (term - t) + rest;
            rest = t;
            if (Math.abs(term) > RESCALE_THRESHOLD) {
                one /= RESCALE_THRESHOLD;
                rest /= RESCALE_THRESHOLD;
                comp /= RESCALE_THRESHOLD;
                term /= RESCALE_THRESHOLD;
                logScale += LOG_RESCALE;
            }
            double k = n + 1.0;
            ratio = (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z; // t_{k+1} / t_k
            double next = Math.abs(ratio);
            double rho = Math.max(next, z);
            if (rho < 1 && k > Math.max(0, Math.max(-a, -b)) && k > -c) {
                double tail = Math.abs(term) * next / (1 - rho);
                // Relative to the non-trivial part (total − 1), so ln 2F1 = log1p(rest) stays exact
                // for small z; the floor avoids chasing a rest that cancels to ~0.
                if (tail <= SERIES_EPS * Math.max(Math.abs(rest + comp), 1e-20 * Math.abs(one))) {
                    return result(logScale, one, rest + comp);
                }
            }
        }
        throw new ArithmeticException("hyp2f1(" + a + ", " + b + "; " + c + "; " + z
                + ") series did not converge within " + maxTerms + " terms (z too close to 1)");
    }

    /** Packs {logScale, total, total − 1 (meaningful only while unscaled)}. */
    private static double[] result(double logScale, double one, double rest) {
        return new double[] {logScale, one + rest, logScale == 0 ? rest : Double.NaN};
    }

    /** Gauss summation theorem at z = 1, returned in the same {logScale, sum} form. */
    private static double[] gaussSum(double a, double b, double c) {
        double cab = c - a - b;
        if (!(cab > 0) || !(c - a > 0) || !(c - b > 0) || !(c > 0)) {
            throw new ArithmeticException("hyp2f1 at z=1 requires c-a-b > 0, c-a > 0, c-b > 0 and c > 0; got a="
                    + a + ", b=" + b + ", c=" + c);
        }
        double log = Gamma.logGamma(c) + Gamma.logGamma(cab) - Gamma.logGamma(c - a) - Gamma.logGamma(c - b);
        return new double[] {log, 1.0, Double.NaN};
    }

    /**
     * Natural log of Tricomi's confluent hypergeometric function U(a, b, z) for {@code a > 0} and
     * {@code z > 0}, from the integral representation
     * U(a, b, z) = 1/Γ(a) ∫_0^∞ e^(−zt) t^(a−1) (1+t)^(b−a−1) dt.
     *
     * <p>With t = e^y the integrand decays exponentially (left) and double-exponentially (right) and
     * stays analytic and decaying in the strip |Im y| &lt; π/2, so the plain trapezoidal rule converges
     * geometrically, with error ~ exp(−π²/h) ≈ 4e-22 at the step h = 0.2 used here. The range is
     * walked outwards from the mode until the log-integrand is 45 below its maximum and decaying.
     *
     * @throws IllegalArgumentException unless {@code a > 0}, {@code z > 0} and all are finite
     */
    public static double logTricomiU(double a, double b, double z) {
        if (!(a > 0) || !(z > 0) || !Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(z)) {
            throw new IllegalArgumentException("logTricomiU requires finite a > 0, z > 0 and finite b; got a=" + a
                    + ", b=" + b + ", z=" + z);
        }
        final double h = 0.2;
        final double drop = 45;
        final int maxSteps = 2_000_000;
        double c = b - a - 1;
        // start near the maximum of −z e^y + a y (ignoring the (1+t) factor)
        double y0 = Math.log(a / z);
        double phi0 = tricomiLogIntegrand(y0, a, c, z);
        double max = phi0;
        double sum = 1.0; // Σ exp(φ − max), rescaled when max grows
        int steps = 0;
        for (int dir = -1; dir <= 1; dir += 2) {
            double y = y0;
            while (true) {
                y += dir * h;
                double phi = tricomiLogIntegrand(y, a, c, z);
                if (phi > max) {
                    sum = sum * Math.exp(max - phi);
                    max = phi;
                }
                sum += Math.exp(phi - max);
                if (phi < max - drop && (dir < 0 ? phiSlope(y, a, c, z) > 0 : phiSlope(y, a, c, z) < 0)) {
                    break;
                }
                if (++steps > maxSteps) {
                    throw new ArithmeticException("logTricomiU(" + a + ", " + b + ", " + z
                            + "): integration range did not close");
                }
            }
        }
        return max + Math.log(sum * h) - Gamma.logGamma(a);
    }

    /** ln of the Tricomi integrand in y = ln t (including the Jacobian t): −z e^y + a y + c ln(1+e^y). */
    private static double tricomiLogIntegrand(double y, double a, double c, double z) {
        double ln1pT = y > 0 ? y + Math.log1p(Math.exp(-y)) : Math.log1p(Math.exp(y));
        return -z * Math.exp(y) + a * y + c * ln1pT;
    }

    /** d/dy of {@link #tricomiLogIntegrand}: used to make sure the tails are really decaying. */
    private static double phiSlope(double y, double a, double c, double z) {
        double sig = 1 / (1 + Math.exp(-y));
        return -z * Math.exp(y) + a + c * sig;
    }
}
