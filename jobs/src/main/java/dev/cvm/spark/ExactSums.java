package dev.cvm.spark;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * Sums and means of doubles that come out bit for bit the same however the rows are partitioned and in whatever order
 * Spark merges partial results.
 *
 * <p>Why: a plain {@code sum(double)} adds in partition and task-completion order, and floating-point addition is not
 * associative, so the last bits of a sum can differ between {@code local[*]} and a cluster, or between two runs on a
 * cluster. A last bit is enough to flip a ranking or a budget cut-off downstream, and then "re-running a date gives
 * the same result" no longer holds. These add fixed-point longs instead, which is exact and so order-free, at a
 * resolution of 10<sup>-decimals</sup> per value. A sum that would leave the long range fails loudly (ANSI mode), it
 * never wraps.
 */
public final class ExactSums {
    /** Money: a ten-thousandth of a currency unit (finer than any minor unit); exact up to about 9.2e14 per sum. */
    public static final int MONEY = 4;
    /** Usage and other measured quantities: exact up to about 9.2e12 per sum. */
    public static final int QUANTITY = 6;
    /** Rates, probabilities and other small quantities: exact up to about 9.2e9 per sum. */
    public static final int FINE = 9;

    private ExactSums() {}

    /** The sum of the non-null values of {@code value}, each rounded to {@code decimals} decimals; null for none. */
    public static Column sum(Column value, int decimals) {
        double scale = scale(decimals);
        return functions.sum(functions.round(value.multiply(scale)).cast("long")).divide(scale);
    }

    /** The mean of the non-null values (rounded as in {@link #sum}); null when there are none. */
    public static Column avg(Column value, int decimals) {
        return functions.try_divide(sum(value, decimals), functions.count(value));
    }

    /**
     * The sum of a group's values added in ascending order: order-free without rounding, for quantities too small or
     * too varied in scale for a fixed resolution (per-response and per-segment survey statistics). It holds a group's
     * values in memory, so it is for groups of at most some hundred thousand rows. Null when there are no values.
     */
    public static Column sortedSum(Column value) {
        Column sorted = functions.array_sort(functions.collect_list(value.cast("double")));
        return functions.when(functions.size(sorted).gt(0),
                functions.aggregate(sorted, functions.lit(0.0), (acc, x) -> acc.plus(x)));
    }

    private static double scale(int decimals) {
        if (decimals < 0 || decimals > 12) {
            throw new IllegalArgumentException("decimals must be in 0..12, got " + decimals);
        }
        return Math.pow(10, decimals);
    }
}
