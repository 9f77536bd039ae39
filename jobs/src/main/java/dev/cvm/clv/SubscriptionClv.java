package dev.cvm.clv;

import dev.cvm.CvmException;
import dev.cvm.clv.math.DiscountedClv;
import dev.cvm.clv.math.FitOptions;
import dev.cvm.clv.math.FitResult;
import dev.cvm.clv.math.MleFitException;
import dev.cvm.clv.math.MleFitter;
import dev.cvm.clv.math.ShiftedBetaGeometric;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.expm1;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.last_day;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.months_between;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

/**
 * Contractual (subscription) CLV: the shifted-beta-geometric retention model fitted on monthly cohorts, and a
 * closed-form churn-probability CLV for stages that have a calibrated churn score.
 */
public final class SubscriptionClv {
    private SubscriptionClv() {}

    /**
     * Survivor tables of monthly open-date cohorts, built from an accounts snapshot.
     *
     * @param cohorts cohort month (first day) → survivors[t] = members still subscribed after t monthly renewals,
     *                t = 0..n (survivors[0] is the cohort size; n = renewals every member has had by the run date)
     */
    public record CohortTable(Map<LocalDate, double[]> cohorts, long accounts, long churners) {}

    /**
     * Aggregates the cohort table in Spark (only cohort × period counts reach the driver).
     *
     * <p>Cohort c = accounts opened in calendar month c. Its members opened between the 1st and the last day of c;
     * by the run date D every one of them has faced n_c = floor(months_between(D, last day of c)) monthly renewals,
     * so the table stops there (information beyond n_c exists for early openers only and is right-censored away).
     * A closed account churned at renewal t = floor(months_between(close_date, open_date)) + 1 (it paid months
     * 0..t−1); it counts as a churner at t when t ≤ n_c and as a survivor through n_c otherwise. Cohorts with
     * n_c = 0 carry no retention information and are skipped.
     *
     * @param accounts rows with open_date, close_date (null while open) and monthly_fee; subscription accounts are
     *                 those with a non-null monthly_fee
     */
    public static CohortTable cohortTable(Dataset<Row> accounts, LocalDate runDate) {
        Column d = lit(runDate);
        Column cohort = trunc(col("open_date"), "month");
        Column renewals = floor(months_between(d, last_day(col("open_date")))).cast(DataTypes.IntegerType);
        Column churnAt = floor(months_between(col("close_date"), col("open_date"))).cast(DataTypes.IntegerType)
                .plus(1);
        Dataset<Row> perAccount = accounts
                .where(col("monthly_fee").isNotNull().and(col("open_date").isNotNull())
                        .and(col("open_date").leq(d)))
                .select(cohort.as("cohort"), renewals.as("n"), churnAt.as("t"));
        List<Row> cells = perAccount
                .where(col("n").geq(1))
                .select(col("cohort"), col("n"),
                        when(col("t").isNotNull().and(col("t").leq(col("n"))), col("t")).as("t"))
                .groupBy("cohort", "n", "t").agg(count(lit(1)).as("k"))
                .collectAsList();
        Map<LocalDate, Integer> horizon = new TreeMap<>();
        Map<LocalDate, double[]> churned = new TreeMap<>();
        Map<LocalDate, Double> size = new TreeMap<>();
        for (Row r : cells) {
            LocalDate c = r.getAs("cohort");
            int n = r.getInt(1);
            horizon.merge(c, n, Math::max);
        }
        long accountsTotal = 0;
        long churners = 0;
        for (Row r : cells) {
            LocalDate c = r.getAs("cohort");
            long k = r.getLong(3);
            accountsTotal += k;
            size.merge(c, (double) k, Double::sum);
            if (!r.isNullAt(2)) {
                churned.computeIfAbsent(c, key -> new double[horizon.get(key) + 1])[r.getInt(2)] += k;
                churners += k;
            }
        }
        Map<LocalDate, double[]> cohorts = new TreeMap<>();
        for (Map.Entry<LocalDate, Double> e : size.entrySet()) {
            int n = horizon.get(e.getKey());
            double[] lost = churned.getOrDefault(e.getKey(), new double[n + 1]);
            double[] surv = new double[n + 1];
            surv[0] = e.getValue();
            for (int t = 1; t <= n; t++) {
                surv[t] = surv[t - 1] - lost[t];
            }
            cohorts.put(e.getKey(), surv);
        }
        return new CohortTable(cohorts, accountsTotal, churners);
    }

    /**
     * The retention model used for subscription CLV.
     *
     * @param model  {@value ClvModels#SBG}, or {@value #GEOMETRIC} when the sBG maximum lies at its boundary
     * @param sbg    the fitted sBG, null for the geometric model
     * @param monthlyChurn the constant churn probability of the geometric model (NaN for sBG)
     * @param result the fit: (gamma, delta) or (churn_probability), log-likelihood, standard errors
     */
    public record RetentionFit(String model, ShiftedBetaGeometric sbg, double monthlyChurn, FitResult result) {}

