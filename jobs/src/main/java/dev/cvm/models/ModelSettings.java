package dev.cvm.models;

import com.typesafe.config.Config;
import dev.cvm.CvmException;

import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * Settings of the propensity models ({@code cvm.models}): seed, promotion gate, calibration, hold-out, class weights,
 * the model families and their (small) hyper-parameter grids, and the {@code evaluate} column inference thresholds.
 */
public record ModelSettings(long seed, boolean reproducibleTraining, int parallelFits, int parallelModels,
                            int rowsPerPartition, String promotionMetric, double promotionMargin, double minRocAuc,
                            String calibration, double holdoutShare, String classWeights, List<String> families,
                            List<Double> lrRegParams, List<Double> lrElasticNetParams, int lrMaxIter,
                            List<Integer> gbtMaxDepths, int gbtMaxIter, double gbtStepSize,
                            int gbtMinInstancesPerNode, double gbtSubsamplingRate, List<String> excludeFeatures,
                            int topFeatures, double evaluateTestShare, int evaluateMaxCategories,
                            double evaluateNumericShare) implements Serializable {

    public static final String LOGISTIC = "logistic";
    public static final String GBT = "gbt";
    private static final Set<String> FAMILIES = Set.of(LOGISTIC, GBT);

    public static ModelSettings from(Config root) {
        Config c = root.getConfig("cvm.models");
        String metric = c.getString("promotion-metric");
        if (!List.of("roc_auc", "pr_auc", "brier").contains(metric)) {
            throw CvmException.usage("config key cvm.models.promotion-metric must be roc_auc, pr_auc or brier, got "
                    + metric);
        }
        String calibration = c.getString("calibration");
        if (!List.of("isotonic", "platt").contains(calibration)) {
            throw CvmException.usage("config key cvm.models.calibration must be isotonic or platt, got " + calibration);
        }
        String weights = c.getString("class-weights");
        if (!List.of("balanced", "sqrt", "none").contains(weights)) {
            throw CvmException.usage("config key cvm.models.class-weights must be balanced, sqrt or none, got "
                    + weights);
        }
        List<String> families = c.getStringList("families");
        if (families.isEmpty() || !FAMILIES.containsAll(families)) {
            throw CvmException.usage("config key cvm.models.families must list logistic and/or gbt, got " + families);
        }
        double margin = c.getDouble("promotion-margin");
        if (margin < 0) {
            throw CvmException.usage("config key cvm.models.promotion-margin must be >= 0, got " + margin);
        }
        List<Double> reg = c.getDoubleList("logistic.reg-params");
        List<Double> en = c.getDoubleList("logistic.elastic-net-params");
        if (reg.isEmpty() || reg.stream().anyMatch(v -> v < 0)) {
            throw CvmException.usage("config key cvm.models.logistic.reg-params must list values >= 0, got " + reg);
        }
        if (en.isEmpty() || en.stream().anyMatch(v -> v < 0 || v > 1)) {
            throw CvmException.usage("config key cvm.models.logistic.elastic-net-params must list values in [0, 1], got "
                    + en);
        }
        List<Integer> depths = c.getIntList("gbt.max-depths");
        if (depths.isEmpty() || depths.stream().anyMatch(d -> d < 1 || d > 30)) {
            throw CvmException.usage("config key cvm.models.gbt.max-depths must list depths in 1..30, got " + depths);
        }
        double stepSize = c.getDouble("gbt.step-size");
        if (!(stepSize > 0 && stepSize <= 1)) {
            throw CvmException.usage("config key cvm.models.gbt.step-size must be in (0, 1], got " + stepSize);
        }
        double subsampling = c.getDouble("gbt.subsampling-rate");
        if (!(subsampling > 0 && subsampling <= 1)) {
            throw CvmException.usage("config key cvm.models.gbt.subsampling-rate must be in (0, 1], got " + subsampling);
        }
        double holdout = c.getDouble("holdout-share");
        if (!(holdout > 0 && holdout <= 1)) {
            throw CvmException.usage("config key cvm.models.holdout-share must be in (0, 1], got " + holdout);
        }
        double testShare = c.getDouble("evaluate.test-share");
        if (!(testShare > 0 && testShare < 1)) {
            throw CvmException.usage("config key cvm.models.evaluate.test-share must be in (0, 1), got " + testShare);
        }
        double numericShare = c.getDouble("evaluate.numeric-share");
        if (!(numericShare > 0 && numericShare <= 1)) {
            throw CvmException.usage("config key cvm.models.evaluate.numeric-share must be in (0, 1], got "
                    + numericShare);
        }
        return new ModelSettings(c.getLong("seed"), c.getBoolean("reproducible-training"), positive(c, "parallel-fits"),
                positive(c, "parallel-models"), positive(c, "rows-per-partition"), metric, margin,
                c.getDouble("min-roc-auc"), calibration, holdout, weights, List.copyOf(families), List.copyOf(reg),
                List.copyOf(en), positive(c, "logistic.max-iter"), List.copyOf(depths), positive(c, "gbt.max-iter"),
                stepSize, positive(c, "gbt.min-instances-per-node"), subsampling,
                List.copyOf(c.getStringList("exclude-features")), positive(c, "top-features"), testShare,
                positive(c, "evaluate.max-categories"), numericShare);
    }

    private static int positive(Config c, String key) {
        int v = c.getInt(key);
        if (v <= 0) {
            throw CvmException.usage("config key cvm.models." + key + " must be a positive integer, got " + v);
        }
        return v;
    }

    /**
     * Weights of the positive and the negative class for fit rows with {@code positives} of {@code n}, normalised so
     * the total weight stays n. balanced: each class weighs half; sqrt: the positive class is up-weighted by the square
     * root of the negative/positive ratio only; none: 1 and 1.
     */
    public double[] classWeights(long n, long positives) {
        long negatives = n - positives;
        double ratio = switch (classWeights) {
            case "balanced" -> (double) negatives / positives;
            case "sqrt" -> Math.sqrt((double) negatives / positives);
            default -> 1.0;
        };
        double scale = n / (positives * ratio + negatives);
        return new double[] {ratio * scale, scale};
    }

    /** Partitions for fitting on {@code rows} rows: one per {@link #rowsPerPartition}, at least one. */
    public int fitPartitions(long rows) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (rows + rowsPerPartition - 1) / rowsPerPartition));
    }

    /** True when a larger value of the promotion metric is better. */
    public boolean higherIsBetter() {
        return !promotionMetric.equals("brier");
    }
}
