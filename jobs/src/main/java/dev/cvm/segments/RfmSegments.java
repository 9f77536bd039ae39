package dev.cvm.segments;

import dev.cvm.spark.StableQuantiles;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * RFM quintile scores over the last 365 days (R from recency_days, lower is better; F from txn_count_365d; M from
 * txn_amount_365d) and named segments from the configured rule table. Quintile cuts are computed among accounts that
 * bought in the last year; an account that did not scores 1 on all three.
 */
public final class RfmSegments {
    private static final double[] QUINTILES = {0.2, 0.4, 0.6, 0.8};

    private RfmSegments() {}

    public static Dataset<Row> assign(Dataset<Row> df, SegmentSettings s) {
        Dataset<Row> buyers = df.where(col("txn_count_365d").gt(0));
        double[][] cuts = StableQuantiles.of(buyers,
                new String[] {"recency_days", "txn_count_365d", "txn_amount_365d"}, QUINTILES, 1e-4);
        Column bought = col("txn_count_365d").gt(0);
        Column r = when(bought, score(col("recency_days"), cuts[0], true)).otherwise(lit(1));
        Column f = when(bought, score(col("txn_count_365d").cast("double"), cuts[1], false)).otherwise(lit(1));
        Column m = when(bought, score(col("txn_amount_365d"), cuts[2], false)).otherwise(lit(1));
        Dataset<Row> scored = df.withColumn("r_score", r).withColumn("f_score", f).withColumn("m_score", m);
        return scored.withColumn("rfm_segment", segment(s));
    }

    /** 1 + the number of cuts the value beats (for recency: is below). */
    static Column score(Column v, double[] cuts, boolean lowerIsBetter) {
        Column s = lit(1);
        for (double c : cuts) {
            s = s.plus(when(lowerIsBetter ? v.lt(c) : v.gt(c), 1).otherwise(0));
        }
        return s.cast("int");
    }

    static Column segment(SegmentSettings s) {
        Column result = null;
        for (SegmentSettings.RfmRule rule : s.rfmRules()) {
            Column cond = col("r_score").between(rule.rLo(), rule.rHi())
                    .and(col("f_score").between(rule.fLo(), rule.fHi()))
                    .and(col("m_score").between(rule.mLo(), rule.mHi()));
            result = result == null ? when(cond, lit(rule.name())) : result.when(cond, lit(rule.name()));
        }
        return result == null ? lit(s.rfmDefault()) : result.otherwise(lit(s.rfmDefault()));
    }

    /** The rules as a list, for the docs and tests. */
    public static List<SegmentSettings.RfmRule> rules(SegmentSettings s) {
        return s.rfmRules();
    }
}
