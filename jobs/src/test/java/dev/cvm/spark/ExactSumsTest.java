package dev.cvm.spark;

import dev.cvm.testing.SparkTestSupport;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExactSumsTest {
    private static final SparkSession SPARK = SparkTestSupport.spark();

    /** Amounts of very different magnitudes: the case where double sums depend on the order of addition. */
    private static Dataset<Row> amounts(List<Double> values) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            rows.add(RowFactory.create(i % 3, values.get(i)));
        }
        return SPARK.createDataFrame(rows, DataTypes.createStructType(List.of(
                DataTypes.createStructField("g", DataTypes.IntegerType, false),
                DataTypes.createStructField("v", DataTypes.DoubleType, true))));
    }

    private static List<Double> mixedMagnitudes() {
        Random r = new Random(11);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            double magnitude = Math.pow(10, r.nextInt(9) - 2);
            values.add(Math.round(r.nextDouble() * magnitude * 100) / 100.0 * (r.nextBoolean() ? 1 : -1));
        }
        return values;
    }

    private static List<Row> perGroup(Dataset<Row> df, Column agg) {
        return df.groupBy("g").agg(agg.as("s")).orderBy("g").collectAsList();
    }

    @Test
    void sumsAreTheSameBitsWhateverThePartitioning() {
        Dataset<Row> df = amounts(mixedMagnitudes());
        Column exact = ExactSums.sum(col("v"), ExactSums.MONEY);
        List<Row> one = perGroup(df.repartition(1), exact);
        for (int parts : new int[] {2, 7, 16}) {
            List<Row> shuffled = perGroup(df.repartition(parts, rand(parts)).sortWithinPartitions(rand(parts + 1)),
                    exact);
            assertEquals(one, shuffled, parts + " partitions");
        }
    }

    @Test
    void sortedSumsAreTheSameBitsWhateverThePartitioningAndKeepEveryDigit() {
        Dataset<Row> df = amounts(List.of(1e-12, 3.3e-13, 0.1, 0.2, 0.3, 1e-12, 7e-14, 0.7, 0.9, 1.1, 2.5e-13, 0.4));
        Column sorted = ExactSums.sortedSum(col("v"));
        List<Row> one = perGroup(df.repartition(1), sorted);
        assertEquals(one, perGroup(df.repartition(5, rand(3)).sortWithinPartitions(rand(4)), sorted));
        // group 0 holds every third value (1e-12, 0.2, 7e-14, 1.1), added smallest first
        assertEquals(((7e-14 + 1e-12) + 0.2) + 1.1, one.get(0).getDouble(1), 0.0);
        assertTrue(df.agg(ExactSums.sortedSum(when(lit(false), col("v")))).first().isNullAt(0), "sum of no values");
    }

    @Test
    void sumEqualsTheDecimalSumOfTheRoundedValues() {
        List<Double> values = mixedMagnitudes();
        BigDecimal expected = BigDecimal.ZERO;
        for (double v : values) {
            expected = expected.add(BigDecimal.valueOf(v).setScale(ExactSums.MONEY, RoundingMode.HALF_UP));
        }
        double total = amounts(values).agg(ExactSums.sum(col("v"), ExactSums.MONEY)).first().getDouble(0);
        assertEquals(expected.doubleValue(), total, 0.0);
    }

    @Test
    void meanSkipsNullsAndIsNullForNoValues() {
        List<Double> values = new ArrayList<>(List.of(1.0, 2.0, 4.5));
        values.add(null);
        Row r = amounts(values).agg(ExactSums.avg(col("v"), ExactSums.FINE),
                ExactSums.avg(when(lit(false), col("v")), ExactSums.FINE),
                ExactSums.sum(when(lit(false), col("v")), ExactSums.FINE)).first();
        assertEquals(2.5, r.getDouble(0), 0.0);
        assertTrue(r.isNullAt(1), "mean of no values");
        assertTrue(r.isNullAt(2), "sum of no values");
    }

    @Test
    void aSumBeyondTheExactRangeFailsInsteadOfWrapping() {
        Dataset<Row> df = amounts(List.of(9e14, 9e14, 9e14));
        Exception e = assertThrows(Exception.class,
                () -> df.agg(ExactSums.sum(col("v"), ExactSums.MONEY)).first());
        assertTrue(String.valueOf(e.getMessage()).toUpperCase().contains("OVERFLOW"), e.getMessage());
    }
}
