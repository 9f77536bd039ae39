package dev.cvm.models;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The MLlib stages of every cvm model: the preprocessing pipeline (cast, missing indicators, median imputation,
 * string indexing + one-hot encoding, vector assembly) and the candidate classifiers of the bounded search.
 */
public final class ModelPipelines {
    public static final String LABEL = "label";
    public static final String WEIGHT = "_weight";
    public static final String FEATURES = "features";
    static final String SCALED = "features_std";
    static final String NUM = "__num";
    static final String IMPUTED = "__imp";
    static final String MISSING = "__missing";
    static final String INDEX = "__idx";
    static final String ONE_HOT = "__ohe";

    private static final Map<String, String> SHORT = Map.of("regParam", "reg", "elasticNetParam", "l1",
            "maxIter", "iter", "maxDepth", "depth", "stepSize", "step", "minInstancesPerNode", "min_node",
            "subsamplingRate", "sub");

    private ModelPipelines() {}

    /**
     * Preprocessing, fitted once per model on the fit rows and reused for every candidate:
     * <ol>
     *   <li>SQLTransformer: every numeric input (booleans included) cast to double; a 0/1 missing indicator for
     *       the columns listed in {@link FeatureSet#missingIndicators()};</li>
     *   <li>Imputer (median: robust to the skew of counts and amounts) fills the nulls;</li>
     *   <li>StringIndexer (handleInvalid = keep: unseen and null categories get their own index) + OneHotEncoder;</li>
     *   <li>VectorAssembler into {@value #FEATURES}.</li>
     * </ol>
     */
    public static Pipeline preprocessing(FeatureSet fs) {
        List<PipelineStage> stages = new ArrayList<>();
        List<String> assembled = new ArrayList<>();
        if (!fs.numeric().isEmpty() || !fs.missingIndicators().isEmpty()) {
            StringBuilder sql = new StringBuilder("SELECT *");
            for (String c : fs.numeric()) {
                sql.append(", CAST(").append(FeatureSet.quote(c)).append(" AS DOUBLE) AS ")
                        .append(FeatureSet.quote(c + NUM));
            }
            for (String c : fs.missingIndicators()) {
                sql.append(", CAST(").append(FeatureSet.quote(c)).append(" IS NULL AS DOUBLE) AS ")
                        .append(FeatureSet.quote(c + MISSING));
            }
            stages.add(new SQLTransformer().setStatement(sql.append(" FROM __THIS__").toString()));
        }
        if (!fs.numeric().isEmpty()) {
            String[] in = fs.numeric().stream().map(c -> c + NUM).toArray(String[]::new);
            String[] out = fs.numeric().stream().map(c -> c + IMPUTED).toArray(String[]::new);
            stages.add(new Imputer().setStrategy("median").setInputCols(in).setOutputCols(out));
            assembled.addAll(List.of(out));
        }
        fs.missingIndicators().forEach(c -> assembled.add(c + MISSING));
        if (!fs.categorical().isEmpty()) {
            String[] in = fs.categorical().toArray(String[]::new);
            String[] idx = fs.categorical().stream().map(c -> c + INDEX).toArray(String[]::new);
            String[] ohe = fs.categorical().stream().map(c -> c + ONE_HOT).toArray(String[]::new);
            stages.add(new StringIndexer().setInputCols(in).setOutputCols(idx).setHandleInvalid("keep")
                    .setStringOrderType("frequencyDesc"));
            stages.add(new OneHotEncoder().setInputCols(idx).setOutputCols(ohe).setHandleInvalid("keep")
                    .setDropLast(true));
            assembled.addAll(List.of(ohe));
        }
        stages.add(new VectorAssembler().setInputCols(assembled.toArray(String[]::new)).setOutputCol(FEATURES)
                .setHandleInvalid("keep"));
        return new Pipeline().setStages(stages.toArray(new PipelineStage[0]));
    }

    /** One point of the hyper-parameter grid: a family, its parameters, and the stages fitted after preprocessing. */
    public record Candidate(String family, Map<String, String> params, PipelineStage[] stages) {
        public String describe() {
            StringBuilder sb = new StringBuilder(family);
            params.forEach((k, v) -> sb.append(' ').append(SHORT.getOrDefault(k, k)).append('=').append(v));
            return sb.toString();
        }
    }

    /** The bounded search: every combination of the configured grids, logistic regression first. */
    public static List<Candidate> candidates(ModelSettings s) {
        List<Candidate> out = new ArrayList<>();
        if (s.families().contains(ModelSettings.LOGISTIC)) {
            for (double reg : s.lrRegParams()) {
                for (double en : s.lrElasticNetParams()) {
                    // Standardised explicitly, so the coefficients are comparable importances.
                    StandardScaler scaler = new StandardScaler().setInputCol(FEATURES).setOutputCol(SCALED)
                            .setWithMean(true).setWithStd(true);
                    LogisticRegression lr = new LogisticRegression().setFeaturesCol(SCALED).setLabelCol(LABEL)
                            .setWeightCol(WEIGHT).setFamily("binomial").setStandardization(false)
                            .setRegParam(reg).setElasticNetParam(en).setMaxIter(s.lrMaxIter()).setTol(1e-6);
                    Map<String, String> p = new LinkedHashMap<>();
                    p.put("regParam", fmt(reg));
                    p.put("elasticNetParam", fmt(en));
                    p.put("maxIter", String.valueOf(s.lrMaxIter()));
                    out.add(new Candidate(ModelSettings.LOGISTIC, p, new PipelineStage[] {scaler, lr}));
                }
            }
        }
        if (s.families().contains(ModelSettings.GBT)) {
            for (int depth : s.gbtMaxDepths()) {
                GBTClassifier gbt = new GBTClassifier().setFeaturesCol(FEATURES).setLabelCol(LABEL)
                        .setWeightCol(WEIGHT).setMaxDepth(depth).setMaxIter(s.gbtMaxIter())
                        .setStepSize(s.gbtStepSize()).setMinInstancesPerNode(s.gbtMinInstancesPerNode())
                        .setSubsamplingRate(s.gbtSubsamplingRate()).setMaxBins(32).setSeed(s.seed());
                Map<String, String> p = new LinkedHashMap<>();
                p.put("maxDepth", String.valueOf(depth));
                p.put("maxIter", String.valueOf(s.gbtMaxIter()));
                p.put("stepSize", fmt(s.gbtStepSize()));
                p.put("minInstancesPerNode", String.valueOf(s.gbtMinInstancesPerNode()));
                p.put("subsamplingRate", fmt(s.gbtSubsamplingRate()));
                out.add(new Candidate(ModelSettings.GBT, p, new PipelineStage[] {gbt}));
            }
        }
        return out;
    }

    /**
     * A readable name for a slot of the assembled vector: {@code tenure_days}, {@code survey_nps (missing)},
     * {@code plan=premium}.
     */
    public static String featureName(String slot) {
        if (slot.endsWith(IMPUTED)) {
            return slot.substring(0, slot.length() - IMPUTED.length());
        }
        if (slot.endsWith(MISSING)) {
            return slot.substring(0, slot.length() - MISSING.length()) + " (missing)";
        }
        int i = slot.indexOf(ONE_HOT + "_");
        if (i > 0) {
            return slot.substring(0, i) + "=" + slot.substring(i + ONE_HOT.length() + 1);
        }
        return slot;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }
}
