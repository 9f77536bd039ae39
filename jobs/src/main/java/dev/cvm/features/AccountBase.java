package dev.cvm.features;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static dev.cvm.features.AsOf.AS_OF;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.months_between;
import static org.apache.spark.sql.functions.when;

/**
 * One row per account and as-of date for every account open before the as-of date (and closed accounts for
 * {@code keep-closed-days}, as win-back candidates), with the account's attributes as they were then: a closure on or
 * after the as-of date is not known at the as-of date, so such an account is "active".
 */
final class AccountBase {
    private AccountBase() {}

    static Dataset<Row> build(Dataset<Row> accounts, Dataset<Row> asOf, FeatureSettings s) {
        return accounts.crossJoin(asOf)
                .where(col("open_date").lt(col(AS_OF))
                        .and(col("close_date").isNull()
                                .or(col("close_date").geq(date_sub(col(AS_OF), s.keepClosedDays())))))
                .select(col("account_id"), col(AS_OF), col("customer_id"),
                        when(col("close_date").lt(col(AS_OF)), lit("closed")).otherwise(lit("active")).as("account_status"),
                        when(col("close_date").lt(col(AS_OF)), datediff(col(AS_OF), col("close_date")))
                                .as("days_since_close"),
                        datediff(col(AS_OF), col("open_date")).as("tenure_days"),
                        floor(months_between(col(AS_OF), col("open_date"))).cast("int").as("tenure_months"),
                        col("plan"), col("region"), col("acquisition_channel"), col("monthly_fee"));
    }
}
