package dev.cvm.segments;

import dev.cvm.config.CvmConfig;
import dev.cvm.testing.SparkTestSupport;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole segment stage on a synthetic scored population of 2,000 accounts. */
class SegmentStageTest {
    static final LocalDate RUN = LocalDate.parse("2026-01-01");
    static final int N = 2000;
    @TempDir
    static Path tmp;
    static Warehouse warehouse;
    static CvmConfig config;
    static SegmentStage.Result first;

    static Dataset<Row> features(SparkSession spark) {
        return spark.range(N).select(
                expr("format_string('A%05d', id)").as("account_id"),
                expr("format_string('C%05d', id)").as("customer_id"),
                expr("if(id % 10 = 0, 'closed', 'active')").as("account_status"),
                expr("element_at(array('basic','plus','premium'), cast(id % 3 as int) + 1)").as("plan"),
                expr("cast(pmod(hash(id, 1), 20) as long)").as("txn_count_365d"),
                expr("cast(pmod(hash(id, 2), 1000) as double)").as("txn_amount_365d"),
                expr("cast(pmod(hash(id, 3), 400) as double) * 3").as("txn_amount_life"),
                expr("if(pmod(hash(id, 1), 20) = 0, null, cast(pmod(hash(id, 4), 365) as int))").as("recency_days"),
                expr("cast(pmod(hash(id, 5), 50) as double)").as("usage_avg_3m"),
                expr("(pmod(hash(id, 6), 200) - 100) / 100.0").as("usage_trend_3m"),
                expr("cast(pmod(hash(id, 7), 4) as long)").as("products_held"),
                expr("cast(pmod(hash(id, 8), 3) as long)").as("complaints_365d"),
                expr("cast(pmod(hash(id, 9), 24) as int)").as("tenure_months"),
                expr("if(id % 4 = 0, null, pmod(hash(id, 10), 100) / 100.0)").as("response_rate"),
                expr("if(id % 7 = 0, 3, 100)").as("days_since_contact"));
    }

    static Dataset<Row> clv(SparkSession spark) {
        // A skewed value distribution, as real CLV is.
        return spark.range(N).select(expr("format_string('A%05d', id)").as("account_id"),
                expr("if(id % 10 = 0, 0.0, pow(pmod(hash(id, 11), 1000) / 1000.0, 4) * 2000)").as("total_clv"),
                expr("0.0").as("transactional_clv"), expr("0.0").as("subscription_clv"),
                expr("0.5").as("p_alive"), expr("1.0").as("expected_purchases"), expr("10.0").as("expected_avg_spend"),
                expr("'bgnbd'").as("model"));
    }

    static Dataset<Row> propensity(SparkSession spark) {
        return spark.range(N).where("id % 10 != 0").select(expr("format_string('A%05d', id)").as("account_id"),
                expr("pmod(hash(id, 12), 1000) / 1000.0").as("churn_probability"),
                expr("if(id % 3 = 0, null, pmod(hash(id, 13), 100) / 500.0)").as("upsell_broadband"),
                expr("pmod(hash(id, 14), 100) / 1000.0").as("upsell_tv"),
                expr("'tv'").as("best_upsell_product"),
                expr("1").as("churn_model_version"));
    }

    static Dataset<Row> contacts(SparkSession spark) {
        return spark.range(3 * N).select(expr("format_string('A%05d', id % " + N + ")").as("account_id"),
                expr("element_at(array('email','sms','phone','app'), cast(pmod(hash(id, 15), 4) as int) + 1)").as("channel"),
                expr("pmod(hash(id, 16), 10) < 2").as("responded"));
    }

    static SegmentStage.Result run() {
        SparkSession spark = SparkTestSupport.spark();
        Dataset<Row> record = ScoredRecord.build(features(spark), clv(spark), propensity(spark), config.programs());
        Dataset<Row> suppressed = spark.range(5).select(expr("format_string('A%05d', id * 3 + 1)").as("account_id"));
        return new SegmentStage(warehouse, config.segments(), config.programs(), SparkTestSupport.log())
                .run(record, contacts(spark), suppressed, RUN);
    }

