package dev.cvm.monitor;

import dev.cvm.spark.StableQuantiles;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

/**
 * PSI of many numeric columns at once. Bin edges are the baseline's deciles (approximate quantiles, a few numbers on
 * the driver, the same on any cluster layout: {@link StableQuantiles}); nulls get a bin of their own, so a feature
 * that starts going missing shows as drift. Each frame is
 * scanned once: every row emits (column, bin) pairs that one aggregation counts.
 */
public final class DriftComputation {
    static final int NULL_BIN = -1;
    private static final double[] DECILES = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

    private DriftComputation() {}

    public record FeatureDrift(String feature, double psi, long baselineRows, long currentRows) {}

    public static List<FeatureDrift> psi(Dataset<Row> baseline, Dataset<Row> current, List<String> features) {
        if (features.isEmpty()) {
            return List.of();
        }
        Dataset<Row> b = numeric(baseline, features);
        Dataset<Row> c = numeric(current, features);
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
        Map<String, Map<Integer, Long>> bc = counts(b, features, edges);
        Map<String, Map<Integer, Long>> cc = counts(c, features, edges);
        long nb = baseline.count();
        long nc = current.count();
        List<FeatureDrift> out = new ArrayList<>();
        for (String f : features) {
            int bins = edges.get(f).length + 1;
            long[] eb = new long[bins + 1];
            long[] ec = new long[bins + 1];
            for (int i = -1; i < bins; i++) {
                eb[i + 1] = bc.getOrDefault(f, Map.of()).getOrDefault(i, 0L);
                ec[i + 1] = cc.getOrDefault(f, Map.of()).getOrDefault(i, 0L);
            }
            out.add(new FeatureDrift(f, Psi.index(eb, ec), nb, nc));
        }
        return out;
    }

    private static Dataset<Row> numeric(Dataset<Row> df, List<String> features) {
        return df.select(features.stream().map(f -> col(f).cast("double").as(f)).toArray(Column[]::new));
    }

    private static Map<String, Map<Integer, Long>> counts(Dataset<Row> df, List<String> features,
                                                          Map<String, double[]> edges) {
        List<Column> pairs = new ArrayList<>();
        for (String f : features) {
            pairs.add(struct(lit(f).as("feature"), bin(col(f), edges.get(f)).as("bin")));
        }
        Map<String, Map<Integer, Long>> out = new HashMap<>();
        for (Row r : df.select(explode(array(pairs.toArray(new Column[0]))).as("p"))
                .groupBy(col("p.feature"), col("p.bin")).count().collectAsList()) {
            out.computeIfAbsent(r.getString(0), k -> new HashMap<>()).put(r.getInt(1), r.getLong(2));
        }
        return out;
    }

    /** Index of the first edge the value is at or below; values above every edge fall in the last bin. */
    static Column bin(Column v, double[] edges) {
        Column b = when(v.isNull().or(v.isNaN()), lit(NULL_BIN));
        for (int i = 0; i < edges.length; i++) {
            b = b.when(v.leq(edges[i]), lit(i));
        }
        return b.otherwise(lit(edges.length));
    }
}
