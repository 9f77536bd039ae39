package dev.cvm.clv;

import dev.cvm.CvmException;
import dev.cvm.clv.math.BgNbd;
import dev.cvm.clv.math.DiscountedClv;
import dev.cvm.clv.math.FitResult;
import dev.cvm.clv.math.GammaGamma;
import dev.cvm.clv.math.ModelFit;
import dev.cvm.clv.math.ParetoNbd;
import dev.cvm.config.ClvSettings;
import dev.cvm.config.CvmConfig;
import dev.cvm.pipeline.StepLog;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

/**
 * {@code cvm clv}: fits BG/NBD (and Pareto/NBD for comparison), Gamma-Gamma and a cohort sBG on the run date's
 * data and values every account. Reads {@code account_features} (as_of_date = run date) and {@code accounts};
 * writes {@code customer_clv} (one row per account) and {@code clv_params} (one row per model parameter).
 * Everything is fitted before anything is written, and a fit that does not converge stops the stage
 * (docs/clv.md).
 */
public final class ClvStage {
    public static final String MODEL_NONE = "none";
    public static final String SETTINGS = "clv_settings";

    public static final String F_X = "bgnbd_x";
    public static final String F_TX = "bgnbd_t_x";
    public static final String F_T = "bgnbd_T";
    public static final String F_M = "bgnbd_m_x";
    static final List<String> FEATURE_COLUMNS = List.of("account_id", "as_of_date", F_X, F_TX, F_T, F_M,
            "monthly_fee", "account_status", "tenure_months");