    @BeforeAll
    static void setUp() {
        config = SparkTestSupport.config(tmp.resolve("wh"), tmp.resolve("in"), "cvm.segments.micro.k-max = 5");
        warehouse = SparkTestSupport.warehouse(config);
        first = run();
    }

    @Test
    void everyAccountOnceInCustomerScores() {
        Dataset<Row> scores = warehouse.readRunDate(Table.CUSTOMER_SCORES, RUN, "segment");
        Row r = scores.agg(count("*"), countDistinct("account_id")).first();
        assertEquals(N, r.getLong(0));
        assertEquals(N, r.getLong(1));
        assertEquals(0, scores.where(col("program").isNull().or(col("value_tier").isNull())
                .or(col("rfm_segment").isNull()).or(col("micro_segment").isNull())).count());
    }

    @Test
    void budgetsAreNeverExceededAndBlockedAccountsAreNotTargeted() {
        Dataset<Row> targets = warehouse.readRunDate(Table.CAMPAIGN_TARGETS, RUN, "segment");
        for (Row r : targets.groupBy("program").agg(sum("cost")).collectAsList()) {
            double budget = dev.cvm.programs.ProgramAssignment.budget(config.programs(), r.getString(0));
            assertTrue(r.getDouble(1) <= budget + 1e-6, r.getString(0) + " spent " + r.getDouble(1) + " of " + budget);
        }
        assertTrue(targets.count() > 0);
        assertEquals(0, targets.where("expected_value <= 0").count());
        Dataset<Row> scores = warehouse.readRunDate(Table.CUSTOMER_SCORES, RUN, "segment");
        assertEquals(0, scores.where("targeted AND contact_blocked IS NOT NULL").count());
        assertTrue(scores.where("contact_blocked = 'suppression_list'").count() > 0);
        assertTrue(scores.where("contact_blocked = 'cooldown'").count() > 0);
    }

    @Test
    void valueIsConcentratedAndRetentionTargetsCarryRisk() {
        Dataset<Row> scores = warehouse.readRunDate(Table.CUSTOMER_SCORES, RUN, "segment");
        Dataset<Row> summary = warehouse.readRunDate(Table.SEGMENT_SUMMARY, RUN, "segment");
        double topShare = summary.where("scheme = 'value_tier' AND segment IN ('platinum', 'gold', 'silver')")
                .agg(sum("share_of_clv")).first().getDouble(0);
        assertTrue(topShare > 0.5, "top 20% hold " + topShare + " of CLV");
        double population = scores.agg(avg("value_at_risk")).first().getDouble(0);
        double retention = warehouse.readRunDate(Table.CAMPAIGN_TARGETS, RUN, "segment").where("program = 'retention'")
                .join(scores, "account_id").agg(avg("value_at_risk")).first().getDouble(0);
        assertTrue(retention > 1.3 * population, "retention targets VaR " + retention + " vs population " + population);
        assertTrue(summary.where("scheme = 'micro_segment' AND profile IS NOT NULL").count() >= 3);
    }

    @Test
    void rerunGivesIdenticalTables() {
        long before = checksum(Table.CUSTOMER_SCORES) ^ checksum(Table.CAMPAIGN_TARGETS) ^ checksum(Table.SEGMENT_SUMMARY);
        run();
        long after = checksum(Table.CUSTOMER_SCORES) ^ checksum(Table.CAMPAIGN_TARGETS) ^ checksum(Table.SEGMENT_SUMMARY);
        assertEquals(before, after);
    }

    /** Order-independent content checksum: the sum of row hashes, in a decimal so it cannot overflow. */
    static long checksum(Table t) {
        Dataset<Row> df = warehouse.readRunDate(t, RUN, "segment");
        return df.select(xxhash64(List.of(df.columns()).stream().sorted().map(c -> col(c))
                        .toArray(org.apache.spark.sql.Column[]::new)).cast("decimal(38,0)").as("h"))
                .agg(sum("h")).first().getDecimal(0).longValue();
    }
}
