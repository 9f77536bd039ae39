package dev.cvm.valuemap;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

import static dev.cvm.valuemap.ValueMapColumns.RESPONDENTS;
import static dev.cvm.valuemap.ValueMapColumns.SUPPRESSED;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

/**
 * Small groups are written, not dropped: suppressed = true and the estimates null, so a reader sees that the
 * group exists and how many respondents it has, but no number too noisy (or too revealing) to publish.
 */
final class Suppression {
    private Suppression() {}

    static Dataset<Row> apply(Dataset<Row> df, int minRespondents, List<String> estimates) {
        Column suppressed = col(RESPONDENTS).lt(minRespondents);
        Dataset<Row> out = df.withColumn(SUPPRESSED, suppressed);
        for (String c : estimates) {
            out = out.withColumn(c, when(not(col(SUPPRESSED)), col(c)));
        }
        return out;
    }
}