    public static final StructType PARAMS_SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("model", DataTypes.StringType, false),
            DataTypes.createStructField("parameter", DataTypes.StringType, false),
            DataTypes.createStructField("value", DataTypes.DoubleType, false),
            DataTypes.createStructField("standard_error", DataTypes.DoubleType, true),
            DataTypes.createStructField("log_likelihood", DataTypes.DoubleType, true),
            DataTypes.createStructField("n_customers", DataTypes.LongType, true),
            DataTypes.createStructField("n_groups", DataTypes.LongType, true),
            DataTypes.createStructField("group_resolution", DataTypes.DoubleType, true),
            DataTypes.createStructField("time_unit", DataTypes.StringType, false),
            DataTypes.createStructField("converged", DataTypes.BooleanType, false),
            DataTypes.createStructField("fitted_at", DataTypes.TimestampType, false)));

    /** What one run fitted and wrote. */
    public record Outcome(long accounts, long purchasers, FitResult bgNbd, FitResult paretoNbd, FitResult gammaGamma,
                          FitResult sbg, long paramRows, long clvRows) {}

    private final SparkSession spark;
    private final ClvSettings settings;
    private final Warehouse warehouse;
    private final StepLog log;

    public ClvStage(CvmConfig config, Warehouse warehouse, StepLog log) {
        this.spark = warehouse.spark();
        this.settings = config.clv();
        this.warehouse = warehouse;
        this.log = log;
    }

    public Outcome run(LocalDate runDate) {
        TimeUnit unit = TimeUnit.parse(settings.timeUnit());
        ClvModels.FitSettings fit = new ClvModels.FitSettings(settings.penalizer(), "cvm.clv.penalizer");
        Dataset<Row> features = readFeatures(runDate);
        try {
            long[] counts = validate(features, runDate);
            long accounts = counts[0];
            long purchasers = counts[1];
            long subscribers = counts[2];

            ModelFit<BgNbd> bg = null;
            ModelFit<ParetoNbd> pareto = null;
            ModelFit<GammaGamma> gg = null;
            SufficientStats.RfmGrouping rfm = null;
            SufficientStats.SpendGrouping spend = null;
            if (purchasers > 0) {
                rfm = log.run("group (x, t_x, T)", () -> SufficientStats.rfm(features, F_X, F_TX, F_T,
                        settings.groupResolution(), settings.maxGroups()));
                log.info("    %,d customers in %,d groups%s", rfm.nCustomers(), rfm.groups().size(),
                        rfm.resolution() == 0 ? " (exact values)" : String.format(Locale.ROOT, " (t_x and T binned to "
                                + "%s %ss; %,d exact groups)", rfm.resolution(), unit.label(), rfm.exactGroups()));
                SufficientStats.RfmGrouping g = rfm;
                bg = log.run("fit BG/NBD", () -> ClvModels.bgNbd(g.groups(), fit));
                if (settings.fitParetoNbd()) {
                    pareto = log.run("fit Pareto/NBD", () -> ClvModels.paretoNbd(g.groups(), fit));
                }
                spend = log.run("group (x, m) of repeaters", () -> SufficientStats.spend(features, F_X, F_M,
                        settings.maxGroups()));
                SufficientStats.SpendGrouping sg = spend;
                gg = log.run("fit Gamma-Gamma", () -> ClvModels.gammaGamma(sg.groups(), fit));
                if (!(gg.model().params().q() > 1)) {
                    throw new CvmException(String.format(Locale.ROOT, "Gamma-Gamma fitted q = %.4f <= 1: the "
                            + "population mean spend p·v/(q−1) is infinite, so customers without repeat spend "
                            + "cannot be valued; nothing was written. Try a penalizer (cvm.clv.penalizer)",
                            gg.model().params().q()));
                }
                log.info("    BG/NBD       %s   LL %.2f", ClvModels.describe(bg.result()), bg.result().logLikelihood());
                if (pareto != null) {
                    log.info("    Pareto/NBD   %s   LL %.2f", ClvModels.describe(pareto.result()),
                            pareto.result().logLikelihood());
                }
                log.info("    Gamma-Gamma  %s   on %,d repeaters", ClvModels.describe(gg.result()), spend.nCustomers());
            } else {
                log.info("  no account has purchases on %s: transactional CLV is 0 (model 'none') for all", runDate);
            }

            SubscriptionClv.RetentionFit sbg = null;
            SubscriptionClv.CohortTable cohorts = null;
            if (subscribers > 0) {
                Dataset<Row> acc = warehouse.readRunDate(Table.ACCOUNTS, runDate, "ingest");
                cohorts = log.run("cohort survivor table", () -> SubscriptionClv.cohortTable(acc, runDate));
                SubscriptionClv.CohortTable ct = cohorts;
                sbg = log.run("fit sBG", () -> SubscriptionClv.fitRetention(ct, fit));
                if (sbg.sbg() != null) {
                    log.info("    sBG          %s   on %,d accounts in %d monthly cohorts (%,d closed)",
                            ClvModels.describe(sbg.result()), cohorts.accounts(), cohorts.cohorts().size(),
                            cohorts.churners());
                } else {
                    log.info("    sBG not identified, using its limit: constant monthly churn %.4f on %,d accounts in "
                                    + "%d monthly cohorts (%,d closed); %s", sbg.monthlyChurn(), cohorts.accounts(),
                            cohorts.cohorts().size(), cohorts.churners(), sbg.result().message());
                }
            } else {
                log.info("  no active account has a monthly fee: subscription CLV is 0 (model 'none') for all");
            }

            Dataset<Row> clv = score(features, unit, bg, gg, sbg);
            long clvRows = log.step("write " + Table.CUSTOMER_CLV.tableName(),
                    () -> warehouse.replaceRunDate(Table.CUSTOMER_CLV, clv, runDate));
            Dataset<Row> params = spark.createDataFrame(paramRows(unit, rfm, spend, cohorts, bg, pareto, gg, sbg),
                    PARAMS_SCHEMA);
            long paramRows = log.step("write " + Table.CLV_PARAMS.tableName(),
                    () -> warehouse.replaceRunDate(Table.CLV_PARAMS, params, runDate));
            return new Outcome(accounts, purchasers, bg == null ? null : bg.result(),
                    pareto == null ? null : pareto.result(), gg == null ? null : gg.result(),
                    sbg == null ? null : sbg.result(), paramRows, clvRows);
        } finally {
            features.unpersist();
        }
    }

    private Dataset<Row> readFeatures(LocalDate runDate) {
        Dataset<Row> all = warehouse.readRunDate(Table.ACCOUNT_FEATURES, runDate, "features");
        List<String> have = Arrays.asList(all.columns());
        List<String> missing = FEATURE_COLUMNS.stream().filter(c -> !have.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new CvmException("account_features lacks column(s) " + missing + " that cvm clv needs: re-run "
                    + "`cvm features --run-date " + runDate + "` with a version that writes them");
        }
        return all.where(col("as_of_date").equalTo(lit(runDate)))
                .select(col("account_id"), col(F_X).cast(DataTypes.IntegerType).as(F_X),
                        col(F_TX).cast(DataTypes.DoubleType).as(F_TX), col(F_T).cast(DataTypes.DoubleType).as(F_T),
                        col(F_M).cast(DataTypes.DoubleType).as(F_M),
                        col("monthly_fee").cast(DataTypes.DoubleType).as("monthly_fee"), col("account_status"),
                        col("tenure_months").cast(DataTypes.DoubleType).as("tenure_months"))
                .persist(StorageLevel.MEMORY_AND_DISK());
    }

    /** Counts accounts, purchasers and active fee payers, and stops on impossible BG/NBD summaries. */
    private long[] validate(Dataset<Row> f, LocalDate runDate) {
        Column x = col(F_X);
        Column tx = col(F_TX);
        Column T = col(F_T);
        Column badNumber = tx.isNull().or(T.isNull()).or(isnan(tx)).or(isnan(T));
        Column invalid = x.isNotNull().and(badNumber.or(x.lt(0)).or(tx.lt(0)).or(tx.gt(T))
                .or(x.equalTo(0).and(tx.notEqual(0))));
        Column active = coalesce(col("account_status"), lit("active")).notEqual("closed");
        Row r = f.agg(count(lit(1)), count(x), count(when(active.and(col("monthly_fee").isNotNull()), lit(1))),
                count(when(invalid, lit(1))), first(when(invalid, col("account_id")), true)).first();
        if (r.getLong(0) == 0) {
            throw new CvmException("account_features has no rows with as_of_date = " + runDate + ": run `cvm features "
                    + "--run-date " + runDate + "` first");
        }
        if (r.getLong(3) > 0) {
            throw new CvmException(String.format(Locale.ROOT, "account_features has %,d account(s) with an impossible "
                    + "BG/NBD summary (need x >= 0, 0 <= t_x <= T, t_x = 0 when x = 0), e.g. account %s; "
                    + "nothing was written", r.getLong(3), r.get(4)));
        }
        log.info("  %,d accounts, %,d with purchases, %,d active with a monthly fee", r.getLong(0), r.getLong(1),
                r.getLong(2));
        return new long[] {r.getLong(0), r.getLong(1), r.getLong(2)};
    }

    private Dataset<Row> score(Dataset<Row> f, TimeUnit unit, ModelFit<BgNbd> bg, ModelFit<GammaGamma> gg,
                               SubscriptionClv.RetentionFit sbg) {
        double perMonth = unit.unitsPerMonth();
        DiscountedClv.Settings clvSettings = new DiscountedClv.Settings(settings.horizonMonths(),
                settings.monthlyDiscountRate(), perMonth, settings.margin());
        Column x = col(F_X);
        Column hasHistory = x.isNotNull();
        Dataset<Row> df = f;
        Column activeFee = coalesce(col("account_status"), lit("active")).notEqual("closed")
                .and(col("monthly_fee").isNotNull());
        Column subscription;
        Column subscriptionModel;
        if (sbg != null) {
            df = df.withColumn("renewals", greatest(lit(0L), coalesce(floor(col("tenure_months")), lit(0L)))
                    .cast(DataTypes.IntegerType));
            df = df.join(broadcast(retentionFactors(df, sbg)), "renewals", "left");
            subscription = when(activeFee, lit(settings.margin()).multiply(col("monthly_fee"))
                    .multiply(col("retention_factor"))).otherwise(lit(0.0));
            subscriptionModel = when(activeFee, lit(sbg.model())).otherwise(lit(MODEL_NONE));
        } else {
            subscription = lit(0.0);
            subscriptionModel = lit(MODEL_NONE);
        }
        Column pAlive;
        Column expected;
        Column spend;
        Column transactional;
        if (bg != null) {
            df = df.withColumn("s", ClvScoring.score(spark, bg.model(), x, col(F_TX), col(F_T),
                    settings.horizonMonths() * perMonth, clvSettings));
            pAlive = col("s." + ClvScoring.P_ALIVE);
            expected = col("s." + ClvScoring.EXPECTED_PURCHASES);
            spend = when(hasHistory, ClvScoring.expectedAverageSpend(gg.model(), x, col(F_M)));
            transactional = when(hasHistory, lit(settings.margin()).multiply(spend)
                    .multiply(col("s." + ClvScoring.DISCOUNTED_PURCHASES))).otherwise(lit(0.0));
        } else {
            pAlive = lit(null).cast(DataTypes.DoubleType);
            expected = lit(null).cast(DataTypes.DoubleType);
            spend = lit(null).cast(DataTypes.DoubleType);
            transactional = lit(0.0);
        }
        return df.select(col("account_id"), x.as("x"), col(F_TX).as("t_x"), col(F_T).as("T"), col(F_M).as("m_x"),
                        pAlive.as("p_alive"), expected.as("expected_purchases"), spend.as("expected_avg_spend"),
                        transactional.as("transactional_clv"), subscription.as("subscription_clv"),
                        when(hasHistory.and(lit(bg != null)), lit(ClvModels.BGNBD)).otherwise(lit(MODEL_NONE))
                                .as("model"),
                        subscriptionModel.as("subscription_model"))
                .withColumn("total_clv", col("transactional_clv").plus(col("subscription_clv")))
                .select("account_id", "x", "t_x", "T", "m_x", "p_alive", "expected_purchases", "expected_avg_spend",
                        "transactional_clv", "subscription_clv", "total_clv", "model", "subscription_model");
    }

    /** renewals n = 0..max → Σ_{m=1..H} S(n+m)/S(n)/(1+d)^m, a small table broadcast to the tasks. */
    private Dataset<Row> retentionFactors(Dataset<Row> df, SubscriptionClv.RetentionFit model) {
        Row r = df.agg(max(col("renewals"))).first();
        int maxRenewals = r.isNullAt(0) ? 0 : r.getInt(0);
        List<Row> rows = new ArrayList<>();
        for (int n = 0; n <= maxRenewals; n++) {
            rows.add(RowFactory.create(n, SubscriptionClv.retentionFactor(model, n, settings.horizonMonths(),
                    settings.monthlyDiscountRate())));
        }
        return spark.createDataFrame(rows, DataTypes.createStructType(List.of(
                DataTypes.createStructField("renewals", DataTypes.IntegerType, false),
                DataTypes.createStructField("retention_factor", DataTypes.DoubleType, false))));
    }

    private List<Row> paramRows(TimeUnit unit, SufficientStats.RfmGrouping rfm, SufficientStats.SpendGrouping spend,
                                SubscriptionClv.CohortTable cohorts, ModelFit<BgNbd> bg, ModelFit<ParetoNbd> pareto,
                                ModelFit<GammaGamma> gg, SubscriptionClv.RetentionFit sbg) {
        Instant now = Instant.now();
        String u = unit.label();
        List<Row> rows = new ArrayList<>();
        if (bg != null) {
            addFit(rows, ClvModels.BGNBD, bg.result(), rfm.nCustomers(), rfm.groups().size(), rfm.resolution(), u, now);
            if (pareto != null) {
                addFit(rows, ClvModels.PARETO_NBD, pareto.result(), rfm.nCustomers(), rfm.groups().size(),
                        rfm.resolution(), u, now);
            }
            addFit(rows, ClvModels.GAMMA_GAMMA, gg.result(), spend.nCustomers(), spend.groups().size(),
                    spend.logResolution(), u, now);
        }
        if (sbg != null) {
            addFit(rows, sbg.model(), sbg.result(), cohorts.accounts(), cohorts.cohorts().size(), null, "month", now);
        }
        double[][] s = {
                {settings.horizonMonths()}, {settings.monthlyDiscountRate()}, {settings.margin()},
                {unit.unitsPerMonth()}, {settings.penalizer()}};
        String[] names = {"horizon_months", "monthly_discount_rate", "margin", "time_units_per_month", "penalizer"};
        for (int i = 0; i < names.length; i++) {
            rows.add(RowFactory.create(SETTINGS, names[i], s[i][0], null, null, null, null, null, u, true, now));
        }
        return rows;
    }

    private static void addFit(List<Row> rows, String model, FitResult r, long n, long groups, Double resolution,
                               String unit, Instant now) {
        double[] v = r.params();
        double[] se = r.standardErrors();
        for (int i = 0; i < v.length; i++) {
            rows.add(RowFactory.create(model, r.paramNames().get(i), v[i], Double.isFinite(se[i]) ? se[i] : null,
                    r.logLikelihood(), n, groups, resolution, unit, r.converged(), now));
        }
    }
}
