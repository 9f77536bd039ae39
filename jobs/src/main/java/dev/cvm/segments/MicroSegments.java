package dev.cvm.segments;

import dev.cvm.spark.ExactSums;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.evaluation.ClusteringEvaluator;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Behavioural micro-segments: k-means on standardised behavioural features (medians imputed), with k chosen within
 * [k-min, k-max] by silhouette on a seeded sample; the chosen model then labels every account. Each segment gets a
 * profile: its most distinctive features in standard deviations from the population mean, so a marketer can name it.
 */
public final class MicroSegments {
    public record Result(Dataset<Row> labelled, int k, double silhouette, List<Profile> profiles) {}

    public record Profile(int segment, String description) {}

    private MicroSegments() {}

    public static Result fit(Dataset<Row> df, SegmentSettings s) {
        String[] features = s.microFeatures().toArray(new String[0]);
        String[] imputed = s.microFeatures().stream().map(f -> "_imp_" + f).toArray(String[]::new);
        Dataset<Row> numeric = df;
        for (String f : features) {
            numeric = numeric.withColumn("_d_" + f, col(f).cast("double"));
        }
        String[] doubles = s.microFeatures().stream().map(f -> "_d_" + f).toArray(String[]::new);
        Imputer imputer = new Imputer().setStrategy("median").setInputCols(doubles).setOutputCols(imputed);
        VectorAssembler assembler = new VectorAssembler().setInputCols(imputed).setOutputCol("_raw");
        StandardScaler scaler = new StandardScaler().setInputCol("_raw").setOutputCol("_z").setWithMean(true).setWithStd(true);
        long n = df.count();
        double fraction = Math.min(1.0, (double) s.sampleSize() / Math.max(1, n));
        // The sample is picked by a seeded hash of the account id and fitted in one sorted partition, not by Spark's
        // per-partition sampler: the segments must not depend on how many partitions or executors the run had
        // (k-means, the scaler and the silhouette all sum doubles in partition order). 20k rows fit one task easily.
        long buckets = 1_000_000;
        Dataset<Row> sample = numeric
                .where(pmod(xxhash64(col("account_id"), lit(s.seed())), lit(buckets)).lt(lit(fraction * buckets)))
                .repartition(1).sortWithinPartitions("account_id").cache();
        try {
            PipelineModel prep = new Pipeline().setStages(new PipelineStage[] {imputer, assembler, scaler}).fit(sample);
            Dataset<Row> prepared = prep.transform(sample).cache();
            ClusteringEvaluator evaluator = new ClusteringEvaluator().setFeaturesCol("_z").setPredictionCol("_cluster");
            int bestK = -1;
            double best = Double.NEGATIVE_INFINITY;
            org.apache.spark.ml.clustering.KMeansModel bestModel = null;
            long distinct = Math.max(2, Math.min(s.kMax(), prepared.count() - 1));
            for (int k = s.kMin(); k <= Math.min(s.kMax(), distinct); k++) {
                var model = new KMeans().setK(k).setSeed(s.seed()).setFeaturesCol("_z").setPredictionCol("_cluster")
                        .setMaxIter(30).fit(prepared);
                double sil = evaluator.evaluate(model.transform(prepared));
                if (sil > best) {
                    best = sil;
                    bestK = k;
                    bestModel = model;
                }
            }
            prepared.unpersist();
            Dataset<Row> all = bestModel.transform(prep.transform(numeric));
            List<Profile> profiles = profiles(all, s.microFeatures(), bestK);
            Dataset<Row> labelled = all.withColumn("micro_segment", col("_cluster").cast("int"))
                    .drop(imputed).drop(doubles).drop("_raw", "_z", "_cluster");
            return new Result(labelled, bestK, best, profiles);
        } finally {
            sample.unpersist();
        }
    }

    /** Mean z-score of each feature per segment: a k x features table, small enough for the driver. */
    private static List<Profile> profiles(Dataset<Row> all, List<String> features, int k) {
        Dataset<Row> z = all.select(col("_cluster"), functions.vector_to_array(col("_z"), "float64").as("_za"));
        List<Column> aggs = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            aggs.add(ExactSums.avg(col("_za").getItem(i), ExactSums.FINE).as("f" + i));
        }
        List<Profile> out = new ArrayList<>();
        for (Row r : z.groupBy("_cluster").agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]))
                .orderBy("_cluster").collectAsList()) {
            int seg = r.getInt(0);
            List<int[]> idx = new ArrayList<>();
            for (int i = 0; i < features.size(); i++) {
                idx.add(new int[] {i});
            }
            idx.sort(Comparator.comparingDouble((int[] a) -> -Math.abs(r.getDouble(1 + a[0]))));
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < Math.min(3, idx.size()); j++) {
                int i = idx.get(j)[0];
                double v = r.getDouble(1 + i);
                sb.append(j > 0 ? ", " : "").append(v >= 0 ? "high " : "low ").append(features.get(i))
                        .append(String.format(Locale.ROOT, " (%+.1f sd)", v));
            }
            out.add(new Profile(seg, sb.toString()));
        }
        return out;
    }
}
