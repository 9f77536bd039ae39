package dev.cvm.monitor;

import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The binning rule of the drift counts, as SQL's {@code v <= edge} would apply it. */
class BinCounterTest {
    private static final double[] EDGES = {1.0, 2.0, 3.0};

    @Test
    void aValueFallsInTheFirstBinWhoseEdgeItIsAtOrBelow() {
        assertEquals(0, BinCounter.bin(-7.0, EDGES));
        assertEquals(0, BinCounter.bin(1.0, EDGES));
        assertEquals(1, BinCounter.bin(1.5, EDGES));
        assertEquals(1, BinCounter.bin(2.0, EDGES));
        assertEquals(2, BinCounter.bin(3.0, EDGES));
        assertEquals(3, BinCounter.bin(3.0001, EDGES));
        assertEquals(3, BinCounter.bin(Double.POSITIVE_INFINITY, EDGES));
        assertEquals(-1, BinCounter.bin(Double.NaN, EDGES));
    }

    @Test
    void negativeZeroIsZeroAsInSql() {
        double[] edges = {-1.0, 0.0, 1.0};
        assertEquals(1, BinCounter.bin(-0.0, edges));
        assertEquals(1, BinCounter.bin(0.0, edges));
        // Edges -0.0 and 0.0 are one edge.
        BinCounter c = new BinCounter(new double[][] {{0.0, -0.0, 1.0}});
        assertEquals(4, c.bins(0));
    }

    @Test
    void rowsAreCountedPerFeatureWithNullsAndNaNInTheNullBin() {
        BinCounter c = new BinCounter(new double[][] {EDGES, {10.0}});
        BinCounter.Counts counts = c.zero();
        c.reduce(counts, RowFactory.create(0.5, 10.0));
        c.reduce(counts, RowFactory.create(null, 11.0));
        c.reduce(counts, RowFactory.create(Double.NaN, 9.0));
        BinCounter.Counts other = c.zero();
        c.reduce(other, RowFactory.create(2.5, null));
        c.reduce(other, RowFactory.create(9.0, 10.0));
        long[] merged = c.merge(counts, other).getValues();
        // Feature 0: [null, <= 1, <= 2, <= 3, > 3]; feature 1: [null, <= 10, > 10].
        assertArrayEquals(new long[] {2, 1, 0, 1, 1, 1, 3, 1}, merged);
        assertEquals(5, c.offset(1));
    }
}
