package dev.cvm.valuemap;

import dev.cvm.spark.ExactSums;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.LocalDate;

import static dev.cvm.valuemap.ValueMapColumns.ACCOUNT_ID;
import static dev.cvm.valuemap.ValueMapColumns.ATTRIBUTE;
import static dev.cvm.valuemap.ValueMapColumns.RATING_COMPETITOR;
import static dev.cvm.valuemap.ValueMapColumns.RATING_US;
import static dev.cvm.valuemap.ValueMapColumns.RELATIVE_VALUE;
import static dev.cvm.valuemap.ValueMapColumns.RESPONSE_ID;
import static dev.cvm.valuemap.ValueMapColumns.SURVEY_DATE;
import static dev.cvm.valuemap.ValueMapColumns.VALUE_SURVEY_DATE;
import static dev.cvm.valuemap.ValueMapColumns.WEIGHT;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

/**
 * The relative value of each surveyed account as of a date, for the analytic record: the importance-weighted ratio
 * of the account's own ratings in its latest response before that date,
 * {@code sum_a w_a (rating_us_a / rating_competitor_a) / sum_a w_a} over the attributes the response rated.
 *
 * <p>Point in time: only responses dated strictly before {@code asOf} are read, both for the account's own response
 * and for the weights (fitted or derived with the configured method on all those responses, market respondents
 * included), so a response dated on or after {@code asOf} changes nothing.
 */
public final class AccountRelativeValue {
    private static final String LATEST = "__latest";
    private static final String WEIGHT_SUM = "__weight_sum";

    private AccountRelativeValue() {}

    /**
     * @param surveys the surveys table (contract columns), any dates
     * @param ratings the survey_ratings table
     * @return account_id, relative_value, value_survey_date: one row per account with a rated response before asOf
     */
    public static Dataset<Row> latestBefore(Dataset<Row> surveys, Dataset<Row> ratings, LocalDate asOf,
                                            ValueMapSettings settings) {
        Dataset<Row> before = surveys.where(col(SURVEY_DATE).lt(lit(asOf)));
        Dataset<Row> ratingsBefore = ratings.join(before.select(col(RESPONSE_ID)), new String[] {RESPONSE_ID},
                "left_semi");
        Dataset<Row> responses = SurveyResponses.of(before, ratingsBefore);
        AttributeWeights weights = AttributeWeights.derive(responses, AttributeCatalog.of(ratingsBefore), settings);

        // Latest rated response per account; ties on the date go to the greater response_id (deterministic).
        Dataset<Row> latest = responses.where(col(ACCOUNT_ID).isNotNull())
                .groupBy(col(ACCOUNT_ID))
                .agg(max(struct(col(SURVEY_DATE), col(RESPONSE_ID))).as(LATEST))
                .select(col(LATEST + "." + RESPONSE_ID).as(RESPONSE_ID),
                        col(LATEST + "." + SURVEY_DATE).as(VALUE_SURVEY_DATE));
        Column ratio = when(col(RATING_COMPETITOR).gt(0), col(RATING_US).divide(col(RATING_COMPETITOR)));
        return responses.join(latest, RESPONSE_ID)
                .join(broadcast(weights.asFrame(surveys.sparkSession()).select(col(ATTRIBUTE), col(WEIGHT))),
                        ATTRIBUTE)
                .where(ratio.isNotNull())
                .groupBy(col(ACCOUNT_ID), col(VALUE_SURVEY_DATE))
                .agg(ExactSums.sortedSum(col(WEIGHT).multiply(ratio)).as(RELATIVE_VALUE),
                        ExactSums.sortedSum(col(WEIGHT)).as(WEIGHT_SUM))
                .select(col(ACCOUNT_ID),
                        when(col(WEIGHT_SUM).gt(0), col(RELATIVE_VALUE).divide(col(WEIGHT_SUM))).as(RELATIVE_VALUE),
                        col(VALUE_SURVEY_DATE));
    }
}
