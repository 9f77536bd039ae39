package dev.cvm.monitor;

import dev.cvm.spark.StableQuantiles;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * PSI of many numeric columns at once. Bin edges are the baseline's deciles (approximate quantiles, a few numbers on
 * the driver, the same on any cluster layout: {@link StableQuantiles}); nulls get a bin of their own, so a feature
 * that starts going missing shows as drift. The bin counts of both frames come from one scan of each.
 */
public final class DriftComputation {
    private static final String SIDE = "_side";
    private static final double[] DECILES = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

    private DriftComputation() {}

    public record FeatureDrift(String feature, double psi, long baselineRows, long currentRows) {}

    public static List<FeatureDrift> psi(Dataset<Row> baseline, Dataset<Row> current, List<String> features) {
        if (features.isEmpty()) {
            return List.of();
        }
        // The whole baseline rows (key included) go in, so a sample of a big baseline is a sample of accounts.
        Map<String, Column> asDouble = new HashMap<>();
        features.forEach(f -> asDouble.put(f, col(f).cast("double")));
        double[][] q = StableQuantiles.of(baseline.withColumns(asDouble), features.toArray(new String[0]), DECILES,
                1e-3);
        Map<String, double[]> edges = new HashMap<>();
        for (int i = 0; i < features.size(); i++) {
            edges.put(features.get(i), new TreeSet<>(Arrays.stream(q[i]).boxed().toList()).stream()
                    .mapToDouble(Double::doubleValue).toArray());
        }
        long[][][] counts = counts(numeric(baseline, features), numeric(current, features), features, edges);
        List<FeatureDrift> out = new ArrayList<>();
        for (int j = 0; j < features.size(); j++) {
            out.add(new FeatureDrift(features.get(j), Psi.index(counts[0][j], counts[1][j]), total(counts, 0),
                    total(counts, 1)));
        }
        return out;
    }

    /** The features as doubles, named {@code _v0, _v1, ...} in feature order. */
    private static Dataset<Row> numeric(Dataset<Row> df, List<String> features) {
        Column[] cols = new Column[features.size()];
        for (int j = 0; j < cols.length; j++) {
            cols[j] = col(features.get(j)).cast("double").as("_v" + j);
        }
        return df.select(cols);
    }

    /**
     * [side][feature][bin + 1] counts, side 0 the baseline and 1 the current frame, index 0 the null bin: one job over
     * both frames, each row binned and counted by {@link BinCounter}.
     */
    private static long[][][] counts(Dataset<Row> baseline, Dataset<Row> current, List<String> features,
                                     Map<String, double[]> edges) {
        double[][] featureEdges = features.stream().map(edges::get).toArray(double[][]::new);
        BinCounter counter = new BinCounter(featureEdges);
        Dataset<Row> sides = baseline.withColumn(SIDE, lit(0)).unionByName(current.withColumn(SIDE, lit(1)));
        Dataset<Row> inputs = sides.drop(SIDE);
        Column count = functions.udaf(counter, Encoders.row(inputs.schema()))
                .apply(Arrays.stream(inputs.columns()).map(c -> col(c)).toArray(Column[]::new))
                .getField("values");
        long[][][] out = new long[2][features.size()][];
        for (int side = 0; side < 2; side++) {
            for (int j = 0; j < features.size(); j++) {
                out[side][j] = new long[counter.bins(j)];
            }
        }
        // bounded: one row per side
        for (Row r : sides.groupBy(col(SIDE)).agg(count).collectAsList()) {
            List<Long> values = r.getList(1);
            for (int j = 0; j < features.size(); j++) {
                for (int i = 0; i < counter.bins(j); i++) {
                    out[r.getInt(0)][j][i] = values.get(counter.offset(j) + i);
                }
            }
        }
        return out;
    }

    /** Rows of one side: the counts of any feature add up to them, nulls included. */
    private static long total(long[][][] counts, int side) {
        return Arrays.stream(counts[side][0]).sum();
    }
}
