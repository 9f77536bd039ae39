package dev.cvm.features;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;

import static dev.cvm.features.AsOf.AS_OF;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.months_between;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/** Product holdings at the as-of date: a product is held when it started before and had not ended by then. */
final class HoldingFeatures {
    private HoldingFeatures() {}

    static Column heldAt(Column asOf) {
        return col("start_date").lt(asOf).and(col("end_date").isNull().or(col("end_date").geq(asOf)));
    }

    static Dataset<Row> build(Dataset<Row> holdings, Dataset<Row> asOf, FeatureSettings s) {
        Dataset<Row> past = holdings.join(asOf, col("start_date").lt(col(AS_OF)));
        Column held = heldAt(col(AS_OF));
        List<Column> aggs = new ArrayList<>();
        aggs.add(sum(when(held, 1).otherwise(0)).as("products_held"));
        aggs.add(floor(months_between(col(AS_OF), max(col("start_date")))).cast("int")
                .as("months_since_new_product"));
        for (String p : s.products()) {
            aggs.add(max(held.and(col("product").equalTo(lit(p)))).as("holds_" + p));
        }
        return past.groupBy(col("account_id"), col(AS_OF))
                .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]));
    }
}
