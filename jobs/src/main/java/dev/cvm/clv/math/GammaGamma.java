package dev.cvm.clv.math;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.apache.commons.math3.special.Gamma;

/**
 * Gamma-Gamma spend model (Fader, Hardie &amp; Lee 2005 "RFM and CLV"; Hardie note 025).
 *
 * <p>Each transaction value z ~ Gamma(p, ν) with a customer-specific rate ν ~ Gamma(q, v)
 * (lifetimes calls the last parameter {@code v}, the paper γ). Spend is assumed independent of the
 * purchase process. It is fitted on repeat customers only, from x (number of repeat transactions)
 * and m_x (their average value, in currency units).
 *
 * <p><b>Likelihood convention.</b> {@link #logLikelihood(int, double)} is the log density of the
 * <em>average</em> spend z̄ = m_x:
 * f(z̄|x) = Γ(px+q)/(Γ(px)Γ(q)) · v^q · z̄^(px−1) · x^(px) / (v + x z̄)^(px+q)
 * (lifetimes' convention; −4055.92 at the CDNOW optimum). The density of the per-customer
 * <em>total</em> spend x·z̄ differs by −ln x per customer ({@link #logLikelihoodOfTotal}); that is the
 * convention of the paper's −4659 figure. Both have the same maximiser.
 */
