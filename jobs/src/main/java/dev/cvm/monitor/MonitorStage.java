package dev.cvm.monitor;

import dev.cvm.CvmException;
import dev.cvm.features.FeatureCatalog;
import dev.cvm.features.FeatureSettings;
import dev.cvm.features.FeaturesStage;
import dev.cvm.pipeline.StepLog;
import dev.cvm.spark.ExactSums;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.StructType;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

/**
 * {@code cvm monitor}: population stability of every numeric feature and of the scores, against the training
 * baseline and against the previous run, written to {@code drift} with a status per threshold; and back-tests: once
 * the outcome window of an earlier scoring date has ended, the realised AUC and calibration of what was predicted then.
 */
public final class MonitorStage {
    public static final StructType SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("comparison", DataTypes.StringType, false),
            DataTypes.createStructField("feature", DataTypes.StringType, false),
            DataTypes.createStructField("baseline_date", DataTypes.DateType, true),
            DataTypes.createStructField("psi", DataTypes.DoubleType, true),
            DataTypes.createStructField("status", DataTypes.StringType, false),
            DataTypes.createStructField("baseline_rows", DataTypes.LongType, true),
            DataTypes.createStructField("current_rows", DataTypes.LongType, true),
            DataTypes.createStructField("auc", DataTypes.DoubleType, true),
            DataTypes.createStructField("mean_predicted", DataTypes.DoubleType, true),
            DataTypes.createStructField("observed_rate", DataTypes.DoubleType, true),
            DataTypes.createStructField("calibration_error", DataTypes.DoubleType, true)));

    private static final Set<String> NOT_FEATURES = Set.of("account_id", "as_of_date", "run_date", "customer_id");

    private final Warehouse warehouse;
    private final FeatureSettings features;
    private final MonitorSettings settings;
    private final FeaturesStage featuresStage;
    private final StepLog log;

    public MonitorStage(Warehouse warehouse, FeatureSettings features, FeaturesStage featuresStage,
                        MonitorSettings settings, StepLog log) {
        this.warehouse = warehouse;
        this.features = features;
        this.featuresStage = featuresStage;
        this.settings = settings;
        this.log = log;
    }

    public record Outcome(long rows, long warnings, long failures) {}

    public Outcome run(LocalDate runDate) {
        Dataset<Row> all = warehouse.read(Table.ACCOUNT_FEATURES);
        Dataset<Row> current = all.where(col(Table.RUN_DATE).equalTo(lit(runDate)).and(col("as_of_date").equalTo(lit(runDate))));
        if (current.isEmpty()) {
            throw new CvmException("no account_features for as-of " + runDate + ": run `cvm features --run-date "
                    + runDate + "` first");
        }
        List<String> numeric = numericFeatures(current);
        List<Row> rows = new ArrayList<>();

        // Training baseline: the labelled snapshots of this run date (what `cvm train` learns from).
        Dataset<Row> training = all.where(col(Table.RUN_DATE).equalTo(lit(runDate)).and(col("as_of_date").lt(lit(runDate))));
        if (!training.isEmpty()) {
            LocalDate newest = training.agg(max("as_of_date")).first().getLocalDate(0);
            addPsi(rows, "training", newest, training, current, numeric);
        }
        LocalDate previous = previousRun(runDate);
        if (previous != null) {
            Dataset<Row> prev = all.where(col(Table.RUN_DATE).equalTo(lit(previous)).and(col("as_of_date").equalTo(lit(previous))));
            addPsi(rows, "previous_run", previous, prev, current, numeric);
            if (warehouse.hasRunDate(Table.CUSTOMER_SCORES, previous) && warehouse.hasRunDate(Table.CUSTOMER_SCORES, runDate)) {
                List<String> scores = numericFeatures(warehouse.readRunDate(Table.CUSTOMER_SCORES, runDate, "segment")
                        .select("churn_probability", "clv", "value_at_risk"));
                addPsi(rows, "previous_run_scores", previous,
                        warehouse.readRunDate(Table.CUSTOMER_SCORES, previous, "segment"),
                        warehouse.readRunDate(Table.CUSTOMER_SCORES, runDate, "segment"), scores);
            }
        }
        backtests(runDate, rows);
        Dataset<Row> drift = warehouse.spark().createDataFrame(rows, SCHEMA);
        long written = log.step("write drift", () -> warehouse.replaceRunDate(Table.DRIFT, drift, runDate));
        long warnings = rows.stream().filter(r -> "warn".equals(r.getString(4))).count();
        long failures = rows.stream().filter(r -> "fail".equals(r.getString(4))).count();
        rows.stream().filter(r -> "fail".equals(r.getString(4)) || "warn".equals(r.getString(4))).forEach(r ->
                log.info("  drift %-5s %-22s %-28s PSI %.3f (baseline %s)", r.getString(4), r.getString(0),
                        r.getString(1), r.getDouble(3), r.get(2)));
        if (failures > 0 && settings.failOnDrift()) {
            throw new CvmException(failures + " feature(s) drifted past cvm.monitor.psi-fail = " + settings.psiFail()
                    + " (see table drift for run date " + runDate + ")");
        }
        return new Outcome(written, warnings, failures);
    }

    private void addPsi(List<Row> rows, String comparison, LocalDate baselineDate, Dataset<Row> baseline,
                        Dataset<Row> current, List<String> numeric) {
        log.run("drift vs " + comparison + " (" + baselineDate + ")", () -> {
            for (DriftComputation.FeatureDrift d : DriftComputation.psi(baseline, current, numeric)) {
                rows.add(RowFactory.create(comparison, d.feature(), baselineDate, Double.isNaN(d.psi()) ? null : d.psi(),
                        Psi.status(d.psi(), settings.psiWarn(), settings.psiFail()), d.baselineRows(), d.currentRows(),
                        null, null, null, null));
            }
            return null;
        });
    }

    /** Realised quality of churn scores written on earlier run dates whose outcome window has now ended. */
    private void backtests(LocalDate runDate, List<Row> rows) {
        if (!warehouse.exists(Table.CUSTOMER_SCORES) || settings.backtestRuns() == 0) {
            return;
        }
        LocalDate matured = runDate.minusDays(features.horizonDays());
        List<LocalDate> dates = warehouse.read(Table.CUSTOMER_SCORES).where(col(Table.RUN_DATE).leq(lit(matured)))
                .select(Table.RUN_DATE).distinct().orderBy(col(Table.RUN_DATE).desc()).limit(settings.backtestRuns())
                .collectAsList().stream().map(r -> r.getLocalDate(0)).toList();
        for (LocalDate scored : dates) {
            Dataset<Row> predicted = warehouse.readRunDate(Table.CUSTOMER_SCORES, scored, "segment")
                    .where(col("churn_probability").isNotNull()).select("account_id", "churn_probability");
            Dataset<Row> joined = predicted.join(featuresStage.labelsFor(runDate, List.of(scored))
                    .select("account_id", "churned"), "account_id").cache();
            try {
                long n = joined.count();
                if (n == 0 || joined.select("churned").distinct().count() < 2) {
                    continue;
                }
                double auc = new BinaryClassificationEvaluator().setLabelCol("churned")
                        .setRawPredictionCol("churn_probability").setMetricName("areaUnderROC")
                        .evaluate(joined.withColumn("churned", col("churned").cast("double")));
                // Exact means (ExactSums): the drift table must not depend on how the rows were partitioned.
                Column p = col("churn_probability");
                Column o = col("churned").cast("double");
                Row cal = joined.agg(ExactSums.avg(p, ExactSums.FINE), ExactSums.avg(o, ExactSums.FINE)).first();
                // Expected calibration error over 10 equal-width bins of the predicted probability.
                Dataset<Row> bins = joined.groupBy(least(floor(p.multiply(10)), lit(9)).as("b"))
                        .agg(count(lit(1)).as("n"), ExactSums.avg(p, ExactSums.FINE).as("p"),
                                ExactSums.avg(o, ExactSums.FINE).as("o"));
                double ece = bins.agg(ExactSums.sum(col("n").multiply(abs(col("p").minus(col("o")))),
                        ExactSums.FINE)).first().getDouble(0) / n;
                rows.add(RowFactory.create("backtest", "churn_probability", scored, null, "ok", n, n, auc,
                        cal.getDouble(0), cal.getDouble(1), ece));
                log.info("  backtest of %s scores: AUC %.3f, predicted %.3f vs observed %.3f, ECE %.3f (%,d accounts)",
                        scored, auc, cal.getDouble(0), cal.getDouble(1), ece, n);
            } finally {
                joined.unpersist();
            }
        }
    }

    private LocalDate previousRun(LocalDate runDate) {
        Row r = warehouse.read(Table.ACCOUNT_FEATURES)
                .where(col(Table.RUN_DATE).lt(lit(runDate)).and(col("as_of_date").equalTo(col(Table.RUN_DATE))))
                .agg(max(Table.RUN_DATE)).first();
        return r.isNullAt(0) ? null : r.getLocalDate(0);
    }

    private static List<String> numericFeatures(Dataset<Row> df) {
        return Arrays.stream(df.schema().fields())
                .filter(f -> !NOT_FEATURES.contains(f.name()))
                .filter(f -> f.dataType() instanceof NumericType || f.dataType() instanceof BooleanType)
                .map(f -> f.name()).toList();
    }

    /** The catalog's feature names, for callers that want the documented set. */
    public List<String> catalogFeatures() {
        return FeatureCatalog.entries(features).stream().map(FeatureCatalog.Entry::name).toList();
    }
}
