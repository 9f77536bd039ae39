package dev.cvm.valuemap;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static dev.cvm.spark.ExactSums.sortedSum;
import static dev.cvm.valuemap.ValueMapColumns.ATTRIBUTE;
import static dev.cvm.valuemap.ValueMapColumns.ATTRIBUTE_TYPE;
import static dev.cvm.valuemap.ValueMapColumns.CONFIDENCE_LEVEL;
import static dev.cvm.valuemap.ValueMapColumns.MEAN_RATING_COMPETITOR;
import static dev.cvm.valuemap.ValueMapColumns.PERFORMANCE_RATIO;
import static dev.cvm.valuemap.ValueMapColumns.PRICE;
import static dev.cvm.valuemap.ValueMapColumns.PRICE_RATIO;
import static dev.cvm.valuemap.ValueMapColumns.QUALITY;
import static dev.cvm.valuemap.ValueMapColumns.QUALITY_RATIO;
import static dev.cvm.valuemap.ValueMapColumns.RATING_COMPETITOR;
import static dev.cvm.valuemap.ValueMapColumns.RATING_US;
import static dev.cvm.valuemap.ValueMapColumns.RELATIVE_VALUE;
import static dev.cvm.valuemap.ValueMapColumns.RELATIVE_VALUE_CI_HIGH;
import static dev.cvm.valuemap.ValueMapColumns.RELATIVE_VALUE_CI_LOW;
import static dev.cvm.valuemap.ValueMapColumns.RELATIVE_VALUE_SE;
import static dev.cvm.valuemap.ValueMapColumns.RESPONDENTS;
import static dev.cvm.valuemap.ValueMapColumns.RESPONSE_ID;
import static dev.cvm.valuemap.ValueMapColumns.SEGMENT_TYPE;
import static dev.cvm.valuemap.ValueMapColumns.SEGMENT_VALUE;
import static dev.cvm.valuemap.ValueMapColumns.WEIGHT;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;

/**
 * Per segment: the relative customer value score RV = sum_a w_a R_a / sum_a w_a (R_a the attribute performance
 * ratio, sums over the attributes rated in the segment), the quality and price ratios (the same over the quality,
 * resp. price, attributes: weights renormalised within the axis), and a confidence interval for RV.
 *
 * <p>The interval is analytic (delta method / CLT over respondents): RV is a smooth function of attribute means, so
 * RV - E[RV] is approximately a sum of per-respondent terms
 * {@code u_i = sum over attributes a rated by i of (w_a / W) (x_ia - R_a y_ia) / (n_a * mean_y_a)}
 * (x our rating, y the competitor's, n_a the attribute's respondents in the segment). The u_i sum to exactly zero,
 * so {@code SE = sqrt(n / (n - 1) * sum_i u_i^2)} and the interval is RV +- z SE. Weights are treated as fixed.
 */
final class RelativeValueScore {
    private static final String W = "__w";
    private static final String WR = "__wr";
    private static final String WQ = "__wq";
    private static final String WQR = "__wqr";
    private static final String WP = "__wp";
    private static final String WPR = "__wpr";
    private static final String N_A = "__n_a";
    private static final String U = "__u";
    private static final String SSQ = "__ssq";

    private RelativeValueScore() {}

    /** The two-sided standard normal quantile of a confidence level (1.959964 for 0.95). */
    static double z(double confidenceLevel) {
        return new NormalDistribution(0, 1).inverseCumulativeProbability(0.5 + confidenceLevel / 2);
    }

