package dev.cvm.valuemap;

import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.cvm.valuemap.ValueMapColumns.ATTRIBUTE;
import static dev.cvm.valuemap.ValueMapColumns.OVERALL_VALUE_US;
import static dev.cvm.valuemap.ValueMapColumns.RATING_US;
import static dev.cvm.valuemap.ValueMapColumns.RESPONSE_ID;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

/**
 * Derived importance: MLlib least squares of overall_value_us on our rating of each attribute (with an intercept,
 * over responses that rated every attribute), constrained to non-negative coefficients, normalised to sum 1.
 *
 * <p>Non-negativity by backward elimination: fit; while a coefficient is negative, fix the most negative one at zero
 * (drop the attribute) and refit the others. Each fit is exact least squares on the attributes kept, so the kept
 * coefficients are the best fit given the zeros, unlike plain clipping, which keeps coefficients estimated next to
 * a negative one that was compensating for them. With a handful of attributes it costs at most K fits (one pass
 * over the wide responses each). It finds the same solution as a full NNLS solver unless a dropped attribute would
 * turn positive again once others are dropped, which needs strongly correlated attributes with opposite effects.
 */
final class RegressionWeights {
    private static final String LABEL = "label";
    private static final String FEATURES = "features";

    private RegressionWeights() {}

    static String feature(int i) {
        return "__f" + i;
    }

    /**
     * @param minResponses fewer complete responses than max(this, K + 2) is degenerate
     */
    static WeightFit fit(Dataset<Row> responses, List<String> attributes, int minResponses) {
        int k = attributes.size();
        if (k == 0) {
            return WeightFit.degenerate("no attributes rated");
        }
        List<Column> aggs = new ArrayList<>();
        aggs.add(max(col(OVERALL_VALUE_US)).as(LABEL));
        for (int i = 0; i < k; i++) {
            aggs.add(max(when(col(ATTRIBUTE).equalTo(attributes.get(i)), col(RATING_US))).as(feature(i)));
        }
        // One row per response; a response that did not rate every attribute has a null feature and is dropped.
        Dataset<Row> wide = responses.groupBy(col(RESPONSE_ID))
                .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new))
                .na().drop()
                // One sorted partition (survey-sized data): the normal equations are sums of doubles, and their last
                // bits, hence the weights, must not depend on how the responses were partitioned.
                .repartition(1).sortWithinPartitions(RESPONSE_ID)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long n = wide.count();
            long needed = Math.max(minResponses, k + 2);
            if (n < needed) {
                return WeightFit.degenerate(String.format(Locale.ROOT,
                        "%d responses rated every attribute, fewer than the %d needed", n, needed));
            }
            boolean[] kept = new boolean[k];
            java.util.Arrays.fill(kept, true);
            double[] coefficients = new double[k];
            List<String> dropped = new ArrayList<>();
            while (true) {
                List<Integer> active = new ArrayList<>();
                for (int i = 0; i < k; i++) {
                    if (kept[i]) {
                        active.add(i);
                    }
                }
                if (active.isEmpty()) {
                    return WeightFit.degenerate("every coefficient was negative");
                }
                double[] fitted = leastSquares(wide, active);
                int worst = -1;
                for (int j = 0; j < fitted.length; j++) {
                    if (!Double.isFinite(fitted[j])) {
                        return WeightFit.degenerate("the least-squares fit is not finite (collinear ratings?)");
                    }
                    if (fitted[j] < 0 && (worst < 0 || fitted[j] < fitted[worst])) {
                        worst = j;
                    }
                }
                if (worst < 0) {
                    java.util.Arrays.fill(coefficients, 0);
                    for (int j = 0; j < active.size(); j++) {
                        coefficients[active.get(j)] = fitted[j];
                    }
                    break;
                }
                kept[active.get(worst)] = false;
                dropped.add(attributes.get(active.get(worst)));
            }
            double sum = java.util.Arrays.stream(coefficients).sum();
            if (!(sum > 0)) {
                return WeightFit.degenerate("no attribute has a positive effect on overall_value_us");
            }
            Map<String, Double> weights = new LinkedHashMap<>();
            for (int i = 0; i < k; i++) {
                weights.put(attributes.get(i), coefficients[i] / sum);
            }
            return WeightFit.of(weights, String.format(Locale.ROOT, "least squares on %d complete responses%s", n,
                    dropped.isEmpty() ? "" : ", negative coefficients fixed at 0: " + dropped));
        } finally {
            wide.unpersist();
        }
    }

    private static double[] leastSquares(Dataset<Row> wide, List<Integer> active) {
        String[] inputs = active.stream().map(RegressionWeights::feature).toArray(String[]::new);
        Dataset<Row> data = new VectorAssembler().setInputCols(inputs).setOutputCol(FEATURES).transform(wide);
        LinearRegressionModel model = new LinearRegression()
                .setSolver("normal")
                .setRegParam(0.0)
                .setElasticNetParam(0.0)
                .setFitIntercept(true)
                .setStandardization(false)
                .setLabelCol(LABEL)
                .setFeaturesCol(FEATURES)
                .fit(data);
        return model.coefficients().toArray();
    }
}
