package dev.cvm.clv.math;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.apache.commons.math3.special.Gamma;

/**
 * Pareto/NBD model (Schmittlein, Morrison &amp; Colombo 1987), in the formulation of Fader &amp; Hardie,
 * "A Note on Deriving the Pareto/NBD Model and Related Expressions" (note 009, 2005).
 *
 * <p>While alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); the unobserved
 * lifetime is exponential with rate μ ~ Gamma(s, β). α and β are in the time unit of the data.
 *
 * <p>The likelihood needs A0 = F(t_x) − F(T) with F(t) = 2F1(·; z(t)) / (max(α,β)+t)^(r+s+x); the
 * branch on sign(α − β) keeps z in [0, 1). When z is close to 1 (one of α, β dwarfs the other) or
 * the difference cancels (t_x ≈ T), A0 is instead obtained from its integral representation
 * A0 = (r+s+x) ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ by Gauss-Legendre quadrature in log space.
 */
public final class ParetoNbd implements RepeatPurchaseModel, Serializable {

    private static final long serialVersionUID = 1L;

    /** Parameter names in the order used by {@link FitResult}. */
    public static final List<String> PARAM_NAMES = List.of("r", "alpha", "s", "beta");

    /** Above this hypergeometric argument the series is slow; quadrature is used instead. */
    private static final double SERIES_Z_MAX = 0.95;
    /** Relative difference below which F(t_x) − F(T) is considered cancellation-prone. */
    private static final double CANCELLATION_LIMIT = 1e-6;
    private static final GaussIntegrator GAUSS8 = new GaussIntegratorFactory().legendre(8);
    private static final int MAX_PANELS = 100_000;

    /**
     * Pareto/NBD parameters, all {@code > 0}.
     *
     * @param r     shape of the Gamma purchase-rate heterogeneity
     * @param alpha rate (scale) of the Gamma purchase-rate heterogeneity, in time units
     * @param s     shape of the Gamma dropout-rate heterogeneity
     * @param beta  rate (scale) of the Gamma dropout-rate heterogeneity, in time units
     */
    public record Params(double r, double alpha, double s, double beta) implements Serializable {
        public Params {
            Checks.positive("r", r);
            Checks.positive("alpha", alpha);
            Checks.positive("s", s);
            Checks.positive("beta", beta);
        }

        public double[] toArray() {
            return new double[] {r, alpha, s, beta};
        }

        public static Params of(double[] v) {
            if (v.length != 4) {
                throw new IllegalArgumentException("Pareto/NBD needs 4 parameters (r, alpha, s, beta), got " + v.length);
            }
            return new Params(v[0], v[1], v[2], v[3]);
        }
    }

    private final Params p;
    private final double lgR;

    public ParetoNbd(Params params) {
        if (params == null) {
            throw new IllegalArgumentException("params must not be null");
        }
        this.p = params;
        this.lgR = Gamma.logGamma(params.r());
    }

    public ParetoNbd(double r, double alpha, double s, double beta) {
        this(new Params(r, alpha, s, beta));
    }

    public Params params() {
        return p;
    }

    // ---------------------------------------------------------------- likelihood

    /**
     * Per-customer log-likelihood (note 009, eqs. 18-20):
     * L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s + s/(r+s+x) · A0 ], combined with log-sum-exp.
     */
    @Override
    public double logLikelihood(int x, double tx, double T) {
        Checks.history(x, tx, T);
        return logLikelihood(x, tx, T, Gamma.logGamma(p.r() + x));
    }

    private double logLikelihood(int x, double tx, double T, double lgRx) {
        double r = p.r();
        double s = p.s();
        double pre = lgRx - lgR + r * Math.log(p.alpha()) + s * Math.log(p.beta());
        double alive = -(r + x) * Math.log(p.alpha() + T) - s * Math.log(p.beta() + T);
        double died = Math.log(s) - Math.log(r + s + x) + logA0(x, tx, T);
        return pre + SpecialFunctions.logSumExp(alive, died);
    }