    /**
     * @param members    response rows per segment ({@link SegmentMembership})
     * @param attributes unsuppressed per segment and attribute stats ({@link AttributePerformance})
     * @return segment_type, segment_value, respondents, relative_value, relative_value_se, relative_value_ci_low,
     * relative_value_ci_high, confidence_level, quality_ratio, price_ratio
     */
    static Dataset<Row> compute(Dataset<Row> members, Dataset<Row> attributes, double confidenceLevel) {
        Column weighted = col(WEIGHT).multiply(col(PERFORMANCE_RATIO));
        Column isQuality = col(ATTRIBUTE_TYPE).equalTo(QUALITY);
        Column isPrice = col(ATTRIBUTE_TYPE).equalTo(PRICE);
        Dataset<Row> scores = attributes.where(col(PERFORMANCE_RATIO).isNotNull())
                .groupBy(SegmentMembership.keys())
                .agg(sortedSum(col(WEIGHT)).as(W), sortedSum(weighted).as(WR),
                        sortedSum(when(isQuality, col(WEIGHT))).as(WQ), sortedSum(when(isQuality, weighted)).as(WQR),
                        sortedSum(when(isPrice, col(WEIGHT))).as(WP), sortedSum(when(isPrice, weighted)).as(WPR))
                .withColumn(RELATIVE_VALUE, ratio(WR, W))
                .withColumn(QUALITY_RATIO, ratio(WQR, WQ))
                .withColumn(PRICE_RATIO, ratio(WPR, WP));

        Dataset<Row> perAttribute = attributes.select(col(SEGMENT_TYPE), col(SEGMENT_VALUE), col(ATTRIBUTE),
                col(WEIGHT), col(PERFORMANCE_RATIO), col(RESPONDENTS).as(N_A), col(MEAN_RATING_COMPETITOR));
        Column term = when(col(W).gt(0).and(col(PERFORMANCE_RATIO).isNotNull()),
                col(WEIGHT).divide(col(W))
                        .multiply(col(RATING_US).minus(col(PERFORMANCE_RATIO).multiply(col(RATING_COMPETITOR))))
                        .divide(col(N_A).multiply(col(MEAN_RATING_COMPETITOR))))
                .otherwise(lit(0.0));
        Dataset<Row> spread = members.select(col(SEGMENT_TYPE), col(SEGMENT_VALUE), col(RESPONSE_ID),
                        col(ATTRIBUTE), col(RATING_US), col(RATING_COMPETITOR))
                .join(perAttribute, new String[] {SEGMENT_TYPE, SEGMENT_VALUE, ATTRIBUTE})
                .join(scores.select(col(SEGMENT_TYPE), col(SEGMENT_VALUE), col(W)), SegmentMembership.keyNames())
                .groupBy(col(SEGMENT_TYPE), col(SEGMENT_VALUE), col(RESPONSE_ID))
                .agg(sortedSum(term).as(U))
                .groupBy(SegmentMembership.keys())
                .agg(count(lit(1)).as(RESPONDENTS), sortedSum(col(U).multiply(col(U))).as(SSQ));

        Column n = col(RESPONDENTS);
        Column se = when(n.gt(1).and(col(RELATIVE_VALUE).isNotNull()),
                sqrt(col(SSQ).multiply(n).divide(n.minus(1))));
        double z = z(confidenceLevel);
        return scores.join(spread, SegmentMembership.keyNames())
                .withColumn(RELATIVE_VALUE_SE, se)
                .withColumn(RELATIVE_VALUE_CI_LOW, col(RELATIVE_VALUE).minus(col(RELATIVE_VALUE_SE).multiply(z)))
                .withColumn(RELATIVE_VALUE_CI_HIGH, col(RELATIVE_VALUE).plus(col(RELATIVE_VALUE_SE).multiply(z)))
                .withColumn(CONFIDENCE_LEVEL, lit(confidenceLevel))
                .select(col(SEGMENT_TYPE), col(SEGMENT_VALUE), col(RESPONDENTS), col(RELATIVE_VALUE),
                        col(RELATIVE_VALUE_SE), col(RELATIVE_VALUE_CI_LOW), col(RELATIVE_VALUE_CI_HIGH),
                        col(CONFIDENCE_LEVEL), col(QUALITY_RATIO), col(PRICE_RATIO));
    }

    private static Column ratio(String numerator, String denominator) {
        return when(col(denominator).gt(0), col(numerator).divide(col(denominator)));
    }
}
