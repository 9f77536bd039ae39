package dev.cvm.models;

import dev.cvm.CvmException;
import dev.cvm.features.FeatureSettings;
import dev.cvm.pipeline.StepLog;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.when;

/**
 * {@code cvm score}: applies the champion of every model (churn and one per upsell product) to the analytic record of
 * the run date itself (as_of_date = run date, active accounts) and writes {@code account_propensity}. Upsell
 * probabilities are null, not zero, for accounts that already hold the product: they are not in that model's
 * population.
 */
public final class ScoreStage {
    public static final String CHURN_COLUMN = "churn_probability";

    private final Warehouse warehouse;
    private final FeatureSettings featureSettings;
    private final StepLog log;

    public ScoreStage(Warehouse warehouse, FeatureSettings featureSettings, StepLog log) {
        this.warehouse = warehouse;
        this.featureSettings = featureSettings;
        this.log = log;
    }

    /** The column of account_propensity a model writes: churn_probability, or upsell_&lt;product&gt;. */
    public static String outputColumn(ModelTarget t) {
        return t.product() == null ? CHURN_COLUMN : "upsell_" + t.product();
    }

    public record Result(long rows, Map<String, Integer> versions) {}

    public Result run(LocalDate runDate) {
        List<ModelTarget> targets = ModelTarget.all(featureSettings);
        ModelRegistry registry = new ModelRegistry(warehouse);
        Map<ModelTarget, ModelVersion> champions = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        List<ModelVersion> registered = registry.all();
        for (ModelTarget t : targets) {
            registered.stream().filter(v -> v.name().equals(t.name()) && v.status().equals(ModelVersion.CHAMPION))
                    .findFirst().ifPresentOrElse(v -> champions.put(t, v), () -> missing.add(t.name()));
        }
        if (!missing.isEmpty()) {
            throw new CvmException("no champion model for " + missing + ": run `cvm train --run-date " + runDate
                    + "` first (or promote a version with `cvm models promote NAME VERSION`)");
        }
        if (!warehouse.hasRunDate(Table.ACCOUNT_FEATURES, runDate)) {
            throw new CvmException("account_features has no rows for run date " + runDate + ": run `cvm features "
                    + "--run-date " + runDate + "` first");
        }
        Dataset<Row> base = warehouse.readRunDate(Table.ACCOUNT_FEATURES, runDate, "features")
                .where(col(TimeSplit.AS_OF).equalTo(lit(runDate)))
                .where(col("account_status").equalTo("active"))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            if (base.isEmpty()) {
                throw new CvmException("account_features of run date " + runDate + " has no active accounts for "
                        + "as-of date " + runDate + ": run `cvm features --run-date " + runDate + "` (the as-of "
                        + "date defaults to the run date)");
            }
            List<String> columns = List.of(base.columns());
            Dataset<Row> df = base;
            Map<String, Integer> versions = new LinkedHashMap<>();
            for (Map.Entry<ModelTarget, ModelVersion> e : champions.entrySet()) {
                ModelTarget t = e.getKey();
                ModelVersion v = e.getValue();
                List<String> absent = v.features().stream().filter(f -> !columns.contains(f)).toList();
                if (!absent.isEmpty()) {
                    throw new CvmException(v.name() + " v" + v.version() + " reads columns that account_features does "
                            + "not have: " + absent + " (features config changed? retrain with `cvm train`)");
                }
                if (t.product() != null && !columns.contains(t.holdsColumn())) {
                    throw new CvmException("upsell model " + t.name() + " needs account_features." + t.holdsColumn()
                            + ": add " + t.product() + " to cvm.features.products and re-run `cvm features`");
                }
                FittedModel model = FittedModel.load(v.artifactPath(), v.features(), v.family(), v.params());
                String out = outputColumn(t);
                Column p = col(Calibration.CALIBRATED);
                if (t.product() != null) {
                    p = when(col(t.holdsColumn()), lit(null).cast("double")).otherwise(p);
                }
                df = model.score(df).withColumn(out, p).drop(Calibration.RAW, Calibration.CALIBRATED);
                versions.put(v.name(), v.version());
            }
            Dataset<Row> result = df.select(output(champions, versions).toArray(new Column[0]));
            long rows = log.step("write account_propensity", () ->
                    warehouse.replaceRunDate(Table.ACCOUNT_PROPENSITY, result, runDate));
            log.info("  champions used: %s", versions);
            return new Result(rows, versions);
        } finally {
            base.unpersist();
        }
    }

    private static List<Column> output(Map<ModelTarget, ModelVersion> champions, Map<String, Integer> versions) {
        List<Column> cols = new ArrayList<>(List.of(col("account_id"), col("customer_id"), col(TimeSplit.AS_OF)));
        List<ModelTarget> upsell = new ArrayList<>();
        for (ModelTarget t : champions.keySet()) {
            cols.add(col(outputColumn(t)));
            if (t.product() != null) {
                upsell.add(t);
            }
        }
        if (upsell.isEmpty()) {
            cols.add(lit(null).cast("string").as("best_upsell_product"));
            cols.add(lit(null).cast("double").as("best_upsell_probability"));
        } else {
            Column best = upsell.size() == 1 ? col(outputColumn(upsell.get(0)))
                    : greatest(upsell.stream().map(t -> col(outputColumn(t))).toArray(Column[]::new));
            // The first product (in config order) reaching the best probability; null when every one is held.
            Column product = lit(null).cast("string");
            for (int i = upsell.size() - 1; i >= 0; i--) {
                ModelTarget t = upsell.get(i);
                product = when(col(outputColumn(t)).equalTo(best), lit(t.product())).otherwise(product);
            }
            cols.add(product.as("best_upsell_product"));
            cols.add(best.as("best_upsell_probability"));
        }
        List<Column> kv = new ArrayList<>();
        versions.forEach((k, v) -> {
            kv.add(lit(k));
            kv.add(lit(v));
        });
        cols.add(map(kv.toArray(new Column[0])).as("model_versions"));
        return cols;
    }
}
