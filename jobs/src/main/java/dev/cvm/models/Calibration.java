package dev.cvm.models;

import dev.cvm.CvmException;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.IsotonicRegression;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Locale;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

/**
 * Maps the raw model score to a calibrated probability, fitted on held-out rows (never the rows the model was fitted
 * on). The raw score of a class-weighted model is far from a probability (balanced weights pull it towards 0.5);
 * calibration restores the base rate, and the calibrated probability is what scoring writes.
 *
 * <ul>
 *   <li>isotonic (default): MLlib IsotonicRegression of the label on the raw score, a monotone step function,
 *       so the ranking (and the lift by decile) is kept apart from ties;</li>
 *   <li>platt: a logistic regression of the label on logit(raw score), two parameters, smoother on small hold-outs.</li>
 * </ul>
 * The calibrator is a PipelineModel reading {@link #RAW} and writing {@link #CALIBRATED}, persisted with the model.
 */
public final class Calibration {
    public static final String RAW = "raw_score";
    public static final String CALIBRATED = "calibrated_probability";
    private static final double EPS = 1e-6;

    private Calibration() {}

    /** {@code scored} holds {@link #RAW} and the 0/1 label {@link ModelPipelines#LABEL}. */
    public static PipelineModel fit(Dataset<Row> scored, String method) {
        Dataset<Row> in = scored.select(col(RAW), col(ModelPipelines.LABEL));
        return switch (method) {
            case "isotonic" -> new Pipeline().setStages(new PipelineStage[] {new IsotonicRegression()
                    .setFeaturesCol(RAW).setLabelCol(ModelPipelines.LABEL).setPredictionCol(CALIBRATED)
                    .setIsotonic(true)}).fit(in);
            case "platt" -> platt(in);
            default -> throw new CvmException("unknown calibration method " + method);
        };
    }

    private static PipelineModel platt(Dataset<Row> in) {
        String logit = "LN(" + clamped() + " / (1 - " + clamped() + "))";
        Dataset<Row> x = new VectorAssembler().setInputCols(new String[] {"__logit"}).setOutputCol("__x")
                .transform(in.withColumn("__logit", expr(logit)));
        LogisticRegressionModel lr = new LogisticRegression().setFeaturesCol("__x").setLabelCol(ModelPipelines.LABEL)
                .setRegParam(0.0).setMaxIter(100).fit(x);
        double a = lr.coefficients().apply(0);
        double b = lr.intercept();
        String sql = String.format(Locale.ROOT,
                "SELECT *, 1.0 / (1.0 + EXP(-((%.17g) * %s + (%.17g)))) AS %s FROM __THIS__", a, logit, b, CALIBRATED);
        return new Pipeline().setStages(new PipelineStage[] {new SQLTransformer().setStatement(sql)}).fit(in);
    }

    private static String clamped() {
        return String.format(Locale.ROOT, "LEAST(GREATEST(%s, %s), %s)", RAW, EPS, 1 - EPS);
    }
}
