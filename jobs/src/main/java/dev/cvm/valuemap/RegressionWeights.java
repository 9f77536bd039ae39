package dev.cvm.valuemap;

import dev.cvm.spark.ExactSums;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.cvm.valuemap.ValueMapColumns.ATTRIBUTE;
import static dev.cvm.valuemap.ValueMapColumns.OVERALL_VALUE_US;
import static dev.cvm.valuemap.ValueMapColumns.RATING_US;
import static dev.cvm.valuemap.ValueMapColumns.RESPONSE_ID;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

/**
 * Derived importance: least squares of overall_value_us on our rating of each attribute (with an intercept, over
 * responses that rated every attribute), constrained to non-negative coefficients ({@link NormalEquations}),
 * normalised to sum 1.
 *
 * <p>One aggregation over the responses gives the exact sums of the normal equations (ratings are on a scale of a few
 * decimals, so fixed-point sums lose nothing); the fit and its refits are solved on the driver from those k(k+5)/2 + 2
 * numbers. So the weights cost one pass however many responses there are, and they are the same bits whatever the
 * partitioning or the BLAS of the machine.
 */
final class RegressionWeights {
    private static final String LABEL = "__label";

    private RegressionWeights() {}

    private static String feature(int i) {
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
                .na().drop();
        NormalEquations equations = sums(wide, k);
        long needed = Math.max(minResponses, k + 2);
        if (equations.n() < needed) {
            return WeightFit.degenerate(String.format(Locale.ROOT,
                    "%d responses rated every attribute, fewer than the %d needed", equations.n(), needed));
        }
        NormalEquations.Fit fit = equations.nonNegative();
        if (fit.problem() != null) {
            return WeightFit.degenerate(fit.problem());
        }
        double sum = Arrays.stream(fit.coefficients()).sum();
        if (!(sum > 0)) {
            return WeightFit.degenerate("no attribute has a positive effect on overall_value_us");
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        for (int i = 0; i < k; i++) {
            weights.put(attributes.get(i), fit.coefficients()[i] / sum);
        }
        List<String> dropped = fit.dropped().stream().map(attributes::get).toList();
        return WeightFit.of(weights, String.format(Locale.ROOT, "least squares on %d complete responses%s",
                equations.n(), dropped.isEmpty() ? "" : ", negative coefficients fixed at 0: " + dropped));
    }

    /** The normal equations' sums in one aggregation, each an exact (order-free) fixed-point sum. */
    private static NormalEquations sums(Dataset<Row> wide, int k) {
        List<Column> aggs = new ArrayList<>();
        aggs.add(count(lit(1)));
        aggs.add(ExactSums.sum(col(LABEL), ExactSums.QUANTITY));
        for (int i = 0; i < k; i++) {
            aggs.add(ExactSums.sum(col(feature(i)), ExactSums.QUANTITY));
            aggs.add(ExactSums.sum(col(feature(i)).multiply(col(LABEL)), ExactSums.QUANTITY));
            for (int j = i; j < k; j++) {
                aggs.add(ExactSums.sum(col(feature(i)).multiply(col(feature(j))), ExactSums.QUANTITY));
            }
        }
        Row r = wide.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
        long n = r.getLong(0);
        double[] sumX = new double[k];
        double[] sumXY = new double[k];
        double[][] sumXX = new double[k][k];
        int at = 2;
        for (int i = 0; i < k; i++) {
            sumX[i] = value(r, at++);
            sumXY[i] = value(r, at++);
            for (int j = i; j < k; j++) {
                sumXX[i][j] = value(r, at++);
                sumXX[j][i] = sumXX[i][j];
            }
        }
        return new NormalEquations(n, sumX, value(r, 1), sumXX, sumXY);
    }

    /** A sum over no rows is null; its value is 0. */
    private static double value(Row r, int i) {
        return r.isNullAt(i) ? 0.0 : r.getDouble(i);
    }
}
