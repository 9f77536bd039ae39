package dev.cvm.features;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;

import static dev.cvm.features.AsOf.AS_OF;
import static dev.cvm.features.AsOf.countIf;
import static dev.cvm.features.AsOf.within;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

/** Complaints and support contacts over the configured windows. */
final class SupportFeatures {
    private SupportFeatures() {}

    static Dataset<Row> build(Dataset<Row> events, Dataset<Row> asOf, FeatureSettings s) {
        Dataset<Row> past = events.withColumn("_day", to_date(col("event_ts")))
                .withColumn("_complaint", lower(col("event_type")).equalTo("complaint"))
                .join(asOf, col("_day").lt(col(AS_OF)));
        List<Column> aggs = new ArrayList<>();
        for (int w : s.windowsDays()) {
            aggs.add(countIf(within(col("_day"), w).and(col("_complaint")), lit(1)).as("complaints_" + w + "d"));
            aggs.add(countIf(within(col("_day"), w), lit(1)).as("support_contacts_" + w + "d"));
        }
        aggs.add(datediff(col(AS_OF), max(when(col("_complaint"), col("_day")))).as("days_since_complaint"));
        return past.groupBy(col("account_id"), col(AS_OF))
                .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]));
    }
}
