package dev.cvm.monitor;

import dev.cvm.testing.SparkTestSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bin counts of both frames, checked against hand-counted bins on data small enough for exact deciles. */
class DriftComputationTest {
    private static final StructType SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("account_id", DataTypes.StringType, false),
            DataTypes.createStructField("spend", DataTypes.DoubleType, true),
            DataTypes.createStructField("visits", DataTypes.LongType, true)));

    @Test
    void psiOfEveryFeatureComesFromItsOwnBinsWithNullsBinnedApart() {
        // Baseline: spend 1..10, so its deciles are the edges 1..9 and every bin holds one row.
        List<Row> baseline = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            baseline.add(RowFactory.create("B" + i, (double) i, (long) i));
        }
        // Current: spend five times at the lowest edge, twice above the highest, three times missing; visits as in
        // the baseline.
        Double[] spend = {1.0, 1.0, 1.0, 1.0, 1.0, null, null, null, 10.0, 10.0};
        List<Row> current = new ArrayList<>();
        for (int i = 0; i < spend.length; i++) {
            current.add(RowFactory.create("C" + i, spend[i], (long) (i + 1)));
        }
        Dataset<Row> b = SparkTestSupport.spark().createDataFrame(baseline, SCHEMA).repartition(3);
        Dataset<Row> c = SparkTestSupport.spark().createDataFrame(current, SCHEMA).repartition(2);

        Map<String, DriftComputation.FeatureDrift> drift = DriftComputation.psi(b, c, List.of("spend", "visits"))
                .stream().collect(Collectors.toMap(DriftComputation.FeatureDrift::feature, d -> d));

        // Bins: [null, <= 1, <= 2, ..., <= 9, > 9].
        long[] expectedBaseline = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
        long[] expectedCurrent = {3, 5, 0, 0, 0, 0, 0, 0, 0, 0, 2};
        assertEquals(Psi.index(expectedBaseline, expectedCurrent), drift.get("spend").psi(), 1e-12);
        assertEquals(0.0, drift.get("visits").psi(), 0.0);
        for (DriftComputation.FeatureDrift d : drift.values()) {
            assertEquals(10, d.baselineRows(), d.feature());
            assertEquals(10, d.currentRows(), d.feature());
        }
    }
}
