package dev.cvm.models;

import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * A trained model as scoring uses it: the MLlib PipelineModel (preprocessing + classifier) and the calibrator, both
 * persisted with MLlib under the model's artifact directory ({@code pipeline/}, {@code calibrator/}).
 *
 * @param inputColumns the columns of the scored table the pipeline reads
 */
public record FittedModel(PipelineModel pipeline, PipelineModel calibrator, List<String> inputColumns, String family,
                          Map<String, String> params) {

    public static final String PIPELINE_DIR = "pipeline";
    public static final String CALIBRATOR_DIR = "calibrator";

    /**
     * {@code rows} plus {@link Calibration#RAW} (uncalibrated probability of the positive class) and
     * {@link Calibration#CALIBRATED}; every other column the pipeline adds is dropped.
     */
    public Dataset<Row> score(Dataset<Row> rows) {
        Dataset<Row> raw = withRawScore(pipeline, rows);
        return calibrator.transform(raw).select(keep(rows, Calibration.RAW, Calibration.CALIBRATED));
    }

    static Dataset<Row> withRawScore(PipelineModel pipeline, Dataset<Row> rows) {
        Dataset<Row> out = pipeline.transform(rows);
        Column p1 = org.apache.spark.ml.functions.vector_to_array(col("probability"), "float64").getItem(1);
        return out.withColumn(Calibration.RAW, p1).select(keep(rows, Calibration.RAW));
    }

    private static Column[] keep(Dataset<Row> rows, String... extra) {
        List<Column> cols = new ArrayList<>();
        Arrays.stream(rows.columns()).forEach(c -> cols.add(col(FeatureSet.quote(c))));
        Arrays.stream(extra).forEach(c -> cols.add(col(c)));
        return cols.toArray(new Column[0]);
    }

    public void save(String dir) {
        try {
            pipeline.write().overwrite().save(dir + "/" + PIPELINE_DIR);
            calibrator.write().overwrite().save(dir + "/" + CALIBRATOR_DIR);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the model to " + dir, e);
        }
    }

    public static FittedModel load(String dir, List<String> inputColumns, String family, Map<String, String> params) {
        return new FittedModel(PipelineModel.load(dir + "/" + PIPELINE_DIR),
                PipelineModel.load(dir + "/" + CALIBRATOR_DIR), inputColumns, family, params);
    }
}