    /** Name of the homogeneous (constant churn) limit of sBG. */
    public static final String GEOMETRIC = "geometric";

    /**
     * γ + δ beyond which a stalled sBG fit counts as having run off to the homogeneous limit: the Beta(γ, δ) of the
     * churn probabilities then has a standard deviation below sqrt(1/4 / 10^4) = 0.005.
     */
    static final double HOMOGENEOUS_CONCENTRATION = 1e4;

    /**
     * Fits one sBG (γ, δ) to all cohorts: the log-likelihood is the sum of the cohorts' right-censored sBG
     * likelihoods (Fader &amp; Hardie 2007), i.e. all cohorts share one Beta(γ, δ) churn-probability distribution.
     *
     * <p>When churn is (nearly) the same for everyone, or rises with tenure, the likelihood keeps increasing as
     * γ, δ → ∞ with γ/(γ+δ) fixed: the Beta collapses onto one churn probability θ and sBG becomes the geometric
     * model S(t) = (1 − θ)^t, whose MLE is closed-form: θ = churn events / months at risk. If the sBG fit stops
     * without converging because it ran off that way (γ + δ ≥ 10^4) or is no better than that limit
     * (log-likelihoods within 1e-3), the geometric model is the maximum-likelihood answer and is returned as
     * {@value #GEOMETRIC} (only without a penalizer, which would pull the fit inside). Any other failure is a
     * CvmException naming sBG and the penalizer.
     */
    public static RetentionFit fitRetention(CohortTable table, ClvModels.FitSettings settings) {
        if (table.cohorts().isEmpty()) {
            throw new CvmException("sBG cannot be fitted: no subscription account (non-null monthly_fee) has had a "
                    + "monthly renewal yet; nothing was written");
        }
        if (table.churners() == 0) {
            throw new CvmException("sBG cannot be fitted: none of the " + table.accounts() + " subscription accounts "
                    + "in cohorts old enough has closed, so retention is not identified; nothing was written");
        }
        List<double[]> tables = new ArrayList<>(table.cohorts().values());
        double weight = 0;
        double churnEvents = 0;
        double exposure = 0;
        for (double[] s : tables) {
            weight += s[0];
            for (int t = 1; t < s.length; t++) {
                churnEvents += s[t - 1] - s[t];
                exposure += s[t - 1];
            }
        }
        double w = weight;
        FitOptions options = settings.options().withFailOnNonConvergence(false);
        FitResult sbg;
        try {
            sbg = new MleFitter(options).maximize(ShiftedBetaGeometric.PARAM_NAMES, p -> {
                ShiftedBetaGeometric m = new ShiftedBetaGeometric(p[0], p[1]);
                double ll = 0;
                for (double[] s : tables) {
                    ll += m.logLikelihood(s);
                }
                return ll;
            }, w, List.of(new double[] {1, 1}, new double[] {0.5, 2}, new double[] {2, 0.5}, new double[] {1, 5},
                    new double[] {0.2, 0.2}));
        } catch (RuntimeException e) {
            return ClvModels.guarded("sBG", settings, () -> {
                throw e;
            });
        }
        if (sbg.converged()) {
            double[] v = sbg.params();
            return new RetentionFit(ClvModels.SBG, new ShiftedBetaGeometric(v[0], v[1]), Double.NaN, sbg);
        }
        double theta = churnEvents / exposure;
        double llGeometric = churnEvents * Math.log(theta)
                + (exposure - churnEvents > 0 ? (exposure - churnEvents) * Math.log1p(-theta) : 0);
        double[] stop = sbg.params();
        boolean ranOff = stop[0] + stop[1] >= HOMOGENEOUS_CONCENTRATION;
        if (settings.penalizer() == 0 && theta < 1 && (ranOff || llGeometric >= sbg.logLikelihood() - 1e-3)) {
            FitResult geometric = new FitResult(List.of("churn_probability"), new double[] {theta}, llGeometric,
                    llGeometric / w, new double[] {Math.sqrt(theta * (1 - theta) / exposure)}, 0, true,
                    String.format(Locale.ROOT, "homogeneous limit of sBG: the sBG likelihood rises towards gamma, "
                            + "delta -> infinity (stopped at %.4g, %.4g with LL %.4f; the limit has %.4f)", stop[0],
                            stop[1], sbg.logLikelihood(), llGeometric), w);
            return new RetentionFit(GEOMETRIC, null, theta, geometric);
        }
        return ClvModels.guarded("sBG", settings, () -> {
            throw new MleFitException(sbg);
        });
    }

