package dev.cvm.clv.math;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * BG/NBD model (Fader, Hardie &amp; Lee 2005, "Counting Your Customers the Easy Way").
 *
 * <p>While alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α) (α is a rate, in
 * 1/time-unit); after every repeat purchase the customer drops out with probability p ~ Beta(a, b).
 * Times are in the unit of the fitted data (e.g. weeks); x counts repeat purchases.
 *
 * <p>Every quantity is evaluated in log space so that histories with hundreds of purchases do not
 * overflow (Hardie note 027): P(alive) is exactly 1 for x = 0 and underflows cleanly to 0.0 for
 * extreme histories.
 */
public final class BgNbd implements RepeatPurchaseModel, Serializable {

    private static final long serialVersionUID = 1L;

    /** Parameter names in the order used by {@link FitResult}. */
    public static final List<String> PARAM_NAMES = List.of("r", "alpha", "a", "b");

    /**
     * BG/NBD parameters, all {@code > 0}.
     *
     * @param r     shape of the Gamma purchase-rate heterogeneity
     * @param alpha rate (scale) of the Gamma purchase-rate heterogeneity, in time units
     * @param a     first shape of the Beta dropout-probability heterogeneity
     * @param b     second shape of the Beta dropout-probability heterogeneity
     */
    public record Params(double r, double alpha, double a, double b) implements Serializable {
        public Params {
            Checks.positive("r", r);
            Checks.positive("alpha", alpha);
            Checks.positive("a", a);
            Checks.positive("b", b);
        }

        public double[] toArray() {
            return new double[] {r, alpha, a, b};
        }

        public static Params of(double[] v) {
            if (v.length != 4) {
                throw new IllegalArgumentException("BG/NBD needs 4 parameters (r, alpha, a, b), got " + v.length);
            }
            return new Params(v[0], v[1], v[2], v[3]);
        }
    }

    private final Params p;
    /** Log-Gamma values that depend on the parameters only, cached per model instance. */
    private final double lgR;
    private final double lgA;
    private final double lgB;
    private final double lgAB;

    public BgNbd(Params params) {
        if (params == null) {
            throw new IllegalArgumentException("params must not be null");
        }
        this.p = params;
        this.lgR = Gamma.logGamma(params.r());
        this.lgA = Gamma.logGamma(params.a());
        this.lgB = Gamma.logGamma(params.b());
        this.lgAB = Gamma.logGamma(params.a() + params.b());
    }

    public BgNbd(double r, double alpha, double a, double b) {
        this(new Params(r, alpha, a, b));
    }

    public Params params() {
        return p;
    }

    // ---------------------------------------------------------------- likelihood

    /**
     * Per-customer log-likelihood, FHL (2005) eq. 6 written as A1·A2·(A3 + [x&gt;0]·A4) with
     * ln A1 = lnΓ(r+x) − lnΓ(r) + r ln α, ln A2 = lnΓ(a+b) + lnΓ(b+x) − lnΓ(b) − lnΓ(a+b+x),
     * ln A3 = −(r+x) ln(α+T), ln A4 = ln a − ln(b+x−1) − (r+x) ln(α+t_x); the sum A3 + A4 is
     * taken with log-sum-exp.
     */
    @Override
    public double logLikelihood(int x, double tx, double T) {
        Checks.history(x, tx, T);
        return logLikelihood(x, tx, T, Gamma.logGamma(p.r() + x), Gamma.logGamma(p.b() + x),
                Gamma.logGamma(p.a() + p.b() + x));
    }

    private double logLikelihood(int x, double tx, double T, double lgRx, double lgBx, double lgABx) {
        double r = p.r();
        double alpha = p.alpha();
        double lnA1 = lgRx - lgR + r * Math.log(alpha);
        double lnA2 = lgAB + lgBx - lgB - lgABx;
        double lnA3 = -(r + x) * Math.log(alpha + T);
        if (x == 0) {
            return lnA1 + lnA2 + lnA3;
        }
        double lnA4 = Math.log(p.a()) - Math.log(p.b() + x - 1) - (r + x) * Math.log(alpha + tx);
        return lnA1 + lnA2 + SpecialFunctions.logSumExp(lnA3, lnA4);
    }

