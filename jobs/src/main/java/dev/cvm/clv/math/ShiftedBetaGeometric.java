package dev.cvm.clv.math;

import java.io.Serializable;
import java.util.List;

import org.apache.commons.math3.special.Beta;

/**
 * Shifted-beta-geometric (sBG) model for contractual retention (Fader &amp; Hardie 2007, "How to
 * Project Customer Retention"; 2010, "Customer-Base Valuation in a Contractual Setting").
 *
 * <p>Periods are discrete (e.g. months or years, whatever the cohort table uses). Each customer has
 * a constant per-period churn probability θ ~ Beta(γ, δ). All customers are active in period 0;
 * S(t) is the probability of still being a customer after t renewal opportunities.
 * <ul>
 *   <li>P(T = t) = B(γ+1, δ+t−1) / B(γ, δ), t = 1, 2, …</li>
 *   <li>S(t) = B(γ, δ+t) / B(γ, δ), S(0) = 1</li>
 *   <li>r(t) = S(t)/S(t−1) = (δ+t−1)/(γ+δ+t−1) (retention rises with t: the heterogeneity sorting effect)</li>
 * </ul>
 */
public final class ShiftedBetaGeometric implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Parameter names in the order used by {@link FitResult}. */
    public static final List<String> PARAM_NAMES = List.of("gamma", "delta");

    /**
     * sBG parameters, both {@code > 0}.
     *
     * @param gamma first shape of the Beta distribution of the churn probability
     * @param delta second shape of the Beta distribution of the churn probability
     */
    public record Params(double gamma, double delta) implements Serializable {
        public Params {
            Checks.positive("gamma", gamma);
            Checks.positive("delta", delta);
        }
    }

    private final Params par;
    private final double lnB;

    public ShiftedBetaGeometric(Params params) {
        if (params == null) {
            throw new IllegalArgumentException("params must not be null");
        }
        this.par = params;
        this.lnB = Beta.logBeta(params.gamma(), params.delta());
    }

    public ShiftedBetaGeometric(double gamma, double delta) {
        this(new Params(gamma, delta));
    }

    public Params params() {
        return par;
    }

    /** Survival S(t) = B(γ, δ+t)/B(γ, δ) for t ≥ 0 periods (real t allowed; S(0) = 1). */
    public double survival(double t) {
        Checks.nonNegative("t", t);
        if (t == 0) {
            return 1.0;
        }
        return Math.exp(Beta.logBeta(par.gamma(), par.delta() + t) - lnB);
    }

    /** P(T = t) = B(γ+1, δ+t−1)/B(γ, δ): probability of churning at renewal opportunity t ≥ 1. */
    public double churnProbability(int t) {
        if (t < 1) {
            throw new IllegalArgumentException("churn period t must be >= 1, got " + t);
        }
        return Math.exp(logChurnProbability(t));
    }

    private double logChurnProbability(int t) {
        return Beta.logBeta(par.gamma() + 1, par.delta() + t - 1) - lnB;
    }

    /** Retention rate r(t) = (δ+t−1)/(γ+δ+t−1) between periods t−1 and t, t ≥ 1. */
    public double retentionRate(int t) {
        if (t < 1) {
            throw new IllegalArgumentException("retention period t must be >= 1, got " + t);
        }
        return (par.delta() + t - 1) / (par.gamma() + par.delta() + t - 1);
    }

    /**
     * Log-likelihood of a cohort survivor table: survivors[0] customers start, survivors[t] are still
     * active after t periods. Churners in period t contribute ln P(T=t), the survivors of the last
     * period are right-censored and contribute ln S(n).
     */
    public double logLikelihood(double[] survivors) {
        validateSurvivors(survivors);
        int n = survivors.length - 1;
        double ll = 0;
        for (int t = 1; t <= n; t++) {
            double churned = survivors[t - 1] - survivors[t];
            if (churned > 0) {
                ll += churned * logChurnProbability(t);
            }
        }
        if (survivors[n] > 0) {
            ll += survivors[n] * (Beta.logBeta(par.gamma(), par.delta() + n) - lnB);
        }
        return ll;
    }

    /**
     * Discounted expected lifetime DEL(d) = Σ_{t≥0} S(t)/(1+d)^t = 2F1(1, δ; γ+δ; 1/(1+d)): the
     * expected discounted number of payments of a new customer paying at the start of every period
     * alive (first payment undiscounted). Multiply by the margin per period for a contract's CLV.
     *
     * @param d discount rate per period, {@code > 0}
     */
    public double discountedExpectedLifetime(double d) {
        Checks.positive("discount rate d", d);
        return SpecialFunctions.hyp2f1(1, par.delta(), par.gamma() + par.delta(), 1 / (1 + d));
    }

    /**
     * Discounted expected residual lifetime (Fader &amp; Hardie 2010, eq. 6):
     * DERL(d | n) = (δ+n−1)/(γ+δ+n−1) · 2F1(1, δ+n; γ+δ+n; 1/(1+d)), the expected discounted number of
     * future payments of a customer who has made n−1 renewals (is active in period n−1), evaluated just
     * before the renewal decision of period n, i.e. Σ_{t≥n} S(t)/S(n−1) / (1+d)^(t−n).
     *
     * @param d discount rate per period, {@code > 0}
     * @param n the upcoming renewal opportunity, {@code >= 1}
     */
    public double discountedExpectedResidualLifetime(double d, int n) {
        Checks.positive("discount rate d", d);
        if (n < 1) {
            throw new IllegalArgumentException("renewal opportunity n must be >= 1, got " + n);
        }
        double g = par.gamma();
        double dl = par.delta();
        return (dl + n - 1) / (g + dl + n - 1) * SpecialFunctions.hyp2f1(1, dl + n, g + dl + n, 1 / (1 + d));
    }

    /** Fits γ, δ by maximum likelihood with default options; see {@link #fit(double[], FitOptions)}. */
    public static ModelFit<ShiftedBetaGeometric> fit(double[] survivors) {
        return fit(survivors, FitOptions.defaults());
    }

    /**
     * Fits γ, δ by maximum likelihood to a cohort table (e.g. 1000, 869, 743, ...). The total weight is
     * the cohort size survivors[0].
     */
    public static ModelFit<ShiftedBetaGeometric> fit(double[] survivors, FitOptions options) {
        validateSurvivors(survivors);
        if (survivors.length < 3) {
            throw new IllegalArgumentException("sBG fit needs at least two periods of survivor counts (3 values)");
        }
        if (survivors[survivors.length - 1] == survivors[0]) {
            throw new IllegalArgumentException("sBG fit needs some churn: no customer was lost");
        }
        double[] data = survivors.clone();
        FitResult result = new MleFitter(options).maximize(PARAM_NAMES,
                p -> new ShiftedBetaGeometric(p[0], p[1]).logLikelihood(data), data[0],
                List.of(new double[] {1, 1}, new double[] {0.5, 2}, new double[] {2, 0.5}, new double[] {1, 5},
                        new double[] {0.2, 0.2}));
        double[] v = result.params();
        return new ModelFit<>(new ShiftedBetaGeometric(v[0], v[1]), result);
    }

    private static void validateSurvivors(double[] survivors) {
        if (survivors == null || survivors.length < 2) {
            throw new IllegalArgumentException("survivor table needs at least 2 values (start and one period)");
        }
        if (!(survivors[0] > 0) || Double.isInfinite(survivors[0])) {
            throw new IllegalArgumentException("initial cohort size must be finite and > 0, got " + survivors[0]);
        }
        for (int t = 1; t < survivors.length; t++) {
            double s = survivors[t];
            if (!(s >= 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("survivor count at period " + t + " must be finite and >= 0, got " + s);
            }
            if (s > survivors[t - 1]) {
                throw new IllegalArgumentException("survivor counts must not increase: period " + t + " has " + s
                        + " > " + survivors[t - 1]);
            }
        }
    }

    @Override
    public String toString() {
        return "ShiftedBetaGeometric" + par;
    }
}
