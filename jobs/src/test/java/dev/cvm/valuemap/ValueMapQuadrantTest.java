package dev.cvm.valuemap;

import dev.cvm.testing.SparkTestSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The quadrant rules of docs/value-map.md, with and without a parity band. */
class ValueMapQuadrantTest {
    static final StructType SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("q", DataTypes.DoubleType, true),
            DataTypes.createStructField("p", DataTypes.DoubleType, true)));

    static List<String> classify(double band, Double[][] points) {
        List<Row> rows = new ArrayList<>();
        for (Double[] pt : points) {
            rows.add(RowFactory.create(pt[0], pt[1]));
        }
        Dataset<Row> df = SparkTestSupport.spark().createDataFrame(rows, SCHEMA).coalesce(1);
        return df.select(Quadrant.classify(col("q"), col("p"), band)).collectAsList().stream()
                .map(r -> r.getString(0)).toList();
    }

    @Test
    void withAParityBand() {
        Double[][] points = {
                {1.0, 1.0}, {1.015, 0.985}, {0.99, 1.01}, // inside the band on both axes
                {1.10, 1.05}, {1.01, 1.10}, {0.99, 1.10}, // advantage: better on one axis, at parity or better on the other
                {1.10, 0.90}, {1.00, 0.90},                // premium
                {0.90, 1.10}, {0.90, 1.00},                // economy
                {0.90, 0.90}, {0.97, 0.97},                // disadvantage
                {null, 1.0}, {1.0, null}};                 // undefined
        assertEquals(Arrays.asList("parity", "parity", "parity",
                "advantage", "advantage", "advantage",
                "premium", "premium",
                "economy", "economy",
                "disadvantage", "disadvantage",
                null, null), classify(0.02, points));
    }

    @Test
    void withoutABandOnlyExactParityIsParity() {
        Double[][] points = {{1.0, 1.0}, {1.0, 1.2}, {1.0, 0.99}, {0.99, 1.0}, {0.99, 0.99}};
        assertEquals(List.of("parity", "advantage", "premium", "economy", "disadvantage"), classify(0, points));
    }
}
