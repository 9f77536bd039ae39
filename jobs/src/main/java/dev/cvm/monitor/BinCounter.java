package dev.cvm.monitor;

import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Aggregator;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Bins and counts rows per (feature, bin) in one flat array: input rows hold one double per feature (null or NaN
 * goes to the null bin), binned against that feature's sorted, distinct edges. Why an aggregator and not built-in
 * sums: one indicator sum per (feature, bin) is some 600 aggregate expressions for 56 features, and at 1M accounts
 * drift took 109 s with them against 77 s with this loop (bench/tuning.md); exploding rows into (feature, bin) pairs
 * was slower still. Why the binning is here and not a CASE WHEN per feature: those 56 expressions compiled into one
 * generated method above HotSpot's size limit for JIT compilation, so it ran interpreted (bench/tuning.md). Counts
 * are longs, so the result is the same however the rows are split.
 */
final class BinCounter extends Aggregator<Row, BinCounter.Counts, BinCounter.Counts> {
    /** The counts, feature after feature; a bean so that Spark encodes it as a plain array column. */
    public static final class Counts implements Serializable {
        private long[] values;

        public Counts() {}

        Counts(int size) {
            values = new long[size];
        }

        public long[] getValues() {
            return values;
        }

        public void setValues(long[] values) {
            this.values = values;
        }
    }

    private final double[][] edges;
    private final int[] offsets;
    private final int size;

    /** @param edges for each input column, its bin edges (sorted and made distinct here, -0.0 counting as 0.0) */
    BinCounter(double[][] edges) {
        this.edges = new double[edges.length][];
        offsets = new int[edges.length];
        int at = 0;
        for (int j = 0; j < edges.length; j++) {
            this.edges[j] = Arrays.stream(edges[j]).map(BinCounter::positiveZero).distinct().sorted().toArray();
            offsets[j] = at;
            at += bins(j);
        }
        size = at;
    }

    /** Bins of feature {@code j}, the null bin included: one per edge, one above the last, and the null bin. */
    int bins(int feature) {
        return edges[feature].length + 2;
    }

    /**
     * Index of the first edge {@code v} is at or below (SQL's {@code v <= edge}); {@code edges.length} above them all;
     * -1 for NaN. {@code edges} ascending and distinct.
     */
    static int bin(double v, double[] edges) {
        if (Double.isNaN(v)) {
            return -1;
        }
        int at = Arrays.binarySearch(edges, positiveZero(v));
        return at >= 0 ? at : -at - 1;
    }

    /** -0.0 as 0.0: SQL compares them equal, {@link Arrays#binarySearch(double[], double)} does not. */
    private static double positiveZero(double v) {
        return v == 0.0 ? 0.0 : v;
    }

    int offset(int feature) {
        return offsets[feature];
    }

    @Override
    public Counts zero() {
        return new Counts(size);
    }

    @Override
    public Counts reduce(Counts counts, Row row) {
        long[] v = counts.values;
        for (int j = 0; j < offsets.length; j++) {
            int b = row.isNullAt(j) ? -1 : bin(row.getDouble(j), edges[j]);
            v[offsets[j] + b + 1]++;
        }
        return counts;
    }

    @Override
    public Counts merge(Counts a, Counts b) {
        for (int i = 0; i < size; i++) {
            a.values[i] += b.values[i];
        }
        return a;
    }

    @Override
    public Counts finish(Counts counts) {
        return counts;
    }

    @Override
    public Encoder<Counts> bufferEncoder() {
        return Encoders.bean(Counts.class);
    }

    @Override
    public Encoder<Counts> outputEncoder() {
        return Encoders.bean(Counts.class);
    }
}
