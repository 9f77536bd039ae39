package dev.cvm.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cvm.config.CvmConfig;
import dev.cvm.contract.DatasetSpec;
import dev.cvm.contract.InputContract;
import dev.cvm.ingest.IngestStage;
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

        registry(spark).write().format("delta").mode("overwrite").save(warehouse.path(Table.MODEL_REGISTRY));
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

    /** A long-tailed CLV, as real CLV is. */
    static Dataset<Row> clv(SparkSession spark) {
        return spark.range(N).select(expr("format_string('A%05d', id)").as("account_id"),
                expr("if(id % 12 = 0, 0.0, pow(pmod(hash(id, 31), 1000) / 1000.0, 3) * 2500 + 20)").as("clv"));
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

    /** The schema of model_registry as the models stage writes it (dev.cvm.models.ModelVersion.SCHEMA). */
    static final StructType REGISTRY_SCHEMA = DataTypes.createStructType(List.of(
            field("name", DataTypes.StringType, false),
            field("version", DataTypes.IntegerType, false),
            field("status", DataTypes.StringType, false),
            field("trained_at", DataTypes.TimestampType, false),
            field("run_date", DataTypes.DateType, false),
            field("target", DataTypes.StringType, false),
            field("family", DataTypes.StringType, false),
            field("training_as_of_dates", DataTypes.createArrayType(DataTypes.DateType, false), false),
            field("holdout_as_of_date", DataTypes.DateType, true),
            field("validation_as_of_date", DataTypes.DateType, false),
            field("features", DataTypes.createArrayType(DataTypes.StringType, false), false),
            field("params", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, false), false),
            field("metrics", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false), false),
            field("details", DataTypes.StringType, true),
            field("artifact_path", DataTypes.StringType, false),
            field("promotion_reason", DataTypes.StringType, true),
            field("promoted_at", DataTypes.TimestampType, true),
            field("replaced_version", DataTypes.IntegerType, true),
            field("status_changed_at", DataTypes.TimestampType, false)));

    private static StructField field(String name, DataType type, boolean nullable) {
        return DataTypes.createStructField(name, type, nullable);
    }

    /** Two champions (churn, upsell_tv) and a retired churn version that the report must leave out. */
    static Dataset<Row> registry(SparkSession spark) {
        List<Row> rows = List.of(
                model("churn", 2, "champion", "gbt", "churned",
                        new long[] {330, 210, 140, 100, 75, 55, 40, 25, 15, 10}, 1000, 0.87, 0.52, 0.071, 0.012),
                model("churn", 1, "retired", "logistic", "churned",
                        new long[] {250, 180, 140, 110, 90, 75, 60, 45, 30, 20}, 1000, 0.79, 0.38, 0.079, 0.020),
                model("upsell_tv", 1, "champion", "logistic", "adopted_tv",
                        new long[] {95, 60, 40, 30, 22, 17, 13, 10, 8, 5}, 1000, 0.74, 0.16, 0.028, 0.006));
        return spark.createDataFrame(rows, REGISTRY_SCHEMA);
    }

    private static Row model(String name, int version, String status, String family, String target, long[] positives,
                             long perDecile, double auc, double prAuc, double brier, double ece) {
        long n = perDecile * positives.length;
        long p = 0;
        for (long x : positives) {
            p += x;
        }
        double rate = (double) p / n;
        List<Map<String, Object>> deciles = new ArrayList<>();
        long cn = 0;
        long cp = 0;
        for (int d = 0; d < positives.length; d++) {
            cn += perDecile;
            cp += positives[d];
            Map<String, Object> m = new LinkedHashMap<>();
            double obs = (double) positives[d] / perDecile;
            m.put("decile", d + 1);
            m.put("count", perDecile);
            m.put("positives", positives[d]);
            m.put("meanPredicted", obs * 1.05);
            m.put("observedRate", obs);
            m.put("lift", obs / rate);
            m.put("capture", (double) positives[d] / p);
            m.put("cumulativeLift", ((double) cp / cn) / rate);
            m.put("cumulativeCapture", (double) cp / p);
            deciles.add(m);
        }
        List<Map<String, Object>> reliability = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            double predicted = Math.min(0.99, (b + 0.5) / 10 * (rate * 4));
            if (predicted >= 1) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bin", b);
            m.put("lower", b / 10.0);
            m.put("upper", (b + 1) / 10.0);
            m.put("count", 1000 - 90L * b);
            m.put("meanPredicted", predicted);
            m.put("observedRate", predicted * (0.9 + 0.02 * b));
            reliability.add(m);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reliability", reliability);
        details.put("deciles", deciles);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("n", (double) n);
        metrics.put("positives", (double) p);
        metrics.put("positive_rate", rate);
        metrics.put("roc_auc", auc);
        metrics.put("pr_auc", prAuc);
        metrics.put("brier", brier);
        metrics.put("ece", ece);
        metrics.put("lift_top_decile", (double) deciles.get(0).get("lift"));
        String json;
        try {
            json = new ObjectMapper().writeValueAsString(details);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Instant at = Instant.parse("2026-02-20T03:00:00Z");
        LocalDate run = LocalDate.parse("2026-02-20");
        return RowFactory.create(name, version, status, at, run, target, family,
                List.of(LocalDate.parse("2025-09-01"), LocalDate.parse("2025-10-01")), LocalDate.parse("2025-10-15"),
                LocalDate.parse("2025-11-01"), List.of("tenure_months", "txn_count_365d"), Map.of("seed", "7"), metrics,
                json, "/models/" + name + "/v" + version, status.equals("champion") ? "first champion: validation "
                        + "roc_auc above cvm.models.min-roc-auc" : "replaced by v2", status.equals("champion") ? at : null,
                null, at);
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

    static Dataset<Row> drift(SparkSession spark) {
        StructType schema = DataTypes.createStructType(List.of(
                field("feature", DataTypes.StringType, false), field("psi", DataTypes.DoubleType, true),
                field("status", DataTypes.StringType, false), field("reference_date", DataTypes.DateType, true)));
        String[] features = {"txn_count_365d", "txn_amount_365d", "recency_days", "usage_avg_3m", "usage_trend_3m",
                "products_held", "complaints_365d", "tenure_months", "response_rate", "churn_probability",
                "upsell_tv", "clv"};
        double[] psi = {0.031, 0.142, 0.012, 0.287, 0.064, 0.004, 0.019, 0.008, 0.113, 0.048, 0.021, 0.037};
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < features.length; i++) {
            String status = psi[i] >= 0.25 ? "fail" : psi[i] >= 0.1 ? "warn" : "ok";
            rows.add(RowFactory.create(features[i], psi[i], status, LocalDate.parse("2026-02-01")));
        }
        return spark.createDataFrame(rows, schema);
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
