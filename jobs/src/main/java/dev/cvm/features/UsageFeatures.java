package dev.cvm.features;

import dev.cvm.spark.ExactSums;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static dev.cvm.features.AsOf.AS_OF;
import static dev.cvm.features.AsOf.symmetricChange;
import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.months_between;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

/**
 * Engagement from monthly usage: only months that ended before the as-of date count (a month still running is
 * partial and would look like a decline). "Months back" k = 1 is the last complete month.
 */
final class UsageFeatures {
    private UsageFeatures() {}

    static Dataset<Row> build(Dataset<Row> usage, Dataset<Row> asOf) {
        Column k = months_between(trunc(col(AS_OF), "month"), col("month")).cast("int");
        Dataset<Row> past = usage.join(asOf, add_months(col("month"), 1).leq(col(AS_OF)))
                .withColumn("_k", k);
        Column recent = col("_k").between(1, 3);
        Column prior = col("_k").between(4, 6);
        Dataset<Row> agg = past.groupBy(col("account_id"), col(AS_OF)).agg(
                ExactSums.avg(when(recent, col("usage_units")), ExactSums.QUANTITY).as("usage_avg_3m"),
                ExactSums.avg(when(prior, col("usage_units")), ExactSums.QUANTITY).as("usage_avg_prior_3m"),
                ExactSums.avg(when(col("_k").between(1, 12), col("usage_units")), ExactSums.QUANTITY).as("usage_avg_12m"),
                ExactSums.avg(when(recent, col("active_days")), ExactSums.QUANTITY).as("active_days_avg_3m"));
        return agg.withColumn("usage_trend_3m", when(col("usage_avg_3m").isNotNull().or(col("usage_avg_prior_3m").isNotNull()),
                symmetricChange(coalesce(col("usage_avg_3m"), lit(0.0)), coalesce(col("usage_avg_prior_3m"), lit(0.0)))));
    }
}
