package dev.cvm.testing;

import dev.cvm.config.CvmConfig;
import dev.cvm.segments.ScoredRecord;
import dev.cvm.segments.SegmentStage;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.time.LocalDate;

import static org.apache.spark.sql.functions.expr;

/**
 * customer_scores, campaign_targets and segment_summary of a run date, written by the real segment stage from a
 * synthetic scored population: what the stages after segment (publish) read. The population carries a few columns
 * of awkward types (an array, a map, a timestamp) that pass through to customer_scores.
 */
public final class SyntheticOutputs {
    /** The first and second run dates of {@link #shared()}, with 300 and 450 accounts. */
    public static final LocalDate FIRST = LocalDate.parse("2026-03-01");
    public static final LocalDate SECOND = LocalDate.parse("2026-03-02");

    /** A warehouse with the outputs of two run dates, built once per test JVM for the tests that only read them. */
    public record Shared(CvmConfig config, Warehouse warehouse) {}

    private static Shared shared;

    private SyntheticOutputs() {}

    public static synchronized Shared shared() {
        if (shared == null) {
            java.nio.file.Path dir = SparkTestSupport.tempDirDeletedOnExit("cvm-test-outputs");
            CvmConfig config = SparkTestSupport.config(dir.resolve("wh"), dir, hocon());
            Warehouse warehouse = SparkTestSupport.warehouse(config);
            write(warehouse, config, FIRST, 300, 1);
            write(warehouse, config, SECOND, 450, 2);
            shared = new Shared(config, warehouse);
        }
        return shared;
    }

    /** A config for such a warehouse: small k-means search, everything else default. */
    public static String hocon() {
        return "cvm.segments.micro { k-min = 3, k-max = 3, sample-size = 2000 }\n";
    }

    /** Writes the three outputs of {@code runDate} for {@code accounts} accounts; {@code seed} varies the values. */
    public static SegmentStage.Result write(Warehouse warehouse, CvmConfig config, LocalDate runDate, int accounts,
                                            int seed) {
        SparkSession spark = SparkTestSupport.spark();
        Dataset<Row> record = ScoredRecord.build(features(spark, accounts, seed), clv(spark, accounts, seed),
                propensity(spark, accounts, seed), config.programs());
        Dataset<Row> contacts = spark.range(2L * accounts).select(
                expr("format_string('A%05d', id % " + accounts + ")").as("account_id"),
                expr("element_at(array('email','sms','phone','app'), cast(pmod(hash(id, " + seed + ", 15), 4) as int) + 1)")
                        .as("channel"),
                expr("pmod(hash(id, " + seed + ", 16), 10) < 3").as("responded"));
        Dataset<Row> suppressed = spark.range(3).select(expr("format_string('A%05d', id * 7 + 2)").as("account_id"));
        return new SegmentStage(warehouse, config.segments(), config.programs(), SparkTestSupport.log())
                .run(record, contacts, suppressed, runDate);
    }

    /** Every column of the synthetic analytic record, CLV and propensity inputs. */
    public static java.util.Set<String> inputColumns() {
        SparkSession spark = SparkTestSupport.spark();
        java.util.Set<String> s = new java.util.LinkedHashSet<>();
        for (Dataset<Row> df : java.util.List.of(features(spark, 1, 0), clv(spark, 1, 0), propensity(spark, 1, 0))) {
            s.addAll(java.util.List.of(df.columns()));
        }
        return s;
    }

    private static String h(int seed, int k) {
        return "hash(id, " + seed + ", " + k + ")";
    }

    static Dataset<Row> features(SparkSession spark, int n, int seed) {
        return spark.range(n).select(
                expr("format_string('A%05d', id)").as("account_id"),
                expr("format_string('C%05d', id div 2)").as("customer_id"),
                expr("if(id % 10 = 0, 'closed', 'active')").as("account_status"),
                expr("element_at(array('basic','plus','premium'), cast(id % 3 as int) + 1)").as("plan"),
                expr("cast(pmod(" + h(seed, 1) + ", 20) as long)").as("txn_count_365d"),
                expr("cast(pmod(" + h(seed, 2) + ", 1000) as double)").as("txn_amount_365d"),
                expr("cast(pmod(" + h(seed, 3) + ", 400) as double) * 3").as("txn_amount_life"),
                expr("cast(pmod(" + h(seed, 4) + ", 365) as int)").as("recency_days"),
                expr("cast(pmod(" + h(seed, 5) + ", 50) as double)").as("usage_avg_3m"),
                expr("(pmod(" + h(seed, 6) + ", 200) - 100) / 100.0").as("usage_trend_3m"),
                expr("cast(pmod(" + h(seed, 7) + ", 4) as long)").as("products_held"),
                expr("cast(pmod(" + h(seed, 8) + ", 3) as long)").as("complaints_365d"),
                expr("cast(pmod(" + h(seed, 9) + ", 24) as int)").as("tenure_months"),
                expr("if(id % 4 = 0, null, pmod(" + h(seed, 10) + ", 100) / 100.0)").as("response_rate"),
                expr("if(id % 7 = 0, 3, 100)").as("days_since_contact"),
                expr("slice(array('email','sms','phone','app'), 1, cast(id % 3 as int) + 1)").as("recent_channels"));
    }

    static Dataset<Row> clv(SparkSession spark, int n, int seed) {
        // The columns of the clv stage's customer_clv (docs/clv.md); a skewed value, as real CLV is.
        return spark.range(n).select(expr("format_string('A%05d', id)").as("account_id"),
                expr("if(id % 10 = 0, 0.0, pow(pmod(" + h(seed, 11) + ", 1000) / 1000.0, 4) * 2000)").as("total_clv"),
                expr("cast(0.0 as double)").as("transactional_clv"), expr("cast(0.0 as double)").as("subscription_clv"),
                expr("cast(0.5 as double)").as("p_alive"), expr("cast(1.0 as double)").as("expected_purchases"),
                expr("cast(10.0 as double)").as("expected_avg_spend"),
                expr("'bgnbd'").as("model"));
    }

    static Dataset<Row> propensity(SparkSession spark, int n, int seed) {
        // The score stage's account_propensity columns (docs/models.md), plus a timestamp to pass through.
        return spark.range(n).where("id % 10 != 0").select(expr("format_string('A%05d', id)").as("account_id"),
                expr("format_string('C%05d', id div 2)").as("customer_id"),
                expr("current_date()").as("as_of_date"),
                expr("cast(pmod(" + h(seed, 12) + ", 1000) / 1000.0 as double)").as("churn_probability"),
                expr("cast(if(id % 3 = 0, null, pmod(" + h(seed, 13) + ", 100) / 500.0) as double)").as("upsell_broadband"),
                expr("cast(pmod(" + h(seed, 14) + ", 100) / 1000.0 as double)").as("upsell_tv"),
                expr("'tv'").as("best_upsell_product"),
                expr("cast(pmod(" + h(seed, 14) + ", 100) / 1000.0 as double)").as("best_upsell_probability"),
                expr("map('churn', 1, 'upsell_tv', 2)").as("model_versions"),
                expr("timestamp'2026-01-01 06:30:00'").as("scored_at"));
    }
}
