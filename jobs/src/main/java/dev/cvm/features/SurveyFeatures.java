package dev.cvm.features;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static dev.cvm.features.AsOf.AS_OF;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;

/** The account's latest survey answers before the as-of date; null for accounts never surveyed. */
final class SurveyFeatures {
    private SurveyFeatures() {}

    static Dataset<Row> build(Dataset<Row> surveys, Dataset<Row> asOf) {
        Dataset<Row> past = surveys.where(col("account_id").isNotNull())
                .join(asOf, col("survey_date").lt(col(AS_OF)));
        // Ties on the same day are broken by response id so the result does not depend on row order.
        var order = org.apache.spark.sql.functions.struct(col("survey_date"), col("response_id"));
        return past.groupBy(col("account_id"), col(AS_OF)).agg(
                max_by(col("overall_value_us"), order).as("survey_value_us"),
                max_by(col("overall_value_us").minus(col("overall_value_competitor")), order).as("survey_value_gap"),
                max_by(col("nps"), order).as("survey_nps"),
                datediff(col(AS_OF), max(col("survey_date"))).as("days_since_survey"));
    }
}
