package dev.cvm.models;

import dev.cvm.spark.StableQuantiles;
import dev.cvm.CvmException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import scala.Tuple2;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Quality of a binary probability model on labelled rows: ranking (ROC AUC, PR AUC), calibration (Brier score,
 * expected calibration error over 10 equal-width bins, the reliability table), and targeting value (lift and capture
 * rate by score decile). Everything is computed in Spark; only the small per-bin tables reach the driver.
 */
public final class BinaryMetrics {
    public static final int BINS = 10;

    private BinaryMetrics() {}

    /** One bin of the reliability table: predictions in [lower, upper). */
    public record ReliabilityBin(int bin, double lower, double upper, long count, double meanPredicted,
                                 double observedRate) {}

    /** One score decile, 1 = the highest scores. Cumulative columns cover deciles 1..this one. */
    public record Decile(int decile, long count, long positives, double meanPredicted, double observedRate,
                         double lift, double capture, double cumulativeLift, double cumulativeCapture) {}

    public record Evaluation(Map<String, Double> metrics, List<ReliabilityBin> reliability, List<Decile> deciles) {
        public double metric(String name) {
            Double v = metrics.get(name);
            return v == null ? Double.NaN : v;
        }
    }

    /** Only the area under the ROC curve of {@code score}. */
    public static double rocAuc(Dataset<Row> scored, String labelCol, String scoreCol) {
        return areas(scored, labelCol, scoreCol)[0];
    }

    /** One metric (roc_auc, pr_auc or brier) of a calibrated probability: what the promotion gate compares. */
    public static double metric(Dataset<Row> scored, String labelCol, String probCol, String name) {
        return switch (name) {
            case "roc_auc" -> areas(scored, labelCol, probCol)[0];
            case "pr_auc" -> areas(scored, labelCol, probCol)[1];
            case "brier" -> scored.agg(avg(pow(col(probCol).minus(col(labelCol).cast("double")), 2))).first()
                    .getDouble(0);
            default -> throw new IllegalArgumentException("unknown metric " + name);
        };
    }

    /** {ROC AUC, PR AUC} from one pass over the sorted scores (MLlib's BinaryClassificationMetrics, 1000 bins). */
    static double[] areas(Dataset<Row> scored, String labelCol, String scoreCol) {
        JavaRDD<Tuple2<Object, Object>> pairs = scored
                .select(col(scoreCol).cast("double"), col(labelCol).cast("double")).javaRDD()
                .map(r -> new Tuple2<>(r.getDouble(0), r.getDouble(1)));
        BinaryClassificationMetrics m = new BinaryClassificationMetrics(pairs.rdd(), 1000);
        try {
            return new double[] {m.areaUnderROC(), m.areaUnderPR()};
        } finally {
            m.unpersist();
        }
    }

    /**
     * Full evaluation. {@code probCol} is the calibrated probability; {@code rawCol} (may be null) the raw score,
     * used to order rows into deciles (calibration is monotone, so the order is the same, with fewer ties) and for
     * the uncalibrated Brier score. Callers should persist {@code scored}: it is read several times.
     */
    public static Evaluation evaluate(Dataset<Row> scored, String labelCol, String probCol, String rawCol) {
        Column y = col(labelCol).cast("double");
        Column p = col(probCol);
        List<Column> aggs = new ArrayList<>(List.of(sum(y).as("pos"), sum(pow(p.minus(y), 2)).as("se")));
        if (rawCol != null) {
            aggs.add(sum(pow(col(rawCol).minus(y), 2)).as("se_raw"));
        }
        Row totals = scored.agg(count(lit(1)).as("n"), aggs.toArray(new Column[0])).first();
        long n = totals.getLong(0);
        double positives = totals.isNullAt(1) ? 0 : totals.getDouble(1);
        if (n == 0) {
            throw new CvmException("no rows to evaluate on");
        }
        if (positives == 0 || positives == n) {
            throw new CvmException("the evaluation rows hold a single class (" + (long) positives + " positive of "
                    + n + "): metrics need both");
        }
        double rate = positives / n;
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("n", (double) n);
        m.put("positives", positives);
        m.put("positive_rate", rate);
        double[] areas = areas(scored, labelCol, probCol);
        m.put("roc_auc", areas[0]);
        m.put("pr_auc", areas[1]);
        m.put("brier", totals.getDouble(2) / n);
        if (rawCol != null) {
            m.put("brier_uncalibrated", totals.getDouble(3) / n);
        }
        List<ReliabilityBin> reliability = reliability(scored, y, p, n);
        double ece = 0;
        for (ReliabilityBin b : reliability) {
            ece += (double) b.count() / n * Math.abs(b.meanPredicted() - b.observedRate());
        }
        m.put("ece", ece);
        List<Decile> deciles = deciles(scored, y, p, rawCol != null ? rawCol : probCol, positives, rate);
        if (!deciles.isEmpty()) {
            m.put("lift_top_decile", deciles.get(0).lift());
            m.put("capture_top_decile", deciles.get(0).capture());
        }
        return new Evaluation(m, reliability, deciles);
    }

    private static List<ReliabilityBin> reliability(Dataset<Row> scored, Column y, Column p, long n) {
        Column bin = least(floor(p.multiply(BINS)), lit(BINS - 1)).cast("int");
        List<Row> rows = scored.groupBy(bin.as("bin")).agg(count(lit(1)), avg(p), avg(y)).orderBy("bin").collectAsList();
        List<ReliabilityBin> out = new ArrayList<>();
        for (Row r : rows) {
            int b = r.getInt(0);
            out.add(new ReliabilityBin(b, (double) b / BINS, (double) (b + 1) / BINS, r.getLong(1), r.getDouble(2),
                    r.getDouble(3)));
        }
        return out;
    }

    private static List<Decile> deciles(Dataset<Row> scored, Column y, Column p, String orderCol, double positives,
                                        double rate) {
        double[] probs = new double[BINS - 1];
        for (int i = 0; i < probs.length; i++) {
            probs[i] = (i + 1.0) / BINS;
        }
        double[] cuts = StableQuantiles.of(scored, orderCol, probs, 0.001);
        // decile 1 = above the 90% quantile; ties at a cut point fall into the lower decile.
        Column above = lit(0);
        for (double c : cuts) {
            above = above.plus(when(col(orderCol).gt(c), 1).otherwise(0));
        }
        Column decile = lit(BINS).minus(above);
        List<Row> rows = scored.groupBy(decile.as("decile")).agg(count(lit(1)), sum(y), avg(p)).orderBy("decile")
                .collectAsList();
        List<Decile> out = new ArrayList<>();
        long cumN = 0;
        double cumPos = 0;
        for (Row r : rows) {
            long cnt = r.getLong(1);
            double pos = r.getDouble(2);
            cumN += cnt;
            cumPos += pos;
            double obs = pos / cnt;
            out.add(new Decile(r.getInt(0), cnt, (long) pos, r.getDouble(3), obs, obs / rate, pos / positives,
                    (cumPos / cumN) / rate, cumPos / positives));
        }
        return out;
    }
}