public final class GammaGamma implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Parameter names in the order used by {@link FitResult}. */
    public static final List<String> PARAM_NAMES = List.of("p", "q", "v");

    /**
     * Gamma-Gamma parameters, all {@code > 0}.
     *
     * @param p shape of the per-transaction Gamma spend distribution
     * @param q shape of the Gamma heterogeneity of the spend rate ν
     * @param v scale of the Gamma heterogeneity of ν (γ in the paper), in currency units
     */
    public record Params(double p, double q, double v) implements Serializable {
        public Params {
            Checks.positive("p", p);
            Checks.positive("q", q);
            Checks.positive("v", v);
        }

        public double[] toArray() {
            return new double[] {p, q, v};
        }

        public static Params of(double[] a) {
            if (a.length != 3) {
                throw new IllegalArgumentException("Gamma-Gamma needs 3 parameters (p, q, v), got " + a.length);
            }
            return new Params(a[0], a[1], a[2]);
        }
    }

    private final Params par;
    private final double lgQ;

    public GammaGamma(Params params) {
        if (params == null) {
            throw new IllegalArgumentException("params must not be null");
        }
        this.par = params;
        this.lgQ = Gamma.logGamma(params.q());
    }

    public GammaGamma(double p, double q, double v) {
        this(new Params(p, q, v));
    }

    public Params params() {
        return par;
    }

    /** Log density of the average spend m of x repeat transactions (lifetimes convention). */
    public double logLikelihood(int x, double m) {
        validate(x, m);
        double px = par.p() * x;
        return logLikelihood(x, m, Gamma.logGamma(px + par.q()) - Gamma.logGamma(px));
    }

    private double logLikelihood(int x, double m, double lgRatio) {
        double p = par.p();
        double q = par.q();
        double v = par.v();
        double px = p * x;
        return lgRatio - lgQ + q * Math.log(v) + (px - 1) * Math.log(m) + px * Math.log(x)
                - (px + q) * Math.log(v + x * m);
    }

    /** Log density of the total spend x·m (the paper's convention): {@link #logLikelihood} − ln x. */
    public double logLikelihoodOfTotal(int x, double m) {
        return logLikelihood(x, m) - Math.log(x);
    }

    /** Weighted sum of {@link #logLikelihood(int, double)} over groups. */
    public double logLikelihood(Collection<SpendGroup> groups) {
        double sum = 0;
        for (SpendGroup g : groups) {
            sum += g.weight() * logLikelihood(g.x(), g.m());
        }
        return sum;
    }

    /** Weighted sum of {@link #logLikelihoodOfTotal(int, double)} over groups. */
    public double logLikelihoodOfTotal(Collection<SpendGroup> groups) {
        double sum = 0;
        for (SpendGroup g : groups) {
            sum += g.weight() * logLikelihoodOfTotal(g.x(), g.m());
        }
        return sum;
    }

    /**
     * E(M | x, m_x) = p(v + x·m_x) / (p·x + q − 1): the expected average transaction value, a weighted
     * mean of the population mean pv/(q−1) and the observed m_x ≥ 0. For x = 0 (no repeat purchase,
     * m_x ignored) this is the population mean.
     *
     * @throws IllegalStateException when p·x + q ≤ 1 (the expectation is infinite)
     */
    public double conditionalExpectedAverageSpend(int x, double m) {
        if (x < 0) {
            throw new IllegalArgumentException("x must be >= 0, got " + x);
        }
        if (x == 0) {
            return populationMeanSpend();
        }
        if (!(m >= 0) || Double.isInfinite(m)) {
            // m = 0 is allowed here (e.g. free items): the formula is valid, only the likelihood needs m > 0
            throw new IllegalArgumentException("average spend m must be finite and >= 0, got " + m);
        }
        double denom = par.p() * x + par.q() - 1;
        if (!(denom > 0)) {
            throw new IllegalStateException("E(M|x,m) is infinite: p*x + q - 1 = " + denom + " <= 0");
        }
        return par.p() * (par.v() + x * m) / denom;
    }

    /**
     * Population mean transaction value E(Z) = p·v/(q−1).
     *
     * @throws IllegalStateException when q ≤ 1 (infinite mean)
     */
    public double populationMeanSpend() {
        if (!(par.q() > 1)) {
            throw new IllegalStateException("population mean spend is infinite for q = " + par.q() + " <= 1");
        }
        return par.p() * par.v() / (par.q() - 1);
    }

    private static void validate(int x, double m) {
        if (x < 1) {
            throw new IllegalArgumentException("Gamma-Gamma likelihood needs x >= 1 repeat purchases, got " + x);
        }
        if (!(m > 0) || Double.isInfinite(m)) {
            throw new IllegalArgumentException("average spend m must be finite and > 0, got " + m);
        }
    }

    /** Fits by maximum likelihood with default options. */
    public static ModelFit<GammaGamma> fit(Collection<SpendGroup> groups) {
        return fit(groups, FitOptions.defaults());
    }

    /**
     * Fits by maximum likelihood (see {@link MleFitter}) on grouped (x, m) of repeat customers. The
     * reported log-likelihood uses the average-spend convention.
     */
    public static ModelFit<GammaGamma> fit(Collection<SpendGroup> groups, FitOptions options) {
        GroupedLikelihood ll = new GroupedLikelihood(groups);
        FitResult result = new MleFitter(options).maximize(PARAM_NAMES, ll, ll.totalWeight, ll.starts());
        return new ModelFit<>(new GammaGamma(Params.of(result.params())), result);
    }

    private static final class GroupedLikelihood implements ToDoubleFunction<double[]> {
        private final int[] x;
        private final double[] m;
        private final double[] w;
        private final int[] xIndex;
        private final int[] distinctX;
        final double totalWeight;
        private final double meanSpend;

        GroupedLikelihood(Collection<SpendGroup> groups) {
            if (groups == null || groups.isEmpty()) {
                throw new IllegalArgumentException("Gamma-Gamma fit needs at least one group of repeat customers");
            }
            int n = groups.size();
            x = new int[n];
            m = new double[n];
            w = new double[n];
            xIndex = new int[n];
            Map<Integer, Integer> index = new HashMap<>();
            List<Integer> distinct = new ArrayList<>();
            double sw = 0;
            double sm = 0;
            int i = 0;
            for (SpendGroup g : groups) {
                if (g == null) {
                    throw new IllegalArgumentException("null group in Gamma-Gamma input");
                }
                x[i] = g.x();
                m[i] = g.m();
                w[i] = g.weight();
                xIndex[i] = index.computeIfAbsent(g.x(), k -> {
                    distinct.add(k);
                    return distinct.size() - 1;
                });
                sw += g.weight();
                sm += g.weight() * g.m();
                i++;
            }
            distinctX = distinct.stream().mapToInt(Integer::intValue).toArray();
            totalWeight = sw;
            meanSpend = sm / sw;
        }

        /** Starting points with population mean p·v/(q−1) equal to the observed mean spend. */
        List<double[]> starts() {
            return List.of(
                    new double[] {1.0, 2.0, meanSpend},
                    new double[] {5.0, 4.0, 0.6 * meanSpend},
                    new double[] {2.0, 10.0, 4.5 * meanSpend},
                    new double[] {0.5, 1.5, meanSpend},
                    new double[] {1.0, 1.0, 1.0});
        }

        @Override
        public double applyAsDouble(double[] params) {
            GammaGamma model = new GammaGamma(params[0], params[1], params[2]);
            double[] lgRatio = new double[distinctX.length];
            for (int j = 0; j < distinctX.length; j++) {
                double px = params[0] * distinctX[j];
                lgRatio[j] = Gamma.logGamma(px + params[1]) - Gamma.logGamma(px);
            }
            double sum = 0;
            for (int i = 0; i < x.length; i++) {
                sum += w[i] * model.logLikelihood(x[i], m[i], lgRatio[xIndex[i]]);
            }
            return sum;
        }
    }

    @Override
    public String toString() {
        return "GammaGamma" + par;
    }
}
