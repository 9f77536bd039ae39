package dev.cvm.valuemap;

import dev.cvm.spark.ExactSums;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.cvm.valuemap.ValueMapColumns.ATTRIBUTE;
import static dev.cvm.valuemap.ValueMapColumns.IMPORTANCE;
import static dev.cvm.valuemap.ValueMapColumns.RESPONSE_ID;
import static org.apache.spark.sql.functions.col;

/**
 * Stated importance: each response's importances are divided by their total (any scale becomes shares summing to
 * 1), each attribute's weight is the mean share over the responses that stated it, renormalised to sum 1 (which
 * only changes anything when responses stated different sets of attributes). Responses whose stated importances
 * are all missing or zero carry no information and are left out.
 */
final class StatedWeights {
    private static final String TOTAL = "__total";

    private StatedWeights() {}

    static WeightFit fit(Dataset<Row> responses, List<String> attributes, int minResponses) {
        Dataset<Row> stated = responses.where(col(IMPORTANCE).isNotNull());
        Dataset<Row> totals = stated.groupBy(col(RESPONSE_ID)).agg(ExactSums.sortedSum(col(IMPORTANCE)).as(TOTAL))
                .where(col(TOTAL).gt(0));
        long n = totals.count();
        if (n < minResponses) {
            return WeightFit.degenerate(String.format(Locale.ROOT,
                    "%d responses stated importance, fewer than the %d needed", n, minResponses));
        }
        Map<String, Double> means = new LinkedHashMap<>();
        for (String a : attributes) {
            means.put(a, 0.0);
        }
        List<Row> rows = stated.join(totals, RESPONSE_ID)
                .groupBy(col(ATTRIBUTE))
                .agg(ExactSums.avg(col(IMPORTANCE).divide(col(TOTAL)), ExactSums.FINE))
                .collectAsList();
        for (Row r : rows) {
            if (means.containsKey(r.getString(0))) {
                means.put(r.getString(0), r.getDouble(1));
            }
        }
        double total = means.values().stream().mapToDouble(Double::doubleValue).sum();
        if (!(total > 0)) {
            return WeightFit.degenerate("no attribute has a positive stated importance");
        }
        means.replaceAll((a, m) -> m / total);
        return WeightFit.of(means, String.format(Locale.ROOT, "mean stated importance share of %d responses", n));
    }
}