    /** ln A0; −∞ when t_x == T (no time to die unobserved). */
    double logA0(int x, double tx, double T) {
        if (tx == T) {
            return Double.NEGATIVE_INFINITY;
        }
        double big = Math.max(p.alpha(), p.beta());
        double zMax = Math.abs(p.alpha() - p.beta()) / (big + tx);
        if (zMax <= SERIES_Z_MAX) {
            double lf1 = logF(x, tx);
            double lf2 = logF(x, T);
            if (lf2 - lf1 < -CANCELLATION_LIMIT) {
                return SpecialFunctions.logDiffExp(lf1, lf2);
            }
        }
        return logA0Quadrature(x, tx, T);
    }

    /** ln F(t) = ln 2F1(·; z(t)) − (r+s+x) ln(max(α,β) + t), branch chosen so that z ∈ [0, 1). */
    private double logF(int x, double t) {
        double r = p.r();
        double s = p.s();
        double alpha = p.alpha();
        double beta = p.beta();
        double rsx = r + s + x;
        if (alpha >= beta) {
            double z = (alpha - beta) / (alpha + t);
            return SpecialFunctions.logHyp2f1(rsx, s + 1, rsx + 1, z) - rsx * Math.log(alpha + t);
        }
        double z = (beta - alpha) / (beta + t);
        return SpecialFunctions.logHyp2f1(rsx, r + x, rsx + 1, z) - rsx * Math.log(beta + t);
    }

    /** ln A0 via ln(r+s+x) + ln ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ. */
    double logA0Quadrature(int x, double tx, double T) {
        if (tx == T) {
            return Double.NEGATIVE_INFINITY;
        }
        return Math.log(p.r() + p.s() + x) + logIntegral(x, tx, T);
    }

