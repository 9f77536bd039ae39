package dev.cvm.clv;

import dev.cvm.spark.ExactSums;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

import java.time.LocalDate;
import java.util.Arrays;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

/**
 * Builds the per-customer BG/NBD / Pareto/NBD / Gamma-Gamma summary (x, t_x, T, m) from transactions with Spark
 * DataFrame expressions only (no per-row UDF, nothing collected).
 *
 * <p>Rules (those of Fader &amp; Hardie's CDNOW summaries, reproduced exactly on CDNOW_sample.txt):
 * <ul>
 *   <li>purchases on the same calendar day (UTC for timestamps) are merged into one, amounts summed;</li>
 *   <li>calibration runs up to and including {@code calibrationEnd}; the first purchase day opens the customer's
 *       history and is excluded from the frequency and from the spend;</li>
 *   <li>x = number of purchase days after the first one, up to the calibration end;</li>
 *   <li>t_x = (last purchase day − first purchase day) in the time unit, 0 when x = 0;</li>
 *   <li>T = (calibration end − first purchase day) in the time unit (week = days / 7);</li>
 *   <li>m = mean of the repeat purchase-day totals; null when x = 0 or when there is no amount column;</li>
 *   <li>with a holdout end: x_holdout = purchase days in (calibration end, holdout end].</li>
 * </ul>
 * Customers whose first purchase is after the calibration end have no calibration history and are left out
 * ({@link #countFirstPurchaseAfter} counts them). Rows with a null id or date are ignored.
 */
public final class RfmSummary {
    public static final String ID = "id";
    public static final String FIRST_PURCHASE_DATE = "first_purchase_date";
    public static final String X = "x";
    public static final String TX = "t_x";
    public static final String T = "T";
    public static final String M = "m";
    public static final String X_HOLDOUT = "x_holdout";

    private RfmSummary() {}

    /**
     * Where the inputs are.
     *
     * @param id     customer id column (any type; output as-is under {@value #ID})
     * @param date   purchase date (DateType) or time (TimestampType, its UTC/session-zone date is used)
     * @param amount purchase value column, or null when there is none (then m is null)
     */
    public record Columns(String id, String date, String amount) {}

    /**
     * One row per customer with a purchase on or before {@code calibrationEnd}: {@value #ID},
     * {@value #FIRST_PURCHASE_DATE}, {@value #X} (int), {@value #TX}, {@value #T}, {@value #M} (doubles), and
     * {@value #X_HOLDOUT} (int) when {@code holdoutEnd} is not null.
     */
    public static Dataset<Row> summarize(Dataset<Row> transactions, Columns cols, LocalDate calibrationEnd,
                                         LocalDate holdoutEnd, TimeUnit unit) {
        if (holdoutEnd != null && !holdoutEnd.isAfter(calibrationEnd)) {
            throw new IllegalArgumentException("holdout end " + holdoutEnd + " must be after the calibration end "
                    + calibrationEnd);
        }
        Column calEnd = lit(calibrationEnd);
        Dataset<Row> days = purchaseDays(transactions, cols, holdoutEnd != null ? holdoutEnd : calibrationEnd);

        WindowSpec perCustomer = Window.partitionBy(col(ID));
        Column day = col("day");
        Column first = col("first_day");
        Column inCalibration = day.leq(calEnd);
        Column repeat = day.gt(first).and(inCalibration);
        Dataset<Row> withFirst = days
                .withColumn("first_day", min(when(inCalibration, day)).over(perCustomer))
                .where(first.isNotNull());

        Column[] aggs = {
                min(first).as(FIRST_PURCHASE_DATE),
                count(when(repeat, lit(1))).cast(DataTypes.IntegerType).as(X),
                max(when(inCalibration, day)).as("last_day"),
                ExactSums.sum(when(repeat, col("amount")), ExactSums.MONEY).as("repeat_spend"),
                count(when(day.gt(calEnd), lit(1))).cast(DataTypes.IntegerType).as(X_HOLDOUT)};
        Dataset<Row> perId = withFirst.groupBy(col(ID)).agg(aggs[0], Arrays.copyOfRange(aggs, 1, aggs.length));

        double unitDays = unit.days();
        Column firstDate = col(FIRST_PURCHASE_DATE);
        Column x = col(X);
        Column[] out = {
                col(ID), firstDate, x,
                datediff(col("last_day"), firstDate).cast(DataTypes.DoubleType).divide(unitDays).as(TX),
                datediff(calEnd, firstDate).cast(DataTypes.DoubleType).divide(unitDays).as(T),
                (cols.amount() == null ? lit(null).cast(DataTypes.DoubleType)
                        : when(x.gt(0), col("repeat_spend").divide(x))).as(M),
                col(X_HOLDOUT)};
        Dataset<Row> summary = perId.select(out);
        return holdoutEnd == null ? summary.drop(X_HOLDOUT) : summary;
    }

    /** Customers with purchases (up to {@code lastDay}) but none on or before {@code calibrationEnd}. */
    public static long countFirstPurchaseAfter(Dataset<Row> transactions, Columns cols, LocalDate calibrationEnd,
                                               LocalDate lastDay) {
        Row r = purchaseDays(transactions, cols, lastDay).groupBy(col(ID)).agg(min(col("day")).as("first"))
                .agg(count(when(col("first").gt(lit(calibrationEnd)), lit(1)))).first();
        return r.getLong(0);
    }

    /** Distinct customers in the input (rows with an id and a date), for reports. */
    public static long countCustomers(Dataset<Row> transactions, Columns cols) {
        return transactions.where(col(cols.id()).isNotNull().and(col(cols.date()).isNotNull()))
                .agg(countDistinct(col(cols.id()))).first().getLong(0);
    }

    /** One row per (customer, purchase day) up to {@code lastDay}: id, day, amount (same-day amounts summed). */
    static Dataset<Row> purchaseDays(Dataset<Row> transactions, Columns cols, LocalDate lastDay) {
        DataType dt = transactions.schema().apply(cols.date()).dataType();
        Column day;
        if (dt.equals(DataTypes.DateType)) {
            day = col(cols.date());
        } else if (dt.equals(DataTypes.TimestampType) || dt.equals(DataTypes.TimestampNTZType)) {
            day = to_date(col(cols.date()));
        } else {
            throw new IllegalArgumentException("column " + cols.date() + " must be a date or timestamp, found "
                    + dt.simpleString() + " (parse it first)");
        }
        Column amount = cols.amount() == null ? lit(null).cast(DataTypes.DoubleType)
                : col(cols.amount()).cast(DataTypes.DoubleType);
        return transactions
                .where(col(cols.id()).isNotNull().and(col(cols.date()).isNotNull()))
                .select(col(cols.id()).as(ID), day.as("day"), amount.as("amount"))
                .where(col("day").leq(lit(lastDay)))
                .groupBy(col(ID), col("day"))
                .agg(ExactSums.sum(col("amount"), ExactSums.MONEY).as("amount"));
    }
}
