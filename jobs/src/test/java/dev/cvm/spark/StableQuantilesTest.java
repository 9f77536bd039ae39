package dev.cvm.spark;

import dev.cvm.testing.SparkTestSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StableQuantilesTest {
    private static final SparkSession SPARK = SparkTestSupport.spark();
    private static final double[] DECILES = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

    /** n rows keyed by id: a skewed value (CLV-like) and a small-integer value with many ties and some nulls. */
    private static Dataset<Row> values(long n) {
        return SPARK.range(n).select(col("id"),
                exp(pmod(xxhash64(col("id")), org.apache.spark.sql.functions.lit(10_000)).divide(1000.0)).as("v"),
                when(col("id").mod(13).equalTo(0), null)
                        .otherwise(pmod(xxhash64(col("id"), col("id")), org.apache.spark.sql.functions.lit(40)))
                        .cast("double").as("w"));
    }

    private static Dataset<Row> scattered(Dataset<Row> df, int partitions) {
        return df.repartition(partitions, rand(partitions)).sortWithinPartitions(rand(partitions + 1));
    }

    @Test
    void sameCutPointsWhateverThePartitioning() {
        Dataset<Row> df = values(6_000).cache();
        double[][] one = StableQuantiles.of(df.repartition(1), new String[] {"v", "w"}, DECILES, 1e-3);
        for (int parts : new int[] {3, 8}) {
            double[][] other = StableQuantiles.of(scattered(df, parts), new String[] {"v", "w"}, DECILES, 1e-3);
            assertArrayEquals(one[0], other[0], 0.0, "v under " + parts + " partitions");
            assertArrayEquals(one[1], other[1], 0.0, "w under " + parts + " partitions");
        }
        // And they are quantiles: each cut's rank among the sorted values is within the relative error of p * n.
        double[] sorted = df.select("v").collectAsList().stream().mapToDouble(r -> r.getDouble(0)).sorted().toArray();
        for (int i = 0; i < DECILES.length; i++) {
            int rank = Arrays.binarySearch(sorted, one[0][i]);
            assertTrue(rank >= 0, "a cut point is one of the values");
            assertEquals(DECILES[i] * sorted.length, rank, 1e-3 * sorted.length + 1, "rank of decile " + (i + 1));
        }
        df.unpersist();
    }

    @Test
    void aboveTheCapADeterministicSampleStandsIn() {
        long n = StableQuantiles.MAX_ROWS + 100_000;
        Dataset<Row> df = values(n).cache();
        double[] a = StableQuantiles.of(scattered(df, 2), "v", DECILES, 1e-3);
        double[] b = StableQuantiles.of(scattered(df, 7), "v", DECILES, 1e-3);
        assertArrayEquals(a, b, 0.0);
        // Close to the deciles of all rows: the share at or below each cut is within 0.5% of p. The values repeat
        // (10,000 distinct ones, 30 rows each), so a sample of distinct values would miss by more.
        for (int i = 0; i < DECILES.length; i++) {
            long atOrBelow = df.where(col("v").leq(a[i])).count();
            assertEquals(DECILES[i] * n, atOrBelow, 0.005 * n, "decile " + (i + 1));
        }
        // A column of 40 values with nulls: each cut's group of tied rows straddles p, within 0.5% (of non-null rows).
        double[] w = StableQuantiles.of(scattered(df, 3), "w", DECILES, 1e-3);
        Dataset<Row> present = df.where(col("w").isNotNull());
        long m = present.count();
        for (int i = 0; i < DECILES.length; i++) {
            assertTrue(present.where(col("w").leq(w[i])).count() >= (DECILES[i] - 0.005) * m, "w decile " + (i + 1));
            assertTrue(present.where(col("w").lt(w[i])).count() <= (DECILES[i] + 0.005) * m, "w decile " + (i + 1));
        }
        df.unpersist();
    }
}
