package dev.cvm.features;

import dev.cvm.spark.ExactSums;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;

import static dev.cvm.features.AsOf.AS_OF;
import static dev.cvm.features.AsOf.amountIf;
import static dev.cvm.features.AsOf.between;
import static dev.cvm.features.AsOf.countIf;
import static dev.cvm.features.AsOf.symmetricChange;
import static dev.cvm.features.AsOf.within;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

/**
 * RFM over windows, order values, spend trends and the BG/NBD summary (x, t_x, T, m_x), from one pass over the
 * transactions: they are first merged per account and UTC day (same-day purchases are one purchase occasion, as in
 * the BG/NBD literature), then joined to the as-of dates. Amounts are summed exactly ({@link ExactSums}), so the
 * features do not depend on how Spark partitioned the rows.
 */
final class TransactionFeatures {
    private TransactionFeatures() {}

    /** Per account and day: total, number and largest single amount. Exposed for labels and the CLV stage. */
    static Dataset<Row> daily(Dataset<Row> transactions) {
        return transactions.groupBy(col("account_id"), to_date(col("transaction_ts")).as("day"))
                .agg(ExactSums.sum(col("amount"), ExactSums.MONEY).as("day_amount"), count(lit(1)).as("day_count"),
                        max("amount").as("day_max"));
    }

    static Dataset<Row> build(Dataset<Row> daily, Dataset<Row> asOf, FeatureSettings s) {
        Dataset<Row> past = daily.join(asOf, col("day").lt(col(AS_OF)));
        List<Column> aggs = new ArrayList<>();
        for (int w : s.windowsDays()) {
            aggs.add(countIf(within(col("day"), w), col("day_count")).as("txn_count_" + w + "d"));
            aggs.add(amountIf(within(col("day"), w), col("day_amount")).as("txn_amount_" + w + "d"));
        }
        aggs.add(countIf(within(col("day"), 90), col("day_count")).as("_count_recent_90"));
        aggs.add(amountIf(within(col("day"), 90), col("day_amount")).as("_amount_recent_90"));
        aggs.add(countIf(between(col("day"), 90, 180), col("day_count")).as("_count_prior_90"));
        aggs.add(amountIf(between(col("day"), 90, 180), col("day_amount")).as("_amount_prior_90"));
        aggs.add(sum("day_count").as("txn_count_life"));
        aggs.add(ExactSums.sum(col("day_amount"), ExactSums.MONEY).as("txn_amount_life"));
        aggs.add(count(lit(1)).as("_purchase_days"));
        aggs.add(min("day").as("first_purchase_date"));
        aggs.add(max("day").as("last_purchase_date"));
        aggs.add(min_by(col("day_amount"), col("day")).as("_first_day_amount"));
        aggs.add(max("day_max").as("max_order_value"));
        Dataset<Row> agg = past.groupBy(col("account_id"), col(AS_OF))
                .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]));

        Column x = col("_purchase_days").minus(1);
        double unit = s.daysPerUnit();
        return agg.select(col("account_id"), col(AS_OF),
                        col("*"),
                        datediff(col(AS_OF), col("last_purchase_date")).as("recency_days"),
                        col("txn_amount_life").divide(col("txn_count_life")).as("avg_order_value"),
                        symmetricChange(col("_amount_recent_90"), col("_amount_prior_90")).as("spend_trend_90d"),
                        symmetricChange(col("_count_recent_90"), col("_count_prior_90")).as("txn_trend_90d"),
                        x.cast("int").as("bgnbd_x"),
                        datediff(col("last_purchase_date"), col("first_purchase_date")).divide(unit).as("bgnbd_t_x"),
                        // Observed up to the last full day before the as-of date.
                        datediff(date_sub(col(AS_OF), 1), col("first_purchase_date")).divide(unit).as("bgnbd_T"),
                        when(x.gt(0), col("txn_amount_life").minus(col("_first_day_amount")).divide(x))
                                .as("bgnbd_m_x"))
                .drop("_count_recent_90", "_amount_recent_90", "_count_prior_90", "_amount_prior_90",
                        "_purchase_days", "_first_day_amount")
                .transform(df -> dedupeKeys(df));
    }

    /** select(key, key, *) repeats the keys; keep the first occurrence of every name. */
    static Dataset<Row> dedupeKeys(Dataset<Row> df) {
        List<String> seen = new ArrayList<>();
        List<Column> cols = new ArrayList<>();
        String[] names = df.columns();
        for (int i = 0; i < names.length; i++) {
            if (!seen.contains(names[i])) {
                seen.add(names[i]);
                cols.add(df.col(names[i]));
            }
        }
        return df.select(cols.toArray(new Column[0]));
    }
}
