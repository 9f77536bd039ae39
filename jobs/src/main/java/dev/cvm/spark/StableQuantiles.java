package dev.cvm.spark;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.AtomicType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.storage.StorageLevel;

import java.util.Arrays;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Approximate quantiles that are the same numbers on any cluster layout.
 *
 * <p>Why: Spark's {@code approxQuantile} merges per-partition summaries, and which sample it answers with (any within
 * the relative error) depends on how the rows were split. A cut point that moves by one rank moves accounts between
 * value tiers, RFM scores or drift bins, so a cluster run would not equal a local one. Here the summary is built in one
 * task over the rows in a fixed order (sorted by the columns themselves), from at most {@link #MAX_ROWS} rows: above
 * that, a sample picked by a hash of each row stands in (deterministic, and with 200k rows a quantile's rank error
 * from sampling is about a tenth of a percent, finer than any tier or decile needs). Cost: one count, one shuffle of
 * at most {@link #MAX_ROWS} rows of the selected columns, one task.
 */
public final class StableQuantiles {
    /** Rows the summary is built from at most. */
    public static final long MAX_ROWS = 200_000;
    private static final long BUCKETS = 1_000_000;
    private static final long SEED = 20_261_101L;

    private StableQuantiles() {}

    /**
     * Like {@code df.stat().approxQuantile(columns, probabilities, relativeError)}: nulls and NaN are ignored. The
     * sample, when there is one, is picked by a hash of each row's scalar columns, all of them and not only the
     * quantile columns (so the frame's key makes it a sample of rows, not of distinct values: a plan's monthly fee
     * shared by thousands of accounts is sampled like any other value).
     */
    public static double[][] of(Dataset<Row> df, String[] columns, double[] probabilities, double relativeError) {
        Column[] selected = Arrays.stream(columns).map(c -> col(c)).toArray(Column[]::new);
        long n = df.count();
        Dataset<Row> rows = df;
        if (n > MAX_ROWS) {
            Column[] scalars = Arrays.stream(df.schema().fields()).filter(f -> isScalar(f.dataType()))
                    .map(f -> col("`" + f.name() + "`")).toArray(Column[]::new);
            double fraction = (double) MAX_ROWS / n;
            rows = rows.where(pmod(xxhash64(lit(SEED), xxhash64(scalars)), lit(BUCKETS)).lt(lit(fraction * BUCKETS)));
        }
        // Cached after the sort, so the summary reads the one partition in this order whatever the optimizer does.
        Dataset<Row> ordered = rows.select(selected).repartition(1).sortWithinPartitions(selected)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            ordered.count();
            return ordered.stat().approxQuantile(columns, probabilities, relativeError);
        } finally {
            ordered.unpersist();
        }
    }

    private static boolean isScalar(DataType t) {
        return t instanceof AtomicType;
    }

    /** One column. */
    public static double[] of(Dataset<Row> df, String column, double[] probabilities, double relativeError) {
        return of(df, new String[] {column}, probabilities, relativeError)[0];
    }
}
