package dev.cvm.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cvm.config.CvmConfig;
import dev.cvm.contract.DatasetSpec;
import dev.cvm.contract.InputContract;
import dev.cvm.ingest.IngestStage;
import dev.cvm.models.BinaryMetrics;
import dev.cvm.models.ModelRegistry;
import dev.cvm.models.ModelVersion;
import dev.cvm.monitor.MonitorStage;
import dev.cvm.pipeline.RunLog;
import dev.cvm.pipeline.StepLog;
import dev.cvm.segments.ScoredRecord;
import dev.cvm.segments.SegmentStage;
import dev.cvm.testing.SparkTestSupport;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.expr;

/**
 * Every table the run report reads, for one run date, made small and quickly: ingested tables and quarantine by hand,
 * the segment stage's real output from a synthetic scored population, customer_clv, a model registry with the
 * models stage's schema, value-map segments, a drift table and step timings.
 */
final class ReportFixtures {
    static final int N = 800;
    /**
     * Rows written per ingested table (what the report must count). The other contract tables are left absent, as
     * in a warehouse where ingest never ran for them: the report lists only the tables that exist.
     */
    static final Map<DatasetSpec, Integer> INGESTED = new LinkedHashMap<>();

    static {
        INGESTED.put(InputContract.ACCOUNTS, N);
        INGESTED.put(InputContract.TRANSACTIONS, 9 * N);
        INGESTED.put(InputContract.USAGE, 3 * N);
        INGESTED.put(InputContract.CAMPAIGN_CONTACTS, 2 * N);
    }

    private ReportFixtures() {}

    static void writeAll(Warehouse warehouse, CvmConfig config, LocalDate runDate) {
        SparkSession spark = SparkTestSupport.spark();
        // Only the row counts of the ingested tables matter to the report.
        INGESTED.forEach((spec, rows) -> warehouse.replaceRunDate(spec.table(), spark.range(rows).toDF(), runDate));
        warehouse.replaceRunDate(Table.QUARANTINE, quarantine(spark), runDate);

        Dataset<Row> clv = clv(spark);
        warehouse.replaceRunDate(Table.CUSTOMER_CLV, clv, runDate);
        Dataset<Row> record = ScoredRecord.build(features(spark), clv, propensity(spark), config.programs());
        Dataset<Row> suppressed = spark.range(4).select(expr("format_string('A%05d', id * 7 + 2)").as("account_id"));
        new SegmentStage(warehouse, config.segments(), config.programs(), SparkTestSupport.log())
                .run(record, contacts(spark), suppressed, runDate);

        registry(warehouse);
        warehouse.replaceRunDate(Table.VALUE_MAP_SEGMENTS, valueMap(spark), runDate);
        warehouse.replaceRunDate(Table.DRIFT, drift(spark), runDate);
        RunLog.record(warehouse, runDate, timings(runDate), "unknown", SparkTestSupport.log());
    }

    static Dataset<Row> quarantine(SparkSession spark) {
        List<Row> rows = new ArrayList<>();
        add(rows, 14, "transactions", "negative_value", "amount");
        add(rows, 3, "transactions", "duplicate_key", "transaction_id");
        add(rows, 5, "usage", "out_of_range", "data_gb");
        add(rows, 2, "accounts", "null_key", "account_id");
        return spark.createDataFrame(rows, IngestStage.QUARANTINE_SCHEMA);
    }