    /**
     * Fits by maximum likelihood with default options.
     *
     * @throws MleFitException if the fit does not converge
     */
    public static ModelFit<BgNbd> fit(Collection<RfmGroup> groups) {
        return fit(groups, FitOptions.defaults());
    }

    /** Fits by maximum likelihood (see {@link MleFitter}) on grouped data. */
    public static ModelFit<BgNbd> fit(Collection<RfmGroup> groups, FitOptions options) {
        GroupedLikelihood ll = new GroupedLikelihood(groups);
        FitResult result = new MleFitter(options).maximize(PARAM_NAMES, ll, ll.totalWeight, ll.starts());
        return new ModelFit<>(new BgNbd(Params.of(result.params())), result);
    }

    /**
     * Weighted log-likelihood over grouped data with the Gamma terms computed once per distinct x
     * per evaluation, so an evaluation costs two logs per group.
     */
    private static final class GroupedLikelihood implements ToDoubleFunction<double[]> {
        private final int[] xIndex;
        private final int[] distinctX;
        private final int[] x;
        private final double[] tx;
        private final double[] T;
        private final double[] w;
        final double totalWeight;
        private final double meanX;
        private final double meanT;

        GroupedLikelihood(Collection<RfmGroup> groups) {
            if (groups == null || groups.isEmpty()) {
                throw new IllegalArgumentException("BG/NBD fit needs at least one group");
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
                    throw new IllegalArgumentException("null group in BG/NBD input");
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
                throw new IllegalArgumentException("BG/NBD fit needs at least one repeat purchase (all x == 0)");
            }
            if (!(meanT > 0)) {
                throw new IllegalArgumentException("BG/NBD fit needs some customers with T > 0");
            }
        }

        /** Starting points scaled to the data: α chosen so that r/α matches the observed purchase rate. */
        List<double[]> starts() {
            double rate = meanX / meanT;
            return List.of(
                    new double[] {1.0, 1.0 / rate, 1.0, 1.0},
                    new double[] {0.25, 0.25 / rate, 0.8, 2.5},
                    new double[] {0.5, 0.5 / rate, 0.5, 5.0},
                    new double[] {2.0, 2.0 / rate, 2.0, 2.0},
                    new double[] {1.0, 1.0, 1.0, 1.0});
        }

        @Override
        public double applyAsDouble(double[] params) {
            BgNbd m = new BgNbd(params[0], params[1], params[2], params[3]);
            double r = params[0];
            double a = params[2];
            double b = params[3];
            int k = distinctX.length;
            double[] lgRx = new double[k];
            double[] lgBx = new double[k];
            double[] lgABx = new double[k];
            for (int j = 0; j < k; j++) {
                lgRx[j] = Gamma.logGamma(r + distinctX[j]);
                lgBx[j] = Gamma.logGamma(b + distinctX[j]);
                lgABx[j] = Gamma.logGamma(a + b + distinctX[j]);
            }
            double sum = 0;
            for (int i = 0; i < x.length; i++) {
                int j = xIndex[i];
                sum += w[i] * m.logLikelihood(x[i], tx[i], T[i], lgRx[j], lgBx[j], lgABx[j]);
            }
            return sum;
        }
    }

    // ---------------------------------------------------------------- predictions

    /**
     * P(alive at T | x, t_x, T) = 1 / (1 + [x&gt;0]·a/(b+x−1)·((α+T)/(α+t_x))^(r+x)), computed as
     * exp(−log1pexp(·)) so it is exactly 1 for x = 0 and underflows to 0.0 (never NaN) for extreme
     * histories.
     */
    @Override
    public double probabilityAlive(int x, double tx, double T) {
        Checks.history(x, tx, T);
        if (x == 0) {
            return 1.0;
        }
        return Math.exp(-SpecialFunctions.log1pExp(logOddsDead(x, tx, T)));
    }

    /** ln( a/(b+x−1) · ((α+T)/(α+t_x))^(r+x) ), for x &gt; 0. */
    private double logOddsDead(int x, double tx, double T) {
        return Math.log(p.a()) - Math.log(p.b() + x - 1)
                + (p.r() + x) * (Math.log(p.alpha() + T) - Math.log(p.alpha() + tx));
    }