    /**
     * Σ_{m=1..H} S(n+m)/S(n) / (1+d)^m under the fitted retention model: see
     * {@link #retentionFactor(ShiftedBetaGeometric, int, int, double)}; the geometric model is memoryless, so
     * there it is Σ_{m=1..H} ((1 − θ)/(1 + d))^m whatever n.
     */
    public static double retentionFactor(RetentionFit fit, int renewals, int months, double monthlyDiscount) {
        if (fit.sbg() != null) {
            return retentionFactor(fit.sbg(), renewals, months, monthlyDiscount);
        }
        return DiscountedClv.subscriptionConstantChurn(fit.monthlyChurn(), 1.0, months, monthlyDiscount);
    }

    /**
     * Σ_{m=1..H} S(n+m)/S(n) / (1+d)^m for an account that has already made n monthly renewals: its discounted
     * expected number of future monthly payments over the horizon, month 0 (the current one) excluded. An sBG
     * survivor of n renewals has churn probability ~ Beta(γ, δ+n), so S(n+m)/S(n) is the survival of sBG(γ, δ+n).
     * Multiply by margin × monthly fee for the CLV.
     */
    public static double retentionFactor(ShiftedBetaGeometric model, int renewals, int months, double monthlyDiscount) {
        ShiftedBetaGeometric survivor = new ShiftedBetaGeometric(model.params().gamma(),
                model.params().delta() + renewals);
        return DiscountedClv.subscription(survivor, 1.0, months, monthlyDiscount);
    }

    /**
     * Monthly churn probability from a probability of churning within {@code horizonDays} days, assuming a
     * constant hazard over the horizon: p_month = 1 − (1 − p_H)^(30.4375 / H), computed as
     * −expm1((30.4375/H)·log1p(−p_H)) so small probabilities keep their precision. p_H = 1 gives 1.
     */
    public static Column monthlyChurnFromHorizon(Column horizonProbability, double horizonDays) {
        if (!(horizonDays > 0) || Double.isInfinite(horizonDays)) {
            throw new IllegalArgumentException("churn horizon must be > 0 days, got " + horizonDays);
        }
        double k = TimeUnit.DAYS_PER_MONTH / horizonDays;
        return when(horizonProbability.geq(1.0), lit(1.0))
                .otherwise(expm1(log1p(horizonProbability.multiply(-1.0)).multiply(k)).multiply(-1.0));
    }

    /**
     * Subscription CLV from a monthly churn probability p, as a Column:
     * <pre>
     *   CLV = margin · fee · Σ_{m=1..H} ρ^m,   ρ = (1 − p) / (1 + d)
     *       = margin · fee · ρ (1 − ρ^H) / (1 − ρ)          (ρ &lt; 1)
     *       = margin · fee · H                              (p = d = 0)
     * </pre>
     * i.e. one margin per month while retained (constant churn p: S(m) = (1 − p)^m), months 1..H discounted at d
     * per month, month 0 excluded: the closed form of {@link DiscountedClv#subscriptionConstantChurn}. Evaluated
     * as ρ · (−expm1(H ln ρ)) · (1 + d) / (p + d), using 1 − ρ = (p + d)/(1 + d), which is exact near ρ = 1.
     * Null churn or fee gives null; p outside [0, 1] is clamped.
     *
     * @param monthlyChurn  calibrated monthly churn probability (see {@link #monthlyChurnFromHorizon})
     * @param monthlyFee    fee per month (currency)
     * @param margin        share of the fee that is margin (e.g. 0.3)
     * @param monthlyDiscount discount rate per month d &gt;= 0
     * @param months        horizon H &gt;= 1
     */
    public static Column churnBasedClv(Column monthlyChurn, Column monthlyFee, double margin, double monthlyDiscount,
                                       int months) {
        if (months < 1) {
            throw new IllegalArgumentException("horizon must be >= 1 month, got " + months);
        }
        if (!(monthlyDiscount >= 0) || Double.isInfinite(monthlyDiscount)) {
            throw new IllegalArgumentException("monthly discount rate must be finite and >= 0, got " + monthlyDiscount);
        }
        Column p = when(monthlyChurn.lt(0.0), lit(0.0)).when(monthlyChurn.gt(1.0), lit(1.0)).otherwise(monthlyChurn);
        Column lnRho = log1p(p.multiply(-1.0)).minus(Math.log1p(monthlyDiscount));
        Column rho = exp(lnRho);
        Column sum = when(p.plus(monthlyDiscount).equalTo(0.0), lit((double) months))
                .when(p.equalTo(1.0), lit(0.0))
                .otherwise(rho.multiply(expm1(lnRho.multiply(months)).multiply(-1.0))
                        .multiply(1.0 + monthlyDiscount).divide(p.plus(monthlyDiscount)));
        return when(monthlyChurn.isNull().or(monthlyFee.isNull()), lit(null).cast(DataTypes.DoubleType))
                .otherwise(lit(margin).multiply(monthlyFee).multiply(sum));
    }
}