    private static void add(List<Row> rows, int n, String dataset, String rule, String column) {
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create(dataset, "part-0000" + (i % 2) + ".parquet", rule, column, "{\"i\":" + i + "}"));
        }
    }

    static Dataset<Row> features(SparkSession spark) {
        return spark.range(N).select(
                expr("format_string('A%05d', id)").as("account_id"),
                expr("format_string('C%05d', id)").as("customer_id"),
                expr("if(id % 12 = 0, 'closed', 'active')").as("account_status"),
                expr("element_at(array('basic','plus','premium'), cast(id % 3 as int) + 1)").as("plan"),
                expr("cast(pmod(hash(id, 21), 24) as long)").as("txn_count_365d"),
                expr("cast(pmod(hash(id, 22), 1200) as double)").as("txn_amount_365d"),
                expr("cast(pmod(hash(id, 23), 500) as double) * 3").as("txn_amount_life"),
                expr("if(pmod(hash(id, 21), 24) = 0, null, cast(pmod(hash(id, 24), 365) as int))").as("recency_days"),
                expr("cast(pmod(hash(id, 25), 60) as double)").as("usage_avg_3m"),
                expr("(pmod(hash(id, 26), 200) - 100) / 100.0").as("usage_trend_3m"),
                expr("cast(pmod(hash(id, 27), 4) as long)").as("products_held"),
                expr("cast(pmod(hash(id, 28), 3) as long)").as("complaints_365d"),
                expr("cast(pmod(hash(id, 29), 36) as int)").as("tenure_months"),
                expr("if(id % 5 = 0, null, pmod(hash(id, 30), 100) / 100.0)").as("response_rate"),
                expr("if(id % 9 = 0, 4, 90)").as("days_since_contact"));
    }

    /** A long-tailed CLV, as real CLV is, with the CLV stage's columns (dev.cvm.clv.ClvStage). */
    static Dataset<Row> clv(SparkSession spark) {
        return spark.range(N).select(expr("format_string('A%05d', id)").as("account_id"),
                expr("if(id % 12 = 0, 0.0, pow(pmod(hash(id, 31), 1000) / 1000.0, 3) * 2000 + 20)")
                        .as("transactional_clv"),
                expr("if(id % 12 = 0, 0.0, cast(pmod(hash(id, 37), 5) as double) * 100)").as("subscription_clv"),
                expr("if(id % 12 = 0, 0.05, 0.4 + pmod(hash(id, 38), 60) / 100.0)").as("p_alive"),
                expr("pmod(hash(id, 39), 40) / 10.0").as("expected_purchases"),
                expr("20.0 + pmod(hash(id, 40), 80)").as("expected_avg_spend"),
                expr("'bgnbd'").as("model"))
                .withColumn("total_clv", expr("transactional_clv + subscription_clv"));
    }

    static Dataset<Row> propensity(SparkSession spark) {
        return spark.range(N).where("id % 12 != 0").select(expr("format_string('A%05d', id)").as("account_id"),
                expr("pmod(hash(id, 32), 1000) / 1000.0").as("churn_probability"),
                expr("if(id % 4 = 0, null, pmod(hash(id, 33), 100) / 400.0)").as("upsell_broadband"),
                expr("pmod(hash(id, 34), 100) / 900.0").as("upsell_tv"),
                expr("'tv'").as("best_upsell_product"),
                expr("2").as("churn_model_version"));
    }

    static Dataset<Row> contacts(SparkSession spark) {
        return spark.range(3L * N).select(expr("format_string('A%05d', id % " + N + ")").as("account_id"),
                expr("element_at(array('email','sms','phone','app'), cast(pmod(hash(id, 35), 4) as int) + 1)")
                        .as("channel"),
                expr("pmod(hash(id, 36), 10) < 2").as("responded"));
    }

    /**
     * The registry as the models stage leaves it, written through {@link ModelRegistry}: churn v1 (a champion, then
     * retired when v2 is registered as champion) and upsell_tv v1. Their metrics and details come from the real
     * {@link BinaryMetrics#evaluate} on synthetic scores of a given strength.
     */
    static void registry(Warehouse warehouse) {
        ModelRegistry registry = new ModelRegistry(warehouse);
        registry.register(model(warehouse, "churn", 1, "logistic", "churned", 2.0, 0.30));
        registry.register(model(warehouse, "churn", 2, "gbt", "churned", 4.0, 0.30));
        registry.register(model(warehouse, "upsell_tv", 1, "logistic", "adopted_tv", 2.5, 0.08));
    }

    /**
     * A champion version evaluated on 5000 synthetic rows: the probability is the logistic of strength x a uniform
     * signal, rescaled to the base rate; the label is drawn from that probability (deterministically, by hash).
     */
    private static ModelVersion model(Warehouse warehouse, String name, int version, String family, String target,
                                      double strength, double baseRate) {
        Dataset<Row> scored = warehouse.spark().range(5000).select(
                        expr("pmod(hash(id, " + version + ", '" + name + "'), 10000) / 10000.0").as("u"),
                        expr("pmod(hash(id, 77, '" + name + "'), 10000) / 10000.0").as("draw"))
                .withColumn("raw", expr("1 / (1 + exp(-" + strength + " * (u - 0.5)))"))
                .withColumn("p", expr("least(0.99, raw * " + (2 * baseRate) + ")"))
                .withColumn("label", expr("cast(draw < p as int)"))
                .persist();
        BinaryMetrics.Evaluation eval;
        try {
            eval = BinaryMetrics.evaluate(scored, "label", "p", "raw");
        } finally {
            scored.unpersist();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reliability", eval.reliability());
        details.put("deciles", eval.deciles());
        String json;
        try {
            json = new ObjectMapper().writeValueAsString(details);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Instant at = Instant.parse("2026-02-20T03:00:00Z").plusSeconds(version * 60L);
        ModelVersion v = new ModelVersion(name, version, ModelVersion.CHALLENGER, at, LocalDate.parse("2026-02-20"),
                target, family, List.of(LocalDate.parse("2025-09-01"), LocalDate.parse("2025-10-01")),
                LocalDate.parse("2025-10-15"), LocalDate.parse("2025-11-01"), List.of("tenure_months", "txn_count_365d"),
                Map.of("seed", "7"), eval.metrics(), json, warehouse.root() + "/models/" + name + "/v" + version,
                null, null, null, at);
        return v.asChampion("fixture: promoted on validation roc_auc", at, version > 1 ? version - 1 : null);
    }

    private static StructField field(String name, DataType type, boolean nullable) {
        return DataTypes.createStructField(name, type, nullable);
    }

    static Dataset<Row> valueMap(SparkSession spark) {
        StructType schema = DataTypes.createStructType(List.of(
                field("segment_type", DataTypes.StringType, false), field("segment_value", DataTypes.StringType, false),
                field("respondents", DataTypes.LongType, false), field("suppressed", DataTypes.BooleanType, false),
                field("relative_value", DataTypes.DoubleType, true), field("relative_value_se", DataTypes.DoubleType, true),
                field("relative_value_ci_low", DataTypes.DoubleType, true),
                field("relative_value_ci_high", DataTypes.DoubleType, true),
                field("confidence_level", DataTypes.DoubleType, false), field("quality_ratio", DataTypes.DoubleType, true),
                field("price_ratio", DataTypes.DoubleType, true), field("quadrant", DataTypes.StringType, true),
                field("weight_method", DataTypes.StringType, false)));
        List<Row> rows = List.of(
                vm("all", "all", 420, 1.031, 0.012, 1.06, 0.97, "premium"),
                vm("plan", "basic", 160, 0.962, 0.020, 0.93, 1.01, "economy"),
                vm("plan", "plus", 140, 1.052, 0.021, 1.08, 1.03, "advantage"),
                vm("plan", "premium", 120, 1.004, 0.024, 1.11, 0.88, "premium"),
                vm("region", "north", 210, 0.951, 0.018, 0.94, 0.96, "disadvantage"),
                vm("region", "south", 190, 1.008, 0.019, 1.01, 1.005, "parity"),
                RowFactory.create("region", "islands", 12L, true, null, null, null, null, 0.95, null, null, null,
                        "regression"));
        return spark.createDataFrame(rows, schema);
    }

    private static Row vm(String type, String value, long n, double rv, double se, double q, double p, String quadrant) {
        return RowFactory.create(type, value, n, false, rv, se, rv - 1.96 * se, rv + 1.96 * se, 0.95, q, p, quadrant,
                "regression");
    }

    /** PSI rows against the training snapshot and the previous run, and one back-test, as the monitor writes them. */
    static Dataset<Row> drift(SparkSession spark) {
        String[] features = {"txn_count_365d", "txn_amount_365d", "recency_days", "usage_avg_3m", "usage_trend_3m",
                "products_held", "complaints_365d", "tenure_months", "response_rate"};
        double[] training = {0.031, 0.142, 0.012, 0.287, 0.064, 0.004, 0.019, 0.008, 0.113};
        double[] previous = {0.011, 0.052, 0.006, 0.090, 0.021, 0.002, 0.007, 0.003, 0.041};
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < features.length; i++) {
            rows.add(psi("training", features[i], "2026-02-01", training[i]));
            rows.add(psi("previous_run", features[i], "2026-02-22", previous[i]));
        }
        rows.add(psi("previous_run_scores", "churn_probability", "2026-02-22", 0.018));
        rows.add(RowFactory.create("backtest", "churn_probability", LocalDate.parse("2025-11-20"), null, "ok", 790L,
                790L, 0.781, 0.212, 0.198, 0.0213));
        return spark.createDataFrame(rows, MonitorStage.SCHEMA);
    }

    private static Row psi(String comparison, String feature, String baseline, double psi) {
        String status = psi >= 0.25 ? "fail" : psi >= 0.1 ? "warn" : "ok";
        return RowFactory.create(comparison, feature, LocalDate.parse(baseline), psi, status, (long) N, (long) N, null,
                null, null, null);
    }

    /** Step timings of a nightly run, as StepLog records them. */
    static List<StepLog.Timing> timings(LocalDate runDate) {
        Instant t = runDate.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().plusSeconds(3600);
        List<StepLog.Timing> out = new ArrayList<>();
        Object[][] steps = {
                {"ingest", "validate accounts", 4.2, (long) N}, {"ingest", "validate transactions", 11.8, 9L * N},
                {"ingest", "write quarantine", 1.1, 24L}, {"value-map", "write value_map_segments", 3.4, 7L},
                {"features", "write account_features", 27.5, (long) N}, {"clv", "fit BG/NBD", 8.9, -1L},
                {"score", "write account_propensity", 12.3, (long) N}, {"segment", "write customer_scores", 9.6, (long) N},
                {"segment", "write campaign_targets", 2.2, 310L}};
        for (Object[] s : steps) {
            t = t.plusMillis((long) ((double) s[2] * 1000));
            out.add(new StepLog.Timing((String) s[1], (double) s[2], (long) s[3], (String) s[0], t));
        }
        return out;
    }
}
