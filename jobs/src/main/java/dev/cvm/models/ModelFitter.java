package dev.cvm.models;

import dev.cvm.CvmException;
import dev.cvm.pipeline.Concurrently;
import dev.cvm.pipeline.StepLog;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * The training procedure shared by {@code cvm train} and {@code cvm evaluate}: given fit rows and held-out rows
 * (label {@value ModelPipelines#LABEL} in 0/1), it fits the preprocessing once, fits every candidate of the bounded
 * search on the fit rows with class weights, picks the candidate with the best ROC AUC on the held-out rows, and
 * calibrates the winner's raw score on the same held-out rows. The rows a model is finally judged on (the validation
 * as-of date, the test split) are never seen here.
 */
public final class ModelFitter {
    private final ModelSettings settings;
    private final StepLog log;

    public ModelFitter(ModelSettings settings, StepLog log) {
        this.settings = settings;
        this.log = log;
    }

    public record CandidateResult(String family, Map<String, String> params, double holdoutRocAuc) {}

    public record Importance(String feature, double importance) {}

    /** One fitted candidate and its ROC AUC on the held-out rows. */
    record CandidateFit(ModelPipelines.Candidate candidate, PipelineModel model, double holdoutRocAuc) {}

    /** The fitted model and what the search saw on the way. */
    public record Result(FittedModel model, FeatureSet features, List<CandidateResult> candidates,
                         List<Importance> importances, long fitRows, long fitPositives, long holdoutRows,
                         long holdoutPositives) {}

    public Result fit(String name, Dataset<Row> fitRows, Dataset<Row> holdoutRows, FeatureSet candidates) {
        long[] fitCounts = counts(fitRows);
        long[] holdCounts = counts(holdoutRows);
        requireBothClasses(name, "fit", fitCounts);
        requireBothClasses(name, "held-out (selection and calibration)", holdCounts);

        FeatureSet fs = candidates.profiledOn(fitRows);
        if (fs.isEmpty()) {
            throw new CvmException(name + ": no usable feature columns (all constant, empty or excluded)");
        }
        PipelineModel prep = ModelPipelines.preprocessing(fs).fit(fitRows);
        double[] w = settings.classWeights(fitCounts[0], fitCounts[1]);
        double wPos = w[0];
        double wNeg = w[1];
        // Coalesced to a size-derived partition count (never more partitions than there are): on small data the
        // per-task cost of the hundreds of jobs a fit runs is most of the training time.
        Dataset<Row> fitX = prep.transform(fitRows.coalesce(settings.fitPartitions(fitCounts[0]))
                        .withColumn(ModelPipelines.WEIGHT, when(col(ModelPipelines.LABEL).equalTo(1.0), wPos).otherwise(wNeg)))
                .select(ModelPipelines.FEATURES, ModelPipelines.LABEL, ModelPipelines.WEIGHT)
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> holdX = prep.transform(holdoutRows.coalesce(settings.fitPartitions(holdCounts[0])))
                .select(ModelPipelines.FEATURES, ModelPipelines.LABEL)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<CandidateFit> fits = Concurrently.map(ModelPipelines.candidates(settings), settings.parallelFits(),
                    c -> {
                        PipelineModel m = log.run("  " + name + ": fit " + c.describe(),
                                () -> new Pipeline().setStages(c.stages()).fit(fitX));
                        Dataset<Row> scored = FittedModel.withRawScore(m, holdX);
                        return new CandidateFit(c, m, BinaryMetrics.rocAuc(scored, ModelPipelines.LABEL,
                                Calibration.RAW));
                    });
            List<CandidateResult> results = new ArrayList<>();
            PipelineModel best = null;
            CandidateResult bestResult = null;
            // In grid order, whatever order the fits finished in: the choice does not depend on timing.
            for (CandidateFit f : fits) {
                CandidateResult r = new CandidateResult(f.candidate().family(), f.candidate().params(),
                        f.holdoutRocAuc());
                log.info("    %s: %s held-out ROC AUC %.4f", name, f.candidate().describe(), f.holdoutRocAuc());
                results.add(r);
                // Strictly better only: on a tie the earlier (simpler, logistic first) candidate stays.
                if (bestResult == null || r.holdoutRocAuc() > bestResult.holdoutRocAuc()) {
                    best = f.model();
                    bestResult = r;
                }
            }
            PipelineModel full = new Pipeline().setStages(new PipelineStage[] {prep, best}).fit(fitRows);
            Dataset<Row> holdScored = FittedModel.withRawScore(full, holdoutRows);
            PipelineModel calibrator = Calibration.fit(holdScored, settings.calibration());
            FittedModel model = new FittedModel(full, calibrator, fs.inputColumns(), bestResult.family(),
                    bestResult.params());
            List<Importance> importances = importances(best, fitX.schema());
            return new Result(model, fs, results, importances, fitCounts[0], fitCounts[1], holdCounts[0],
                    holdCounts[1]);
        } finally {
            fitX.unpersist();
            holdX.unpersist();
        }
    }

    private static long[] counts(Dataset<Row> rows) {
        Row r = rows.agg(count(lit(1)), sum(col(ModelPipelines.LABEL))).first();
        return new long[] {r.getLong(0), r.isNullAt(1) ? 0 : Math.round(r.getDouble(1))};
    }

    private static void requireBothClasses(String name, String what, long[] c) {
        if (c[1] == 0 || c[1] == c[0]) {
            throw new CvmException(name + ": the " + what + " rows hold a single class (" + c[1] + " positive of "
                    + c[0] + "); a model needs both. More accounts or more labelled as-of dates are needed.");
        }
    }

    /**
     * GBT: featureImportances; logistic regression: |coefficient| on the standardised features. Mapped back to
     * names through the assembled vector's attribute metadata, largest first.
     */
    private List<Importance> importances(PipelineModel classifier, StructType assembledSchema) {
        Transformer last = classifier.stages()[classifier.stages().length - 1];
        Vector v;
        if (last instanceof GBTClassificationModel g) {
            v = g.featureImportances();
        } else if (last instanceof LogisticRegressionModel lr) {
            v = lr.coefficients();
        } else {
            return List.of();
        }
        Attribute[] attrs = AttributeGroup.fromStructField(assembledSchema.apply(ModelPipelines.FEATURES))
                .attributes().get();
        List<Importance> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            String slot = i < attrs.length && attrs[i].name().isDefined() ? attrs[i].name().get() : "f" + i;
            out.add(new Importance(ModelPipelines.featureName(slot), Math.abs(v.apply(i))));
        }
        out.sort(Comparator.comparingDouble(Importance::importance).reversed().thenComparing(Importance::feature));
        return List.copyOf(out.subList(0, Math.min(settings.topFeatures(), out.size())));
    }
}