    /**
     * ln ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ with the substitution y = ln(m + τ), m = min(α, β).
     * In y the log-integrand is concave with slope bounded by r+x+s+2, so panels of width 1/(r+x+s+2)
     * (8-point Gauss-Legendre each) resolve it to double precision; once it is decreasing and the
     * remaining mass is provably below 1e-17 of the total, integration stops early.
     */
    private double logIntegral(int x, double tx, double T) {
        double m = Math.min(p.alpha(), p.beta());
        double dA = p.alpha() - m;
        double dB = p.beta() - m;
        double ka = p.r() + x;
        double kb = p.s() + 1;
        double y0 = Math.log(m + tx);
        double y1 = Math.log(m + T);
        int panels = (int) Math.min(MAX_PANELS, Math.max(1, Math.ceil((y1 - y0) * (ka + kb + 1))));
        double width = (y1 - y0) / panels;
        double logTotal = Double.NEGATIVE_INFINITY;
        int nodes = GAUSS8.getNumberOfPoints();
        double[] logG = new double[nodes];
        for (int k = 0; k < panels; k++) {
            double lo = y0 + k * width;
            double mid = lo + 0.5 * width;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < nodes; i++) {
                double y = mid + 0.5 * width * GAUSS8.getPoint(i);
                logG[i] = logIntegrand(y, dA, dB, ka, kb);
                max = Math.max(max, logG[i]);
            }
            double sum = 0;
            for (int i = 0; i < nodes; i++) {
                sum += GAUSS8.getWeight(i) * Math.exp(logG[i] - max);
            }
            logTotal = SpecialFunctions.logSumExp(logTotal, max + Math.log(0.5 * width * sum));
            double hi = lo + width;
            if (k < panels - 1) {
                // Concavity: once the integrand decreases it keeps decreasing, so the rest of the
                // interval contributes at most (y1 − hi) · g(hi).
                if (logIntegrandSlope(hi, dA, dB, ka, kb) < 0
                        && logIntegrand(hi, dA, dB, ka, kb) + Math.log(y1 - hi) < logTotal - 40) {
                    break;
                }
            }
        }
        return logTotal;
    }

    /** ln of the integrand in y: y − ka·ln(dA + e^y) − kb·ln(dB + e^y), written with log1p for stability. */
    private static double logIntegrand(double y, double dA, double dB, double ka, double kb) {
        double ey = Math.exp(-y);
        return y - ka * (y + Math.log1p(dA * ey)) - kb * (y + Math.log1p(dB * ey));
    }

    /** d/dy of {@link #logIntegrand}: 1 − ka·e^y/(dA+e^y) − kb·e^y/(dB+e^y). */
    private static double logIntegrandSlope(double y, double dA, double dB, double ka, double kb) {
        double ey = Math.exp(-y);
        return 1 - ka / (1 + dA * ey) - kb / (1 + dB * ey);
    }

    /** Fits by maximum likelihood with default options. */
    public static ModelFit<ParetoNbd> fit(Collection<RfmGroup> groups) {
        return fit(groups, FitOptions.defaults());
    }

    /** Fits by maximum likelihood (see {@link MleFitter}) on grouped data. */
    public static ModelFit<ParetoNbd> fit(Collection<RfmGroup> groups, FitOptions options) {
        GroupedLikelihood ll = new GroupedLikelihood(groups);
        FitResult result = new MleFitter(options).maximize(PARAM_NAMES, ll, ll.totalWeight, ll.starts());
        return new ModelFit<>(new ParetoNbd(Params.of(result.params())), result);
    }

    private static final class GroupedLikelihood implements ToDoubleFunction<double[]> {
        private final int[] x;
        private final double[] tx;
        private final double[] T;
        private final double[] w;
        private final int[] xIndex;
        private final int[] distinctX;
        final double totalWeight;
        private final double meanX;
        private final double meanT;

        GroupedLikelihood(Collection<RfmGroup> groups) {
            if (groups == null || groups.isEmpty()) {
                throw new IllegalArgumentException("Pareto/NBD fit needs at least one group");
            }
            int n = groups.size();
            x = new int[n];
            tx = new double[n];
            T = new double[n];
            w = new double[n];
            xIndex = new int[n];
            Map<Integer, Integer> index = new HashMap<>();
            List<Integer> distinct = new ArrayList<>();
            double sw = 0;
            double sx = 0;
            double sT = 0;
            int i = 0;
            for (RfmGroup g : groups) {
                if (g == null) {
                    throw new IllegalArgumentException("null group in Pareto/NBD input");
                }
                x[i] = g.x();
                tx[i] = g.tx();
                T[i] = g.T();
                w[i] = g.weight();
                xIndex[i] = index.computeIfAbsent(g.x(), k -> {
                    distinct.add(k);
                    return distinct.size() - 1;
                });
                sw += g.weight();
                sx += g.weight() * g.x();
                sT += g.weight() * g.T();
                i++;
            }
            distinctX = distinct.stream().mapToInt(Integer::intValue).toArray();
            totalWeight = sw;
            meanX = sx / sw;
            meanT = sT / sw;
            if (sx == 0) {
                throw new IllegalArgumentException("Pareto/NBD fit needs at least one repeat purchase (all x == 0)");
            }
            if (!(meanT > 0)) {
                throw new IllegalArgumentException("Pareto/NBD fit needs some customers with T > 0");
            }
        }

        /** Starting points scaled to the data: r/α near the purchase rate, β near the mean age. */
        List<double[]> starts() {
            double rate = meanX / meanT;
            return List.of(
                    new double[] {1.0, 1.0 / rate, 1.0, meanT},
                    new double[] {0.5, 0.5 / rate, 0.5, meanT / 2},
                    new double[] {0.5, 0.5 / rate, 1.0, meanT},
                    new double[] {2.0, 2.0 / rate, 2.0, 2 * meanT},
                    new double[] {1.0, 1.0, 1.0, 1.0});
        }

        @Override
        public double applyAsDouble(double[] params) {
            ParetoNbd m = new ParetoNbd(params[0], params[1], params[2], params[3]);
            double[] lgRx = new double[distinctX.length];
            for (int j = 0; j < distinctX.length; j++) {
                lgRx[j] = Gamma.logGamma(params[0] + distinctX[j]);
            }
            double sum = 0;
            for (int i = 0; i < x.length; i++) {
                sum += w[i] * m.logLikelihood(x[i], tx[i], T[i], lgRx[xIndex[i]]);
            }
            return sum;
        }
    }

    // ---------------------------------------------------------------- predictions

    /**
     * P(alive at T | x, t_x, T) = 1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)^s · A0) (note 009 eqs. 34-35).
     * Unlike BG/NBD this is below 1 also for x = 0.
     */
    @Override
    public double probabilityAlive(int x, double tx, double T) {
        Checks.history(x, tx, T);
        double r = p.r();
        double s = p.s();
        double logOdds = Math.log(s) - Math.log(r + s + x) + logA0(x, tx, T)
                + (r + x) * Math.log(p.alpha() + T) + s * Math.log(p.beta() + T);
        return Math.exp(-SpecialFunctions.log1pExp(logOdds));
    }

    /**
     * E[Y(t) | x, t_x, T] = P(alive) · (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)]
     * (the s → 1 limit is handled continuously).
     */
    @Override
    public double conditionalExpectedPurchases(double t, int x, double tx, double T) {
        Checks.horizon(t);
        Checks.history(x, tx, T);
        if (t == 0) {
            return 0.0;
        }
        double bt = p.beta() + T;
        double h = oneMinusPowOverK(p.s() - 1, Math.log1p(t / bt));
        return probabilityAlive(x, tx, T) * (p.r() + x) * bt / (p.alpha() + T) * h;
    }

    /** E[X(t)] = rβ / (α(s−1)) · [1 − (β/(β+t))^(s−1)] for a new customer. */
    @Override
    public double expectedPurchases(double t) {
        Checks.horizon(t);
        if (t == 0) {
            return 0.0;
        }
        double h = oneMinusPowOverK(p.s() - 1, Math.log1p(t / p.beta()));
        return p.r() * p.beta() / p.alpha() * h;
    }

    /** (1 − e^(−k·L)) / k, tending to L as k → 0. */
    private static double oneMinusPowOverK(double k, double logRatio) {
        double kl = k * logRatio;
        if (Math.abs(kl) < 1e-10) {
            return logRatio * (1 - 0.5 * kl);
        }
        return -Math.expm1(-kl) / k;
    }

    /**
     * Discounted expected transactions, FHL-JMR (2005) eq. 2 with continuous discounting at rate δ per
     * time unit over an infinite horizon:
     * DET = α^r β^s δ^(s−1) Γ(r+x+1) U(s, s; δ(β+T)) / [Γ(r) (α+T)^(r+x+1) L(x, t_x, T)],
     * where U is Tricomi's function and L the likelihood. CLV = margin × E(M) × DET. For 15 % annual
     * discounting on weekly data δ = ln(1.15)/52 ≈ 0.0027.
     *
     * @param delta continuous discount rate per time unit, {@code > 0}
     */
    public double discountedExpectedTransactions(double delta, int x, double tx, double T) {
        Checks.positive("discount rate delta", delta);
        Checks.history(x, tx, T);
        double r = p.r();
        double s = p.s();
        double log = r * Math.log(p.alpha()) + s * Math.log(p.beta()) + (s - 1) * Math.log(delta)
                + Gamma.logGamma(r + x + 1) + SpecialFunctions.logTricomiU(s, s, delta * (p.beta() + T))
                - lgR - (r + x + 1) * Math.log(p.alpha() + T) - logLikelihood(x, tx, T);
        return Math.exp(log);
    }

    @Override
    public String toString() {
        return "ParetoNbd" + p;
    }
}
