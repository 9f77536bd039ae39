package dev.cvm.reliability;

import dev.cvm.programs.ProgramSettings;
import dev.cvm.segments.ScoredRecord;
import dev.cvm.testing.SparkTestSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.time.LocalDate;

import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

/**
 * Precomputed inputs of the segment stage for one run date (analytic record, CLV, propensities, past contacts),
 * hash-generated from the account number and {@code seed}, so the segment stage runs without the stages before it.
 * They stay in memory: writing them to Delta first would only add commits to wait for.
 */
final class UpstreamFixtures {
    record Inputs(Dataset<Row> record, Dataset<Row> contacts) {}

    private UpstreamFixtures() {}

    static Inputs segmentInputs(ProgramSettings programs, LocalDate runDate, int accounts, int seed) {
        SparkSession spark = SparkTestSupport.spark();
        String h = "pmod(hash(id, " + seed + ", %d), %d)";
        Dataset<Row> ids = spark.range(accounts).toDF();
        Dataset<Row> features = ids.select(
                expr("format_string('A%05d', id)").as("account_id"),
                expr("format_string('C%05d', id)").as("customer_id"),
                expr("if(id % 10 = 0, 'closed', 'active')").as("account_status"),
                expr("element_at(array('basic','plus','premium'), cast(id % 3 as int) + 1)").as("plan"),
                expr("cast(" + h.formatted(1, 20) + " as long)").as("txn_count_365d"),
                expr("cast(" + h.formatted(2, 1000) + " as double)").as("txn_amount_365d"),
                expr("cast(" + h.formatted(3, 400) + " as double) * 3").as("txn_amount_life"),
                expr("cast(" + h.formatted(4, 365) + " as int)").as("recency_days"),
                expr("cast(" + h.formatted(5, 50) + " as double)").as("usage_avg_3m"),
                expr("(" + h.formatted(6, 200) + " - 100) / 100.0").as("usage_trend_3m"),
                expr("cast(" + h.formatted(7, 4) + " as long)").as("products_held"),
                expr("cast(" + h.formatted(8, 3) + " as long)").as("complaints_365d"),
                expr("cast(" + h.formatted(9, 24) + " as int)").as("tenure_months"),
                expr("if(id % 4 = 0, null, " + h.formatted(10, 100) + " / 100.0)").as("response_rate"),
                expr("if(id % 7 = 0, 3, 100)").as("days_since_contact"))
;
        Dataset<Row> clv = ids.select(expr("format_string('A%05d', id)").as("account_id"),
                expr("if(id % 10 = 0, 0.0, pow(" + h.formatted(11, 1000) + " / 1000.0, 4) * 2000)").as("total_clv"),
                expr("0.0").as("transactional_clv"), expr("0.0").as("subscription_clv"), expr("0.5").as("p_alive"),
                expr("1.0").as("expected_purchases"), expr("10.0").as("expected_avg_spend"),
                expr("'bgnbd'").as("model"));
        Dataset<Row> propensity = ids.where("id % 10 != 0").select(
                expr("format_string('A%05d', id)").as("account_id"),
                expr(h.formatted(12, 1000) + " / 1000.0").as("churn_probability"),
                expr("if(id % 3 = 0, null, " + h.formatted(13, 100) + " / 500.0)").as("upsell_broadband"),
                expr(h.formatted(14, 100) + " / 1000.0").as("upsell_tv"),
                expr("'tv'").as("best_upsell_product"), expr("1").as("churn_model_version"));
        Dataset<Row> contacts = spark.range(3L * accounts).select(
                expr("format_string('K%06d', id)").as("contact_id"),
                expr("format_string('A%05d', id % " + accounts + ")").as("account_id"),
                expr("'c1'").as("campaign_id"), expr("'retention'").as("program"),
                expr("element_at(array('email','sms','phone','app'), cast(" + h.formatted(15, 4) + " as int) + 1)")
                        .as("channel"),
                expr("'offer'").as("offer"), lit(runDate.minusDays(30)).as("sent_date"),
                expr(h.formatted(16, 10) + " < 2").as("responded"), expr("false").as("converted"));
        return new Inputs(ScoredRecord.build(features, clv, propensity, programs), contacts);
    }
}