    /**
     * E[Y(t) | x, t_x, T], FHL eq. 10: (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ·
     * 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive).
     */
    @Override
    public double conditionalExpectedPurchases(double t, int x, double tx, double T) {
        Checks.horizon(t);
        Checks.history(x, tx, T);
        if (t == 0) {
            return 0.0;
        }
        double r = p.r();
        double alpha = p.alpha();
        double logPow = -(r + x) * Math.log1p(t / (alpha + T));
        double z = t / (alpha + T + t);
        double factor = ratioTimesBracket(r + x, x, logPow, z);
        return factor * probabilityAlive(x, tx, T);
    }

    /**
     * Unconditional E[X(t)] for a new customer, FHL eq. 9: (a+b−1)/(a−1) · [1 − (α/(α+t))^r ·
     * 2F1(r, b; a+b−1; t/(α+t))].
     */
    @Override
    public double expectedPurchases(double t) {
        Checks.horizon(t);
        if (t == 0) {
            return 0.0;
        }
        double alpha = p.alpha();
        double logPow = -p.r() * Math.log1p(t / alpha);
        return ratioTimesBracket(p.r(), 0, logPow, t / (alpha + t));
    }

    /**
     * (a+b+x−1)/(a−1) · [1 − exp(logPow) · 2F1(ra, b+x; a+b+x−1; z)]. Two removable singularities
     * are handled by continuity (the expression is smooth in the parameters there): a = 1, where both
     * factors vanish, and, for x = 0, a + b = 1, where the 2F1 has a pole that the prefactor cancels.
     * In both cases the value is the average at the parameter ± 1e-6.
     */
    private double ratioTimesBracket(double ra, int x, double logPow, double z) {
        double a = p.a();
        double b = p.b();
        final double eps = 1e-6;
        if (Math.abs(a - 1) < eps) {
            return 0.5 * (bracket(1 - eps, b, ra, x, logPow, z) + bracket(1 + eps, b, ra, x, logPow, z));
        }
        if (x == 0 && Math.abs(a + b - 1) < eps) {
            return 0.5 * (bracket(a, 1 - a - eps, ra, x, logPow, z) + bracket(a, 1 - a + eps, ra, x, logPow, z));
        }
        return bracket(a, b, ra, x, logPow, z);
    }

    private static double bracket(double a, double b, double ra, int x, double logPow, double z) {
        double c = a + b + x - 1;
        double bracket;
        if (c > 0) {
            // All series terms positive: work in logs and use expm1 to avoid cancellation at small t.
            bracket = -Math.expm1(logPow + SpecialFunctions.logHyp2f1(ra, b + x, c, z));
        } else {
            // Only possible for x = 0 with a + b < 1: signed series.
            bracket = 1 - Math.exp(logPow) * SpecialFunctions.hyp2f1(ra, b + x, c, z);
        }
        return c / (a - 1) * bracket;
    }

    /**
     * P(X(t) = n) for a new customer, FHL eq. 8:
     * B(a, b+n)/B(a, b) · NB(n) + [n&gt;0] · B(a+1, b+n−1)/B(a, b) · P(NB ≥ n), where NB is the
     * negative binomial count with shape r and success probability α/(α+t); the tail P(NB ≥ n) is the
     * regularized incomplete beta I_{t/(α+t)}(n, r), which avoids the cancellation of 1 − Σ_{j&lt;n}.
     */
    public double probabilityOfPurchases(double t, int n) {
        Checks.horizon(t);
        if (n < 0) {
            throw new IllegalArgumentException("number of purchases n must be >= 0, got " + n);
        }
        double r = p.r();
        double a = p.a();
        double b = p.b();
        double alpha = p.alpha();
        double lnBab = lgA + lgB - lgAB;
        if (t == 0) {
            return n == 0 ? 1.0 : 0.0;
        }
        double logP = Math.log(alpha) - Math.log(alpha + t);
        double logQ = Math.log(t) - Math.log(alpha + t);
        double logNb = Gamma.logGamma(r + n) - lgR - Gamma.logGamma(n + 1.0) + r * logP + n * logQ;
        double first = Math.exp(Beta.logBeta(a, b + n) - lnBab + logNb);
        if (n == 0) {
            return first;
        }
        double tail = Beta.regularizedBeta(t / (alpha + t), n, r);
        return first + Math.exp(Beta.logBeta(a + 1, b + n - 1) - lnBab) * tail;
    }

    @Override
    public String toString() {
        return "BgNbd" + p;
    }
}
